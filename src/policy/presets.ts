// The policies a user starts from (`warden policy init --preset NAME`), written as the YAML a user
// would write, comments included, so `init` hands over a file that explains itself.
//   observe  — audit only: never alters, hides, blocks or delays a message; records what
//              `balanced` would have done (monitor mode over the balanced rules).
//   balanced — the default: blocks the clearly dangerous, asks on the risky, stays out of the way
//              of everyday work.
//   strict   — deny by default; only what is listed is allowed.
// Text only (no compiler imported): the hook reads a preset's compiled snapshot without loading YAML or CEL.

const BALANCED_RULES = `rules:
  # Files. The gateway and the hooks give every path an action names its classes
  # (src/detect/path-classes.ts: ~, $HOME, .. and symlinks resolved), so these rules match classes,
  # not spellings of paths. Warden's own files and agents' settings are guarded by a built-in rule
  # no policy can remove.
  - id: deny-secret-files
    match: { kind: [file_read, file_write, tool_call, resource_read], capabilities: [credentials] }
    effect: deny
    reason: Reading or writing credential files (SSH keys, cloud, registry and keyring credentials) is not allowed; ask the user to provide what is needed.
    owasp: [ASI03]

  - id: ask-env-files
    match: { kind: [file_read, tool_call, resource_read], capabilities: [env-file, process-env] }
    effect: ask
    reason: .env files and process environments usually hold secrets; the user decides whether the agent may read this one.
    owasp: [ASI03]

  - id: deny-device-writes
    match: { kind: [file_write], capabilities: [device] }
    effect: deny
    reason: Writing a raw disk device destroys its filesystems.
    owasp: [ASI02]

  - id: ask-persistence-files
    match: { kind: [file_write], capabilities: [shell-startup, scheduler, git-hooks, remote-access] }
    effect: ask
    reason: This file makes code run later (shell start-up, cron, systemd, launchd, git hooks, SSH logins); changing it needs your approval.
    owasp: [ASI05, ASI10]

  - id: ask-system-files
    match: { kind: [file_write], capabilities: [system] }
    effect: ask
    reason: This is an operating-system file; changing it needs your approval.
    owasp: [ASI02]

  # Prompts: a credential pasted into a prompt is on its way to the model's provider. deny blocks
  # the prompt; ask lets it through with a warning to the user (the hooks' "warn").
  - id: deny-secret-in-prompt
    match: { kind: prompt, capabilities: [secret] }
    effect: deny
    reason: This prompt contains a secret (a token, key or password). Remove it and send the prompt again; if the agent needs the credential, point it at where it is stored.
    owasp: [ASI03]

  # The cloud metadata service hands out instance credentials to whoever asks.
  - id: deny-metadata-service
    match: { kind: [fetch, tool_call] }
    when: has(args.url) && (host(args.url) == "169.254.169.254" || host(args.url) == "metadata.google.internal")
    effect: deny
    reason: Requests to the cloud metadata service are not allowed.
    owasp: [ASI03]

  # The lethal trifecta at runtime: once the session read content a stranger could have written,
  # sending data out needs a human.
  - id: ask-egress-after-untrusted-input
    match: { kind: tool_call }
    when: '"egress" in tool.capabilities && "untrusted-input" in session.taint'
    effect: ask
    reason: This session has read untrusted content; sending data out now needs your approval.
    owasp: [ASI01, ASI02]

  - id: ask-destructive-tools
    match: { kind: tool_call, capabilities: [destructive] }
    effect: ask
    reason: This tool deletes or overwrites data; it needs your approval.
    owasp: [ASI02]

  # Shell commands. The hooks take each command line apart (pipes, chains, sudo/env/xargs,
  # sh -c, eval, base64 -d | sh) and name what it does (src/detect/shell-classes.ts). First the
  # clearly dangerous, denied...
  - id: deny-wide-delete
    match: { kind: shell, capabilities: [wide-delete] }
    effect: deny
    reason: This deletes a whole tree (/, a home directory, a system folder, the working directory or *); that is never part of a task. Delete the specific paths instead.
    owasp: [ASI02]

  - id: deny-raw-disk
    match: { kind: shell, capabilities: [raw-disk] }
    effect: deny
    reason: Writing, formatting or repartitioning a disk device destroys its data.
    owasp: [ASI02]

  - id: deny-download-exec
    match: { kind: shell, capabilities: [download-exec] }
    effect: deny
    reason: This runs code straight from the network (or from a base64 blob) that nobody reviewed. Download it to a file, show it to the user, and run it only if they agree.
    owasp: [ASI05, ASI04]

  - id: deny-secret-read
    match: { kind: shell, capabilities: [secret-read] }
    effect: deny
    reason: This reads a credentials file (SSH keys, cloud, registry or keyring credentials); ask the user to provide what is needed.
    owasp: [ASI03]

  - id: deny-history-wipe
    match: { kind: shell, capabilities: [history-wipe] }
    effect: deny
    reason: Clearing or disabling shell history hides what was done; it is not allowed.
    owasp: [ASI10]

  - id: deny-world-writable
    match: { kind: shell, capabilities: [world-writable] }
    effect: deny
    reason: Making files writable by every user (777, a+w, o+w) opens them to any process on the machine; use a narrower mode such as 755 or 644.
    owasp: [ASI02, ASI03]

  - id: deny-fork-bomb
    match: { kind: shell, capabilities: [fork-bomb] }
    effect: deny
    reason: This starts processes until the machine stops responding.
    owasp: [ASI02, ASI08]

  - id: deny-reverse-shell
    match: { kind: shell, capabilities: [reverse-shell] }
    effect: deny
    reason: This hands a shell on this machine to a remote host.
    owasp: [ASI05, ASI10]

  # ...then the risky, which a human approves.
  - id: ask-infra-destroy
    match: { kind: shell, capabilities: [infra-destroy] }
    effect: ask
    reason: This destroys cloud or cluster resources (or wipes containers and volumes); it needs your approval.
    owasp: [ASI02, ASI08]

  - id: ask-database-drop
    match: { kind: shell, capabilities: [database-drop] }
    effect: ask
    reason: This drops or empties a database (DROP, TRUNCATE, DELETE without WHERE, FLUSHALL, a reset); it needs your approval.
    owasp: [ASI02]

  - id: ask-egress-upload
    match: { kind: shell, capabilities: [egress-upload] }
    effect: ask
    reason: This sends files or command output to another host; the user decides whether that data may leave.
    owasp: [ASI02]

  - id: ask-persistence
    match: { kind: shell, capabilities: [persistence] }
    effect: ask
    reason: This makes something run later or at every start (shell start-up files, cron, systemd, launchd, git hooks, authorized_keys); it needs your approval.
    owasp: [ASI05, ASI10]

  - id: ask-system-write
    match: { kind: shell, capabilities: [system-write] }
    effect: ask
    reason: This changes operating-system files (/etc, /usr, /bin, C:/Windows); it needs your approval.
    owasp: [ASI02]

  - id: ask-force-push
    match: { kind: shell, capabilities: [force-push] }
    effect: ask
    reason: A force push rewrites the remote branch and can destroy other people's commits; it needs your approval.
    owasp: [ASI02]

  - id: ask-privilege
    match: { kind: shell, capabilities: [privilege] }
    effect: ask
    reason: This runs as root or another user (sudo, su, doas, setuid); it needs your approval.
    owasp: [ASI03]

  - id: ask-untrusted-packages
    match: { kind: shell, capabilities: [package-install-untrusted] }
    effect: ask
    reason: This installs a package from a URL, a git repository or a non-default registry, which no registry vouches for; it needs your approval.
    owasp: [ASI04]

  - id: ask-env-dump
    match: { kind: shell, capabilities: [env-dump, env-file-read] }
    effect: ask
    reason: This prints environment variables or a .env file, which usually hold secrets; the user decides whether the agent may see them.
    owasp: [ASI03]

  - id: ask-credential-print
    match: { kind: shell, capabilities: [credential-print] }
    effect: ask
    reason: This asks a credential store or CLI to print a token or password; the user decides whether the agent may see it.
    owasp: [ASI03]

  - id: ask-secret-write
    match: { kind: shell, capabilities: [secret-write] }
    effect: ask
    reason: This writes or deletes a credentials file (SSH, cloud or registry credentials); it needs your approval.
    owasp: [ASI03]
  # Writing agents' settings and touching Warden (the agent-config-write and warden-tamper
  # classes) are denied by the built-in self-protection rule, before any policy is read.
`;

export const PRESETS = {
  balanced: `# Warden policy — balanced preset (warden policy init --preset balanced).
# Blocks the clearly dangerous, asks on the risky, and stays out of the way of everyday work.
# Rules are tried in order; the first whose match and when hold decides. Reference: README.md.
version: 1
mode: enforce
defaults:
  tool_call: allow
  tool_list: allow
  shell: allow
  file_read: allow
  file_write: allow
  fetch: allow
  prompt: allow
  resource_read: allow
  prompt_get: allow
${BALANCED_RULES}`,

  observe: `# Warden policy — observe preset (warden policy init --preset observe).
# Audit only: nothing is altered, hidden, blocked or delayed. Every decision records what the
# balanced rules below would have done (monitor mode), so you can see the effect before enforcing.
version: 1
mode: monitor
${BALANCED_RULES}`,

  strict: `# Warden policy — strict preset (warden policy init --preset strict).
# Deny by default: list the servers and tools your team approved. Pinned tools are required.
version: 1
mode: enforce
defaults:
  tool_call: deny
  tool_list: deny
  shell: ask
  file_read: allow
  file_write: ask
  fetch: ask
  prompt: allow
  resource_read: ask
  prompt_get: ask
servers:
  allow: []            # add approved server names, e.g. [github, filesystem]
  unknown: deny
pinning:
  lockfile: warden.lock.json
  require: true
${BALANCED_RULES}
  # Approved tools: list them here (server and tool globs); everything else is denied by default.
  - id: allow-read-only-tools
    match: { kind: [tool_call, tool_list] }
    when: '!("writes" in tool.capabilities) && !("egress" in tool.capabilities) && !("code-execution" in tool.capabilities)'
    effect: allow
    reason: Read-only tools of approved servers are allowed.
`,
} as const;

export type PresetName = keyof typeof PRESETS;
