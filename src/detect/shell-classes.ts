// What a shell command does, as a short list of classes a policy can match declaratively
// (`match: { kind: shell, capabilities: [wide-delete, raw-disk] }`). The command line is taken
// apart by ./commands.ts (pipes, chains, substitutions, `sudo`/`env`/`xargs` peeled, `sh -c` and
// `eval` parsed, `base64 -d | sh` decoded); each simple command then gets the files it reads,
// writes and deletes (a table per program), the paths get their classes (./path-classes.ts), and a
// table of matchers turns commands and paths into classes. Every class comes with the reason it
// was given, so a denial can say why.
//
// `warden hook` runs this once per agent tool call in a fresh process: it must stay cheap to load
// (shell-quote and two data modules) and take well under a millisecond per command.
import {
  assessCommand,
  classifyHostPath,
  commandLineCommands,
  decoderFeeding,
  downloadedCode,
  fetchedUrl,
  isFetcher,
  programName,
  type SimpleCommand,
} from './commands.js';
import { pathClassifier, type PathClassOptions } from './path-classes.js';

export type ShellOptions = PathClassOptions;

export interface ShellAnalysis {
  /** Every simple command after unwrapping (`sudo env X=1 rm -rf /` is `rm -rf /`). */
  commands: { program: string; args: string[] }[];
  /** The classes of what the line does, sorted, each once. */
  classes: string[];
  /** Files read, written (including deleted, moved, chmod-ed) and deleted, normalised (`~`, `$HOME`, `..`, cwd). */
  reads: string[];
  writes: string[];
  deletes: string[];
  /** URLs the line fetches or sends to. */
  urls: string[];
  reasons: { class: string; command: string; why: string }[];
}

/**
 * The classes, what the balanced preset does with them, and what each means. The preset's rules
 * (src/policy/presets.ts) match these names; `warden-tamper` and `agent-config-write` are decided
 * by the built-in self-protection rule before any policy.
 */
export const SHELL_CLASSES: Readonly<Record<string, { effect: 'deny' | 'ask' | 'builtin' | 'record'; doc: string }>> = {
  'wide-delete': { effect: 'deny', doc: 'deletes recursively at /, a home directory, every home, a system directory, the working directory or `*`' },
  'raw-disk': { effect: 'deny', doc: 'writes a disk device, formats or repartitions one (dd of=/dev/sda, mkfs, wipefs, fdisk)' },
  'download-exec': { effect: 'deny', doc: 'runs code fetched from the network or decoded from base64 without anyone reading it' },
  'secret-read': { effect: 'deny', doc: 'reads a credentials file (SSH keys, cloud and registry credentials, keyrings, /etc/shadow)' },
  'history-wipe': { effect: 'deny', doc: 'clears or disables shell history' },
  'world-writable': { effect: 'deny', doc: 'makes files writable by every user (chmod 777, a+w, o+w)' },
  'fork-bomb': { effect: 'deny', doc: 'starts processes until the machine stops' },
  'reverse-shell': { effect: 'deny', doc: 'hands a shell to a remote host (/dev/tcp, nc -e, socat exec:)' },
  'infra-destroy': { effect: 'ask', doc: 'destroys cloud or cluster resources (terraform destroy, kubectl delete, aws … delete-*, docker system prune)' },
  'database-drop': { effect: 'ask', doc: 'drops or empties a database (DROP, TRUNCATE, DELETE without WHERE, FLUSHALL, dropdb, db:drop)' },
  'egress-upload': { effect: 'ask', doc: 'sends files or command output to another host (curl -d @file, scp to a host, nc fed a file, aws s3 cp to s3)' },
  persistence: { effect: 'ask', doc: 'makes something run later or on every start (shell start-up files, cron, systemd, launchd, git hooks, authorized_keys)' },
  'system-write': { effect: 'ask', doc: 'changes the operating system\'s files (/etc, /usr, /bin, C:/Windows)' },
  'force-push': { effect: 'ask', doc: 'rewrites a remote branch\'s history (git push --force, +refspec, --mirror)' },
  privilege: { effect: 'ask', doc: 'runs as another user or root (sudo, su, doas, pkexec, runas, setuid)' },
  'package-install-untrusted': { effect: 'ask', doc: 'installs packages from a URL, a git repository or a registry other than the public one' },
  'env-dump': { effect: 'ask', doc: 'prints the environment or a secret-named variable (printenv, env, export -p, echo $API_KEY, /proc/*/environ)' },
  'credential-print': { effect: 'ask', doc: 'asks a credential store or CLI to print a secret (gh auth token, aws configure get, security -w, vault read)' },
  'secret-write': { effect: 'ask', doc: 'writes or deletes a credentials file' },
  'env-file-read': { effect: 'ask', doc: 'prints a .env file (loading it with `source` is not printing it)' },
  'agent-config-write': { effect: 'builtin', doc: "changes an agent's settings, MCP servers or hooks" },
  'warden-tamper': { effect: 'builtin', doc: "changes or stops Warden: its state, policy, lockfile, program or processes" },
  network: { effect: 'record', doc: 'talks to the network (curl, wget, git clone/fetch/push, ssh)' },
  delete: { effect: 'record', doc: 'deletes files (rm, find -delete, git clean)' },
  'package-install': { effect: 'record', doc: 'installs packages from the usual registries' },
  'sensitive-read': { effect: 'record', doc: "reads shell history or an agent's settings" },
};

// ---------------------------------------------------------------------------------------------
// One command as the matchers see it
// ---------------------------------------------------------------------------------------------

interface PathRef {
  raw: string;
  path: string;
  classes: readonly string[];
}

interface View {
  cmd: SimpleCommand;
  program: string;
  args: string[];
  /** Paths found by the `find`/`xargs` feeding this command. */
  found: string[];
  line: string;
  reads: PathRef[];
  writes: PathRef[];
  deletes: PathRef[];
  /** chmod/chown/chattr targets: changed, not rewritten. */
  modifies: PathRef[];
}

interface Context {
  views: View[];
  text: string;
  home: string;
  cwd?: string;
  wardenHome: string;
  path: (raw: string) => PathRef;
  /** The commands that take each command's output (pipes, substitutions). */
  consumers: ReadonlyMap<SimpleCommand, readonly SimpleCommand[]>;
  /** The folder an earlier `cd` on the line moved to, per view. */
  cdBefore: ReadonlyMap<View, string>;
}

const isFlag = (a: string) => a.length > 1 && a.startsWith('-');
/** A short-option cluster (`-rf`) holding the letter. */
const short = (args: readonly string[], letter: string) => args.some((a) => /^-[A-Za-z0-9]+$/.test(a) && a.slice(1).includes(letter));
const long = (args: readonly string[], ...names: string[]) => args.some((a) => names.includes(a.split('=')[0]!.toLowerCase()));
/** Arguments that are not options (a `--` ends options). */
function operands(args: readonly string[], valueFlags: readonly string[] = []): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      out.push(...args.slice(i + 1));
      break;
    }
    if (isFlag(a)) {
      if (!a.includes('=') && valueFlags.includes(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}
/** The value of `-x V`, `-xV`, `--name V` or `--name=V` for every occurrence. */
function values(args: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const n of names) {
      if (a === n) {
        if (args[i + 1] !== undefined) out.push(args[i + 1]!);
      } else if (n.startsWith('--') && a.startsWith(n + '=')) out.push(a.slice(n.length + 1));
      else if (!n.startsWith('--') && n.length === 2 && a.startsWith(n) && a.length > 2 && !a.startsWith('--')) out.push(a.slice(2));
    }
  }
  return out;
}
/** The words in order, options skipped: `aws --profile x s3 rb` has `s3`, `rb`. */
const words = (v: View) => v.args.filter((a) => !isFlag(a)).map((a) => a.toLowerCase());
const first = (v: View) => words(v)[0];
/** The words appear in this order (not necessarily next to each other). */
function seq(v: View, ...want: string[]): boolean {
  let i = 0;
  for (const w of words(v)) if (w === want[i] && ++i === want.length) return true;
  return false;
}
const lineOf = (program: string, args: readonly string[]) => [program, ...args].map((a) => (/[\s"'$`|&;<>]/.test(a) || a === '' ? JSON.stringify(a) : a)).join(' ');

// ---------------------------------------------------------------------------------------------
// What each program reads, writes and deletes
// ---------------------------------------------------------------------------------------------

interface FileEffects {
  reads?: string[];
  writes?: string[];
  deletes?: string[];
  modifies?: string[];
}
type FileRoles = (args: string[]) => FileEffects;

const readsAll = (valueFlags: readonly string[] = []): FileRoles => (a) => ({ reads: operands(a, valueFlags) });
/** grep, awk, sed, jq: the first operand is a pattern or program unless given by option. */
const readsAfterPattern = (patternFlags: readonly string[], valueFlags: readonly string[]): FileRoles => (a) => {
  const ops = operands(a, [...patternFlags, ...valueFlags]);
  return { reads: a.some((x) => patternFlags.includes(x.split('=')[0]!)) ? ops : ops.slice(1) };
};
/** cp, install, scp, rsync: sources are read, the last operand (or -t DIR) is written. */
const copies = (valueFlags: readonly string[], moves = false): FileRoles => (a) => {
  const target = values(a, ['-t', '--target-directory']);
  const ops = operands(a, [...valueFlags, '-t', '--target-directory']);
  const sources = target.length > 0 ? ops : ops.slice(0, -1);
  const dest = target.length > 0 ? target : ops.slice(-1);
  return { reads: sources, writes: dest, ...(moves ? { deletes: sources } : {}) };
};
const writesAll = (valueFlags: readonly string[] = []): FileRoles => (a) => ({ writes: operands(a, valueFlags) });
const deletesAll = (valueFlags: readonly string[] = []): FileRoles => (a) => ({ deletes: operands(a, valueFlags) });
/** chmod MODE FILES, chown OWNER FILES (or --reference=FILE FILES). */
const modifiesAfterFirst: FileRoles = (a) => {
  const ops = operands(a);
  return { modifies: a.some((x) => x.startsWith('--reference')) ? ops : ops.slice(1) };
};

const HEAD_TAIL = ['-n', '-c', '--lines', '--bytes'];
const GREP_VALUES = ['-m', '-A', '-B', '-C', '--max-count', '-g', '--glob', '-t', '--type', '-T', '--type-not', '-d', '-D', '-j', '--threads', '-M'];

function sedRoles(a: string[]): FileEffects {
  // `sed -i '' s/a/b/ f` (BSD) passes the backup suffix as its own word.
  const args = a.flatMap((x, i) => (x === '' && a[i - 1] === '-i' ? [] : [x]));
  const inPlace = args.some((x) => /^-[a-zA-Z]*i/.test(x) || x.startsWith('--in-place'));
  const files = readsAfterPattern(['-e', '--expression', '-f', '--file'], ['-l'])(args.filter((x) => !/^-[a-zA-Z]*i.*$/.test(x) || /^-[a-zA-Z]+$/.test(x))).reads ?? [];
  return inPlace ? { reads: files, writes: files } : { reads: files };
}

function ddRoles(a: string[]): FileEffects {
  const get = (k: string) => a.filter((x) => x.startsWith(k + '=')).map((x) => x.slice(k.length + 1));
  return { reads: get('if'), writes: get('of') };
}

function tarRoles(a: string[]): FileEffects {
  // Old style (`tar czf out.tgz dir`): the first word is a cluster of letters without a dash.
  const args = a.length > 0 && /^[A-Za-z]+$/.test(a[0]!) && /[cxtru]/.test(a[0]!) ? [`-${a[0]}`, ...a.slice(1)] : a;
  const create = short(args, 'c') || long(args, '--create') || short(args, 'r') || short(args, 'u');
  const extract = short(args, 'x') || long(args, '--extract', '--get');
  let archive: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const x = args[i]!;
    if (/^-[A-Za-z]+$/.test(x) && x.includes('f')) {
      archive = x.endsWith('f') ? args[++i] : undefined;
      continue;
    }
    if (x.startsWith('--file=')) archive = x.slice(7);
    else if (x === '--file') archive = args[++i];
    else if (x === '-C' || x === '--directory' || x === '-T' || x === '--exclude' || x === '-X') {
      if (x === '-C' || x === '--directory') rest.push(`\0dir:${args[i + 1] ?? ''}`);
      i++;
    } else if (!isFlag(x)) rest.push(x);
  }
  const dir = rest.filter((x) => x.startsWith('\0dir:')).map((x) => x.slice(5));
  const files = rest.filter((x) => !x.startsWith('\0dir:'));
  if (create) return { reads: files, writes: archive && archive !== '-' ? [archive] : [] };
  if (extract) return { reads: archive && archive !== '-' ? [archive] : [], writes: dir };
  return { reads: archive && archive !== '-' ? [archive] : [] };
}

function curlRoles(a: string[]): FileEffects {
  const reads: string[] = [];
  for (const v of values(a, ['-d', '--data', '--data-binary', '--data-ascii', '--data-urlencode', '--json'])) {
    const at = v.startsWith('@') ? v.slice(1) : /^[^=]*@(.+)$/.exec(v)?.[1];
    if (at && at !== '-') reads.push(at);
  }
  for (const v of values(a, ['-F', '--form'])) {
    const m = /=[@<]([^;]+)/.exec(v);
    if (m) reads.push(m[1]!);
  }
  for (const v of values(a, ['-T', '--upload-file', '-K', '--config'])) if (v !== '-' && v !== '.') reads.push(v);
  return { reads };
}

const REMOTE_PATH = /^(?:[^@/\s]+@)?[A-Za-z0-9._-]{2,}:(?!\/\/)|^rsync:\/\//;

/** Programs and the files their arguments name; programs not listed are looked at only for sensitive paths. */
const FILE_ROLES: Readonly<Record<string, FileRoles>> = {
  cat: readsAll(), tac: readsAll(), nl: readsAll(), less: readsAll(), more: readsAll(), bat: readsAll(), batcat: readsAll(),
  strings: readsAll(['-n']), xxd: readsAll(['-l', '-s', '-c', '-g']), hexdump: readsAll(['-n', '-s']), od: readsAll(['-A', '-t', '-N', '-j']),
  base64: readsAll(['-w']), base32: readsAll(['-w']), basenc: readsAll(['-w']), head: readsAll(HEAD_TAIL), tail: readsAll(HEAD_TAIL),
  zcat: readsAll(), zless: readsAll(), bzcat: readsAll(), xzcat: readsAll(), vim: readsAll(), vi: readsAll(), nvim: readsAll(), nano: readsAll(),
  emacs: readsAll(), code: readsAll(), subl: readsAll(), view: readsAll(), diff: readsAll(), cmp: readsAll(), comm: readsAll(),
  cut: readsAll(['-d', '-f', '-c', '-b']), uniq: readsAll(['-f', '-s', '-w']), paste: readsAll(['-d']), fold: readsAll(['-w']), rev: readsAll(),
  source: readsAll(), '.': readsAll(), gpg: readsAll(['-o', '--output', '-r', '--recipient', '-u', '--local-user']), xclip: readsAll(['-selection']),
  pbcopy: readsAll(), crontab: readsAll(['-u']), openssl: (a) => ({ reads: values(a, ['-in']), writes: values(a, ['-out']) }),
  grep: readsAfterPattern(['-e', '--regexp', '-f', '--file'], GREP_VALUES), egrep: readsAfterPattern(['-e', '-f'], GREP_VALUES),
  fgrep: readsAfterPattern(['-e', '-f'], GREP_VALUES), zgrep: readsAfterPattern(['-e', '-f'], GREP_VALUES), rg: readsAfterPattern(['-e', '--regexp', '-f', '--file'], GREP_VALUES),
  ag: readsAfterPattern([], GREP_VALUES), ack: readsAfterPattern([], GREP_VALUES),
  awk: readsAfterPattern(['-f'], ['-F', '-v']), gawk: readsAfterPattern(['-f'], ['-F', '-v']), mawk: readsAfterPattern(['-f'], ['-F', '-v']),
  jq: readsAfterPattern(['-f', '--from-file'], ['--arg', '--argjson', '--indent']), yq: readsAfterPattern([], ['-o', '--output-format', '-p']),
  sed: sedRoles,
  sort: (a) => ({ reads: operands(a, ['-k', '-t', '-T', '-S', '-o', '--output']), writes: values(a, ['-o', '--output']) }),
  cp: copies(['-S', '--suffix']), install: copies(['-m', '-o', '-g', '-S', '--mode', '--owner', '--group']),
  scp: (a) => localOnly(copies(['-i', '-P', '-o', '-F', '-c', '-l', '-S', '-J'])(a)),
  rsync: (a) => localOnly(copies(['-e', '--rsh', '-f', '--filter', '--exclude', '--include', '--exclude-from', '--include-from', '--files-from', '--password-file', '--port'])(a)),
  mv: copies(['-S', '--suffix'], true),
  ln: (a) => {
    const ops = operands(a, ['-S', '--suffix', '-t', '--target-directory']);
    return { writes: values(a, ['-t', '--target-directory']).length > 0 ? values(a, ['-t', '--target-directory']) : ops.length > 1 ? ops.slice(-1) : [] };
  },
  rm: deletesAll(), unlink: deletesAll(), rmdir: deletesAll(), shred: deletesAll(['-n', '--iterations', '-s', '--size']), srm: deletesAll(),
  'remove-item': deletesAll(['-path', '-literalpath']), ri: deletesAll(), del: deletesAll(), erase: deletesAll(), rd: deletesAll(),
  touch: writesAll(['-d', '-t', '-r', '--date', '--reference']), mkdir: writesAll(['-m', '--mode']), tee: writesAll(),
  truncate: writesAll(['-s', '--size', '-r', '--reference']), patch: (a) => ({ writes: operands(a, ['-i', '-p', '-d', '-o', '--input']).slice(0, 1), reads: values(a, ['-i', '--input']) }),
  chmod: modifiesAfterFirst, chown: modifiesAfterFirst, chgrp: modifiesAfterFirst, chattr: modifiesAfterFirst, setfacl: (a) => ({ modifies: operands(a, ['-m', '-x', '-M', '-X']) }),
  dd: ddRoles, tar: tarRoles, curl: curlRoles,
  wget: (a) => ({ reads: values(a, ['--post-file', '--body-file', '-i', '--input-file']) }),
  zip: (a) => {
    const ops = operands(a, ['-x', '-i', '-P', '--password']);
    return { writes: ops.slice(0, 1), reads: ops.slice(1) };
  },
  '7z': (a) => {
    const ops = operands(a);
    return ops[0] === 'a' ? { writes: ops.slice(1, 2), reads: ops.slice(2) } : { reads: ops.slice(1, 2) };
  },
};

/** scp/rsync name remote paths (`host:path`); only local ones are files on this machine. */
function localOnly(e: FileEffects): FileEffects {
  const local = (xs?: string[]) => (xs ?? []).filter((x) => !REMOTE_PATH.test(x));
  return { reads: local(e.reads), writes: local(e.writes) };
}

/** Programs that name a file without printing what is in it (listing, hashing, using a key to log in). */
const NAMES_ONLY: ReadonlySet<string> = new Set([
  'ls', 'stat', 'test', '[', '[[', 'file', 'realpath', 'readlink', 'basename', 'dirname', 'echo', 'printf', 'cd', 'pushd', 'popd',
  'which', 'du', 'df', 'wc', 'md5sum', 'sha1sum', 'sha256sum', 'sha512sum', 'shasum', 'cksum', 'b2sum', 'ssh', 'ssh-add', 'ssh-keygen',
  'ssh-copy-id', 'ssh-keyscan', 'git', 'kubectl', 'helm', 'aws', 'gcloud', 'az', 'terraform', 'export', 'unset', 'find', 'lsof', 'fuser',
  'namei', 'tree', 'exa', 'eza', 'getfacl', 'lsattr', 'mkdir', 'touch',
]);

/** Path classes whose mere mention in an unknown program's arguments counts as reading them. */
const SENSITIVE_FOR_UNKNOWN = ['credentials', 'env-file', 'process-env'];

/** Recursive readers: on a whole home directory or `/` they read every credential in it. */
function readsRecursively(v: View): boolean {
  switch (v.program) {
    case 'grep': case 'egrep': case 'fgrep': case 'zgrep':
      return short(v.args, 'r') || short(v.args, 'R') || long(v.args, '--recursive', '--dereference-recursive');
    case 'rg': case 'ag': case 'ack': case 'tar': case 'zip': case '7z':
      return true;
    case 'cp': case 'scp':
      return short(v.args, 'r') || short(v.args, 'R') || short(v.args, 'a') || long(v.args, '--recursive', '--archive');
    case 'rsync':
      return short(v.args, 'r') || short(v.args, 'a') || long(v.args, '--recursive', '--archive');
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Building the views
// ---------------------------------------------------------------------------------------------

/** Programs that run another tool named by their first operand (`npx prisma …`, `bundle exec rails …`). */
const RUNNERS: Readonly<Record<string, { via?: readonly string[]; valueFlags?: readonly string[] }>> = {
  npx: { valueFlags: ['-p', '--package', '-c', '--call'] },
  bunx: { valueFlags: ['-p', '--package'] },
  pnpx: { valueFlags: [] },
  pnpm: { via: ['exec', 'dlx'] },
  yarn: { via: ['exec', 'dlx'] },
  npm: { via: ['exec', 'x'] },
  bundle: { via: ['exec'] },
  poetry: { via: ['run'] },
  uv: { via: ['run'] },
  uvx: { valueFlags: ['--from', '--with', '-p', '--python'] },
  pipx: { via: ['run'] },
  pipenv: { via: ['run'] },
  pdm: { via: ['run'] },
  hatch: { via: ['run'] },
  // `python -m pip install …` is pip.
  python: { via: ['-m'] },
};

function runnerInner(program: string, args: readonly string[]): { program: string; args: string[] } | undefined {
  const spec = RUNNERS[program];
  if (!spec) return undefined;
  let i = 0;
  if (spec.via) {
    if (!spec.via.includes(args[0] ?? '')) return undefined;
    i = 1;
  }
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') continue;
    if (isFlag(a)) {
      if (!a.includes('=') && spec.valueFlags?.includes(a)) i++;
      continue;
    }
    return { program: programName(a.replace(/@[^/]*$/, '')), args: args.slice(i + 1) };
  }
  return undefined;
}

/** The paths a `find` starts from (before the first test), or `.`. */
function findRoots(find: SimpleCommand): string[] {
  const out: string[] = [];
  for (const w of find.words.slice(1)) {
    if (w.text.startsWith('-') || w.text === '(' || w.text === '!' || w.text === ',') break;
    out.push(w.text);
  }
  return out.length > 0 ? out : ['.'];
}

/** What a feeding command hands on as paths: a find's roots, or the operands of echo/ls/cat. */
function producedPaths(feeder: SimpleCommand): string[] {
  if (feeder.program === 'find') return findRoots(feeder);
  return feeder.words.slice(1).map((w) => w.text).filter((t) => !isFlag(t));
}

function buildViews(cmds: readonly SimpleCommand[], path: (raw: string) => PathRef): View[] {
  const out: View[] = [];
  const seen = new Set<string>();
  for (const cmd of cmds) {
    const own = cmd.words.slice(1).map((w) => w.text);
    const found = cmd.argsFrom ? producedPaths(cmd.argsFrom) : [];
    const args = own.includes('{}') ? own.flatMap((a) => (a === '{}' ? found : [a])) : own;
    const key = `${cmd.depth}\0${cmd.program}\0${args.join('\0')}\0${cmd.writes.join('\0')}`;
    // eval and `$(…)` can yield the same command twice; one view is enough.
    if (seen.has(key)) continue;
    seen.add(key);
    const view = makeView(cmd, cmd.program, args, found, path);
    out.push(view);
    const inner = runnerInner(cmd.program, args);
    if (inner) out.push(makeView(cmd, inner.program, inner.args, [], path, false));
  }
  return out;
}

function makeView(cmd: SimpleCommand, program: string, args: string[], found: string[], path: (raw: string) => PathRef, primary = true): View {
  const roles = FILE_ROLES[program]?.([...args, ...(args.includes('{}') || found.length === 0 ? [] : found)]) ?? {};
  const reads = [...(roles.reads ?? []), ...(primary ? (cmd.reads ?? []) : [])];
  if (!FILE_ROLES[program] && !NAMES_ONLY.has(program)) {
    // An unknown program handed a credentials file (`openssl rsa -in ~/.ssh/id_rsa`) is taken to read it.
    for (const a of args) {
      const raw = a.startsWith('--') && a.includes('=') ? a.slice(a.indexOf('=') + 1) : a;
      if (raw === '' || isFlag(raw) || /^[a-z][\w+.-]*:\/\//i.test(raw)) continue; // a URL is not a local file
      if (path(raw).classes.some((c) => SENSITIVE_FOR_UNKNOWN.includes(c))) reads.push(raw);
    }
  }
  const writes = [...(roles.writes ?? []), ...(primary ? cmd.writes : [])];
  const refs = (xs: string[]) => [...new Set(xs.filter((x) => x !== '' && x !== '-'))].map(path);
  return {
    cmd,
    program,
    args,
    found,
    line: lineOf(program, args),
    reads: refs(reads),
    writes: refs(writes),
    deletes: refs(roles.deletes ?? []),
    modifies: refs(roles.modifies ?? []),
  };
}

// ---------------------------------------------------------------------------------------------
// Matchers
// ---------------------------------------------------------------------------------------------

/** A matcher gives the reason a command has the class, or undefined. */
type Match = (v: View, ctx: Context) => string | undefined;

const pathsWith = (refs: readonly PathRef[], cls: string) => refs.filter((r) => r.classes.includes(cls));
const changed = (v: View) => [...v.writes, ...v.deletes, ...v.modifies];

// -- wide-delete ------------------------------------------------------------------------------

const DELETERS: ReadonlySet<string> = new Set(['rm', 'rmdir', 'unlink', 'shred', 'srm']);
const WINDOWS_DELETERS: ReadonlySet<string> = new Set(['remove-item', 'rd', 'rmdir', 'del', 'erase', 'ri']);

/** The scan rules' risks of a command (./commands.ts), computed once per command. */
const assessed = new WeakMap<SimpleCommand, ReturnType<typeof assessCommand>>();
function risksOf(cmd: SimpleCommand): ReturnType<typeof assessCommand> {
  let r = assessed.get(cmd);
  if (!r) {
    r = assessCommand(cmd);
    assessed.set(cmd, r);
  }
  return r;
}
/** `*`, `.*`, `./*`, `~/*`, `/*`: every entry of a folder. */
const EVERYTHING_GLOB = /^(?:(?:\.|\.\.|~|\$HOME|\$\{HOME\}|)\/)?\.?\*$/;

/** Folders just below the system roots that are as bad to lose as the root itself. */
const WIDE_SYSTEM = /^(?:\/usr(?:\/local)?\/(?:bin|sbin|lib|lib64|libexec|share|include)|\/(?:usr|lib|lib32|lib64|bin|sbin|boot|efi|opt|srv|var\/lib|system|system\/library|library)|c:\/windows\/system32|c:\/program files(?: \(x86\))?)$/;
const WORKING_DIR = /^(?:\.|\.\/|\$PWD|\$\{PWD\}|)$/;

/**
 * Why deleting `raw` is wide, if it is: `recursive` says whether folders go too; `base` is where an
 * earlier `cd` on the line moved, which is what `*` and `.` then mean.
 */
function wideTarget(raw: string, recursive: boolean, ctx: Context, base?: string): string | undefined {
  const t = raw.trim();
  const dir = EVERYTHING_GLOB.test(t) ? t.replace(/\/?\.?\*$/, '') : t.replace(/\/+\.?\*$/, '');
  const everything = dir !== t;
  if (!recursive && !everything) return undefined;
  if (base !== undefined && WORKING_DIR.test(dir)) {
    const why = wideTarget(base, true, ctx);
    return why ? `${everything ? 'everything in ' : ''}${why}` : undefined;
  }
  if (everything && WORKING_DIR.test(dir)) return 'everything in the working directory';
  const kind = classifyHostPath(dir === '' ? '/' : dir);
  const p = ctx.path(dir === '' ? '/' : dir).path;
  const lower = p.toLowerCase();
  let why: string | undefined;
  if (kind === 'root' || p === '/') why = '/';
  else if (kind === 'home' || p === ctx.home) why = 'the home directory';
  else if (kind === 'all-homes') why = 'every home directory';
  else if (kind === 'system' || WIDE_SYSTEM.test(lower)) why = `the system folder ${dir}`;
  else if (WORKING_DIR.test(dir)) why = 'the working directory';
  else if (/^\.\.(?:\/\.\.)*\/?$/.test(dir)) why = 'a parent of the working directory';
  else if (ctx.cwd !== undefined && (p === ctx.cwd || ctx.cwd.startsWith(p.endsWith('/') ? p : p + '/'))) why = 'the working directory or a parent of it';
  else if (ctx.home.startsWith(p.endsWith('/') ? p : p + '/')) why = 'a folder holding the home directory';
  return why && everything ? `everything in ${why}` : why;
}

/** Tests that narrow what a find matches: with one, `find ~ -name x -delete` is a clean-up, not a wipe. */
const FIND_FILTERS: ReadonlySet<string> = new Set(['-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename', '-regex', '-iregex', '-newer', '-mtime', '-mmin', '-atime', '-amin', '-ctime', '-cmin', '-size', '-user', '-group', '-empty', '-inum', '-samefile', '-links', '-perm', '-lname', '-ilname']);

function findWide(find: SimpleCommand, ctx: Context, base?: string): string | undefined {
  const filtered = find.words.some((w) => FIND_FILTERS.has(w.text));
  for (const root of findRoots(find)) {
    const kind = classifyHostPath(root);
    // `/`, every home and system folders are too wide even filtered; the home and working directory only unfiltered.
    if (kind === 'root' || kind === 'all-homes' || kind === 'system' || WIDE_SYSTEM.test(ctx.path(root).path.toLowerCase())) return `${root}`;
    if (!filtered) {
      const why = wideTarget(root, true, ctx, base);
      if (why) return why;
    }
  }
  return undefined;
}

const wideDelete: Match = (v, ctx) => {
  if (v.args.includes('--no-preserve-root')) return 'deletes / (--no-preserve-root)';
  const base = ctx.cdBefore.get(v);
  const execsRm = () => /(?:^|\s)-exec(?:dir)?\s+(?:\S*\/)?(?:rm|shred)\s/.test(v.args.join(' '));
  if (v.program === 'find' && (v.args.includes('-delete') || execsRm())) {
    const why = findWide(v.cmd, ctx, base);
    return why ? `finds and deletes under ${why}` : undefined;
  }
  // rmdir only removes empty folders: never wide.
  if (DELETERS.has(v.program) && v.program !== 'rmdir') {
    const recursive = short(v.args, 'r') || short(v.args, 'R') || long(v.args, '--recursive');
    const feeder = v.cmd.argsFrom;
    if (feeder?.program === 'find') {
      const why = findWide(feeder, ctx, base);
      if (why) return `deletes what find lists under ${why}`;
    }
    const targets = operands(v.args, ['-n', '--iterations', '-s', '--size']).filter((a) => !(feeder?.program === 'find' && v.found.includes(a)));
    // `rm -rf $(pwd)`: the substitution is the working directory.
    if (v.cmd.inputs.some((i) => i.program === 'pwd')) targets.push('.');
    for (const t of [...targets, ...(feeder && feeder.program !== 'find' ? v.found : [])]) {
      const why = wideTarget(t, recursive, ctx, base);
      if (why) return `deletes ${why}${recursive ? ' recursively' : ''}`;
    }
  }
  if (v.program === 'mv') {
    // `mv * sub/` tidies a folder; moving the home directory or a system folder away removes it.
    for (const t of v.deletes) {
      if (/[*?]/.test(t.raw)) continue;
      const why = wideTarget(t.raw, true, ctx, base);
      if (why) return `moves away ${why}`;
    }
  }
  if (v.program === 'rsync' && long(v.args, '--delete', '--delete-before', '--delete-after', '--delete-during', '--del')) {
    const dest = operands(v.args).slice(-1)[0];
    const why = dest !== undefined && !REMOTE_PATH.test(dest) ? wideTarget(dest, true, ctx, base) : undefined;
    if (why) return `mirrors onto ${why} with --delete`;
  }
  // Windows: Remove-Item -Recurse C:\ and friends (the scan rules' table).
  if (!WINDOWS_DELETERS.has(v.program) || v.cmd.program !== v.program) return undefined;
  return risksOf(v.cmd).find((r) => r.id === 'remove-item-root')?.message;
};

// -- raw-disk -----------------------------------------------------------------------------------

const DISK_TOOLS: ReadonlySet<string> = new Set(['fdisk', 'sfdisk', 'cfdisk', 'gdisk', 'sgdisk', 'cgdisk', 'parted', 'wipefs', 'blkdiscard', 'badblocks', 'hdparm', 'mkswap', 'mke2fs', 'mkdosfs', 'newfs', 'cryptsetup']);
/** Options that only list or print a partition table. */
const DISK_READ_ONLY = new Set(['-l', '--list', '-p', '--print', 'print', '-n', '--no-act', '-i', '-I', '--info', '-s']);
const ERASE_VERBS = /^(?:erasedisk|erasevolume|partitiondisk|zerodisk|randomdisk|secureerase|reformat)$/i;

const rawDisk: Match = (v) => {
  const device = pathsWith([...v.writes, ...v.deletes], 'device')[0];
  if (device) return `writes the disk device ${device.raw}`;
  if (v.program === 'mkfs') return 'formats a filesystem';
  if (DISK_TOOLS.has(v.program)) {
    const dev = v.args.find((a) => /^\/dev\//.test(a));
    if (dev && !v.args.some((a) => DISK_READ_ONLY.has(a))) return `changes the disk ${dev} (${v.program})`;
    if (['mkswap', 'mke2fs', 'mkdosfs', 'newfs'].includes(v.program)) return `formats ${dev ?? 'a device'}`;
  }
  if (v.program === 'diskutil' && v.args.some((a) => ERASE_VERBS.test(a))) return 'erases or repartitions a disk (diskutil)';
  if (['clear-disk', 'format-volume', 'initialize-disk'].includes(v.program)) return `wipes a disk (${v.program})`;
  return undefined;
};

// -- download-exec ---------------------------------------------------------------------------

const downloadExec: Match = (v) => {
  if (v.program !== v.cmd.program) return undefined;
  const fetched = downloadedCode(v.cmd)[0];
  if (fetched) return `runs what ${fetchedUrl(fetched).text} returns`;
  // `curl -o x URL && chmod +x x && ./x`: the download is the program itself.
  const bare = (p: string) => p.replace(/^\.\//, '');
  const program = bare(v.cmd.words[0]!.text);
  const ran = v.cmd.inputs.find((i) => isFetcher(i) && i.writes.some((w) => bare(w) === program));
  if (ran) return `runs ${program}, downloaded from ${fetchedUrl(ran).text}`;
  const decoder = decoderFeeding(v.cmd);
  if (decoder) return `runs code decoded by ${decoder.program}${v.cmd.decoded ? ` (${clip(v.cmd.decoded)})` : ''}`;
  // `python -c "$(curl …)"`, `bash -c "$(wget -O- …)"`: the download becomes the inline script.
  const s = v.cmd.script;
  if (s && s.body.text.includes('$(') && v.cmd.inputs.some(isFetcher)) return `runs inline code built from a download`;
  return undefined;
};

// -- secret-read / env / sensitive reads ------------------------------------------------------

const secretRead: Match = (v, ctx) => {
  const hit = pathsWith(v.reads, 'credentials')[0];
  if (hit) return `reads ${hit.raw}`;
  if (readsRecursively(v)) {
    for (const r of v.reads) {
      const kind = classifyHostPath(r.raw);
      if (kind === 'home' || kind === 'root' || kind === 'all-homes' || r.path === ctx.home) return `reads all of ${r.raw}, credentials included`;
    }
  }
  // Inline code naming a credentials file: python -c "open('/home/me/.ssh/id_rsa').read()".
  const code = v.cmd.script?.language === 'code' && v.program === v.cmd.program ? v.cmd.script.text : undefined;
  if (code) {
    for (const m of code.matchAll(/(?:~|\$HOME|\/)[\w.~/$-]*|\.\w[\w./-]*/g)) {
      if (ctx.path(m[0]).classes.includes('credentials')) return `inline code reads ${m[0]}`;
    }
  }
  return undefined;
};

/** Programs that pass what they are given on to their own output: the agent still sees it. */
const PASS_THROUGH: ReadonlySet<string> = new Set([
  'cat', 'tac', 'tee', 'grep', 'egrep', 'fgrep', 'rg', 'sed', 'awk', 'gawk', 'tr', 'cut', 'head', 'tail', 'sort', 'uniq', 'base64', 'base32',
  'xxd', 'od', 'hexdump', 'rev', 'fold', 'jq', 'yq', 'column', 'less', 'more', 'nl', 'paste', 'strings', 'xargs', 'echo', 'printf', 'iconv',
]);

/**
 * Whether a command's output ends up in front of the agent: yes at the top of a line (or into a
 * file it can read back), no when only a program that keeps it takes it (`export T=$(gh auth token)`,
 * `… | docker login --password-stdin`). A secret the agent never sees is not a leak to it.
 */
function reachesAgent(cmd: SimpleCommand, ctx: Context, depth = 0): boolean {
  const takers = ctx.consumers.get(cmd) ?? [];
  if (takers.length === 0 || depth > 16) return true;
  // Handed to a program that sends it elsewhere, it leaves the machine: at least as bad.
  return takers.some((k) => SENDERS.has(k.program) || (PASS_THROUGH.has(k.program) && reachesAgent(k, ctx, depth + 1)));
}

const SENDERS: ReadonlySet<string> = new Set(['curl', 'wget', 'nc', 'ncat', 'netcat', 'socat', 'telnet', 'ssh', 'scp', 'sftp', 'mail', 'mailx', 'sendmail', 'mutt', 'openssl']);

/** Programs that load a dotenv file into an environment rather than print it. */
const ENV_LOADERS: ReadonlySet<string> = new Set(['source', '.', 'set', 'docker', 'podman', 'docker-compose', 'node', 'bun', 'deno', 'dotenv', 'env-cmd', 'direnv']);

const envFileRead: Match = (v, ctx) => {
  if (ENV_LOADERS.has(v.program)) return undefined;
  const hit = pathsWith(v.reads, 'env-file')[0];
  return hit && reachesAgent(v.cmd, ctx) ? `prints ${hit.raw}` : undefined;
};

const sensitiveRead: Match = (v) => {
  // `sed -i` and `mv` read what they change; that is a change, not a look.
  const touched = new Set(changed(v).map((r) => r.path));
  const hit = v.reads.find((r) => !touched.has(r.path) && (r.classes.includes('shell-history') || r.classes.includes('agent-config')));
  return hit ? `reads ${hit.raw}` : undefined;
};

// -- history-wipe -----------------------------------------------------------------------------

const HISTORY_VARS = /^(?:HISTFILE|HISTSIZE|HISTFILESIZE|SAVEHIST)=(.*)$/;

const historyWipe: Match = (v) => {
  if (v.program === 'history' && v.args.some((a) => /^-[a-z]*[cdw]/.test(a))) return `clears history (history ${v.args.join(' ')})`;
  if (v.program === 'clear-history') return 'clears PowerShell history';
  if (v.program === 'unset' && v.args.some((a) => /^HIST(?:FILE|SIZE|FILESIZE)$|^SAVEHIST$/.test(a))) return `turns history off (unset ${v.args.join(' ')})`;
  const assigns = [...(v.cmd.assignments ?? []).map((w) => w.text), ...(['export', 'declare', 'typeset', 'set', 'local'].includes(v.program) ? v.args : [])];
  // A line of only assignments keeps them as its words (HISTSIZE=0).
  if (/^[A-Za-z_]\w*=/.test(v.cmd.words[0]!.text) && v.program === v.cmd.program) assigns.push(...v.cmd.words.map((w) => w.text));
  for (const a of assigns) {
    const m = HISTORY_VARS.exec(a);
    if (m && (a.startsWith('HISTFILE=') ? m[1] === '' || m[1] === '/dev/null' : /^0*$/.test(m[1]!))) return `turns history off (${a || 'HISTFILE='})`;
  }
  if ((v.program === 'set' && v.args.includes('+o') && v.args.includes('history')) || (v.program === 'shopt' && v.args.includes('-uo') && v.args.includes('history'))) return 'turns history off';
  const hit = pathsWith(changed(v), 'shell-history')[0];
  if (hit) return `${v.deletes.includes(hit) ? 'deletes' : 'overwrites'} ${hit.raw}`;
  if (['remove-item', 'ri', 'del', 'clear-content'].includes(v.program) && v.args.some((a) => /historysavepath/i.test(a))) return 'deletes PowerShell history';
  return undefined;
};

// -- world-writable / privilege ---------------------------------------------------------------

const worldWritable: Match = (v) => {
  if (v.program === 'chmod' && v.program === v.cmd.program) {
    const r = risksOf(v.cmd).find((x) => x.id === 'chmod-world-writable');
    if (r) return `makes files writable by everyone (${r.evidence})`;
  }
  if (v.program === 'icacls' && v.args.some((a) => /^(?:\*S-1-1-0|everyone|users):\(?.*[FMW]/i.test(a))) return 'grants everyone write access (icacls)';
  if (v.program === 'umask' && /^0*[0-7]?[0-7]?[0145]$/.test(v.args[0] ?? '') && (v.args[0] ?? '').length >= 3) return `lets everyone write new files (umask ${v.args[0]})`;
  return undefined;
};

const SETUID = /^(?:[0-7]*[4-7][0-7]{3}|[ugoa]*[+=][rwxXt]*s[rwxXst]*)$/;

const privilege: Match = (v) => {
  if (v.program !== v.cmd.program) return undefined;
  // Only these can carry a privilege or container risk; the full assessment is not free.
  if (!v.cmd.elevation && !PRIVILEGE_PROGRAMS.has(v.program)) return otherPrivilege(v);
  const risks = risksOf(v.cmd);
  const r = risks.find((x) => x.kind === 'privilege');
  if (r) return r.message;
  // A container given the host (--privileged, -v /:/host, the engine socket) is root on the host.
  const c = risks.find((x) => x.kind === 'container' && (x.severity === 'critical' || x.severity === 'high'));
  if (c) return c.message;
  return otherPrivilege(v);
};

const PRIVILEGE_PROGRAMS: ReadonlySet<string> = new Set(['start-process', 'runas', 'docker', 'podman', 'nerdctl', 'sudo', 'su', 'doas', 'pkexec', 'gsudo']);

function otherPrivilege(v: View): string | undefined {
  if (['sudo', 'su', 'doas', 'pkexec', 'gsudo', 'runas'].includes(v.program)) return `runs as another user (${v.program})`;
  if (v.program === 'chmod' && v.args.some((a) => SETUID.test(a) && /s|^[0-7]*[4-7][0-7]{3}$/.test(a))) return 'sets the setuid/setgid bit';
  if (v.program === 'setcap') return 'grants file capabilities (setcap)';
  if ((v.program === 'usermod' || v.program === 'gpasswd') && v.args.some((a) => /(?:^|,)(?:sudo|wheel|admin|root|docker)(?:,|$)/.test(a))) return 'adds a user to an administrative group';
  if (v.program === 'visudo') return 'edits sudoers';
  return undefined;
}

// -- infra-destroy --------------------------------------------------------------------------

const AWS_DESTROY = /^(?:terminate-|delete-(?!message|tags|item\b|object\b|alarms?\b|attributes\b))/;

const DESTROYERS: ReadonlyArray<{ programs: readonly string[]; test: (v: View) => boolean; what: string }> = [
  { programs: ['terraform', 'tofu', 'terragrunt'], test: (v) => first(v) === 'destroy' || (first(v) === 'apply' && long(v.args, '-destroy', '--destroy')) || seq(v, 'state', 'rm') || seq(v, 'workspace', 'delete'), what: 'destroys Terraform-managed infrastructure' },
  { programs: ['pulumi'], test: (v) => first(v) === 'destroy' || seq(v, 'stack', 'rm'), what: 'destroys a Pulumi stack' },
  { programs: ['cdk', 'cdktf'], test: (v) => first(v) === 'destroy', what: 'destroys a CDK stack' },
  { programs: ['sst', 'serverless', 'sls'], test: (v) => first(v) === 'remove', what: 'removes a deployed stack' },
  {
    programs: ['kubectl', 'oc', 'kubecolor'],
    // Deleting one named pod is how a pod is restarted; anything wider needs a human.
    test: (v) => first(v) === 'delete' && !(/^(?:po|pod|pods)$/.test(words(v)[1] ?? '') && words(v).length === 3 && !long(v.args, '--all', '-a', '--all-namespaces') && !short(v.args, 'A') && !short(v.args, 'l')),
    what: 'deletes Kubernetes resources',
  },
  { programs: ['helm'], test: (v) => ['uninstall', 'delete', 'del', 'un'].includes(first(v) ?? ''), what: 'uninstalls a Helm release' },
  { programs: ['aws'], test: (v) => seq(v, 's3', 'rb') || (seq(v, 's3', 'rm') && long(v.args, '--recursive')) || words(v).some((w) => AWS_DESTROY.test(w)), what: 'deletes AWS resources' },
  { programs: ['gcloud'], test: (v) => words(v).includes('delete'), what: 'deletes Google Cloud resources' },
  { programs: ['gsutil'], test: (v) => first(v) === 'rb' || (first(v) === 'rm' && (short(v.args, 'r') || short(v.args, 'a'))), what: 'deletes Cloud Storage buckets or trees' },
  { programs: ['az'], test: (v) => words(v).some((w) => w === 'delete' || w === 'purge'), what: 'deletes Azure resources' },
  {
    programs: ['docker', 'podman'],
    test: (v) =>
      seq(v, 'system', 'prune') || seq(v, 'volume', 'prune') || seq(v, 'volume', 'rm') || (seq(v, 'image', 'prune') && (short(v.args, 'a') || long(v.args, '--all'))) ||
      (seq(v, 'compose', 'down') && (short(v.args, 'v') || long(v.args, '--volumes'))) ||
      (['rm', 'rmi', 'kill', 'stop'].includes(first(v) ?? '') && v.cmd.inputs.some((i) => ['docker', 'podman'].includes(i.program) && /\b(?:ps|images)\b/.test(i.words.map((w) => w.text).join(' ')) && i.words.some((w) => /^-[a-z]*a[a-z]*$/.test(w.text)))),
    what: 'removes containers, images or volumes wholesale',
  },
  { programs: ['docker-compose'], test: (v) => first(v) === 'down' && (short(v.args, 'v') || long(v.args, '--volumes')), what: 'removes a compose project with its volumes' },
  { programs: ['eksctl'], test: (v) => first(v) === 'delete', what: 'deletes an EKS cluster or node group' },
  { programs: ['doctl'], test: (v) => words(v).some((w) => w === 'delete' || w === 'rm' || w === 'd'), what: 'deletes DigitalOcean resources' },
  { programs: ['gh'], test: (v) => seq(v, 'repo', 'delete'), what: 'deletes a GitHub repository' },
  { programs: ['heroku'], test: (v) => /^(?:apps:destroy|destroy|pg:reset)$/.test(first(v) ?? ''), what: 'destroys a Heroku app or database' },
  { programs: ['fly', 'flyctl'], test: (v) => seq(v, 'apps', 'destroy') || first(v) === 'destroy', what: 'destroys a Fly app' },
  { programs: ['vercel'], test: (v) => first(v) === 'remove' || first(v) === 'rm', what: 'removes a Vercel deployment' },
  { programs: ['firebase'], test: (v) => /:delete$/.test(first(v) ?? ''), what: 'deletes Firebase resources' },
];

const infraDestroy: Match = (v) => DESTROYERS.find((d) => d.programs.includes(v.program) && d.test(v))?.what;

// -- database-drop ----------------------------------------------------------------------------

const DB_CLIENTS: ReadonlySet<string> = new Set([
  'psql', 'mysql', 'mariadb', 'sqlite3', 'sqlite', 'duckdb', 'clickhouse-client', 'clickhouse', 'cockroach', 'sqlcmd', 'snowsql', 'bq', 'mongosh',
  'mongo', 'cqlsh', 'redis-cli', 'usql', 'pgcli', 'mycli', 'litecli', 'valkey-cli', 'turso', 'wrangler', 'supabase', 'd1',
]);

/** Programs that run a command somewhere else (`docker exec db psql -c …`). */
const REMOTE_RUNNERS: ReadonlySet<string> = new Set(['docker', 'podman', 'kubectl', 'oc', 'ssh', 'nerdctl', 'lxc', 'incus', 'fly', 'flyctl', 'heroku', 'railway', 'render']);

/** One statement that destroys data: DROP, TRUNCATE, DELETE without WHERE, and the NoSQL equivalents. */
const DESTRUCTIVE_STATEMENTS: ReadonlyArray<{ re: RegExp; what: string }> = [
  { re: /\bDROP\s+(?:DATABASE|SCHEMA|TABLE|KEYSPACE|OWNED\s+BY)\b/i, what: 'DROP' },
  { re: /\bTRUNCATE\s+(?:TABLE\s+)?[\w."`[]/i, what: 'TRUNCATE' },
  { re: /^\s*DELETE\s+FROM\s+[\w."`[\]]+(?:\s+(?:AS\s+)?\w+)?\s*$/i, what: 'DELETE without WHERE' },
  { re: /\.dropDatabase\s*\(|\.drop\s*\(\s*\)|\.deleteMany\s*\(\s*\{\s*\}\s*\)|\.remove\s*\(\s*\{\s*\}\s*\)/, what: 'drops a MongoDB database or collection' },
  { re: /^\s*FLUSH(?:ALL|DB)\b/i, what: 'FLUSHALL/FLUSHDB' },
];

function destroysData(text: string): string | undefined {
  for (const statement of text.split(';')) {
    const hit = DESTRUCTIVE_STATEMENTS.find((s) => s.re.test(statement));
    if (hit) return hit.what;
  }
  return undefined;
}

/** Framework and CLI commands that drop or reset a database. */
const DB_RESETS: ReadonlyArray<{ programs: readonly string[]; test: (v: View) => boolean; what: string }> = [
  { programs: ['dropdb'], test: () => true, what: 'drops a PostgreSQL database' },
  { programs: ['mysqladmin'], test: (v) => words(v).includes('drop'), what: 'drops a MySQL database' },
  { programs: ['rails', 'rake'], test: (v) => words(v).some((w) => /^db:(?:drop|reset|purge|schema:load|migrate:reset)(?::all)?$/.test(w)), what: 'drops or resets the Rails database' },
  { programs: ['prisma'], test: (v) => seq(v, 'migrate', 'reset') || (seq(v, 'db', 'push') && long(v.args, '--force-reset')), what: 'resets the Prisma database' },
  { programs: ['artisan'], test: (v) => /^(?:migrate:fresh|migrate:reset|db:wipe)$/.test(first(v) ?? ''), what: 'wipes the Laravel database' },
  { programs: ['sequelize', 'sequelize-cli'], test: (v) => first(v) === 'db:drop', what: 'drops the Sequelize database' },
  { programs: ['supabase'], test: (v) => seq(v, 'db', 'reset'), what: 'resets the Supabase database' },
  { programs: ['dotnet'], test: (v) => seq(v, 'ef', 'database', 'drop'), what: 'drops the EF database' },
  { programs: ['mix'], test: (v) => /^ecto\.(?:drop|reset)$/.test(first(v) ?? ''), what: 'drops the Ecto database' },
  { programs: ['manage.py', 'django-admin'], test: (v) => ['flush', 'reset_db'].includes(first(v) ?? ''), what: 'empties the Django database' },
  { programs: ['python', 'php'], test: (v) => (seq(v, 'manage.py', 'flush') || seq(v, 'manage.py', 'reset_db') || /^artisan$/.test(first(v) ?? '') && /^(?:migrate:fresh|migrate:reset|db:wipe)$/.test(words(v)[1] ?? '')), what: 'wipes the application database' },
  { programs: ['redis-cli', 'valkey-cli'], test: (v) => v.args.some((a) => /^flush(?:all|db)$/i.test(a)), what: 'flushes Redis' },
];

const databaseDrop: Match = (v) => {
  const reset = DB_RESETS.find((d) => d.programs.includes(v.program) && d.test(v));
  if (reset) return reset.what;
  // SQL handed to a client: -c/-e/--eval, an operand, a here-string, or echo/printf/cat piped in.
  const client = DB_CLIENTS.has(v.program) || (REMOTE_RUNNERS.has(v.program) && v.args.some((a) => DB_CLIENTS.has(programName(a))));
  if (!client) return undefined;
  const fed = v.cmd.inputs.flatMap((i) => (['echo', 'printf', 'cat'].includes(i.program) ? [...i.words.slice(1).map((w) => w.text), ...(i.stdin ?? [])] : []));
  for (const text of [...v.args, ...(v.cmd.stdin ?? []), ...fed]) {
    const what = destroysData(text);
    if (what) return `runs ${what} through ${v.program}`;
  }
  return undefined;
};

// -- egress-upload / reverse-shell / network --------------------------------------------------

const SOCKET_TOOLS: ReadonlySet<string> = new Set(['nc', 'ncat', 'netcat', 'socat', 'telnet', 'openssl']);
const DEV_NET = /^\/dev\/(?:tcp|udp)\//;
const UPLOAD_DEST: ReadonlyArray<{ programs: readonly string[]; verbs: readonly string[]; remote: RegExp; what: string }> = [
  { programs: ['aws'], verbs: ['cp', 'mv', 'sync'], remote: /^s3:\/\//i, what: 'uploads to S3' },
  { programs: ['gsutil'], verbs: ['cp', 'mv', 'rsync'], remote: /^gs:\/\//i, what: 'uploads to Cloud Storage' },
  { programs: ['gcloud'], verbs: ['cp', 'rsync'], remote: /^gs:\/\//i, what: 'uploads to Cloud Storage' },
  { programs: ['azcopy'], verbs: ['copy', 'cp', 'sync'], remote: /^https?:\/\//i, what: 'uploads to Azure Storage' },
  { programs: ['rclone'], verbs: ['copy', 'copyto', 'sync', 'move', 'moveto'], remote: /^[A-Za-z0-9_-]{2,}:/, what: 'uploads to an rclone remote' },
];

const egressUpload: Match = (v) => {
  if (v.program === 'curl') {
    const data = values(v.args, ['-d', '--data', '--data-binary', '--data-ascii', '--data-raw', '--data-urlencode', '--json']);
    const upload = values(v.args, ['-T', '--upload-file']);
    const form = values(v.args, ['-F', '--form']).filter((f) => /=[@<]/.test(f));
    if (upload.length > 0) return `uploads ${upload[0]} with curl`;
    if (form.length > 0) return `posts the file in ${form[0]} with curl`;
    const sent = data.find((d) => d.startsWith('@') || /^[^=]*@/.test(d) && !/^[^=]*@[\w.-]+\.\w+$/.test(d) || d.includes('$('));
    if (sent !== undefined) return `posts ${sent.startsWith('@-') ? 'its input' : sent.includes('$(') ? 'command output' : sent.slice(1)} with curl`;
  }
  if (v.program === 'wget' && (long(v.args, '--post-file', '--body-file') || values(v.args, ['--post-data', '--body-data']).some((d) => d.includes('$(')))) return 'posts a file with wget';
  if (v.program === 'scp' || v.program === 'rsync') {
    const ops = operands(v.args, ['-i', '-P', '-o', '-F', '-c', '-l', '-S', '-J', '-e', '--rsh', '--exclude', '--include', '--filter', '-f', '--port']);
    const dest = ops[ops.length - 1];
    if (ops.length >= 2 && dest !== undefined && REMOTE_PATH.test(dest) && ops.slice(0, -1).some((s) => !REMOTE_PATH.test(s))) return `copies local files to ${dest.split(':')[0]} with ${v.program}`;
  }
  if (v.program === 'sftp' && operands(v.args, ['-i', '-P', '-o', '-F', '-b', '-J']).length > 0) return 'opens an SFTP session that can upload';
  const fed = v.cmd.inputs.length > 0 || (v.cmd.reads ?? []).length > 0 || (v.cmd.stdin ?? []).length > 0;
  if (SOCKET_TOOLS.has(v.program) && v.program !== 'openssl' && fed && operands(v.args).length > 0) return `sends its input to a socket with ${v.program}`;
  if (v.program === 'openssl' && first(v) === 's_client' && fed) return 'sends its input over TLS (openssl s_client)';
  if ((v.program === 'ssh' || ['mail', 'mailx', 'sendmail', 'mutt'].includes(v.program)) && fed) return `sends its input through ${v.program}`;
  if (['mail', 'mailx', 'mutt'].includes(v.program) && short(v.args, 'a')) return `mails an attachment`;
  const dev = v.writes.find((w) => DEV_NET.test(w.raw));
  if (dev) return `writes to a network socket (${dev.raw})`;
  for (const u of UPLOAD_DEST) {
    if (!u.programs.includes(v.program) || !u.verbs.some((verb) => words(v).includes(verb))) continue;
    const ops = operands(v.args).filter((a) => !u.verbs.includes(a.toLowerCase()) && !['s3', 'storage'].includes(a.toLowerCase()));
    const dest = ops[ops.length - 1];
    if (ops.length >= 2 && dest !== undefined && u.remote.test(dest) && ops.slice(0, -1).some((s) => !u.remote.test(s))) return u.what;
  }
  if (v.program === 'gh' && seq(v, 'gist', 'create')) return 'publishes files as a gist';
  return undefined;
};

const SHELL_NAMES: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'fish', 'cmd', 'powershell', 'pwsh']);

const reverseShell: Match = (v) => {
  const interactive = SHELL_NAMES.has(v.program) && short(v.args, 'i');
  if (interactive && [...v.writes, ...v.reads].some((p) => DEV_NET.test(p.raw))) return 'connects an interactive shell to a remote socket';
  if (v.program === 'exec' || (v.cmd.words[0]?.text === ':' && v.writes.some((p) => DEV_NET.test(p.raw)) && interactive)) return undefined;
  if (['nc', 'ncat', 'netcat'].includes(v.program) && (v.args.some((a) => /^-[a-zA-Z]*[ec]$/.test(a)) || long(v.args, '--exec', '--sh-exec', '--lua-exec'))) return `hands a program to the network (${v.program} -e)`;
  if (v.program === 'socat' && v.args.some((a) => /^(?:exec|system):/i.test(a)) && v.args.some((a) => /tcp|udp|ssl|openssl/i.test(a))) return 'hands a program to the network (socat exec:)';
  if (SOCKET_TOOLS.has(v.program)) {
    const seen = new Set<SimpleCommand>();
    const walk = (c: SimpleCommand): boolean =>
      c.inputs.some((i) => {
        if (seen.has(i) || seen.size > 32) return false;
        seen.add(i);
        return (SHELL_NAMES.has(i.program) && !i.script) || walk(i);
      });
    if (walk(v.cmd)) return `pipes a shell to the network through ${v.program}`;
  }
  const code = v.cmd.script?.language === 'code' && v.program === v.cmd.program ? v.cmd.script.text : '';
  if (code && /socket|fsockopen|TCPSocket|Net::|net\.connect|\/dev\/tcp/i.test(code) && /subprocess|pty\.spawn|os\.dup2|exec\s*\(|system\s*\(|proc_open|spawn\s*\(|\/bin\/(?:ba)?sh/i.test(code)) return 'inline code connects a shell to a socket';
  return undefined;
};

const NETWORK_PROGRAMS: ReadonlySet<string> = new Set(['ssh', 'scp', 'sftp', 'ssh-keyscan', 'nc', 'ncat', 'netcat', 'socat', 'telnet', 'ftp', 'tftp', 'rclone', 'gsutil', 'azcopy', 'aria2c', 'http', 'https', 'xh']);
const GIT_NETWORK = new Set(['clone', 'fetch', 'pull', 'push', 'ls-remote', 'submodule']);

const network: Match = (v) => {
  if (isFetcher(v.cmd) && v.program === v.cmd.program) return `fetches ${fetchedUrl(v.cmd).text}`;
  if (NETWORK_PROGRAMS.has(v.program)) return `connects out with ${v.program}`;
  if (v.program === 'git' && GIT_NETWORK.has(first(v) ?? '')) return `git ${first(v)}`;
  if ((v.program === 'docker' || v.program === 'podman') && ['pull', 'push', 'login'].includes(first(v) ?? '')) return `${v.program} ${first(v)}`;
  if (v.program === 'rsync' && v.args.some((a) => REMOTE_PATH.test(a))) return 'rsync with a remote host';
  return undefined;
};

// -- persistence / system-write / agent-config-write / warden-tamper / secret-write -----------

const persistence: Match = (v) => {
  for (const cls of ['shell-startup', 'scheduler', 'git-hooks', 'remote-access']) {
    const hit = pathsWith(changed(v), cls)[0];
    if (hit) return `changes ${hit.raw} (${cls})`;
  }
  if (v.program === 'crontab' && !v.args.some((a) => a === '-l')) return 'installs or edits a crontab';
  if (v.program === 'systemctl' && ['enable', 'link', 'edit', 'reenable', 'preset', 'add-wants', 'add-requires'].includes(first(v) ?? '')) return `systemctl ${first(v)}`;
  if (v.program === 'launchctl' && ['load', 'bootstrap', 'enable', 'submit'].includes(first(v) ?? '')) return `launchctl ${first(v)}`;
  const key = v.program === 'git' && first(v) === 'config' ? v.args.findIndex((a) => /^core\.(?:hookspath|fsmonitor)$/i.test(a)) : -1;
  if (key >= 0 && v.args[key + 1] !== undefined && !long(v.args, '--get', '--get-all', '--unset', '--unset-all', '--list', '-l')) {
    return 'points git at hooks or an fsmonitor program';
  }
  if ((v.program === 'at' || v.program === 'batch') && v.args.length > 0 && !v.args.some((a) => a === '-l' || a === '-r' || a === '-d')) return 'schedules a job with at';
  if (v.program === 'schtasks' && v.args.some((a) => /^[/-]create$/i.test(a))) return 'creates a scheduled task';
  if (['register-scheduledtask', 'new-scheduledtask', 'new-service'].includes(v.program)) return `${v.program}`;
  if (v.program === 'sc' && ['create', 'config'].includes(first(v) ?? '')) return 'creates or changes a Windows service';
  if (v.program === 'reg' && first(v) === 'add' && v.args.some((a) => /\\run(?:once)?\b/i.test(a))) return 'adds a Run key';
  if ((v.program === 'update-rc.d' && v.args.some((a) => a === 'enable' || a === 'defaults')) || (v.program === 'chkconfig' && v.args.includes('on')) || (v.program === 'rc-update' && first(v) === 'add')) return 'enables a boot service';
  if (v.program === 'loginctl' && first(v) === 'enable-linger') return 'keeps user services running after logout';
  if (v.program === 'systemd-run' && long(v.args, '--on-calendar', '--on-active', '--on-boot', '--on-startup', '--on-unit-active')) return 'schedules a systemd timer';
  return undefined;
};

const systemWrite: Match = (v) => {
  const hit = pathsWith(changed(v), 'system')[0];
  return hit ? `changes ${hit.raw}` : undefined;
};

/** Agent CLIs' own commands that rewrite their settings (servers, hooks, permissions). */
const AGENT_CONFIG_COMMANDS: ReadonlyArray<{ programs: readonly string[]; test: (v: View) => boolean }> = [
  { programs: ['claude'], test: (v) => (first(v) === 'mcp' && ['add', 'add-json', 'remove', 'add-from-claude-desktop', 'reset-project-choices'].includes(words(v)[1] ?? '')) || (first(v) === 'config' && ['set', 'add', 'remove'].includes(words(v)[1] ?? '')) },
  { programs: ['codex', 'gemini', 'qwen', 'copilot', 'cursor-agent'], test: (v) => first(v) === 'mcp' && ['add', 'remove', 'add-json'].includes(words(v)[1] ?? '') },
  { programs: ['gemini'], test: (v) => seq(v, 'extensions', 'install') },
  { programs: ['code', 'code-insiders', 'cursor'], test: (v) => long(v.args, '--add-mcp') },
];

const agentConfigWrite: Match = (v) => {
  const hit = pathsWith(changed(v), 'agent-config')[0];
  if (hit) return `changes ${hit.raw}`;
  return AGENT_CONFIG_COMMANDS.some((c) => c.programs.includes(v.program) && c.test(v)) ? `changes agent settings (${clip(v.line, 60)})` : undefined;
};

const KILLERS: ReadonlySet<string> = new Set(['kill', 'pkill', 'killall', 'taskkill', 'stop-process', 'skill', 'xkill']);
const SERVICE_STOP: ReadonlySet<string> = new Set(['stop', 'disable', 'mask', 'kill', 'unload', 'bootout', 'remove', 'rm', 'uninstall', 'delete']);
/** Warden's own subcommands that undo or weaken it. */
const WARDEN_UNDO: ReadonlyArray<readonly string[]> = [['uninstall'], ['pin'], ['policy', 'init']];
const mentionsWarden = (xs: readonly string[]) => xs.some((x) => /warden/i.test(x));

const wardenTamper: Match = (v, ctx) => {
  const hit = pathsWith([...changed(v), ...v.deletes], 'warden')[0];
  if (hit) return `changes ${hit.raw}`;
  // Reading Warden's state (the receipt key signs approvals) is as bad as changing it; reading its
  // policy, lockfile or program is not.
  const state = v.reads.find(
    (r) => r.path === ctx.wardenHome || r.path.startsWith(ctx.wardenHome + '/') || (r.classes.includes('warden') && !/(?:^|\/)(?:warden\.(?:ya?ml|lock\.json)|bin\/warden(?:\.\w+)?)$/i.test(r.path)),
  );
  if (state) return `reads Warden's state (${state.raw})`;
  const inputWords = v.cmd.inputs.flatMap((i) => i.words.map((w) => w.text));
  if (KILLERS.has(v.program) && (mentionsWarden(v.args) || mentionsWarden(inputWords))) return `stops Warden (${clip(v.line, 60)})`;
  if (['systemctl', 'launchctl', 'service', 'sc', 'docker', 'podman', 'pm2', 'supervisorctl', 'brew'].includes(v.program) && SERVICE_STOP.has(first(v) ?? '') && mentionsWarden(v.args)) return `stops Warden's service`;
  if (['npm', 'pnpm', 'yarn', 'bun'].includes(v.program) && ['uninstall', 'remove', 'rm', 'un', 'r'].includes(first(v) ?? '') && mentionsWarden(words(v).slice(1))) return 'uninstalls Warden';
  if (v.program === 'warden' && WARDEN_UNDO.some((w) => seq(v, ...w))) return `runs warden ${words(v).slice(0, 2).join(' ')}`;
  // `chmod -x $(which warden)`, `rm "$(command -v warden)"`: a path computed from Warden's name.
  if ((changed(v).length > 0 || DELETERS.has(v.program) || v.program === 'chmod' || v.program === 'mv') && v.cmd.inputs.some((i) => ['which', 'command', 'type', 'where', 'whereis'].includes(i.program) && mentionsWarden(i.words.map((w) => w.text)))) {
    return "changes Warden's program";
  }
  return undefined;
};

const secretWrite: Match = (v) => {
  const hit = pathsWith([...v.writes, ...v.deletes], 'credentials')[0];
  return hit ? `${v.deletes.includes(hit) ? 'deletes' : 'writes'} ${hit.raw}` : undefined;
};

// -- force-push -------------------------------------------------------------------------------

const forcePush: Match = (v) => {
  if (v.program !== 'git' || first(v) !== 'push') return undefined;
  const after = v.args.slice(v.args.findIndex((a) => a.toLowerCase() === 'push') + 1);
  const flag = after.find((a) => /^--force(?:-with-lease|-if-includes)?(?:=|$)/.test(a) || a === '--mirror' || /^-[a-zA-Z]*f[a-zA-Z]*$/.test(a));
  if (flag) return `git push ${flag}`;
  const plus = operands(after, ['--repo', '-o', '--push-option', '--receive-pack', '--exec']).find((a) => a.startsWith('+'));
  return plus ? `git push ${plus} (forced refspec)` : undefined;
};

// -- packages ---------------------------------------------------------------------------------

const JS_MANAGERS: ReadonlySet<string> = new Set(['npm', 'pnpm', 'yarn', 'bun', 'cnpm']);
const JS_INSTALL = new Set(['install', 'i', 'add', 'ci', 'isntall', 'in', 'ins', 'inst', 'insta', 'instal', 'update', 'up', 'upgrade']);
const PY_MANAGERS: ReadonlySet<string> = new Set(['pip', 'pip3', 'pipx', 'uv', 'poetry', 'pdm', 'easy_install', 'pipenv', 'conda', 'mamba']);
const PUBLIC_REGISTRIES = /^https?:\/\/(?:registry\.npmjs\.org|registry\.yarnpkg\.com|pypi\.org|files\.pythonhosted\.org|rubygems\.org|index\.crates\.io)(?:\/|$)/i;
/** A package spec that is not a registry name: URL, git, tarball, or GitHub `user/repo` shorthand. */
const REMOTE_SPEC = /^(?:https?:|git(?:\+[a-z]+)?:|git@|github:|gitlab:|bitbucket:|gist:|svn\+|hg\+|bzr\+|ssh:)|^[\w.-]+\/[\w.-]+(?:#.*)?$/i;
const OTHER_INSTALLERS: ReadonlyArray<{ programs: readonly string[]; verbs: readonly string[] }> = [
  { programs: ['cargo'], verbs: ['install', 'add'] },
  { programs: ['go'], verbs: ['install', 'get'] },
  { programs: ['gem'], verbs: ['install'] },
  { programs: ['bundle', 'bundler'], verbs: ['install', 'add'] },
  { programs: ['brew'], verbs: ['install', 'reinstall', 'upgrade'] },
  { programs: ['apt', 'apt-get', 'yum', 'dnf', 'apk', 'zypper', 'port', 'snap', 'flatpak', 'choco', 'winget', 'scoop'], verbs: ['install', 'add', 'in'] },
  { programs: ['pacman'], verbs: ['-s', '-sy', '-syu', '-u'] },
  { programs: ['composer'], verbs: ['install', 'require'] },
  { programs: ['dotnet'], verbs: ['add'] },
  { programs: ['mix'], verbs: ['deps.get'] },
];

function installSpecs(v: View): { installs: boolean; runs?: boolean; specs: string[] } {
  const w = words(v);
  if (JS_MANAGERS.has(v.program)) {
    const verb = w[0];
    const installs = verb === undefined ? v.program === 'yarn' : JS_INSTALL.has(verb);
    return { installs, specs: installs ? operands(v.args, ['--registry', '-C', '--prefix', '--filter', '-F', '--workspace', '-w']).slice(1) : [] };
  }
  if (PY_MANAGERS.has(v.program)) {
    const at = w.findIndex((x) => x === 'install' || x === 'add');
    const installs = at >= 0 && (v.program !== 'uv' || ['pip', 'add', 'tool'].includes(w[0] ?? ''));
    return { installs, specs: installs ? operands(v.args, ['-i', '--index-url', '--extra-index-url', '-f', '--find-links', '--trusted-host', '-r', '--requirement', '-c', '--constraint', '--python', '-p']).slice(w.slice(0, at + 1).length) : [] };
  }
  // npx and friends run a package, fetching it when missing: only where from matters, not as an install.
  if (['npx', 'bunx', 'pnpx', 'uvx'].includes(v.program)) return { installs: false, runs: true, specs: operands(v.args, ['-p', '--package', '--from']).slice(0, 1).concat(values(v.args, ['-p', '--package', '--from'])) };
  const other = OTHER_INSTALLERS.find((o) => o.programs.includes(v.program) && o.verbs.includes((v.program === 'pacman' ? v.args[0] : w[0])?.toLowerCase() ?? ''));
  return { installs: other !== undefined, specs: other ? operands(v.args).slice(1) : [] };
}

const packageInstallUntrusted: Match = (v) => {
  const { installs, runs, specs } = installSpecs(v);
  const js = JS_MANAGERS.has(v.program) || runs === true;
  if (installs || runs) {
    // `user/repo` means GitHub only to the JS package managers; elsewhere it is a module path or a tap.
    const spec = specs.find((s) => (REMOTE_SPEC.test(s) && (js || !/^[\w.-]+\/[\w.-]+(?:#.*)?$/.test(s)) && !/^\.\.?\//.test(s) && !s.startsWith('@')) || /^https?:/i.test(s));
    if (spec) return `installs ${spec}, which no registry vouches for`;
    const registry = !installs ? undefined : values(v.args, ['--registry', '-i', '--index-url', '--extra-index-url', '--index', '--source', '-s', '--clear-sources', '-f', '--find-links']).find((r) => !PUBLIC_REGISTRIES.test(r));
    if (registry !== undefined && !(v.program === 'gem' && registry === '')) return `installs from the registry ${registry}`;
    if (long(v.args, '--trusted-host')) return 'installs over an unverified connection (--trusted-host)';
    if (v.program === 'cargo' && long(v.args, '--git', '--registry', '--index')) return 'installs a crate from a git repository or another registry';
  }
  if (v.program === 'add-apt-repository' || (v.program === 'apt-key' && first(v) === 'add')) return 'adds a third-party package source';
  return undefined;
};

const packageInstall: Match = (v) => (installSpecs(v).installs ? `${v.program} ${first(v) ?? ''}`.trim() : undefined);

// -- env-dump / credential-print ------------------------------------------------------------

const SECRET_VAR = /^(?!.*(?:_PATH|_FILE|_DIR|_URL|_HOST|_SOCK|_ID)$)(?:.*(?:SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|PRIVATE_KEY|API_?KEY|ACCESS_KEY)|(?:.*_)?(?:KEY|PAT|PWD|PASS)$)/i;
const NOT_SECRET_VAR = /^(?:PWD|OLDPWD|GPG_KEY|KEY)$/;
const isSecretVar = (name: string) => SECRET_VAR.test(name) && !NOT_SECRET_VAR.test(name);

const envDump: Match = (v, ctx) => (reachesAgent(v.cmd, ctx) ? environmentShown(v) : undefined);

function environmentShown(v: View): string | undefined {
  // `export $(cat .env | xargs)` sets variables from its substitution; only bare forms print.
  const bare = v.cmd.inputs.length === 0;
  if (v.program === 'printenv' && bare) {
    const names = operands(v.args);
    if (names.length === 0) return 'prints the whole environment';
    const secret = names.find(isSecretVar);
    if (secret) return `prints ${secret}`;
  }
  if (v.program === 'env' && bare && v.cmd.words.length === 1 + v.args.filter(isFlag).length && v.args.every(isFlag)) return 'prints the whole environment';
  if ((v.program === 'export' || v.program === 'declare' || v.program === 'typeset') && bare && (v.args.length === 0 || v.args.every((a) => /^-[pxr]+$/.test(a)))) return `prints exported variables (${v.program} ${v.args.join(' ')})`.replace(' )', ')');
  if (v.program === 'set' && bare && v.args.length === 0) return 'prints every shell variable';
  if (['echo', 'printf', 'print', 'write-output', 'write-host'].includes(v.program)) {
    for (const a of v.args) {
      for (const m of a.matchAll(/\$\{?([A-Za-z_]\w*)|\$env:([A-Za-z_]\w*)/g)) {
        const name = m[1] ?? m[2]!;
        if (isSecretVar(name)) return `prints $${name}`;
      }
    }
  }
  const environ = pathsWith(v.reads, 'process-env')[0];
  if (environ) return `reads ${environ.raw}`;
  if (['get-childitem', 'gci', 'ls', 'dir'].includes(v.program) && v.args.some((a) => /^env:\\?$/i.test(a))) return 'lists the environment (Env:)';
  const code = v.cmd.script?.language === 'code' && v.program === v.cmd.program ? v.cmd.script.text : '';
  if (code && (/\bprocess\.env\b(?!\s*(?:\.|\[|\?\.))/.test(code) || /\bos\.environ\b(?!\s*(?:\[|\.get\b))/.test(code) || /%ENV\b|\bENV\.(?:to_h|inspect|each)|GetEnvironmentVariables\(\)/.test(code))) return 'inline code prints the environment';
  return undefined;
}

const CREDENTIAL_PRINTERS: ReadonlyArray<{ programs: readonly string[]; test: (v: View) => boolean; what: string }> = [
  { programs: ['gh'], test: (v) => seq(v, 'auth', 'token') || (seq(v, 'auth', 'status') && (short(v.args, 't') || long(v.args, '--show-token'))), what: 'prints the GitHub token' },
  { programs: ['gcloud'], test: (v) => words(v).some((w) => /^print-(?:access|identity|refresh)-token$/.test(w)) || seq(v, 'secrets', 'versions', 'access'), what: 'prints a Google Cloud token or secret' },
  {
    programs: ['aws'],
    test: (v) =>
      (seq(v, 'configure', 'get') && words(v).some((w) => /secret|token|key/.test(w))) || seq(v, 'configure', 'export-credentials') ||
      seq(v, 'sts', 'get-session-token') || seq(v, 'sts', 'assume-role') || seq(v, 'ecr', 'get-login-password') || seq(v, 'codeartifact', 'get-authorization-token') ||
      seq(v, 'secretsmanager', 'get-secret-value') || ((seq(v, 'ssm', 'get-parameter') || seq(v, 'ssm', 'get-parameters')) && long(v.args, '--with-decryption')),
    what: 'prints AWS credentials or a secret',
  },
  { programs: ['az'], test: (v) => seq(v, 'account', 'get-access-token') || seq(v, 'keyvault', 'secret', 'show') || seq(v, 'storage', 'account', 'keys', 'list') || (seq(v, 'acr', 'login') && long(v.args, '--expose-token')), what: 'prints an Azure token or secret' },
  { programs: ['git'], test: (v) => seq(v, 'credential', 'fill') || /^credential-/.test(first(v) ?? '') || (first(v) === 'config' && v.args.some((a) => /^credential\./i.test(a))), what: 'asks git for stored credentials' },
  { programs: ['security'], test: (v) => (/^find-(?:generic|internet)-password$/.test(first(v) ?? '') && (short(v.args, 'w') || short(v.args, 'g'))) || first(v) === 'dump-keychain', what: 'prints a password from the macOS keychain' },
  { programs: ['op'], test: (v) => first(v) === 'read' || seq(v, 'item', 'get') || first(v) === 'inject', what: 'prints a 1Password secret' },
  { programs: ['pass', 'gopass'], test: (v) => first(v) === 'show' || (words(v).length === 1 && !['ls', 'list', 'init', 'git', 'insert', 'generate', 'edit', 'rm', 'mv', 'cp', 'find', 'grep', 'help', 'version'].includes(first(v) ?? '')), what: 'prints a password from pass' },
  { programs: ['vault'], test: (v) => first(v) === 'read' || seq(v, 'kv', 'get') || seq(v, 'print', 'token') || seq(v, 'token', 'create'), what: 'prints a Vault secret or token' },
  { programs: ['kubectl', 'oc'], test: (v) => (seq(v, 'config', 'view') && long(v.args, '--raw', '--flatten')) || (first(v) === 'get' && /^secrets?$/.test(words(v)[1] ?? '') && (values(v.args, ['-o', '--output']).some((o) => /yaml|json|jsonpath|go-template/.test(o)) || v.args.some((a) => /^-o(?:yaml|json)/.test(a)))) || seq(v, 'create', 'token'), what: 'prints Kubernetes credentials or secrets' },
  { programs: ['npm'], test: (v) => first(v) === 'token', what: 'prints or creates npm tokens' },
  { programs: ['gpg', 'gpg2'], test: (v) => long(v.args, '--export-secret-keys', '--export-secret-subkeys', '--export-secret-key'), what: 'exports private GPG keys' },
  { programs: ['secret-tool'], test: (v) => first(v) === 'lookup', what: 'prints a secret from the keyring' },
  { programs: ['keyring'], test: (v) => first(v) === 'get', what: 'prints a secret from the keyring' },
  { programs: ['heroku'], test: (v) => first(v) === 'auth:token' || first(v) === 'config' || first(v) === 'config:get', what: 'prints Heroku credentials or config vars' },
  { programs: ['pulumi'], test: (v) => first(v) === 'config' && long(v.args, '--show-secrets'), what: 'prints Pulumi secrets' },
  { programs: ['doppler'], test: (v) => seq(v, 'secrets', 'get') || (first(v) === 'secrets' && words(v).length === 1) || seq(v, 'secrets', 'download'), what: 'prints Doppler secrets' },
];

const credentialPrint: Match = (v, ctx) => {
  if (!reachesAgent(v.cmd, ctx)) return undefined;
  if (/^docker-credential-/.test(v.program) && first(v) === 'get') return `asks ${v.program} for a stored credential`;
  return CREDENTIAL_PRINTERS.find((c) => c.programs.includes(v.program) && c.test(v))?.what;
};

const deleting: Match = (v) => {
  if (DELETERS.has(v.program) || ['remove-item', 'ri', 'del', 'erase', 'rd'].includes(v.program)) return `${v.program} ${clip(v.args.join(' '), 60)}`;
  if (v.program === 'find' && v.args.includes('-delete')) return 'find -delete';
  if (v.program === 'git' && first(v) === 'clean' && short(v.args, 'f')) return 'git clean';
  return undefined;
};

function clip(s: string, n = 80): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

/** Every class and its matcher, in the order reasons are listed. */
const CLASS_MATCHERS: ReadonlyArray<{ class: string; match: Match }> = [
  { class: 'warden-tamper', match: wardenTamper },
  { class: 'agent-config-write', match: agentConfigWrite },
  { class: 'wide-delete', match: wideDelete },
  { class: 'raw-disk', match: rawDisk },
  { class: 'download-exec', match: downloadExec },
  { class: 'secret-read', match: secretRead },
  { class: 'history-wipe', match: historyWipe },
  { class: 'world-writable', match: worldWritable },
  { class: 'reverse-shell', match: reverseShell },
  { class: 'infra-destroy', match: infraDestroy },
  { class: 'database-drop', match: databaseDrop },
  { class: 'egress-upload', match: egressUpload },
  { class: 'persistence', match: persistence },
  { class: 'system-write', match: systemWrite },
  { class: 'force-push', match: forcePush },
  { class: 'privilege', match: privilege },
  { class: 'package-install-untrusted', match: packageInstallUntrusted },
  { class: 'env-dump', match: envDump },
  { class: 'credential-print', match: credentialPrint },
  { class: 'secret-write', match: secretWrite },
  { class: 'env-file-read', match: envFileRead },
  { class: 'network', match: network },
  { class: 'delete', match: deleting },
  { class: 'package-install', match: packageInstall },
  { class: 'sensitive-read', match: sensitiveRead },
];

/** Classes seen in the text as a whole rather than in one command. */
const LINE_MATCHERS: ReadonlyArray<{ class: string; hint: string; re: RegExp; why: string }> = [
  // The name is bounded and must start a word, so a long run of letters cannot make this quadratic.
  { class: 'fork-bomb', hint: '()', re: /(?:^|[\s;&|{])([\w:.]{1,64})\s*\(\)\s*\{[^}]{0,200}?\1\s*\|\s*\1\s*&/, why: 'defines a function that pipes itself into itself in the background' },
  { class: 'fork-bomb', hint: 'fork', re: /\bfork\s+while\s+fork\b|while\s*(?:True|1|\(1\))\s*:?\s*os\.fork\(\)/, why: 'forks without end' },
  { class: 'fork-bomb', hint: '%0|%0', re: /%0\|%0/, why: 'a batch file that starts itself twice, forever' },
];

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

const URL_IN_WORD = /\b(?:https?|ftp|wss?|s3|gs):\/\/[^\s"'`<>|;)]+/gi;

/** Bounds for hostile input: a command this long is judged on its first part. */
const MAX_COMMAND_CHARS = 100_000;

export function analyseShell(command: string, opts: ShellOptions = {}): ShellAnalysis {
  const text = command.length > MAX_COMMAND_CHARS ? command.slice(0, MAX_COMMAND_CHARS) : command;
  const classifier = pathClassifier(opts);
  const cache = new Map<string, PathRef>();
  const path = (raw: string): PathRef => {
    let r = cache.get(raw);
    if (!r) {
      const normalised = classifier.normalise(raw);
      r = { raw, path: normalised, classes: classifier.classify(normalised) };
      cache.set(raw, r);
    }
    return r;
  };
  const home = classifier.normalise('~');
  const cmds = commandLineCommands(text);
  const views = buildViews(cmds, path);
  const consumers = new Map<SimpleCommand, SimpleCommand[]>();
  for (const c of cmds) for (const i of c.inputs) consumers.set(i, [...(consumers.get(i) ?? []), c]);
  // `cd build && rm -rf *`: what `*` means depends on where the line went before.
  const cdBefore = new Map<View, string>();
  let dir: string | undefined;
  for (const v of views) {
    if (dir !== undefined) cdBefore.set(v, dir);
    // `cd "$(mktemp -d)"` goes somewhere unknown: no longer the working directory, and not home either.
    if (v.program === 'cd' || v.program === 'pushd') dir = operands(v.args)[0] ?? (v.cmd.inputs.length > 0 ? '\u0000computed' : '~');
  }
  const ctx: Context = {
    views,
    text,
    home,
    ...(opts.cwd !== undefined ? { cwd: classifier.normalise(opts.cwd) } : {}),
    wardenHome: classifier.normalise('$WARDEN_HOME'),
    path,
    consumers,
    cdBefore,
  };

  const classes = new Set<string>();
  const reasons: ShellAnalysis['reasons'] = [];
  const add = (cls: string, commandText: string, why: string) => {
    if (reasons.some((r) => r.class === cls && r.command === commandText)) return;
    classes.add(cls);
    reasons.push({ class: cls, command: commandText, why });
  };
  for (const v of views) {
    for (const m of CLASS_MATCHERS) {
      const why = m.match(v, ctx);
      if (why) add(m.class, v.line, why);
    }
  }
  for (const m of LINE_MATCHERS) if (text.includes(m.hint) && m.re.test(text)) add(m.class, clip(text, 120), m.why);

  const reads = new Set<string>();
  const writes = new Set<string>();
  const deletes = new Set<string>();
  const urls = new Set<string>();
  for (const v of views) {
    for (const r of v.reads) reads.add(r.path);
    for (const r of changed(v)) writes.add(r.path);
    for (const r of v.deletes) deletes.add(r.path);
    for (const a of [v.program, ...v.args]) for (const m of a.matchAll(URL_IN_WORD)) urls.add(m[0]);
  }
  return {
    commands: views.map((v) => ({ program: v.program, args: v.args })),
    classes: [...classes].sort(),
    reads: [...reads],
    writes: [...writes],
    deletes: [...deletes],
    urls: [...urls],
    reasons,
  };
}
