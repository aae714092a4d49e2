// What a file path is, as policy sees it: `credentials`, `env-file`, `agent-config`, `warden`,
// `shell-startup`, ... A hook's Read of ~/.aws/credentials, an MCP filesystem server's read_file of
// it and `cat $HOME/../$USER/.aws/credentials` in a shell command must all land on the same class,
// so every caller normalises through here: `~`, `$HOME` and friends expanded, `..` collapsed,
// relative paths joined to the working directory. Symlinks are the caller's business (it has the
// filesystem; this module never touches it). Matching ignores case: macOS and Windows do.
//
// The classes live in one table of globs. `~/x` means x under ANY user's home (/home/*, /Users/*,
// /root, C:/Users/*, and the given home), `/x` is absolute, `**/x` is x at any depth.
import { homedir } from 'node:os';
import { CATALOGUE } from '../discover/catalogue.js';

export interface PathClassOptions {
  /** The user's home directory (default: this process's). */
  home?: string;
  /** What a relative path is relative to; left relative when absent. */
  cwd?: string;
  /** Warden's state folder when WARDEN_HOME moved it (default: ~/.warden). */
  wardenHome?: string;
}

interface PathClassSpec {
  class: string;
  /** One line: what the class is and why policy cares. */
  doc: string;
  patterns: readonly string[];
  /** Paths the patterns catch that are not the class after all (public keys, templates). */
  except?: readonly string[];
}

/** Where agent clients keep settings that are not theirs alone: editing them is everyday project work. */
const SHARED_EDITOR_CONFIGS: ReadonlySet<string> = new Set([
  '.vscode/settings.json',
  '.devcontainer/devcontainer.json',
  '.devcontainer/*/devcontainer.json',
  '.devcontainer.json',
  '*.code-workspace',
  '.zed/settings.json',
]);

/** The catalogue's config path templates ({home}/.cursor/mcp.json, .mcp.json, ...) as globs of this module. */
function catalogueGlobs(): string[] {
  const out = new Set<string>();
  for (const client of CATALOGUE) {
    for (const c of client.configs) {
      if (SHARED_EDITOR_CONFIGS.has(c.path)) continue;
      for (const g of templateGlobs(c.path)) out.add(g);
    }
  }
  return [...out];
}

/** Per OS, `{userData}` and friends are one of these folders under the home directory. */
const TEMPLATE_ROOTS: Readonly<Record<string, readonly string[]>> = {
  '{home}/': ['~/'],
  '{userData}/': ['~/.config/', '~/Library/Application Support/', '~/AppData/Roaming/'],
  '{xdgConfig}/': ['~/.config/', '~/AppData/Roaming/'],
  '{localAppData}/': ['~/AppData/Local/'],
  '{system}/': ['/', 'C:/'],
};

function templateGlobs(template: string): string[] {
  for (const [variable, roots] of Object.entries(TEMPLATE_ROOTS)) {
    if (template.startsWith(variable)) return roots.map((r) => r + template.slice(variable.length));
  }
  // Project scope: relative to any project, so at any depth.
  return [`**/${template}`];
}

const SPECS: readonly PathClassSpec[] = [
  {
    class: 'credentials',
    doc: 'keys, tokens and passwords at rest: SSH, cloud CLIs, registries, keyrings, agent logins, system password files',
    patterns: [
      '**/.ssh/**',
      '**/id_rsa', '**/id_dsa', '**/id_ecdsa', '**/id_ed25519', '**/id_ecdsa_sk', '**/id_ed25519_sk',
      // Key containers by extension; a .pem is a key only when its name says so (most are certificates).
      '**/*.key', '**/*.ppk', '**/*.p12', '**/*.pfx', '**/*.jks', '**/*.keystore', '**/*key*.pem', '**/*private*.pem',
      '**/.aws', '**/.aws/credentials', '**/.aws/config', '**/.aws/sso/cache/**', '**/.aws/cli/cache/**',
      '**/.config/gcloud/**', '~/.azure/**', '**/.kube', '**/.kube/config', '~/.docker', '**/.docker/config.json',
      '~/.npmrc', '~/.pypirc', '**/.netrc', '**/_netrc', '**/.git-credentials', '**/.gnupg/**', '**/.password-store/**',
      '~/.config/gh', '**/.config/gh/hosts.yml', '**/Library/Keychains/**', '~/.local/share/keyrings/**',
      '~/.pgpass', '~/.my.cnf', '~/.vault-token', '~/.cargo/credentials', '~/.cargo/credentials.toml', '~/.gem/credentials',
      '~/.terraform.d/credentials.tfrc.json', '~/.config/hub', '~/.s3cfg', '~/.boto', '~/.dockercfg', '~/.config/rclone/rclone.conf',
      // Coding agents' own logins.
      '~/.claude/.credentials.json', '~/.codex/auth.json', '~/.gemini/oauth_creds.json', '~/.config/github-copilot/**',
      '/etc/shadow', '/etc/shadow-', '/etc/gshadow', '/etc/gshadow-', '/etc/master.passwd', '/etc/sudoers', '/etc/sudoers.d/**',
      '/etc/ssh/ssh_host_*_key', '/private/etc/master.passwd', '/private/etc/sudoers',
    ],
    except: ['**/*.pub'],
  },
  {
    class: 'env-file',
    doc: 'dotenv files, which usually hold the project\'s secrets; templates (.env.example, ...) are not',
    patterns: ['**/.env', '**/.env.*', '**/*.env', '**/.envrc', '**/.flaskenv'],
    except: [
      '**/*.example', '**/*.sample', '**/*.template', '**/*.tmpl', '**/*.tpl', '**/*.dist', '**/*.defaults', '**/*.schema',
      '**/.env.example.*', '**/.env.sample.*', '**/.env.template.*',
    ],
  },
  {
    class: 'process-env',
    doc: "a process's environment as the kernel shows it (/proc/<pid>/environ): every secret it was started with",
    patterns: ['/proc/*/environ', '/proc/*/task/*/environ'],
  },
  {
    class: 'agent-config',
    doc: "an agent's settings, MCP servers and hook entries (from the discovery catalogue, plus hook files): changing them changes what agents run",
    patterns: [
      '~/.claude.json', '**/.claude/settings.json', '**/.claude/settings.local.json', '**/managed-settings.json', '**/managed-mcp.json',
      '/etc/claude-code/**', '/Library/Application Support/ClaudeCode/**', 'C:/Program Files/ClaudeCode/**',
      '**/.mcp.json', '**/.cursor/mcp.json', '**/.cursor/hooks.json', '**/claude_desktop_config.json',
      '**/.gemini/settings.json', '/etc/gemini-cli/**', '**/.codex/config.toml', '**/.codex/hooks.json', '**/.codex/requirements.toml', '/etc/codex/**',
      '**/.vscode/mcp.json', '**/.github/hooks/*.json', '~/.copilot/**', '**/mcp_config.json',
    ],
  },
  {
    class: 'warden',
    doc: "Warden's own state, policy, lockfiles and program: what an agent must not touch to switch its guard off",
    patterns: [
      '~/.warden', '~/.warden/**', '~/.config/warden/**', '~/AppData/Roaming/warden/**',
      '**/warden.yaml', '**/warden.yml', '**/warden.lock.json', '**/bin/warden', '**/bin/warden.cmd', '**/bin/warden.exe',
    ],
  },
  {
    class: 'shell-startup',
    doc: 'files a shell runs at start-up: a line added there runs in every later session',
    patterns: [
      '~/.bashrc', '~/.bash_profile', '~/.bash_login', '~/.bash_logout', '~/.profile', '~/.zshrc', '~/.zprofile', '~/.zshenv',
      '~/.zlogin', '~/.zlogout', '~/.kshrc', '~/.cshrc', '~/.tcshrc', '~/.xprofile', '~/.xinitrc', '~/.pam_environment',
      '~/.config/fish/config.fish', '~/.config/fish/conf.d/**', '~/.config/powershell/*profile.ps1',
      '~/Documents/PowerShell/*profile.ps1', '~/Documents/WindowsPowerShell/*profile.ps1',
      '/etc/profile', '/etc/profile.d/**', '/etc/bash.bashrc', '/etc/bashrc', '/etc/zshrc', '/etc/zprofile', '/etc/zshenv',
      '/etc/zsh/**', '/etc/environment',
    ],
  },
  {
    class: 'remote-access',
    doc: 'who may log in over SSH and what runs when they do: a key added there is a way back in',
    patterns: ['**/.ssh/authorized_keys', '**/.ssh/authorized_keys2', '**/.ssh/rc', '/etc/ssh/sshd_config', '/etc/ssh/sshd_config.d/**'],
  },
  {
    class: 'git-hooks',
    doc: 'files git runs code from (hooks, and config that can point hooksPath or fsmonitor anywhere)',
    patterns: ['**/.git/hooks/**', '**/.git/config', '~/.gitconfig', '~/.config/git/config'],
  },
  {
    class: 'scheduler',
    doc: 'cron, systemd, launchd and autostart entries: whatever is put there runs later, unattended',
    patterns: [
      '/etc/cron*/**', '/etc/anacrontab', '/var/spool/cron/**', '/var/spool/at/**', '/etc/systemd/**', '/lib/systemd/system/**',
      '/usr/lib/systemd/system/**', '~/.config/systemd/**', '~/Library/LaunchAgents/**', '/Library/LaunchAgents/**',
      '/Library/LaunchDaemons/**', '/System/Library/LaunchDaemons/**', '~/.config/autostart/**', '/etc/xdg/autostart/**',
      '/etc/init.d/**', '/etc/rc.local', '~/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup/**',
      'C:/ProgramData/Microsoft/Windows/Start Menu/Programs/Startup/**',
    ],
  },
  {
    class: 'system',
    doc: 'the operating system: its configuration, programs and libraries',
    patterns: [
      '/etc/**', '/usr/**', '/bin/**', '/sbin/**', '/boot/**', '/lib/**', '/lib32/**', '/lib64/**', '/libx32/**', '/System/**',
      '/Library/**', '/private/etc/**', '/proc/sys/**', '/sys/**', 'C:/Windows/**', 'C:/Program Files/**', 'C:/Program Files (x86)/**',
    ],
  },
  {
    class: 'device',
    doc: 'a raw disk or memory device: writing it destroys filesystems',
    patterns: [
      '/dev/sd*', '/dev/hd*', '/dev/vd*', '/dev/xvd*', '/dev/nvme*', '/dev/mmcblk*', '/dev/disk*', '/dev/rdisk*', '/dev/mapper/**',
      '/dev/md*', '/dev/dm-*', '/dev/loop*', '/dev/sr*', '/dev/mem', '/dev/kmem', '/dev/port', '/PhysicalDrive*',
    ],
  },
  {
    class: 'shell-history',
    doc: "shell and REPL history: reading it leaks what was typed, wiping it hides what was done",
    patterns: [
      '~/.bash_history', '~/.zsh_history', '~/.zhistory', '~/.history', '~/.sh_history', '~/.python_history', '~/.node_repl_history',
      '~/.psql_history', '~/.mysql_history', '~/.sqlite_history', '~/.rediscli_history', '~/.lesshst', '~/.local/share/fish/fish_history',
      '**/PSReadLine/ConsoleHost_history.txt', '**/.*_history',
    ],
  },
];

/** The classes a table describes, for documentation and tests. */
export const PATH_CLASSES: ReadonlyArray<{ class: string; doc: string }> = SPECS.map((s) => ({ class: s.class, doc: s.doc }));

// ---------------------------------------------------------------------------------------------
// Compiling the table (once, on first use)
// ---------------------------------------------------------------------------------------------

// Patterns are matched segment by segment rather than as one large regular expression: `warden
// hook` classifies a handful of paths per process, and compiling a regex of a few hundred
// alternatives costs more than all of them (about 12 ms against well under one).

/** One path segment of a pattern: a literal name, a one-segment glob (`*.pem`), or `**` (any number of segments). */
type Segment = string | { glob: string } | typeof ANY_DEPTH;
const ANY_DEPTH = Symbol('**');

interface CompiledPattern {
  class: string;
  /** `home`: matched against the part below a home directory; `path`: against the whole path. */
  against: 'home' | 'path';
  /** Split on first use: most patterns are never tried, their last segment rules them out. */
  glob: string;
  segments?: Segment[];
  /** The last segment when it is a literal: a cheap first test. */
  last?: string;
  except: boolean;
}

/** Patterns by their literal last segment (most of them), and those that end in a glob. */
let compiled: { byLast: Map<string, CompiledPattern[]>; open: CompiledPattern[] } | undefined;

function segmentOf(raw: string): Segment {
  if (raw === '**') return ANY_DEPTH;
  return raw.includes('*') || raw.includes('?') ? { glob: raw } : raw;
}

/** No file name or path is longer (NAME_MAX, PATH_MAX); longer is hostile input and matches no glob. */
const MAX_NAME = 255;
const MAX_PATH = 4096;
/** Paths deeper than this are judged on their first and last segments, so matching stays linear. */
const MAX_SEGMENTS = 128;

/** `*` and `?` within one segment, without building a regular expression. */
function globMatch(glob: string, name: string, gi = 0, ni = 0): boolean {
  if (name.length > MAX_NAME) return false;
  for (; gi < glob.length; gi++, ni++) {
    const g = glob[gi];
    if (g === '*') {
      for (let k = ni; k <= name.length; k++) if (globMatch(glob, name, gi + 1, k)) return true;
      return false;
    }
    if (ni >= name.length || (g !== '?' && g !== name[ni])) return false;
  }
  return ni === name.length;
}

function compilePattern(cls: string, glob: string, except: boolean): CompiledPattern {
  const g = glob.toLowerCase();
  const against: CompiledPattern['against'] = g.startsWith('~/') ? 'home' : 'path';
  // `~/x` is below a home, `/x` from the root; `**/x` and `c:/x` are split as they are.
  const body = g.startsWith('~/') ? g.slice(2) : g.startsWith('/') ? g.slice(1) : g;
  const tail = body.slice(body.lastIndexOf('/') + 1);
  return { class: cls, against, glob: body, ...(tail.includes('*') || tail.includes('?') ? {} : { last: tail }), except };
}

function segmentsOf(p: CompiledPattern): Segment[] {
  return (p.segments ??= p.glob.split('/').map(segmentOf));
}

function table(): NonNullable<typeof compiled> {
  if (!compiled) {
    const all = SPECS.flatMap((spec) => {
      const patterns = spec.class === 'agent-config' ? [...spec.patterns, ...catalogueGlobs()] : spec.patterns;
      return [...patterns.map((p) => compilePattern(spec.class, p, false)), ...(spec.except ?? []).map((p) => compilePattern(spec.class, p, true))];
    });
    const byLast = new Map<string, CompiledPattern[]>();
    for (const p of all) {
      if (p.last === undefined) continue;
      const list = byLast.get(p.last);
      if (list) list.push(p);
      else byLast.set(p.last, [p]);
    }
    compiled = { byLast, open: all.filter((p) => p.last === undefined) };
  }
  return compiled;
}

function matches(pattern: readonly Segment[], i: number, path: readonly string[], j: number): boolean {
  for (; i < pattern.length; i++, j++) {
    const seg = pattern[i]!;
    if (seg === ANY_DEPTH) {
      // `/**` at the end also matches the folder itself.
      for (let k = j; k <= path.length; k++) if (matches(pattern, i + 1, path, k)) return true;
      return false;
    }
    if (j >= path.length) return false;
    if (typeof seg === 'string' ? seg !== path[j] : !globMatch(seg.glob, path[j]!)) return false;
  }
  return j === path.length;
}

// ---------------------------------------------------------------------------------------------
// Normalising
// ---------------------------------------------------------------------------------------------

/** Home directories of any user: Linux, macOS, root, Windows. */
const ANY_HOME = /^(?:\/home\/[^/]+|\/users\/[^/]+|\/root|\/var\/root|\/private\/var\/root|[a-z]:\/users\/[^/]+)(?=\/|$)/;

interface Variables {
  home: string;
  user: string;
  cwd?: string;
  wardenHome: string;
}

/** `$NAME` (not `$NAMEMORE`) or `${NAME}`, plus other spellings (Windows, VS Code). */
function shellVar(names: string, other?: RegExp): RegExp {
  const own = `\\$(?:(?:${names})(?![A-Za-z0-9_])|\\{(?:${names})\\})`;
  return new RegExp(other ? `${own}|${other.source}` : own, 'gi');
}

/** Variables a path is commonly written with, and what they stand for. */
const VARIABLES: ReadonlyArray<{ re: RegExp; value: (v: Variables) => string | undefined }> = [
  { re: shellVar('HOME', /%USERPROFILE%|%HOMEDRIVE%%HOMEPATH%|\$env:(?:USERPROFILE|HOME)\b|\$\{env:(?:USERPROFILE|HOME)\}|\$\{userHome\}/), value: (v) => v.home },
  { re: shellVar('USER|LOGNAME', /%USERNAME%|\$env:USERNAME\b/), value: (v) => v.user },
  { re: shellVar('XDG_CONFIG_HOME'), value: (v) => `${v.home}/.config` },
  { re: shellVar('XDG_DATA_HOME'), value: (v) => `${v.home}/.local/share` },
  { re: shellVar('WARDEN_HOME'), value: (v) => v.wardenHome },
  { re: shellVar('TMPDIR|TMP|TEMP'), value: () => '/tmp' },
  { re: shellVar('PWD', /\$\{workspaceFolder\}/), value: (v) => v.cwd },
  { re: /%APPDATA%|\$env:APPDATA\b/gi, value: (v) => `${v.home}/AppData/Roaming` },
  { re: /%LOCALAPPDATA%|\$env:LOCALAPPDATA\b/gi, value: (v) => `${v.home}/AppData/Local` },
  { re: /%PROGRAMDATA%|\$env:PROGRAMDATA\b/gi, value: () => 'C:/ProgramData' },
  { re: /%SYSTEMROOT%|%WINDIR%|\$env:(?:SYSTEMROOT|WINDIR)\b/gi, value: () => 'C:/Windows' },
];

/** `.`, `..` and repeated slashes collapsed; a drive letter or a leading `/` is the root. */
function collapse(p: string): string {
  const drive = /^[A-Za-z]:(?=\/|$)/.exec(p)?.[0];
  const absolute = drive !== undefined || p.startsWith('/');
  const rest = drive ? p.slice(drive.length) : p;
  const out: string[] = [];
  for (const seg of rest.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const body = out.join('/');
  if (drive) return `${drive}/${body}`;
  if (absolute) return `/${body}`;
  return body === '' ? '.' : body;
}

function variables(opts: PathClassOptions): Variables {
  const home = (opts.home ?? homedir()).replace(/\\/g, '/').replace(/\/+$/, '') || '/';
  return {
    home,
    user: home.split('/').pop() ?? '',
    ...(opts.cwd !== undefined ? { cwd: opts.cwd.replace(/\\/g, '/') } : {}),
    wardenHome: (opts.wardenHome ?? `${home}/.warden`).replace(/\\/g, '/'),
  };
}

/**
 * A path as written in a command or an argument, made comparable: quotes dropped, `\` → `/`,
 * `~`, `~user` and the usual variables expanded, joined to `cwd` when relative, `.`/`..`
 * collapsed. Case is kept (the caller may resolve symlinks on it next).
 */
export function normalisePath(path: string, opts: PathClassOptions = {}): string {
  return normaliseWith(path, variables(opts));
}

function normaliseWith(path: string, v: Variables): string {
  let p = path.trim();
  if (/^(["']).*\1$/s.test(p) && p.length >= 2) p = p.slice(1, -1);
  p = p.replace(/\\/g, '/');
  if (p.includes('$') || p.includes('%')) {
    for (const { re, value } of VARIABLES) {
      re.lastIndex = 0;
      if (!re.test(p)) continue;
      const val = value(v);
      if (val !== undefined) p = p.replace(re, () => val);
    }
  }
  if (p === '~' || p.startsWith('~/')) p = v.home + p.slice(1);
  else if (p.startsWith('~')) {
    // ~name is that user's home: /root for root, /home/name elsewhere (macOS's /Users/name matches the same patterns).
    const name = /^~([^/]*)/.exec(p)![1]!;
    p = (name === 'root' ? '/root' : `/home/${name}`) + p.slice(name.length + 1);
  }
  const absolute = p.startsWith('/') || /^[A-Za-z]:(?:\/|$)/.test(p);
  if (!absolute && v.cwd !== undefined) p = `${v.cwd}/${p}`;
  return collapse(p);
}

// ---------------------------------------------------------------------------------------------
// Classifying
// ---------------------------------------------------------------------------------------------

/** Names a glob segment (`~/.ss*`, `~/.*`, `/etc/sha*`) may stand for that would make the path sensitive. */
const SENSITIVE_SEGMENTS = [
  '.ssh', '.aws', '.gnupg', '.kube', '.docker', '.config', '.azure', '.netrc', '.git-credentials', '.npmrc', '.pypirc', '.env',
  '.bashrc', '.zshrc', '.profile', '.bash_history', '.zsh_history', '.claude.json', '.claude', '.cursor', '.warden', '.git',
  'id_rsa', 'id_ed25519', 'id_ecdsa', 'credentials', 'config', 'shadow', 'sudoers', 'gcloud', 'hooks', 'environ', 'self',
];

function globVariants(p: string): string[] {
  if (!/[*?[]/.test(p) || p.length > MAX_PATH) return [p];
  let variants = [''];
  for (const [i, seg] of p.split('/').entries()) {
    const prefix = i === 0 ? '' : '/';
    let options = [seg];
    // Only a segment with something literal in it (`.ss?`, `id_*`, `.*_history`): a bare `*` or `**` could be anything.
    if (/[*?[]/.test(seg) && /[^*?[\]]/.test(seg) && seg.length <= MAX_NAME) {
      let re: RegExp | undefined;
      try {
        re = new RegExp(`^${seg.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
      } catch {
        re = undefined; // an unbalanced `[`: a literal name, nothing to expand
      }
      options = [seg, ...SENSITIVE_SEGMENTS.filter((s) => re?.test(s))];
    }
    variants = variants.flatMap((v) => options.map((o) => v + prefix + o)).slice(0, 64);
  }
  return variants;
}

/** The home-relative part of a lower-cased normalised path, when it lies in some user's home. */
function belowHome(lower: string, home: string): string | undefined {
  const h = home.toLowerCase();
  if (h !== '/' && (lower === h || lower.startsWith(h + '/'))) return lower.slice(h.length + 1);
  const m = ANY_HOME.exec(lower);
  return m ? lower.slice(m[0].length + 1) : undefined;
}

/** The classes of a path (sorted), after normalising it. Symlinks are not resolved here. */
export function classifyPath(path: string, opts: PathClassOptions = {}): string[] {
  const v = variables(opts);
  return classifyNormalised(normaliseWith(path, v), v);
}

function classifyNormalised(normalised: string, v: Variables): string[] {
  const found = new Set<string>();
  const wardenHome = v.wardenHome.toLowerCase();
  for (const variant of globVariants(normalised.toLowerCase())) {
    const rel = belowHome(variant, v.home);
    let segments = variant.split('/');
    if (segments[0] === '') segments.shift(); // absolute: no empty first segment
    if (segments[segments.length - 1] === '') segments.pop(); // `/`
    if (segments.length > MAX_SEGMENTS) segments = [...segments.slice(0, MAX_SEGMENTS / 2), ...segments.slice(-MAX_SEGMENTS / 2)];
    const relSegments = rel === undefined ? undefined : rel === '' ? [] : rel.split('/').slice(-MAX_SEGMENTS);
    const hits = new Set<string>();
    const excluded = new Set<string>();
    const { byLast, open } = table();
    const test = (p: CompiledPattern) => {
      const target = p.against === 'home' ? relSegments : segments;
      if (target === undefined || (p.last !== undefined && target[target.length - 1] !== p.last)) return;
      if (matches(segmentsOf(p), 0, target, 0)) (p.except ? excluded : hits).add(p.class);
    };
    open.forEach(test);
    byLast.get(segments[segments.length - 1] ?? '')?.forEach(test);
    for (const c of hits) if (!excluded.has(c)) found.add(c);
    if (variant === wardenHome || variant.startsWith(wardenHome + '/')) found.add('warden');
  }
  return [...found].sort();
}

/** A path-classifier bound to one home and working directory, for analysing many paths of one command. */
export function pathClassifier(opts: PathClassOptions = {}): { normalise: (p: string) => string; classify: (normalised: string) => string[] } {
  const v = variables(opts);
  return { normalise: (p) => normaliseWith(p, v), classify: (n) => classifyNormalised(n, v) };
}
