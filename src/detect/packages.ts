// Which code a server's launch fetches, and whether the launch pins it. Launchers (npx, pnpm dlx,
// bunx, yarn dlx, uvx, pipx run, pip install, go run, deno run, docker/podman run) each say where
// the package spec sits on their command line; a spec is then read in its ecosystem's syntax into
// {ecosystem, name, version | tag | digest | commit, pinned}. Code fetched by URL (a tarball, a git
// branch, `curl | sh`) is never pinned unless the URL carries a commit or a content hash.
import type { ServerDecl } from '../core/types.js';
import type { ServerField } from '../rules/rule.js';
import { downloadedCode, fetchedUrl, parseContainerRun, serverCommands, type SimpleCommand, type Word } from './commands.js';
import { REMOTE_BRIDGES } from './well-known-servers.js';

export type Ecosystem = 'npm' | 'jsr' | 'pypi' | 'oci' | 'go' | 'git' | 'url';

/** Why a reference is not pinned. */
export type UnpinnedReason = 'no-version' | 'dist-tag' | 'range' | 'image-tag' | 'no-commit' | 'url';

export interface PackageRef {
  ecosystem: Ecosystem;
  /** Registry name (`@scope/pkg`, normalised PyPI name, image without tag), repository URL or URL. */
  name: string;
  /** Version, range or dist-tag as written. */
  version?: string;
  /** Image tag. */
  tag?: string;
  /** Image digest (`sha256:…`) or URL content hash. */
  digest?: string;
  /** Full git commit SHA. */
  commit?: string;
  pinned: boolean;
  unpinned?: UnpinnedReason;
  /** The spec as written. */
  spec: string;
  /** The word naming it, for locating a finding. */
  word: Word;
  /** npx, uvx, docker, curl… */
  launcher: string;
}

type Parsed = Omit<PackageRef, 'spec' | 'word' | 'launcher'>;
type SpecParser = (spec: string) => Parsed | undefined;

// ---------------------------------------------------------------------------------------------
// Spec syntaxes
// ---------------------------------------------------------------------------------------------

const LOCAL_PATH = /^(?:\.{1,2}(?:[\\/]|$)|[\\/]|~|file:|[A-Za-z]:[\\/])/;
const EXACT_SEMVER = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const COMMIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const GIT_URL = /^(?:git\+[a-z+]+:\/\/|git:\/\/|ssh:\/\/git@|git@[\w.-]+:|(?:github|gitlab|bitbucket|gist):)/i;
const FORGE_REPO_URL = /^https?:\/\/(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)\/[^/\s]+\/[^/\s#]+?(?:\.git)?\/?(?:[#@].*)?$/i;
const ARCHIVE = /\.(?:tgz|tar\.gz|tar|zip|whl|tar\.bz2|tar\.xz)(?:[?#].*)?$/i;

function versionStatus(version: string | undefined): Pick<Parsed, 'pinned' | 'unpinned'> {
  if (!version) return { pinned: false, unpinned: 'no-version' };
  if (EXACT_SEMVER.test(version)) return { pinned: true };
  if (/^[A-Za-z][\w.-]*$/.test(version)) return { pinned: false, unpinned: 'dist-tag' };
  return { pinned: false, unpinned: 'range' };
}

/** A git repository or a URL, in npm's, pip's or uv's spelling. */
function parseRemote(spec: string, gitShorthand: boolean): Parsed | undefined {
  const isGit = GIT_URL.test(spec) || (FORGE_REPO_URL.test(spec) && !ARCHIVE.test(spec)) || (gitShorthand && /^[\w.-]+\/[\w.-]+(?:#.+)?$/.test(spec));
  if (isGit) {
    const hash = spec.indexOf('#');
    const fragment = hash >= 0 ? spec.slice(hash + 1) : '';
    let base = hash >= 0 ? spec.slice(0, hash) : spec;
    // npm puts the ref in the fragment (#v1.2.0, #<sha>); pip and uv after an @ at the end of the path.
    let ref = fragment && !fragment.includes('=') ? fragment : undefined;
    const pathRef = /^(.*\/[^/@]+?)@([^/@]+)$/.exec(base.replace(/^[a-z+]+:\/\/[^/]*@/i, (m) => m.replace('@', '\u0000')));
    if (!ref && pathRef) {
      ref = pathRef[2];
      base = pathRef[1]!;
    }
    base = base.replace('\u0000', '@');
    if (ref && COMMIT_SHA.test(ref)) return { ecosystem: 'git', name: base, commit: ref.toLowerCase(), pinned: true };
    return { ecosystem: 'git', name: base, ...(ref ? { version: ref } : {}), pinned: false, unpinned: 'no-commit' };
  }
  if (/^(?:https?|ftp):\/\//i.test(spec)) {
    // pip and uv verify `#sha256=…` (or another hash) before installing: that pins the content.
    const hash = /[#&](sha(?:256|384|512)=[0-9a-f]+)/i.exec(spec);
    if (hash) return { ecosystem: 'url', name: spec.replace(/#.*$/, ''), digest: hash[1]!.toLowerCase(), pinned: true };
    return { ecosystem: 'url', name: spec, pinned: false, unpinned: 'url' };
  }
  return undefined;
}

/** `pkg`, `pkg@1.2.3`, `@scope/pkg@^1`, `alias@npm:real@1`, git and tarball specs; undefined for a local path. */
export const parseNpmSpec: SpecParser = (spec) => {
  const s = spec.trim();
  if (!s || LOCAL_PATH.test(s)) return undefined;
  const remote = parseRemote(s, true);
  if (remote) return remote;
  const alias = /^(?:@[^/@\s]+\/)?[^@\s]+@npm:(.+)$/.exec(s);
  if (alias) return parseNpmSpec(alias[1]!);
  const m = /^(@[^/@\s]+\/[^@\s]+|[^@\s]+)(?:@(.*))?$/.exec(s);
  if (!m || /[:\s]/.test(m[1]!)) return undefined;
  // Kept as written: a capital I posing as an l is exactly what the typosquat check looks for.
  return { ecosystem: 'npm', name: m[1]!, ...(m[2] ? { version: m[2] } : {}), ...versionStatus(m[2]) };
};

/** JSR names are always scoped: `@scope/pkg@1.2.3`. */
const parseJsrSpec: SpecParser = (spec) => {
  const parsed = parseNpmSpec(spec);
  return parsed && parsed.ecosystem === 'npm' ? { ...parsed, ecosystem: 'jsr' } : parsed;
};

/** PEP 503: names compare case-insensitively with runs of -, _ and . equal. */
export function normalisePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** `pkg`, `pkg==1.2.3`, `pkg[extra]>=1`, uv's `pkg@1.2.3` / `pkg@latest`, `pkg @ https://…`, git and archive URLs. */
export const parsePypiSpec: SpecParser = (spec) => {
  const s = spec.trim().replace(/\s*;.*$/, ''); // environment markers do not change what is fetched
  if (!s || LOCAL_PATH.test(s) || /\.py$/i.test(s)) return undefined;
  const remote = parseRemote(s, false);
  if (remote) return remote;
  const direct = /^([A-Za-z0-9][\w.-]*)(?:\[[^\]]*\])?\s*@\s*(\S+:\/\/\S+)$/.exec(s);
  if (direct) {
    const r = parseRemote(direct[2]!, false);
    return r ? { ...r, name: r.ecosystem === 'url' || r.ecosystem === 'git' ? r.name : normalisePypiName(direct[1]!) } : undefined;
  }
  const at = /^([A-Za-z0-9][\w.-]*)(?:\[[^\]]*\])?@(.+)$/.exec(s);
  if (at) return { ecosystem: 'pypi', name: normalisePypiName(at[1]!), version: at[2]!, ...versionStatus(at[2]) };
  const m = /^([A-Za-z0-9][\w.-]*)(?:\[[^\]]*\])?\s*(.*)$/.exec(s);
  if (!m) return undefined;
  const req = m[2]!.trim();
  const name = normalisePypiName(m[1]!);
  if (!req) return { ecosystem: 'pypi', name, pinned: false, unpinned: 'no-version' };
  const exact = /^===?\s*([^,;\s*]+)$/.exec(req);
  if (exact) return { ecosystem: 'pypi', name, version: exact[1]!, pinned: true };
  return { ecosystem: 'pypi', name, version: req, pinned: false, unpinned: 'range' };
};

/** `example.com/mod/cmd@v1.2.3`; a relative package path (./cmd, cmd/server) is local code. */
const parseGoSpec: SpecParser = (spec) => {
  const [path, version] = spec.split('@') as [string, string | undefined];
  if (!path || LOCAL_PATH.test(path) || !/^[a-z0-9-]+(?:\.[a-z0-9-]+)+\//i.test(path)) return undefined;
  if (version && (EXACT_SEMVER.test(version) || COMMIT_SHA.test(version))) return { ecosystem: 'go', name: path, version, pinned: true };
  return { ecosystem: 'go', name: path, ...(version ? { version } : {}), pinned: false, unpinned: version ? 'dist-tag' : 'no-version' };
};

/** Deno runs `npm:`, `jsr:` and URL specifiers; anything else is a local file. */
const parseDenoSpec: SpecParser = (spec) => {
  if (spec.startsWith('npm:')) return parseNpmSpec(spec.slice(4));
  if (spec.startsWith('jsr:')) return parseJsrSpec(spec.slice(4));
  if (/^https?:\/\//i.test(spec)) return parseRemote(spec, false);
  return undefined;
};

export interface ImageRef {
  /** Normalised: lower case, without docker.io/ and library/. */
  name: string;
  tag?: string;
  digest?: string;
}

/** `[registry/]repo[:tag][@sha256:…]`; undefined for a reference computed at run time ($IMAGE). */
export function parseImageRef(ref: string): ImageRef | undefined {
  if (!ref || /^[$%]/.test(ref) || /\s/.test(ref)) return undefined;
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (!rest) return undefined;
  return { name: normaliseImageName(rest), ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** `docker.io/library/ubuntu` and `ubuntu` are one image; so are `index.docker.io/mcp/x` and `mcp/x`. */
export function normaliseImageName(name: string): string {
  return name
    .toLowerCase()
    .replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '')
    .replace(/^library\//, '');
}

const DIGEST = /^sha256:[0-9a-f]{64}$/i;

function imagePackage(image: Word, launcher: string): PackageRef | undefined {
  const ref = parseImageRef(image.text);
  if (!ref) return undefined;
  const pinned = ref.digest !== undefined && DIGEST.test(ref.digest);
  const unpinned: UnpinnedReason | undefined = pinned ? undefined : !ref.tag ? 'no-version' : ref.tag === 'latest' ? 'dist-tag' : 'image-tag';
  return { ecosystem: 'oci', ...ref, pinned, ...(unpinned ? { unpinned } : {}), spec: image.text, word: image, launcher };
}

// ---------------------------------------------------------------------------------------------
// Launchers
// ---------------------------------------------------------------------------------------------

interface Launcher {
  /** Shown in messages. */
  name: string;
  program: string;
  /** Words that follow the program before the options (npm exec, uv tool run, python -m pip install). */
  sub?: readonly string[];
  parse: SpecParser;
  /** Options that take the next word as their value. */
  valueFlags: readonly string[];
  /** Options whose value is the package; with one given, the first positional is only a command name. */
  packageFlags?: readonly string[];
  /** Options naming extra packages installed beside the main one. */
  extraFlags?: readonly string[];
  /** Every positional is a package (pip install a b c). */
  allPositionals?: boolean;
  /** Positionals are commands from an environment, never packages (uv run). */
  commandsOnly?: boolean;
}

const NPX_VALUES = ['--registry', '--cache', '--userconfig', '--node-options', '--loglevel', '-c', '--call', '--shell', '--workspace', '-w'];
const UV_VALUES = [
  '--python', '-p', '--index-url', '-i', '--extra-index-url', '--index', '--default-index', '--directory', '--project', '--env-file',
  '--python-preference', '--cache-dir', '--config-file', '--constraints', '-c', '--overrides', '--build-constraints', '-b', '--find-links', '-f',
];
const PIP_VALUES = ['-i', '--index-url', '--extra-index-url', '-t', '--target', '-c', '--constraint', '--prefix', '--root', '--platform', '-r', '--requirement', '-e', '--editable', '-f', '--find-links', '--python-version'];
const DENO_VALUES = ['--config', '-c', '--import-map', '--lock', '--cert', '--location', '--seed', '--env-file', '--inspect-wait'];
const GO_VALUES = ['-C', '-o', '-p', '-tags', '-ldflags', '-gcflags', '-asmflags', '-mod', '-modfile', '-exec', '-overlay', '-pkgdir', '-toolexec'];

/** Where each launcher keeps its package spec. */
export const LAUNCHERS: readonly Launcher[] = [
  { name: 'npx', program: 'npx', parse: parseNpmSpec, valueFlags: NPX_VALUES, packageFlags: ['-p', '--package'] },
  { name: 'npm exec', program: 'npm', sub: ['exec'], parse: parseNpmSpec, valueFlags: NPX_VALUES, packageFlags: ['-p', '--package'] },
  { name: 'npm exec', program: 'npm', sub: ['x'], parse: parseNpmSpec, valueFlags: NPX_VALUES, packageFlags: ['-p', '--package'] },
  { name: 'pnpm dlx', program: 'pnpm', sub: ['dlx'], parse: parseNpmSpec, valueFlags: ['--reporter', '--allow-build'], packageFlags: ['--package'] },
  { name: 'pnpx', program: 'pnpx', parse: parseNpmSpec, valueFlags: ['--reporter', '--allow-build'], packageFlags: ['--package'] },
  { name: 'yarn dlx', program: 'yarn', sub: ['dlx'], parse: parseNpmSpec, valueFlags: [], packageFlags: ['-p', '--package'] },
  { name: 'bunx', program: 'bunx', parse: parseNpmSpec, valueFlags: [], packageFlags: ['-p', '--package'] },
  { name: 'bun x', program: 'bun', sub: ['x'], parse: parseNpmSpec, valueFlags: [], packageFlags: ['-p', '--package'] },
  { name: 'uvx', program: 'uvx', parse: parsePypiSpec, valueFlags: UV_VALUES, packageFlags: ['--from'], extraFlags: ['--with', '-w'] },
  { name: 'uv tool run', program: 'uv', sub: ['tool', 'run'], parse: parsePypiSpec, valueFlags: UV_VALUES, packageFlags: ['--from'], extraFlags: ['--with', '-w'] },
  { name: 'uv run', program: 'uv', sub: ['run'], parse: parsePypiSpec, valueFlags: UV_VALUES, extraFlags: ['--with', '-w'], commandsOnly: true },
  { name: 'pipx run', program: 'pipx', sub: ['run'], parse: parsePypiSpec, valueFlags: ['--python', '--pip-args', '--index-url', '-i'], packageFlags: ['--spec'] },
  { name: 'pip install', program: 'pip', sub: ['install'], parse: parsePypiSpec, valueFlags: PIP_VALUES, allPositionals: true },
  { name: 'pip install', program: 'pip3', sub: ['install'], parse: parsePypiSpec, valueFlags: PIP_VALUES, allPositionals: true },
  { name: 'pip install', program: 'python', sub: ['-m', 'pip', 'install'], parse: parsePypiSpec, valueFlags: PIP_VALUES, allPositionals: true },
  { name: 'go run', program: 'go', sub: ['run'], parse: parseGoSpec, valueFlags: GO_VALUES },
  { name: 'deno run', program: 'deno', sub: ['run'], parse: parseDenoSpec, valueFlags: DENO_VALUES },
];

/** The packages one simple command fetches and runs. */
export function packagesOfCommand(cmd: SimpleCommand): PackageRef[] {
  const out: PackageRef[] = [];
  const run = parseContainerRun(cmd);
  if (run?.image) {
    const ref = imagePackage(run.image, cmd.program);
    if (ref) out.push(ref);
  }
  for (const l of LAUNCHERS) {
    if (l.program !== cmd.program) continue;
    const start = afterSub(cmd.words, l);
    if (start < 0) continue;
    out.push(...launcherPackages(cmd.words, start, l));
    break;
  }
  for (const fetcher of downloadedCode(cmd)) {
    const url = fetchedUrl(fetcher);
    out.push({ ecosystem: 'url', name: url.text, pinned: false, unpinned: 'url', spec: url.text, word: url, launcher: fetcher.program });
  }
  return out;
}

/** Index just past the launcher's subcommand words (options before them are skipped), or -1. */
function afterSub(words: Word[], l: Launcher): number {
  let i = 1;
  for (const expected of l.sub ?? []) {
    while (i < words.length && words[i]!.text.startsWith('-') && words[i]!.text !== expected) {
      i += !words[i]!.text.includes('=') && l.valueFlags.includes(words[i]!.text) ? 2 : 1;
    }
    if (words[i]?.text !== expected) return -1;
    i++;
  }
  return i;
}

function launcherPackages(words: Word[], start: number, l: Launcher): PackageRef[] {
  const out: PackageRef[] = [];
  const add = (w: Word, text = w.text) => {
    const parsed = l.parse(text);
    if (parsed) out.push({ ...parsed, spec: text, word: w, launcher: l.name });
  };
  let positionalIsCommand = l.commandsOnly ?? false;
  let options = true;
  for (let i = start; i < words.length; i++) {
    const w = words[i]!;
    const t = w.text;
    if (options && t === '--') {
      options = false;
      continue;
    }
    if (options && t.startsWith('-') && t.length > 1) {
      const eq = t.indexOf('=');
      const name = eq > 0 ? t.slice(0, eq) : t;
      const value = eq > 0 ? { ...w, text: t.slice(eq + 1) } : words[i + 1];
      const named = l.packageFlags?.includes(name);
      if ((named || l.extraFlags?.includes(name)) && value) {
        // uv and pip take comma-separated lists in --with.
        for (const part of value.text.split(',')) if (part.trim()) add(value, part.trim());
        if (named) positionalIsCommand = true;
        if (eq < 0) i++;
        continue;
      }
      if (eq < 0 && l.valueFlags.includes(name)) i++;
      continue;
    }
    if (!positionalIsCommand) add(w);
    if (!l.allPositionals) break;
  }
  return out;
}

/** Every package a server's launch fetches and runs, once per spec and place. */
export function launchPackages(server: Pick<ServerDecl, 'command' | 'args'>): PackageRef[] {
  const seen = new Set<string>();
  const out: PackageRef[] = [];
  for (const cmd of serverCommands(server)) {
    for (const ref of packagesOfCommand(cmd)) {
      const key = `${JSON.stringify(ref.word.at ?? null)}|${ref.ecosystem}|${ref.spec}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(ref);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------------------------

export interface ServerUrl {
  raw: string;
  url: URL;
  at: ServerField;
  /** The URL is handed to a local bridge (mcp-remote…) that forwards tool traffic to it. */
  viaBridge: boolean;
}

const URL_LIKE = /^(?:https?|wss?):\/\/\S+$/i;

/** The server's remote URL and every URL in its arguments (`--header`-free: headers are not URLs). */
export function serverUrls(server: Pick<ServerDecl, 'command' | 'args' | 'url'>): ServerUrl[] {
  const out: ServerUrl[] = [];
  const push = (raw: string, at: ServerField, viaBridge: boolean) => {
    try {
      out.push({ raw, url: new URL(raw), at, viaBridge });
    } catch {
      // not a URL after all
    }
  };
  if (server.url && URL_LIKE.test(server.url.trim())) push(server.url.trim(), { field: 'url' }, false);
  const bridged = launchPackages(server).some((p) => REMOTE_BRIDGES.has(p.name));
  server.args.forEach((a, index) => {
    // `--url=https://…` as well as a bare URL.
    const raw = a.includes('=') && !URL_LIKE.test(a) ? a.slice(a.indexOf('=') + 1) : a;
    if (URL_LIKE.test(raw.trim())) push(raw.trim(), { field: 'args', index }, bridged);
  });
  return out;
}

/** 127.0.0.0/8, ::1, localhost and *.localhost, and the unspecified address (which connects locally). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) ||
    h === '[::1]' ||
    h === '::1' ||
    h === '0.0.0.0' ||
    h === '[::]' ||
    /^\[::ffff:(?:7f[0-9a-f]{2}:[0-9a-f]{1,4}|127\.)/.test(h)
  );
}

/** Private, link-local and single-label names: traffic stays on a local network, but not on this machine. */
export function isPrivateHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return (
    /^10\./.test(h) ||
    /^192\.168\./.test(h) ||
    /^172\.(?:1[6-9]|2\d|3[01])\./.test(h) ||
    /^169\.254\./.test(h) ||
    /^\[f[cd][0-9a-f]{2}:/.test(h) ||
    /^\[fe[89ab][0-9a-f]:/.test(h) ||
    /\.(?:local|internal|lan|home\.arpa|intranet|corp)$/.test(h) ||
    (!h.includes('.') && !h.startsWith('['))
  );
}
