// What a command line really runs, and what in it is dangerous. A server's `command` + `args`, a
// hook command, or a line of an instruction file is split into simple commands the way a shell
// would (shell-quote does the quoting; lines, comments and here-documents are split first),
// wrappers that do not change *what* runs are peeled off (`env`, `nohup`, `sudo` — remembering
// that sudo raised privilege — `xargs`, `watch`, leading `FOO=1` and `if`/`then`/`do`), inline
// scripts (`sh -c`, `eval`, `cmd /c`, `powershell -Command`/`-EncodedCommand`, a shell command in
// `node -e`/`python -c` code, `echo … | base64 -d | sh`) are parsed in turn, and the result is
// checked against the tables below. Rules pick the kinds of risk they own; src/detect/shell-classes.ts
// names what a hook's command does.
import { parse as parseShell, type ParseEntry } from 'shell-quote';
import type { ServerDecl, Severity } from '../core/types.js';
import type { PathSegment } from '../parse/document.js';
import type { RuleHit, ServerField } from '../rules/rule.js';

/** One word of a command line and where it came from. */
export interface Word {
  text: string;
  /** The server value holding the word (a word of an inline script points at the script's arg). */
  at?: ServerField;
  /** Offset in the analysed text, when the text was given with offsets tracked (instruction files). */
  offset?: number;
}

/** One program invocation after wrappers are peeled off. */
export interface SimpleCommand {
  /** The program and its arguments; `words[0]` is the program as written. */
  words: Word[];
  /** `words[0]` normalised: basename, lower case, no .exe/.cmd, python3.12 → python. */
  program: string;
  /** Wrappers peeled off, outermost first (env, nohup, sudo...). */
  wrappers: Word[];
  /** The wrapper that runs the command as another user (sudo, doas, pkexec, runas, su). */
  elevation?: Word;
  /** Commands whose output this one consumes: the left side of a pipe, `$(...)`, `<(...)`. */
  inputs: SimpleCommand[];
  /** Files this command writes through `-o`/`-O`/`>` (used to follow download-then-run). */
  writes: string[];
  /** Files fed to it with `<`; they also stay in `words`, where a shell takes them as its script. */
  reads?: string[];
  /** Text fed to it by a here-string (`<<<`) or a here-document (`<<EOF`). */
  stdin?: string[];
  /** Leading `NAME=value` words: they set the environment of this one command (or of the shell when alone). */
  assignments?: Word[];
  /** The command whose results become extra arguments: the input of `xargs`, the `find` of `-exec`. */
  argsFrom?: SimpleCommand;
  /** What a base64 decoder piped into this shell decoded to (`echo … | base64 -d | sh`). */
  decoded?: string;
  /** Set when this command is a shell or interpreter given inline code. */
  script?: InlineScript;
  /** 0 for the launch command line itself, +1 inside each inline script. */
  depth: number;
  /** The program name is computed at run time (`$(curl ...)` in command position). */
  dynamic?: boolean;
}

export type ScriptLanguage = 'posix' | 'cmd' | 'powershell' | 'code';

export interface InlineScript {
  language: ScriptLanguage;
  /** The word that introduces the script (-c, /c, -Command, -EncodedCommand, -e). */
  flag: Word;
  /** The word that holds the script (the first of them when cmd/PowerShell take the rest of the line). */
  body: Word;
  /** The script text, decoded when it was given base64-encoded. */
  text: string;
  encoded: boolean;
  /** More than one command, or any pipe, redirection, substitution or control operator. */
  compound: boolean;
}

export type RiskKind = 'privilege' | 'download-exec' | 'shell-wrapper' | 'encoded-command' | 'container' | 'agent-bypass' | 'destructive';

export interface CommandRisk {
  kind: RiskKind;
  /** Stable id of the pattern, for fingerprints. */
  id: string;
  severity: Severity;
  /** A verb phrase: "runs as root through sudo". Rules put the subject in front. */
  message: string;
  /** The word at fault. */
  word: Word;
  /** The exact value at fault, as written. */
  evidence: string;
}

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

interface WrapperSpec {
  /** Options that take the next word as their value. */
  valueFlags: readonly string[];
  /** Leading NAME=value words are environment assignments. */
  assignments?: boolean;
  /** Positional words consumed before the wrapped command (timeout's duration). */
  positional?: number;
  /** The wrapped command runs as another user, root unless told otherwise. */
  elevates?: boolean;
  /** An option whose value is a whole command line: `su -c "..."` runs it through a shell, `env -S` splits it. */
  lineFlags?: readonly string[];
  lineIsShell?: boolean;
  /** The wrapped words are joined and run through `sh -c` (watch). */
  restIsShell?: boolean;
}

/** Programs that run another program without changing what it is. */
const WRAPPERS: Readonly<Record<string, WrapperSpec>> = {
  env: { valueFlags: ['-u', '--unset', '-C', '--chdir'], assignments: true, lineFlags: ['-S', '--split-string'] },
  nice: { valueFlags: ['-n', '--adjustment'] },
  nohup: { valueFlags: [] },
  time: { valueFlags: ['-f', '--format', '-o', '--output'] },
  exec: { valueFlags: ['-a'] },
  command: { valueFlags: [] },
  stdbuf: { valueFlags: ['-i', '-o', '-e', '--input', '--output', '--error'] },
  timeout: { valueFlags: ['-s', '--signal', '-k', '--kill-after'], positional: 1 },
  ionice: { valueFlags: ['-c', '--class', '-n', '--classdata', '-p', '--pid'] },
  // `wsl.exe bash -c "…"` from a Windows client runs the rest inside WSL.
  wsl: { valueFlags: ['-d', '--distribution', '-u', '--user', '--cd', '--shell-type'] },
  watch: { valueFlags: ['-n', '--interval', '-d', '--differences', '-q', '--equexit', '--chgexit'], restIsShell: true },
  // xargs runs its command on words read from its input; `argsFrom` keeps that input.
  xargs: {
    valueFlags: ['-I', '-L', '-n', '-P', '-s', '-d', '-E', '-a', '--arg-file', '--delimiter', '--max-args', '--max-procs', '--max-lines', '--max-chars', '--replace', '--eof', '--process-slot-var'],
  },
  sudo: {
    elevates: true,
    assignments: true,
    valueFlags: ['-u', '--user', '-g', '--group', '-C', '--close-from', '-D', '--chdir', '-h', '--host', '-p', '--prompt', '-r', '--role', '-t', '--type', '-U', '--other-user', '-T', '--command-timeout', '-R', '--chroot'],
  },
  doas: { elevates: true, valueFlags: ['-u', '-C'] },
  pkexec: { elevates: true, valueFlags: ['--user'] },
  gsudo: { elevates: true, valueFlags: ['-u', '--user', '-i', '--integrity'] },
  su: { elevates: true, valueFlags: ['-s', '--shell', '-g', '--group', '-G', '--supp-group'], lineFlags: ['-c', '--command'], lineIsShell: true },
};

type ShellStyle = 'posix' | 'cmd' | 'powershell' | 'interpreter';

interface ShellSpec {
  style: ShellStyle;
  /** Interpreters: the options that take inline code. */
  codeFlags?: readonly string[];
  /** Value-taking options to step over while looking for the script. */
  valueFlags?: readonly string[];
}

const POSIX: ShellSpec = { style: 'posix', valueFlags: ['-o', '+o', '-O', '+O', '--rcfile', '--init-file'] };
const POWERSHELL: ShellSpec = { style: 'powershell' };

/** Shells and interpreters that can be handed code on the command line. */
const SHELLS: Readonly<Record<string, ShellSpec>> = {
  sh: POSIX,
  bash: POSIX,
  zsh: POSIX,
  dash: POSIX,
  ksh: POSIX,
  mksh: POSIX,
  ash: POSIX,
  fish: POSIX,
  cmd: { style: 'cmd' },
  powershell: POWERSHELL,
  pwsh: POWERSHELL,
  python: { style: 'interpreter', codeFlags: ['-c'] },
  node: { style: 'interpreter', codeFlags: ['-e', '--eval', '-p', '--print'] },
  perl: { style: 'interpreter', codeFlags: ['-e', '-E'] },
  ruby: { style: 'interpreter', codeFlags: ['-e'] },
  php: { style: 'interpreter', codeFlags: ['-r'] },
  bun: { style: 'interpreter', codeFlags: ['-e', '--eval'] },
  osascript: { style: 'interpreter', codeFlags: ['-e'] },
};

/** Programs that run whatever text they are given (besides shells reading stdin). */
const EVALUATORS: ReadonlySet<string> = new Set(['eval', 'source', '.', 'iex', 'invoke-expression']);

/** Programs that fetch content from the network. */
const FETCHERS: ReadonlySet<string> = new Set(['curl', 'wget', 'fetch', 'iwr', 'irm', 'invoke-webrequest', 'invoke-restmethod', 'aria2c']);

/** Options of fetchers that name the file the download is written to (`-` means stdout). */
const FETCH_OUTPUT_FLAGS: ReadonlySet<string> = new Set(['-o', '--output', '-O', '--output-document', '-OutFile', '-outfile']);

/** Container engines whose `run`/`create` start a container on this host. */
const CONTAINER_ENGINES: ReadonlySet<string> = new Set(['docker', 'podman', 'nerdctl']);

/** Engine options before the subcommand that take a value (`docker --context x run`). */
const ENGINE_GLOBAL_VALUE_FLAGS: ReadonlySet<string> = new Set([
  '-H', '--host', '-c', '--context', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey',
  '--connection', '--url', '--identity', '--root', '--runroot', '--cgroup-manager', '--storage-driver', '--namespace', '-n',
]);

/** `run`/`create` options that take no value; every other option does (the list of value options is far longer). */
const RUN_BOOL_FLAGS: ReadonlySet<string> = new Set([
  '-d', '--detach', '-i', '--interactive', '-t', '--tty', '--rm', '--privileged', '--init', '-P', '--publish-all',
  '--read-only', '--oom-kill-disable', '--no-healthcheck', '--disable-content-trust', '-q', '--quiet', '--help',
  '--use-api-socket', '--replace', '--rmi', '--no-hosts', '--env-host', '--http-proxy', '--read-only-tmpfs', '--sig-proxy',
  '--tls-verify', '--network-alias-auto',
]);

interface ContainerFlagRisk {
  id: string;
  flags: readonly string[];
  /** Given the option's value (undefined for a boolean flag), the severity when it is dangerous. */
  assess: (value: string | undefined) => Severity | undefined;
  message: string;
}

const HOST = (sev: Severity) => (v: string | undefined) => (v?.toLowerCase() === 'host' ? sev : undefined);
const CRITICAL_CAPS = new Set(['all']);
const HIGH_CAPS = new Set(['sys_admin', 'sys_ptrace', 'sys_module', 'dac_read_search', 'net_admin', 'sys_rawio', 'bpf', 'perfmon', 'sys_boot', 'mac_admin']);
/** Docker's default set: adding one of these again changes nothing. */
const DEFAULT_CAPS = new Set(['chown', 'dac_override', 'fsetid', 'fowner', 'mknod', 'net_raw', 'setgid', 'setuid', 'setfcap', 'setpcap', 'net_bind_service', 'sys_chroot', 'kill', 'audit_write']);
const UNCONFINED = /^(seccomp[=:]unconfined|apparmor[=:]unconfined|label[=:]disabled?|systempaths[=:]unconfined|no-new-privileges[=:]false)$/i;

/** Container options that hand the container part of the host. */
export const CONTAINER_FLAG_RISKS: readonly ContainerFlagRisk[] = [
  { id: 'privileged', flags: ['--privileged'], assess: (v) => (v === undefined || v === 'true' ? 'critical' : undefined), message: 'gets every device and capability of the host' },
  { id: 'host-network', flags: ['--network', '--net'], assess: HOST('medium'), message: "shares the host's network, including services bound to localhost" },
  { id: 'host-pid', flags: ['--pid'], assess: HOST('high'), message: 'sees and can signal every process of the host' },
  { id: 'host-ipc', flags: ['--ipc'], assess: HOST('medium'), message: "shares the host's IPC namespace" },
  { id: 'host-uts', flags: ['--uts'], assess: HOST('low'), message: "shares the host's hostname namespace" },
  { id: 'host-userns', flags: ['--userns'], assess: HOST('high'), message: "runs in the host's user namespace, so root in the container is root on the host" },
  { id: 'host-cgroupns', flags: ['--cgroupns'], assess: HOST('medium'), message: "shares the host's cgroup namespace" },
  {
    id: 'cap-add',
    flags: ['--cap-add'],
    assess: (v) => {
      const cap = (v ?? '').toLowerCase().replace(/^cap_/, '');
      if (DEFAULT_CAPS.has(cap)) return undefined;
      return CRITICAL_CAPS.has(cap) ? 'critical' : HIGH_CAPS.has(cap) ? 'high' : 'medium';
    },
    message: 'gains a Linux capability beyond the default set',
  },
  { id: 'security-opt', flags: ['--security-opt'], assess: (v) => (v && UNCONFINED.test(v) ? 'high' : undefined), message: 'turns off a kernel confinement (seccomp, AppArmor or SELinux)' },
  { id: 'device', flags: ['--device'], assess: () => 'medium', message: 'gets direct access to a host device' },
  { id: 'device-cgroup-rule', flags: ['--device-cgroup-rule'], assess: () => 'medium', message: 'may create and use host devices' },
];

export type HostPathKind = 'root' | 'home' | 'all-homes' | 'credentials' | 'container-socket' | 'system';

const HOST_PATH_TEXT: Readonly<Record<HostPathKind, string>> = {
  root: 'the whole host filesystem',
  home: 'the whole home directory, with its SSH keys and cloud credentials',
  'all-homes': 'every home directory on the host',
  credentials: 'a credential store (SSH keys, cloud or registry credentials)',
  'container-socket': 'the container engine socket, which controls the host as root',
  system: 'a host system directory',
};

const MOUNT_SEVERITY: Readonly<Record<HostPathKind, Severity>> = {
  root: 'critical',
  'container-socket': 'critical',
  home: 'high',
  'all-homes': 'high',
  credentials: 'high',
  system: 'high',
};

/** Spellings of the home directory: shell, Windows and VS Code variables, and the usual absolute forms. */
const HOME_PREFIX = /^(?:~|\$home|\$\{home\}|%userprofile%|%homepath%|\$env:userprofile|\$env:home|\$\{env:home\}|\$\{env:userprofile\}|\$\{userhome\}|\/home\/[^/]+|\/users\/[^/]+|\/root|\/var\/root|[a-z]:\/users\/[^/]+)(?=\/|$)/;
const ALL_HOMES = new Set(['/home', '/users', 'c:/users']);
/** Directories under a home directory that hold credentials. */
const CREDENTIAL_DIRS = ['.ssh', '.aws', '.kube', '.docker', '.gnupg', '.azure', '.config/gcloud', '.config/gh', '.password-store', '.netrc', '.npmrc', '.pypirc', '.git-credentials'];
/** System directories that are dangerous to hand over whole; subdirectories (/etc/localtime, /dev/shm) are not. */
const SYSTEM_DIRS = new Set(['/etc', '/proc', '/sys', '/dev', '/boot', '/var', '/usr', '/bin', '/sbin', '/lib', '/run', '/var/run', '/var/lib/docker', '/private/etc', '/private/var', 'c:/windows', 'c:/windows/system32']);
const SYSTEM_SECRETS = new Set(['/etc/shadow', '/etc/sudoers', '/etc/gshadow']);
const CONTAINER_SOCKETS = /(?:^|\/)(?:docker|podman|containerd|crio|cri-dockerd)\.sock$|^\/\/\.\/pipe\/(?:docker_engine|podman)/;

/** What a host path given to a container or a file server exposes, or undefined for an ordinary path. */
export function classifyHostPath(raw: string): HostPathKind | undefined {
  let p = raw.trim().replace(/^["']|["']$/g, '').replace(/\\/g, '/').toLowerCase();
  if (CONTAINER_SOCKETS.test(p)) return 'container-socket';
  p = p.replace(/\/+/g, '/').replace(/\/\.$/, '/').replace(/\/\*$/, '/');
  if (p.length > 1 && p.endsWith('/') && !/^[a-z]:\/$/.test(p)) p = p.slice(0, -1);
  if (p === '/' || /^[a-z]:\/?$/.test(p)) return 'root';
  if (ALL_HOMES.has(p)) return 'all-homes';
  if (SYSTEM_SECRETS.has(p)) return 'credentials';
  if (SYSTEM_DIRS.has(p)) return 'system';
  const home = HOME_PREFIX.exec(p);
  if (home) {
    const rest = p.slice(home[0].length).replace(/^\//, '');
    if (rest === '') return 'home';
    if (CREDENTIAL_DIRS.some((d) => rest === d || rest.startsWith(d + '/'))) return 'credentials';
  }
  return undefined;
}

export function describeHostPath(kind: HostPathKind): string {
  return HOST_PATH_TEXT[kind];
}

interface AgentCli {
  agent: string;
  programs: readonly string[];
  packages: readonly string[];
  /** Options that turn the agent's approvals or sandbox off; `value` when only one value does. */
  bypass: ReadonlyArray<{ flag: string; value?: string; severity: Severity }>;
}

/** Coding agents that can be launched as (or from) a server or hook, and their "approve everything" switches. */
const AGENT_CLIS: readonly AgentCli[] = [
  {
    agent: 'Claude Code',
    programs: ['claude'],
    packages: ['@anthropic-ai/claude-code'],
    bypass: [
      { flag: '--dangerously-skip-permissions', severity: 'high' },
      { flag: '--permission-mode', value: 'bypassPermissions', severity: 'high' },
      { flag: '--allow-dangerously-skip-permissions', severity: 'medium' },
    ],
  },
  {
    agent: 'Codex',
    programs: ['codex'],
    packages: ['@openai/codex'],
    bypass: [
      { flag: '--dangerously-bypass-approvals-and-sandbox', severity: 'high' },
      { flag: '--yolo', severity: 'high' },
      { flag: '--sandbox', value: 'danger-full-access', severity: 'high' },
      { flag: '-s', value: 'danger-full-access', severity: 'high' },
      { flag: '--ask-for-approval', value: 'never', severity: 'medium' },
      { flag: '-a', value: 'never', severity: 'medium' },
    ],
  },
  {
    agent: 'Gemini CLI',
    programs: ['gemini', 'qwen'],
    packages: ['@google/gemini-cli', '@qwen-code/qwen-code'],
    bypass: [
      { flag: '--yolo', severity: 'high' },
      { flag: '-y', severity: 'high' },
      { flag: '--approval-mode', value: 'yolo', severity: 'high' },
    ],
  },
  {
    agent: 'Copilot CLI',
    programs: ['copilot'],
    packages: ['@github/copilot'],
    bypass: [
      { flag: '--allow-all-tools', severity: 'high' },
      { flag: '--allow-all', severity: 'high' },
      { flag: '--yolo', severity: 'high' },
    ],
  },
  { agent: 'Cursor CLI', programs: ['cursor-agent'], packages: [], bypass: [{ flag: '--force', severity: 'high' }, { flag: '-f', severity: 'high' }] },
];

/** Switches no program uses for anything but disabling an agent's approvals, wherever they appear. */
const UNMISTAKABLE_BYPASS: ReadonlySet<string> = new Set(['--dangerously-skip-permissions', '--dangerously-bypass-approvals-and-sandbox']);

interface DestructivePattern {
  id: string;
  programs: readonly string[];
  severity: Severity;
  message: string;
  /** The offending word, or undefined when this invocation is harmless. */
  match: (cmd: SimpleCommand) => Word | undefined;
}

const WIDE_TARGET: ReadonlySet<HostPathKind> = new Set(['root', 'home', 'all-homes', 'system']);
const wideTarget = (cmd: SimpleCommand) => positionals(cmd).find((w) => {
  const k = classifyHostPath(w.text);
  return k !== undefined && WIDE_TARGET.has(k);
});
const hasFlag = (cmd: SimpleCommand, short: RegExp, long: readonly string[]) =>
  cmd.words.slice(1).some((w) => long.includes(w.text.toLowerCase()) || (/^-[a-z]+$/i.test(w.text) && short.test(w.text)));
/** Octal modes with the others-write bit, and symbolic modes that add write for others or all. */
const WORLD_WRITABLE = /^(?:0*[0-7]?[0-7]{2}[2367]|(?:[ug]*[ao][ugo]*)[+=][rwxXst]*w[rwxXst]*)$/;

/** Commands that destroy data or open the machine up, as instruction files tell agents to run them. */
export const DESTRUCTIVE: readonly DestructivePattern[] = [
  {
    id: 'rm-root',
    programs: ['rm'],
    severity: 'critical',
    message: 'deletes a whole filesystem tree recursively',
    match: (cmd) =>
      cmd.words.find((w) => w.text === '--no-preserve-root') ?? (hasFlag(cmd, /r/i, ['--recursive']) ? wideTarget(cmd) : undefined),
  },
  {
    id: 'remove-item-root',
    programs: ['remove-item', 'rd', 'rmdir', 'del', 'erase', 'ri'],
    severity: 'critical',
    message: 'deletes a whole filesystem tree recursively',
    match: (cmd) => (cmd.words.some((w) => /^(?:-recurse|\/s)$/i.test(w.text)) ? wideTarget(cmd) : undefined),
  },
  {
    id: 'chmod-world-writable',
    programs: ['chmod'],
    severity: 'medium',
    message: 'makes files writable by every user',
    match: (cmd) => cmd.words.slice(1).find((w) => WORLD_WRITABLE.test(w.text)),
  },
  {
    id: 'dd-device',
    programs: ['dd'],
    severity: 'critical',
    message: 'overwrites a disk device',
    match: (cmd) => cmd.words.find((w) => /^of=\/dev\/(?:sd|hd|vd|xvd|nvme|disk|mmcblk|rdisk)/i.test(w.text)),
  },
  { id: 'mkfs', programs: ['mkfs'], severity: 'critical', message: 'formats a disk', match: (cmd) => cmd.words[0] },
  {
    id: 'disable-selinux',
    programs: ['setenforce'],
    severity: 'high',
    message: 'turns SELinux enforcement off',
    match: (cmd) => cmd.words.find((w) => /^(?:0|permissive)$/i.test(w.text)),
  },
  {
    id: 'disable-sip',
    programs: ['csrutil', 'spctl'],
    severity: 'high',
    message: "turns off a macOS protection (SIP or Gatekeeper)",
    match: (cmd) => cmd.words.find((w) => /^(?:disable|--master-disable|--global-disable)$/i.test(w.text)),
  },
  {
    id: 'disable-firewall',
    programs: ['ufw'],
    severity: 'medium',
    message: 'turns the firewall off',
    match: (cmd) => cmd.words.find((w) => w.text.toLowerCase() === 'disable'),
  },
  {
    id: 'disable-defender',
    programs: ['set-mppreference'],
    severity: 'high',
    message: 'turns Microsoft Defender protection off',
    match: (cmd) => cmd.words.find((w) => /^-disable(?:realtimemonitoring|behaviormonitoring|ioavprotection|scriptscanning)$/i.test(w.text)),
  },
];

// ---------------------------------------------------------------------------------------------
// Tokenising and unwrapping
// ---------------------------------------------------------------------------------------------

/** basename, lower case, without a Windows executable extension; python3.12 → python, nodejs → node, mkfs.ext4 → mkfs. */
export function programName(word: string): string {
  const base = word.split(/[\\/]/).pop() ?? word;
  const name = base.toLowerCase().replace(/\.(?:exe|cmd|bat|com|ps1)$/, '');
  if (/^python\d*(?:\.\d+)?$/.test(name)) return 'python';
  if (name === 'nodejs') return 'node';
  if (name.startsWith('mkfs.')) return 'mkfs';
  return name;
}

/** The command line a server launches, word by word, each word tied to the field it came from. */
export function serverArgv(server: Pick<ServerDecl, 'command' | 'args'>): Word[] {
  if (!server.command) return [];
  const words: Word[] = [{ text: server.command, at: { field: 'command' } }];
  server.args.forEach((text, index) => words.push({ text, at: { field: 'args', index } }));
  return words;
}

const analysed = new WeakMap<object, SimpleCommand[]>();

/** Bounds that keep hostile input (thousands of nested `$(`) linear; real command lines are far below them. */
const MAX_SCRIPT_DEPTH = 8;
const MAX_INPUT_WALK = 64;

/** Every simple command a server's launch runs, the launch itself first (cached per declaration). */
export function serverCommands(server: Pick<ServerDecl, 'command' | 'args'>): SimpleCommand[] {
  const cached = analysed.get(server);
  if (cached) return cached;
  let out: SimpleCommand[] = [];
  const command = server.command?.trim();
  if (command) {
    // A few clients accept the whole command line in `command`; an absolute path may itself contain spaces.
    if (server.args.length === 0 && /\s/.test(command) && !/^(?:[A-Za-z]:)?[\\/]/.test(command)) {
      out = parseScript(command, 'posix', { at: { field: 'command' } }, 0).commands;
    } else {
      out = analyseArgv(serverArgv(server), 0, []);
    }
  }
  analysed.set(server, out);
  return out;
}

/** Every simple command of a shell command line (a hook command, a line of an instruction file). */
export function commandLineCommands(text: string, origin: { at?: ServerField; offset?: number } = {}, language: ScriptLanguage = 'posix'): SimpleCommand[] {
  return parseScript(text, language, { ...origin, trackOffsets: origin.offset !== undefined }, 0).commands;
}

/** Analyses one argv: peels wrappers, then parses an inline script if the program is a shell given one. */
function analyseArgv(argv: Word[], depth: number, inputs: SimpleCommand[]): SimpleCommand[] {
  const peeled = peel(argv, depth);
  if (peeled.shellLine) return peeled.shellLine;
  const words = peeled.words;
  const cmd: SimpleCommand = {
    words,
    program: programName(words[0]!.text),
    wrappers: peeled.wrappers,
    ...(peeled.elevation ? { elevation: peeled.elevation } : {}),
    inputs,
    writes: [],
    depth,
    ...(peeled.assignments.length > 0 ? { assignments: peeled.assignments } : {}),
  };
  // `… | xargs rm -rf`: the words rm works on are whatever the pipe brings.
  const feeder = inputs[inputs.length - 1];
  if (feeder && peeled.wrappers.some((w) => programName(w.text) === 'xargs')) cmd.argsFrom = feeder;
  const out = [cmd];
  out.push(...findExecCommands(cmd));
  // A shell inside a shell inside a shell… eight levels is already more than any real config has.
  const inline = depth < MAX_SCRIPT_DEPTH ? inlineScript(cmd) : undefined;
  if (inline) {
    cmd.script = inline.script;
    out.push(...inline.commands);
  }
  return out;
}

interface Peeled {
  words: Word[];
  wrappers: Word[];
  elevation?: Word;
  assignments: Word[];
  /** `su -c "line"`: the line, run through a shell, already analysed. */
  shellLine?: SimpleCommand[];
}

/** Reserved words that open a compound command or a branch of one: what follows them is an ordinary command. */
const LEADING_KEYWORDS: ReadonlySet<string> = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'function']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=/;

function peel(argv: Word[], depth: number): Peeled {
  let words = argv;
  const wrappers: Word[] = [];
  const assignments: Word[] = [];
  let elevation: Word | undefined;
  // `then rm -rf x`, `FOO=1 make`: the program is the first word that is neither. A line of only
  // assignments (`HISTSIZE=0`) keeps them as its words.
  let lead = 0;
  while (lead < words.length && (LEADING_KEYWORDS.has(words[lead]!.text) || ASSIGNMENT.test(words[lead]!.text))) {
    if (words[lead]!.text === 'function') lead++; // `function name { … }`: the name is not a program either
    else if (ASSIGNMENT.test(words[lead]!.text)) assignments.push(words[lead]!);
    lead++;
  }
  if (lead < words.length) words = words.slice(lead);
  for (let guard = 0; guard < 16; guard++) {
    const head = words[0];
    const spec = head ? WRAPPERS[programName(head.text)] : undefined;
    if (!head || !spec) break;
    const options = new Set(spec.valueFlags);
    let i = 1;
    let line: Word | undefined;
    let positional = spec.positional ?? 0;
    while (i < words.length) {
      const w = words[i]!.text;
      if (w === '--') {
        i++;
        break;
      }
      if (spec.assignments && ASSIGNMENT.test(w)) {
        assignments.push(words[i]!);
        i++;
        continue;
      }
      if (w.startsWith('-') && w.length > 1) {
        const eq = w.indexOf('=');
        const name = eq > 0 ? w.slice(0, eq) : w;
        if (spec.lineFlags?.includes(name)) {
          line = eq > 0 ? { ...words[i]!, text: w.slice(eq + 1) } : words[i + 1];
          i += eq > 0 ? 1 : 2;
          continue;
        }
        i += eq < 0 && takesValue(w, options) ? 2 : 1;
        continue;
      }
      if (positional > 0) {
        positional--;
        i++;
        continue;
      }
      break;
    }
    wrappers.push(head);
    if (spec.elevates) elevation ??= head;
    if (line && spec.lineIsShell) {
      const commands = parseScript(line.text, 'posix', wordOrigin(line), depth + 1).commands;
      for (const c of commands) {
        if (!c.elevation && spec.elevates) c.elevation = head;
        c.wrappers.unshift(...wrappers);
      }
      if (commands.length > 0) return { words, wrappers, ...(elevation ? { elevation } : {}), assignments, shellLine: commands };
    }
    const rest = line ? [...splitWords(line), ...words.slice(i)] : words.slice(i);
    if (spec.restIsShell && rest.length > 0 && depth < MAX_SCRIPT_DEPTH) {
      const commands = parseScript(rest.map((w) => w.text).join(' '), 'posix', wordOrigin(rest[0]!), depth + 1).commands;
      for (const c of commands) {
        if (!c.elevation && elevation) c.elevation = elevation;
        c.wrappers.unshift(...wrappers);
      }
      if (commands.length > 0) return { words, wrappers, ...(elevation ? { elevation } : {}), assignments, shellLine: commands };
    }
    if (rest.length === 0) {
      // `sudo -i`, `su`: the wrapper itself is what runs.
      words = [head];
      wrappers.pop();
      break;
    }
    words = rest;
  }
  return { words, wrappers, ...(elevation ? { elevation } : {}), assignments };
}

/** Whether an option (possibly a cluster of short options) consumes the next word. */
function takesValue(flag: string, valueFlags: ReadonlySet<string>): boolean {
  if (flag.startsWith('--') || flag.length === 2) return valueFlags.has(flag);
  // A cluster like -Eu or -uroot: the first value-taking letter takes the rest of the cluster, or the next word.
  for (let k = 1; k < flag.length; k++) {
    if (valueFlags.has(`-${flag[k]}`)) return k === flag.length - 1;
  }
  return false;
}

function splitWords(word: Word): Word[] {
  return parseEntries(word.text, 'posix')
    .filter((e): e is string => typeof e === 'string')
    .map((text) => ({ ...word, text }));
}

function wordOrigin(w: Word): ParseOrigin {
  return { ...(w.at ? { at: w.at } : {}), ...(w.offset !== undefined ? { offset: w.offset } : {}) };
}

/** `find … -exec rm -rf {} \;`: the commands find runs on what it finds, each tied back to the find. */
function findExecCommands(find: SimpleCommand): SimpleCommand[] {
  if (find.program !== 'find') return [];
  const out: SimpleCommand[] = [];
  const w = find.words;
  for (let i = 1; i < w.length; i++) {
    if (!FIND_EXEC.has(w[i]!.text)) continue;
    let end = i + 1;
    while (end < w.length && w[end]!.text !== ';' && w[end]!.text !== '+') end++;
    const segment = w.slice(i + 1, end);
    if (segment.length > 0 && find.depth < MAX_SCRIPT_DEPTH) {
      const made = analyseArgv(segment, find.depth, []);
      made[0]!.argsFrom = find;
      out.push(...made);
    }
    i = end;
  }
  return out;
}

const FIND_EXEC: ReadonlySet<string> = new Set(['-exec', '-execdir', '-ok', '-okdir']);

/** If the command is a shell or interpreter handed inline code, that code and the commands in it. */
function inlineScript(cmd: SimpleCommand): { script: InlineScript; commands: SimpleCommand[] } | undefined {
  // `eval "…"` joins its arguments into a line and runs it. Its `$(…)` were already parsed as the
  // words' substitutions (they are eval's inputs); parsing them again would count them twice.
  if (cmd.program === 'eval' && cmd.words.length > 1) {
    const text = cmd.words
      .slice(1)
      .map((w) => w.text.replace(/\$\(((?:[^()]|\([^()]*\))*)\)/g, ' '))
      .join(' ');
    return text.trim() === '' ? undefined : withScript(cmd, 'posix', cmd.words[0]!, cmd.words[1]!, text, false);
  }
  const spec = SHELLS[cmd.program];
  if (!spec) return undefined;
  const args = cmd.words.slice(1);
  switch (spec.style) {
    case 'posix':
      return posixScript(cmd, args, spec);
    case 'cmd':
      return cmdScript(cmd, args);
    case 'powershell':
      return powershellScript(cmd, args);
    case 'interpreter': {
      const i = args.findIndex((w) => spec.codeFlags!.includes(w.text));
      const body = i >= 0 ? args[i + 1] : undefined;
      if (!body) return undefined;
      return { script: { language: 'code', flag: args[i]!, body, text: body.text, encoded: false, compound: true }, commands: embeddedShell(body, cmd.depth) };
    }
  }
}

/**
 * Command lines inline code hands to a shell: `execSync('rm -rf ~')`, `os.system("curl … | sh")`,
 * `subprocess.run("…", shell=True)`. Only string literals holding a space are taken (a list of
 * arguments is not a command line).
 */
const EMBEDDED_SHELL = /\b(?:execSync|exec|spawnSync|execFileSync|system|popen|check_output|check_call|getoutput|getstatusoutput|run|call|Popen|shell_exec|passthru|spawn)\s*\(\s*(['"`])((?:\\.|(?!\1)[^\\])*?)\1\s*[,)]/g;

function embeddedShell(body: Word, depth: number): SimpleCommand[] {
  if (depth >= MAX_SCRIPT_DEPTH) return [];
  const out: SimpleCommand[] = [];
  for (const m of body.text.matchAll(EMBEDDED_SHELL)) {
    const line = m[2]!;
    if (!/\s/.test(line.trim())) continue;
    out.push(...parseScript(line, 'posix', wordOrigin(body), depth + 1).commands);
  }
  return out;
}

function posixScript(cmd: SimpleCommand, args: Word[], spec: ShellSpec): { script: InlineScript; commands: SimpleCommand[] } | undefined {
  const values = new Set(spec.valueFlags);
  let flag: Word | undefined;
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '--') break;
    if (/^[-+][A-Za-z]+$/.test(t)) {
      if (t.startsWith('-') && t.slice(1).includes('c')) flag = args[i];
      if (values.has(t)) i++;
      continue;
    }
    if (t.startsWith('--')) {
      if (values.has(t)) i++;
      continue;
    }
    if (!flag) return undefined;
    return withScript(cmd, 'posix', flag, args[i]!, args[i]!.text, false);
  }
  return undefined;
}

/** Characters that make cmd.exe do more than run one program. */
const CMD_META = /[&|<>^%()]/;

function cmdScript(cmd: SimpleCommand, args: Word[]): { script: InlineScript; commands: SimpleCommand[] } | undefined {
  const i = args.findIndex((w) => /^\/[ck]$/i.test(w.text));
  if (i < 0) return undefined;
  const flag = args[i]!;
  const rest = args.slice(i + 1);
  if (rest.length === 0) return undefined;
  // `cmd /c npx -y pkg` (the usual Windows launch) keeps each word tied to its own arg.
  if (rest.length > 1 && !rest.some((w) => CMD_META.test(w.text))) {
    const text = rest.map((w) => (/\s/.test(w.text) ? `"${w.text}"` : w.text)).join(' ');
    const script: InlineScript = { language: 'cmd', flag, body: rest[0]!, text, encoded: false, compound: false };
    return { script, commands: analyseArgv(rest, cmd.depth + 1, []) };
  }
  const text = rest.map((w) => (rest.length > 1 && /\s/.test(w.text) ? `"${w.text}"` : w.text)).join(' ');
  return withScript(cmd, 'cmd', flag, rest[0]!, text, false);
}

const PS_VALUE_PARAMS = /^-(?:ex|exe|exec|execu|execut|executi|executio|execution|executionp\w*|ep|w|wi|win|windowstyle|windows\w*|wd|workingdirectory|configurationname|inputformat|if|outputformat|of|psconsolefile|v|version|settingsfile)$/i;

function powershellScript(cmd: SimpleCommand, args: Word[]): { script: InlineScript; commands: SimpleCommand[] } | undefined {
  for (let i = 0; i < args.length; i++) {
    const raw = args[i]!.text;
    const p = raw.toLowerCase().replace(/^\/|^--?/, '');
    if (!raw.startsWith('-') && !raw.startsWith('/')) {
      // A bare first argument is -Command (Windows PowerShell) or -File (pwsh); either way it runs.
      return undefined;
    }
    if (p === 'e' || p === 'ec' || (p.length >= 2 && 'encodedcommand'.startsWith(p))) {
      const body = args[i + 1];
      if (!body) return undefined;
      return withScript(cmd, 'powershell', args[i]!, body, decodePowerShell(body.text), true);
    }
    if (p === 'c' || p === 'cwa' || p === 'commandwithargs' || (p.length >= 3 && 'command'.startsWith(p))) {
      const rest = args.slice(i + 1);
      if (rest.length === 0) return undefined;
      const text = rest.map((w) => w.text).join(' ');
      return withScript(cmd, 'powershell', args[i]!, rest[0]!, text, false);
    }
    if (p === 'f' || p === 'file') return undefined;
    if (PS_VALUE_PARAMS.test(raw)) i++;
  }
  return undefined;
}

/** -EncodedCommand is base64 of UTF-16LE text. */
function decodePowerShell(b64: string): string {
  try {
    return Buffer.from(b64, 'base64').toString('utf16le');
  } catch {
    return '';
  }
}

function withScript(cmd: SimpleCommand, language: ScriptLanguage, flag: Word, body: Word, text: string, encoded: boolean) {
  const parsed = parseScript(text, language, wordOrigin(body), cmd.depth + 1);
  const script: InlineScript = { language, flag, body, text, encoded, compound: parsed.compound };
  return { script, commands: parsed.commands };
}

interface ParseOrigin {
  at?: ServerField;
  offset?: number;
  /** Give each word its own offset (instruction text); otherwise words share the origin's. */
  trackOffsets?: boolean;
}

const REDIRECTS: ReadonlySet<string> = new Set(['>', '>>', '<', '>&', '<&', '&>', '&>>', '>|', '<>', '<<<']);
/** Redirections whose target is a file the command writes (`>&` only when the target is not a descriptor). */
const WRITE_REDIRECTS: ReadonlySet<string> = new Set(['>', '>>', '&>', '&>>', '>|', '<>', '>&']);
const SEPARATORS: ReadonlySet<string> = new Set(['&&', '||', ';', '&', ';;']);
const PIPES: ReadonlySet<string> = new Set(['|', '|&']);

function parseEntries(text: string, language: ScriptLanguage): ParseEntry[] {
  if (language !== 'posix') return parseLine(text, language);
  // shell-quote reads a newline as a space and a comment as the end of everything: split lines first.
  const lines = logicalLines(text);
  if (lines.length === 1) return parseLine(lines[0]!, language);
  const out: ParseEntry[] = [];
  for (const line of lines) {
    const entries = parseLine(line, language);
    if (entries.length === 0) continue;
    if (out.length > 0) out.push({ op: ';' } as ParseEntry);
    out.push(...entries);
  }
  return out;
}

function parseLine(text: string, language: ScriptLanguage): ParseEntry[] {
  // $VAR stays $VAR: shell-quote would expand unknown variables to '' and turn `-v $HOME:/x` into `-v :/x`.
  const env = (key: string) => '$' + key;
  const escape = language === 'cmd' ? '^' : language === 'powershell' ? '`' : '\\';
  const prepared = language === 'posix' ? text.replace(/`([^`]*)`/g, '$($1)') : text;
  try {
    return parseShell(prepared, env, { escape }) as ParseEntry[];
  } catch {
    return prepared.split(/\s+/).filter(Boolean);
  }
}

const HEREDOC = /^<<(-?)[ \t]*(['"]?)([A-Za-z0-9_.@%+-]+)\2/;

/**
 * The lines of a POSIX script as the shell sees them: a backslash-newline joins two lines, a
 * newline inside parentheses separates commands of the group, `# comments` go, and each
 * here-document becomes a here-string (`<<< 'body'`) on the line that opened it, so its body is
 * input, not commands.
 */
function logicalLines(text: string): string[] {
  if (!/[\n#]|<</.test(text)) return [text];
  const lines: string[] = [];
  let cur = '';
  let quote = '';
  let depth = 0;
  const pending: Array<{ delim: string; strip: boolean; mark: string }> = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quote === "'") {
      cur += c;
      if (c === "'") quote = '';
      i++;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      if (text[i + 1] !== '\n') cur += c + text[i + 1];
      i += 2;
      continue;
    }
    if (quote === '"') {
      cur += c;
      if (c === '"') quote = '';
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      cur += c;
      i++;
      continue;
    }
    if (c === '#' && (cur === '' || /[\s;&|()]$/.test(cur))) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '<' && text.startsWith('<<<', i)) {
      cur += '<<<';
      i += 3;
      continue;
    }
    if (c === '<' && text.startsWith('<<', i)) {
      const m = HEREDOC.exec(text.slice(i, i + 256));
      if (m) {
        const mark = `\u0000heredoc${pending.length}\u0000`;
        pending.push({ delim: m[3]!, strip: m[1] === '-', mark });
        cur += mark;
        i += m[0].length;
        continue;
      }
    }
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    if (c === '\n') {
      i++;
      // Here-document bodies follow the line that opened them, one after the other.
      for (const h of pending.splice(0)) {
        const body: string[] = [];
        while (i < text.length) {
          const nl = text.indexOf('\n', i);
          const line = text.slice(i, nl < 0 ? text.length : nl);
          i = nl < 0 ? text.length : nl + 1;
          if ((h.strip ? line.replace(/^\t+/, '') : line) === h.delim) break;
          body.push(h.strip ? line.replace(/^\t+/, '') : line);
        }
        cur = cur.replace(h.mark, `<<< '${body.join('\n').replace(/'/g, "'\\''")}'`);
      }
      if (depth > 0) cur += ' ; ';
      else {
        lines.push(cur);
        cur = '';
      }
      continue;
    }
    cur += c;
    i++;
  }
  for (const h of pending) cur = cur.replace(h.mark, "<<< ''");
  lines.push(cur);
  return lines.filter((l) => l.trim() !== '');
}

interface Frame {
  kind: 'root' | 'group' | 'subst' | 'procsubst';
  /** The pipe source pending when the frame opened, restored when it closes. */
  saved?: SimpleCommand;
  out: SimpleCommand[];
  top: SimpleCommand[];
  words: Word[];
  inputs: SimpleCommand[];
  writes: string[];
  reads: string[];
  stdin: string[];
  redirect?: string;
}

const isOp = (e: ParseEntry | undefined, op: string) => typeof e === 'object' && e !== null && 'op' in e && e.op === op;

/** Splits a shell script into simple commands, linking pipes and substitutions as inputs. */
function parseScript(text: string, language: ScriptLanguage, origin: ParseOrigin, depth: number): { commands: SimpleCommand[]; compound: boolean } {
  const entries = parseEntries(text, language);
  let cursor = 0;
  const place = (s: string): number | undefined => {
    if (origin.offset === undefined) return undefined;
    if (!origin.trackOffsets) return origin.offset;
    const found = text.indexOf(s, cursor);
    if (found < 0) return origin.offset + cursor;
    cursor = found + s.length;
    return origin.offset + found;
  };
  const word = (s: string): Word => {
    const offset = place(s);
    return { text: s, ...(origin.at ? { at: origin.at } : {}), ...(offset !== undefined ? { offset } : {}) };
  };
  const newFrame = (kind: Frame['kind']): Frame => ({ kind, out: [], top: [], words: [], inputs: [], writes: [], reads: [], stdin: [] });
  const stack: Frame[] = [newFrame('root')];
  let compound = false;
  let pipeFrom: SimpleCommand | undefined;

  const substitutions = (f: Frame, w: Word) => {
    // "$(...)" inside a quoted word is still run by the shell.
    for (const m of w.text.matchAll(/\$\(((?:[^()]|\([^()]*\))*)\)/g)) {
      const inner = parseScript(m[1]!, language, wordOrigin(w), depth);
      f.inputs.push(...inner.commands.filter((c) => c.depth === depth));
      f.out.push(...inner.commands);
      compound = true;
    }
  };

  const flush = (f: Frame, piped: boolean) => {
    let words = f.words;
    let dynamic = false;
    if (words.length === 0 && f.inputs.length > 0) {
      // `$(curl ...)` alone: the program itself is whatever the substitution prints.
      words = [{ ...f.inputs[0]!.words[0]!, text: '$(…)' }];
      dynamic = true;
    } else if (words.length === 0 && f.writes.length > 0) {
      // `> file` alone truncates the file, as `: > file` does (the `:` is not in the text: no offset).
      words = [{ text: ':', ...(origin.at ? { at: origin.at } : {}), ...(origin.offset !== undefined ? { offset: origin.offset } : {}) }];
    }
    if (words.length > 0) {
      const inputs = [...f.inputs, ...(pipeFrom ? [pipeFrom] : [])];
      const made = dynamic
        ? [{ words, program: '$(…)', wrappers: [], inputs, writes: [], depth, dynamic: true } satisfies SimpleCommand]
        : analyseArgv(words, depth, inputs);
      const head = made[0]!;
      head.writes.push(...f.writes, ...fetchOutputs(head));
      if (f.reads.length > 0) head.reads = [...(head.reads ?? []), ...f.reads];
      if (f.stdin.length > 0) {
        head.stdin = [...(head.stdin ?? []), ...f.stdin];
        // `bash <<< "…"`, `sh <<EOF`: the text is the script.
        if (SHELLS[head.program]?.style === 'posix' && !head.script && depth < MAX_SCRIPT_DEPTH) {
          for (const t of f.stdin) made.push(...parseScript(t, 'posix', origin, depth + 1).commands);
        }
      }
      f.out.push(...made);
      f.top.push(made[0]!);
      pipeFrom = piped ? made[0] : undefined;
    } else if (!piped) pipeFrom = undefined;
    f.words = [];
    f.inputs = [];
    f.writes = [];
    f.reads = [];
    f.stdin = [];
  };

  for (let at = 0; at < entries.length; at++) {
    const e = entries[at]!;
    const f = stack[stack.length - 1]!;
    // `name() { …; }` defines a function: the name and `()` are not a command, the body is.
    if (typeof e !== 'string' && 'op' in e && e.op === '(' && f.words.length === 1 && isOp(entries[at + 1], ')')) {
      f.words = [];
      at++;
      continue;
    }
    if (typeof e === 'string') {
      if (f.redirect) {
        const r = f.redirect;
        f.redirect = undefined;
        // `2>&1`, `>&-`: a descriptor, not a file.
        if (WRITE_REDIRECTS.has(r) && !(r === '>&' && /^(?:\d+|-)$/.test(e))) f.writes.push(e);
        if (r === '<') {
          f.words.push(word(e));
          f.reads.push(e);
        } else if (r === '<<<') {
          const w = word(e);
          f.stdin.push(e);
          substitutions(f, w);
        } else place(e);
        continue;
      }
      const w = word(e);
      f.words.push(w);
      substitutions(f, w);
      continue;
    }
    if ('comment' in e) break;
    if (e.op === 'glob') {
      f.words.push(word(e.pattern));
      continue;
    }
    place(e.op);
    compound = true;
    if (PIPES.has(e.op)) flush(f, true);
    else if (SEPARATORS.has(e.op)) flush(f, false);
    else if (REDIRECTS.has(e.op)) {
      // `2>&1`: the fd number before the operator is not an argument.
      if (/^\d$/.test(f.words[f.words.length - 1]?.text ?? '')) f.words.pop();
      f.redirect = e.op;
    } else if (e.op === '(' || e.op === '<(') {
      const last = f.words[f.words.length - 1];
      if (e.op === '(' && last?.text === '$') f.words.pop();
      const kind = e.op === '<(' ? 'procsubst' : f.words.length > 0 || last?.text === '$' ? 'subst' : 'group';
      const saved = pipeFrom;
      pipeFrom = undefined;
      stack.push({ ...newFrame(kind), ...(saved ? { saved } : {}) });
    } else if (e.op === ')') {
      if (stack.length === 1) continue;
      flush(f, false);
      stack.pop();
      const parent = stack[stack.length - 1]!;
      pipeFrom = f.saved;
      parent.out.push(...f.out);
      if (f.kind === 'group') parent.top.push(...f.top);
      else {
        parent.inputs.push(...f.top);
        if (f.kind === 'procsubst') parent.words.push({ ...(f.top[0]?.words[0] ?? word('')), text: '<(…)' });
      }
    }
  }
  while (stack.length > 1) {
    const f = stack.pop()!;
    flush(f, false);
    stack[stack.length - 1]!.out.push(...f.out);
  }
  const root = stack[0]!;
  flush(root, false);
  linkDownloadedFiles(root.out);
  if (depth < MAX_SCRIPT_DEPTH) root.out.push(...decodedScripts(root.out, depth));
  return { commands: root.out, compound: compound || root.top.length > 1 };
}

/** Files a fetcher writes with -o/-O/--output/-OutFile, or by default under the URL's own name. */
function fetchOutputs(cmd: SimpleCommand): string[] {
  if (!FETCHERS.has(cmd.program)) return [];
  if (cmd.program === 'curl' || cmd.program === 'wget') return curlWgetOutputs(cmd);
  const out: string[] = [];
  cmd.words.forEach((w, i) => {
    const eq = w.text.indexOf('=');
    const name = eq > 0 ? w.text.slice(0, eq) : w.text;
    if (!FETCH_OUTPUT_FLAGS.has(name)) return;
    const value = eq > 0 ? w.text.slice(eq + 1) : cmd.words[i + 1]?.text;
    if (value && value !== '-') out.push(value);
  });
  return out;
}

/**
 * curl writes to `-o FILE`, or under the URL's last segment with `-O` (`-fsSLO`); wget writes to
 * `-O FILE` (`-qO-` is stdout), or by default under the URL's last segment.
 */
function curlWgetOutputs(cmd: SimpleCommand): string[] {
  const curl = cmd.program === 'curl';
  const named = curl ? 'o' : 'O';
  const out: string[] = [];
  let remoteName = !curl;
  const words = cmd.words;
  for (let i = 1; i < words.length; i++) {
    const t = words[i]!.text;
    const long = /^--(output|output-document|remote-name(?:-all)?)(?:=(.*))?$/.exec(t);
    if (long) {
      if (long[1]!.startsWith('remote-name')) remoteName = true;
      else if ((curl && long[1] === 'output') || (!curl && long[1] === 'output-document')) {
        const v = long[2] ?? words[++i]?.text;
        if (v !== undefined) out.push(v);
      }
      continue;
    }
    const short = /^-([A-Za-z]+)(.*)$/.exec(t);
    if (!short || t.startsWith('--')) continue;
    const letters = short[1]!;
    const at = letters.indexOf(named);
    if (curl && letters.includes('O') && at < 0) remoteName = true;
    if (at < 0) continue;
    // The letter takes the rest of the word as its value, or the next word.
    const attached = letters.slice(at + 1) + short[2]!;
    const v = attached !== '' ? attached : words[++i]?.text;
    if (v !== undefined) out.push(v);
  }
  if (out.length > 0) return out.filter((v) => v !== '-');
  if (!remoteName) return [];
  const url = words.find((w) => /^(?:https?|ftp):\/\//i.test(w.text));
  const name = url ? /^[a-z]+:\/\/[^/?#]*\/(?:[^?#]*\/)?([^/?#]+)/i.exec(url.text)?.[1] : undefined;
  return name ? [name] : [];
}

/** `curl -o x.sh URL && sh x.sh`: the shell's input is the download. */
function linkDownloadedFiles(commands: SimpleCommand[]): void {
  const written = new Map<string, SimpleCommand>();
  const norm = (p: string) => p.replace(/^\.\//, '');
  for (const c of commands) {
    for (const f of c.writes) if (isFetcher(c) || c.inputs.some(isFetcher)) written.set(norm(f), isFetcher(c) ? c : c.inputs.find(isFetcher)!);
    if (written.size === 0) continue;
    const target = [c.words[0], ...positionals(c)].find((w) => w && written.has(norm(w.text)));
    if (target && (target === c.words[0] || runsInput(c))) c.inputs.push(written.get(norm(target.text))!);
  }
}

/** Programs that turn encoded text back into bytes, given the options that make them decode. */
const DECODERS: Readonly<Record<string, { decodes: (args: readonly string[]) => boolean; encoding: BufferEncoding }>> = {
  base64: { decodes: (a) => a.some((x) => /^(?:--decode|-[A-Za-z]*[dD][A-Za-z]*)$/.test(x)), encoding: 'base64' },
  basenc: { decodes: (a) => a.includes('--base64') && a.some((x) => x === '-d' || x === '--decode'), encoding: 'base64' },
  openssl: { decodes: (a) => a.some((x) => /^-?base64$|^-a$/.test(x)) && a.includes('-d'), encoding: 'base64' },
  xxd: { decodes: (a) => a.some((x) => /^-[a-z]*r[a-z]*$/.test(x)), encoding: 'hex' },
};

function decodes(cmd: SimpleCommand): boolean {
  return DECODERS[cmd.program]?.decodes(cmd.words.slice(1).map((w) => w.text)) ?? false;
}

/** The decoder (`base64 -d`, `xxd -r -p`, `openssl base64 -d`) whose output a command executes, if any. */
export function decoderFeeding(cmd: SimpleCommand): SimpleCommand | undefined {
  if (!runsInput(cmd)) return undefined;
  const seen = new Set<SimpleCommand>();
  const walk = (c: SimpleCommand): SimpleCommand | undefined => {
    for (const i of c.inputs) {
      if (seen.has(i) || seen.size >= MAX_INPUT_WALK) continue;
      seen.add(i);
      const found = decodes(i) ? i : walk(i);
      if (found) return found;
    }
    return undefined;
  };
  return walk(cmd);
}

/**
 * `echo cm0gLXJmIH4= | base64 -d | sh`: the literal a decoder is fed (by echo/printf or a
 * here-string) decoded, and, when a shell runs it, parsed like any other script.
 */
function decodedScripts(commands: readonly SimpleCommand[], depth: number): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  for (const c of commands) {
    const decoder = decoderFeeding(c);
    if (!decoder || c.decoded !== undefined) continue;
    const literal =
      decoder.stdin?.[0] ??
      decoder.inputs
        .filter((i) => i.program === 'echo' || i.program === 'printf')
        .map((i) => positionals(i).map((w) => w.text).join(''))[0];
    if (!literal) continue;
    const spec = DECODERS[decoder.program]!;
    const text = Buffer.from(literal.replace(/\s+/g, ''), spec.encoding).toString('utf8');
    // Binary or mangled output is not a script; keep only what reads as text.
    if (text === '' || /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text)) continue;
    c.decoded = text;
    if (c.dynamic || SHELLS[c.program]?.style === 'posix' || EVALUATORS.has(c.program)) {
      out.push(...parseScript(text, 'posix', {}, depth + 1).commands);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Containers
// ---------------------------------------------------------------------------------------------

export interface ContainerOption {
  flag: Word;
  /** Option name without its value: --network for --network=host. */
  name: string;
  value?: Word;
}

export interface ContainerRun {
  engine: Word;
  options: ContainerOption[];
  image?: Word;
  /** Arguments after the image (the container's command). */
  args: Word[];
}

/** `docker|podman|nerdctl [globals] (run|create|container run|container create) [options] image [args]`. */
export function parseContainerRun(cmd: SimpleCommand): ContainerRun | undefined {
  if (!CONTAINER_ENGINES.has(cmd.program)) return undefined;
  const w = cmd.words;
  let i = 1;
  while (i < w.length && w[i]!.text.startsWith('-')) i += !w[i]!.text.includes('=') && ENGINE_GLOBAL_VALUE_FLAGS.has(w[i]!.text) ? 2 : 1;
  if (w[i]?.text === 'container') i++;
  if (w[i]?.text !== 'run' && w[i]?.text !== 'create') return undefined;
  i++;
  const options: ContainerOption[] = [];
  while (i < w.length) {
    const word = w[i]!;
    const t = word.text;
    if (t === '--') {
      i++;
      break;
    }
    if (!t.startsWith('-') || t === '-') break;
    const eq = t.indexOf('=');
    if (t.startsWith('--') && eq > 0) {
      options.push({ flag: word, name: t.slice(0, eq), value: { ...word, text: t.slice(eq + 1) } });
      i++;
      continue;
    }
    if (!t.startsWith('--') && t.length > 2) {
      // Short cluster: -it, -dit, -v/x:/y is never clustered but -eFOO=1 is an attached value.
      let consumed = false;
      for (let k = 1; k < t.length; k++) {
        const f = `-${t[k]}`;
        if (RUN_BOOL_FLAGS.has(f)) {
          options.push({ flag: word, name: f });
          continue;
        }
        const attached = t.slice(k + 1);
        if (attached) options.push({ flag: word, name: f, value: { ...word, text: attached } });
        else if (w[i + 1]) {
          options.push({ flag: word, name: f, value: w[i + 1]! });
          consumed = true;
        }
        break;
      }
      i += consumed ? 2 : 1;
      continue;
    }
    if (RUN_BOOL_FLAGS.has(t)) {
      options.push({ flag: word, name: t });
      i++;
      continue;
    }
    options.push({ flag: word, name: t, ...(w[i + 1] ? { value: w[i + 1]! } : {}) });
    i += 2;
  }
  return { engine: w[0]!, options, ...(w[i] ? { image: w[i]! } : {}), args: w.slice(i + 1) };
}

export interface HostMount {
  /** The host side as written. */
  source: string;
  readOnly: boolean;
  word: Word;
}

/** Bind mounts of a container run: -v/--volume host:container[:opts] and --mount type=bind,source=... */
export function hostMounts(run: ContainerRun): HostMount[] {
  const out: HostMount[] = [];
  for (const o of run.options) {
    if (!o.value) continue;
    if (o.name === '-v' || o.name === '--volume') {
      const m = parseVolume(o.value.text);
      if (m) out.push({ ...m, word: o.value });
    } else if (o.name === '--mount') {
      const fields = new Map<string, string>();
      for (const part of o.value.text.split(',')) {
        const eq = part.indexOf('=');
        fields.set((eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase(), eq < 0 ? 'true' : part.slice(eq + 1).trim());
      }
      const source = fields.get('source') ?? fields.get('src');
      const type = fields.get('type') ?? 'volume';
      if (source && type === 'bind') {
        const ro = fields.get('readonly') ?? fields.get('ro');
        out.push({ source, readOnly: ro !== undefined && ro !== 'false', word: o.value });
      }
    }
  }
  return out;
}

function parseVolume(spec: string): { source: string; readOnly: boolean } | undefined {
  // Neither a Windows drive letter's colon (C:\Users\me:/data) nor one inside a variable (${env:HOME}:/h) separates.
  let sep = -1;
  for (let i = /^[A-Za-z]:[\\/]/.test(spec) ? 2 : 0, depth = 0; i < spec.length; i++) {
    if (spec.startsWith('${', i)) depth++;
    else if (spec[i] === '}' && depth > 0) depth--;
    else if (spec[i] === ':' && depth === 0) {
      sep = i;
      break;
    }
  }
  if (sep < 0) return undefined; // anonymous volume: a container path only
  const source = spec.slice(0, sep);
  const opts = spec.slice(sep + 1).split(':').slice(1).join(',').toLowerCase().split(',');
  // A named volume (no path syntax) lives in the engine's storage, not on the host filesystem.
  if (!/^(?:[/~.$%\\]|[A-Za-z]:)/.test(source)) return undefined;
  return { source, readOnly: opts.includes('ro') || opts.includes('readonly') };
}

// ---------------------------------------------------------------------------------------------
// Assessment
// ---------------------------------------------------------------------------------------------

export function positionals(cmd: SimpleCommand): Word[] {
  return cmd.words.slice(1).filter((w) => !w.text.startsWith('-'));
}

export function isFetcher(cmd: SimpleCommand): boolean {
  return FETCHERS.has(cmd.program) || cmd.words.some((w) => /\.Download(?:String|File|Data)\b/i.test(w.text));
}

/** Whether the command executes what arrives on its input (a shell reading stdin, eval, iex...). */
export function runsInput(cmd: SimpleCommand): boolean {
  if (cmd.dynamic || EVALUATORS.has(cmd.program)) return true;
  const spec = SHELLS[cmd.program];
  return spec !== undefined && spec.style !== 'cmd' && !cmd.script;
}

/** The fetchers whose output a command ends up executing, found through pipes, substitutions and files. */
export function downloadedCode(cmd: SimpleCommand): SimpleCommand[] {
  if (!runsInput(cmd)) return [];
  const found: SimpleCommand[] = [];
  const seen = new Set<SimpleCommand>();
  const walk = (c: SimpleCommand) => {
    for (const i of c.inputs) {
      if (seen.has(i) || seen.size >= MAX_INPUT_WALK) continue;
      seen.add(i);
      if (isFetcher(i)) found.push(i);
      walk(i);
    }
  };
  walk(cmd);
  return found;
}

/** The URL (or, failing that, the first argument) a fetcher downloads; PowerShell's `.DownloadString(url)` keeps it in a nested group. */
export function fetchedUrl(fetcher: SimpleCommand): Word {
  const isUrl = (w: Word) => /(?:https?|ftp):\/\//i.test(w.text);
  const nested = (c: SimpleCommand, depth: number): Word | undefined =>
    c.words.find(isUrl) ?? (depth < 4 ? c.inputs.map((i) => nested(i, depth + 1)).find(Boolean) : undefined);
  return nested(fetcher, 0) ?? positionals(fetcher)[0] ?? fetcher.words[0]!;
}

/** Every risk of one simple command. */
export function assessCommand(cmd: SimpleCommand): CommandRisk[] {
  return [...privilegeRisks(cmd), ...downloadRisks(cmd), ...wrapperRisks(cmd), ...containerRisks(cmd), ...agentBypassRisks(cmd), ...destructiveRisks(cmd)];
}

function risk(kind: RiskKind, id: string, severity: Severity, message: string, word: Word, evidence = word.text): CommandRisk {
  return { kind, id, severity, message, word, evidence };
}

function privilegeRisks(cmd: SimpleCommand): CommandRisk[] {
  if (cmd.elevation) return [risk('privilege', 'elevated', 'high', `runs as root through ${programName(cmd.elevation.text)}`, cmd.elevation)];
  if (cmd.program === 'start-process') {
    const verb = cmd.words.findIndex((w) => /^-verb$/i.test(w.text));
    const v = verb >= 0 ? cmd.words[verb + 1] : undefined;
    if (v && /^runas$/i.test(v.text)) return [risk('privilege', 'elevated', 'high', 'runs elevated through Start-Process -Verb RunAs', v)];
  }
  if (cmd.program === 'runas') return [risk('privilege', 'runas', 'high', 'runs as another user through runas', cmd.words[0]!)];
  return [];
}

function downloadRisks(cmd: SimpleCommand): CommandRisk[] {
  return downloadedCode(cmd).map((f) => {
    const url = fetchedUrl(f);
    return risk('download-exec', 'download-exec', 'critical', `runs code downloaded from ${url.text} without checking it`, url);
  });
}

function wrapperRisks(cmd: SimpleCommand): CommandRisk[] {
  // Only the launch itself: a shell inside a shell adds nothing a reader of the config cannot see.
  if (cmd.depth !== 0) return [];
  if (EVALUATORS.has(cmd.program) && cmd.program !== '.' && cmd.program !== 'source') {
    return [risk('shell-wrapper', 'eval', 'high', `evaluates a string as code (${cmd.words[0]!.text})`, cmd.words[0]!)];
  }
  const s = cmd.script;
  if (!s) return [];
  const shown = `${cmd.words[0]!.text} ${s.flag.text}`;
  if (s.encoded) return [risk('encoded-command', 'encoded-command', 'high', `hides its command in base64 (${shown}); decoded: ${clip(s.text)}`, s.body, clip(s.text))];
  if (s.language === 'code') return [risk('shell-wrapper', 'inline-code', 'medium', `runs inline ${cmd.program} code (${shown})`, s.body, clip(s.text))];
  if (s.compound) return [risk('shell-wrapper', 'shell-script', 'medium', `runs a shell script (${shown}) rather than one program`, s.body, clip(s.text))];
  // `cmd /c npx ...` is the documented way to start npx on Windows; one plain command is not worth a finding there.
  if (s.language === 'cmd') return [];
  return [risk('shell-wrapper', 'shell-wrapper', 'low', `starts through a shell (${shown}), which hides the real command from allowlists`, s.body, clip(s.text))];
}

function clip(s: string, n = 120): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

function containerRisks(cmd: SimpleCommand): CommandRisk[] {
  const run = parseContainerRun(cmd);
  if (!run) return [];
  const out: CommandRisk[] = [];
  for (const o of run.options) {
    for (const r of CONTAINER_FLAG_RISKS) {
      if (!r.flags.includes(o.name)) continue;
      const sev = r.assess(o.value?.text);
      if (!sev) continue;
      const shown = o.value ? `${o.name} ${o.value.text}` : o.name;
      out.push(risk('container', r.id, sev, `starts a container that ${r.message} (${shown})`, o.value ?? o.flag, shown));
    }
  }
  for (const m of hostMounts(run)) {
    const kind = classifyHostPath(m.source);
    if (!kind) continue;
    // Read-only still exposes every secret on the disk, and a read-only socket still drives the engine.
    const sev: Severity = m.readOnly && kind === 'root' ? 'high' : MOUNT_SEVERITY[kind];
    out.push(risk('container', `mount-${kind}`, sev, `mounts ${m.word.text} into a container${m.readOnly ? ' (read-only)' : ''}: ${HOST_PATH_TEXT[kind]}`, m.word));
  }
  return out;
}

function agentBypassRisks(cmd: SimpleCommand): CommandRisk[] {
  const out: CommandRisk[] = [];
  const flagged = new Set<Word>();
  for (const w of cmd.words) {
    const name = w.text.split('=')[0]!;
    if (UNMISTAKABLE_BYPASS.has(name)) {
      flagged.add(w);
      out.push(risk('agent-bypass', name.replace(/^-+/, ''), 'high', `turns off a coding agent's permission prompts (${w.text})`, w));
    }
  }
  for (const cli of AGENT_CLIS) {
    const start = cmd.words.findIndex((w, i) =>
      (i === 0 && cli.programs.includes(cmd.program)) || cli.packages.some((p) => w.text === p || w.text.startsWith(p + '@')),
    );
    if (start < 0) continue;
    const words = cmd.words.slice(start + 1);
    words.forEach((w, i) => {
      if (flagged.has(w)) return;
      const [name, inline] = w.text.includes('=') ? [w.text.slice(0, w.text.indexOf('=')), w.text.slice(w.text.indexOf('=') + 1)] : [w.text, undefined];
      for (const b of cli.bypass) {
        if (b.flag !== name) continue;
        const value = inline ?? (b.value !== undefined ? words[i + 1]?.text : undefined);
        if (b.value !== undefined && value !== b.value) continue;
        const shown = b.value !== undefined ? `${name} ${value}` : w.text;
        out.push(risk('agent-bypass', `${cli.agent}:${b.flag}`, b.severity, `starts ${cli.agent} with its approvals off (${shown})`, w, shown));
      }
    });
  }
  return out;
}

function destructiveRisks(cmd: SimpleCommand): CommandRisk[] {
  const out: CommandRisk[] = [];
  for (const d of DESTRUCTIVE) {
    if (!d.programs.includes(cmd.program)) continue;
    const w = d.match(cmd);
    if (!w) continue;
    const line = cmd.words.map((x) => x.text).join(' ');
    // chmod 777 on a whole tree or the home directory is worse than on one file.
    const sev: Severity = d.id === 'chmod-world-writable' && wideTarget(cmd) ? 'high' : d.severity;
    out.push(risk('destructive', d.id, sev, `${d.message} (${clip(line, 80)})`, w, clip(line, 80)));
  }
  return out;
}

/** Risks of every command a server's launch runs. */
export function serverRisks(server: Pick<ServerDecl, 'command' | 'args'>): CommandRisk[] {
  return serverCommands(server).flatMap(assessCommand);
}

/** One hit per risk of the given kinds in a server's launch, naming the server; a risk seen twice (nested parses) counts once. */
export function serverRiskHits(server: Pick<ServerDecl, 'name' | 'command' | 'args'>, kinds: readonly RiskKind[]): RuleHit[] {
  const seen = new Set<string>();
  const hits: RuleHit[] = [];
  for (const r of serverRisks(server)) {
    if (!kinds.includes(r.kind)) continue;
    const key = `${r.id}|${JSON.stringify(r.word.at ?? null)}|${r.evidence}`;
    if (seen.has(key)) continue;
    seen.add(key);
    hits.push({
      message: `Server "${server.name}" ${r.message}`,
      evidence: r.evidence,
      severity: r.severity,
      ...(r.word.at ? { at: r.word.at } : {}),
      key: `${r.id}:${r.evidence}`,
    });
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------
// Permission grants and hooks in agent settings
// ---------------------------------------------------------------------------------------------

/** Command lines a grant would have to cover to allow anything at all. */
const ANY_COMMAND_PROBES = ['qzxwarden-probe --flag value', 'rm -rf /tmp/qzxwarden-probe'];

/** Programs that, once allowed, run any other command: a grant covering one of these covers everything. */
const ESCAPE_PROBES: ReadonlyArray<{ program: string; line: string }> = [
  { program: 'sh', line: 'sh -c qzx' },
  { program: 'bash', line: 'bash -c qzx' },
  { program: 'zsh', line: 'zsh -c qzx' },
  { program: 'pwsh', line: 'pwsh -c qzx' },
  { program: 'powershell', line: 'powershell -c qzx' },
  { program: 'cmd', line: 'cmd /c qzx' },
  { program: 'python', line: 'python -c qzx' },
  { program: 'python3', line: 'python3 -c qzx' },
  { program: 'node', line: 'node -e qzx' },
  { program: 'perl', line: 'perl -e qzx' },
  { program: 'ruby', line: 'ruby -e qzx' },
  { program: 'eval', line: 'eval qzx' },
  { program: 'sudo', line: 'sudo qzx' },
  { program: 'su', line: 'su -c qzx' },
  { program: 'doas', line: 'doas qzx' },
  { program: 'env', line: 'env qzx' },
  { program: 'xargs', line: 'xargs qzx' },
  { program: 'exec', line: 'exec qzx' },
  { program: 'npx', line: 'npx qzx' },
  { program: 'bunx', line: 'bunx qzx' },
  { program: 'uvx', line: 'uvx qzx' },
  { program: 'docker', line: 'docker run -v /:/host qzx' },
  { program: 'podman', line: 'podman run -v /:/host qzx' },
];

/**
 * How far a shell-command grant reaches: "any command", "any command through bash", or undefined
 * for a narrow grant. A grant is a command prefix (`git status`, `npm run:*`, `npm *`), a glob, or
 * a `/regex/` (VS Code); it is tried on probe command lines rather than read, so every client's
 * syntax is judged the same way. `wordPrefix`: a plain grant covers every command that starts with
 * its words (VS Code, Cursor and Gemini keys), not only that exact command line (Claude Code).
 */
export function shellGrantReach(grant: string | undefined, wordPrefix = false): string | undefined {
  const g = (grant ?? '').trim();
  if (g === '' || /^[*:\s.]*\*[*\s]*$/.test(g)) return 'any command';
  const matcher = grantMatcher(g, wordPrefix);
  if (!matcher) return undefined;
  if (ANY_COMMAND_PROBES.every((p) => matcher(p))) return 'any command';
  const escape = ESCAPE_PROBES.find((p) => matcher(p.line));
  return escape ? `any command through ${escape.program}` : undefined;
}

function grantMatcher(g: string, wordPrefix: boolean): ((line: string) => boolean) | undefined {
  const re = /^\/(.*)\/([a-z]*)$/s.exec(g);
  if (re) {
    try {
      const rx = new RegExp(re[1]!, re[2]!.replace(/[gy]/g, ''));
      return (line) => rx.test(line);
    } catch {
      return undefined;
    }
  }
  // Claude Code writes `prefix:*`, newer rules `prefix *`; either way a prefix of whole words.
  const open = wordPrefix || /(?::\*|\s\*|\*)$/.test(g);
  const prefix = g.replace(/(?::\*|\s+\*|\*)$/, '').trim();
  if (prefix === '') return () => true;
  const body = prefix
    .split('*')
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const rx = new RegExp(`^${body}${open ? '(?:\\s.*|$)' : '$'}`, 's');
  return (line) => rx.test(line);
}

/** `Bash`, `Bash(git status:*)`, `run_shell_command(git)`, `Shell(ls)`: the tool and its specifier. */
export function parseToolGrant(rule: string): { tool: string; spec?: string } | undefined {
  const m = /^\s*([\w.-]+)\s*(?:\((.*)\))?\s*$/s.exec(rule);
  if (!m) return undefined;
  return { tool: m[1]!, ...(m[2] !== undefined ? { spec: m[2] } : {}) };
}

/** How far a tool-permission rule for a shell tool reaches (Claude `Bash(...)`, Gemini `run_shell_command(...)`, Cursor `Shell(...)`). */
export function toolGrantReach(rule: string, shellTools: readonly string[], wordPrefix = false): string | undefined {
  const g = parseToolGrant(rule);
  if (!g || !shellTools.includes(g.tool)) return undefined;
  return shellGrantReach(g.spec, wordPrefix);
}

/** The value of a hook entry that is a command line. Copilot splits it by shell. */
const HOOK_COMMAND_KEYS: ReadonlySet<string> = new Set(['command', 'bash', 'powershell']);

export interface HookCommand {
  path: PathSegment[];
  event: string;
  command: string;
}

/**
 * Every command a settings file's `hooks` runs: Claude Code and Gemini CLI nest
 * `hooks.<Event>[].hooks[].command`, Cursor and Codex hooks.json `hooks.<event>[].command`,
 * Copilot `hooks.<event>[].bash|powershell`.
 */
export function hookCommands(data: unknown): HookCommand[] {
  const hooks = isRecord(data) ? data.hooks : undefined;
  if (!isRecord(hooks)) return [];
  const out: HookCommand[] = [];
  const walk = (node: unknown, path: PathSegment[], event: string, depth: number) => {
    if (depth > 6) return;
    if (Array.isArray(node)) node.forEach((v, i) => walk(v, [...path, i], event, depth + 1));
    else if (isRecord(node)) {
      for (const [k, v] of Object.entries(node)) {
        if (HOOK_COMMAND_KEYS.has(k) && typeof v === 'string' && v.trim()) out.push({ path: [...path, k], event, command: v });
        else walk(v, [...path, k], event, depth + 1);
      }
    }
  };
  for (const [event, list] of Object.entries(hooks)) walk(list, ['hooks', event], event, 0);
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
