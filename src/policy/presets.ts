// The policies a user starts from (`warden policy init --preset NAME`), written as the YAML a user
// would write, comments included, so `init` hands over a file that explains itself.
//   observe  — audit only: never alters, hides, blocks or delays a message; records what
//              `balanced` would have done (monitor mode over the balanced rules).
//   balanced — the default: blocks the clearly dangerous, asks on the risky, stays out of the way
//              of everyday work.
//   strict   — deny by default; only what is listed is allowed.
import { parsePolicy, PolicyError, type PolicySpec } from './load.js';

const BALANCED_RULES = `rules:
  # Secrets on disk: SSH keys, cloud and registry credentials, other agents' MCP configs.
  - id: deny-secret-files
    match: { kind: [file_read, file_write, tool_call, resource_read] }
    when: >-
      has(args.path) && (
        glob(args.path, "**/.ssh/**") || glob(args.path, "**/.aws/credentials") ||
        glob(args.path, "**/.config/gcloud/**") || glob(args.path, "**/.kube/config") ||
        glob(args.path, "**/.docker/config.json") || glob(args.path, "**/.npmrc") ||
        glob(args.path, "**/.netrc") || glob(args.path, "**/.git-credentials") ||
        glob(args.path, "**/.claude.json") || glob(args.path, "**/.cursor/mcp.json") ||
        glob(args.path, "**/claude_desktop_config.json"))
    effect: deny
    reason: Reading or writing credential files is not allowed; ask the user to provide what is needed.
    owasp: [ASI03]

  - id: ask-env-files
    match: { kind: [file_read, tool_call, resource_read] }
    when: has(args.path) && (glob(args.path, "**/.env") || glob(args.path, "**/.env.*"))
    effect: ask
    reason: .env files usually hold secrets; the user decides whether the agent may read this one.
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
    match: { kind: tool_call }
    when: '"destructive" in tool.capabilities'
    effect: ask
    reason: This tool deletes or overwrites data; it needs your approval.
    owasp: [ASI02]

  - id: deny-pipe-to-shell
    match: { kind: shell }
    when: has(args.command) && args.command.matches("(curl|wget)[^|;&]*[|]\\\\s*(sudo\\\\s+)?(ba|z)?sh\\\\b")
    effect: deny
    reason: Piping a download into a shell runs code nobody reviewed.
    owasp: [ASI05]

  - id: deny-recursive-root-delete
    match: { kind: shell }
    when: has(args.command) && args.command.matches("\\\\brm\\\\s+(-[a-zA-Z]*[rR][a-zA-Z]*\\\\s+|--recursive\\\\s+)+(/|~|\\\\$HOME)(\\\\s|$)")
    effect: deny
    reason: Recursively deleting the root or home directory is never part of a task.
    owasp: [ASI02]
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

const compiled = new Map<PresetName, PolicySpec>();

/** A preset, compiled once. The presets are tested to compile; a failure here is a bug. */
export function presetPolicy(name: PresetName): PolicySpec {
  let p = compiled.get(name);
  if (!p) {
    const { policy, problems } = parsePolicy(`preset:${name}`, PRESETS[name]);
    if (!policy) throw new PolicyError(problems);
    p = policy;
    compiled.set(name, p);
  }
  return p;
}
