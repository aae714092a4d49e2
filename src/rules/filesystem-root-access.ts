// A file server is only as safe as the directories it is given. `/`, `C:\` or the whole home
// directory (SSH keys, cloud credentials, browser profiles, every other project) turns one
// injected prompt into a read of everything. Roots come from a known file server's positional
// arguments, from the usual root-granting options of any server, and from root-naming env vars.
import { defineRule, type RuleHit, type ServerField } from './rule.js';
import { classifyHostPath, describeHostPath, serverCommands, type HostPathKind } from '../detect/commands.js';
import { packagesOfCommand } from '../detect/packages.js';
import { FILESYSTEM_SERVERS } from '../detect/well-known-servers.js';
import type { Severity } from '../core/types.js';

/** Options servers use to grant directories. `--directory` is left out: uv and others use it for the working directory. */
const ROOT_FLAGS: ReadonlySet<string> = new Set([
  '--root', '--roots', '--root-dir', '--allowed-directories', '--allowed-directory', '--allowed-dirs', '--allowed-dir',
  '--allowed-paths', '--allowed-path', '--allow-dir', '--allow-path', '--base-dir', '--base-path', '--workspace', '--workspace-root',
]);

/** Environment variables that name directory roots (ALLOWED_DIRECTORIES, FS_ROOT, WORKSPACE_ROOT…). */
const ROOT_ENV = /(?:ALLOWED_(?:DIRS?|DIRECTOR(?:Y|IES)|PATHS?|ROOTS?)|(?:^|_)ROOTS?|WORKSPACE(?:_ROOT|_DIR)?|BASE_(?:DIR|PATH))$/i;

const SEVERITY: Readonly<Record<HostPathKind, Severity | undefined>> = {
  root: 'critical',
  home: 'high',
  'all-homes': 'high',
  credentials: 'high',
  system: 'high',
  'container-socket': undefined,
};

function rootsIn(value: string): string[] {
  return value.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
}

export const filesystemRootAccess = defineRule({
  meta: {
    id: 'filesystem-root-access',
    title: 'File server given the whole disk or home directory',
    description:
      'A filesystem server (or any server taking allowed-directory roots) is given `/`, a drive root, the whole home directory, every home directory, a system directory or a credential directory, so the agent can read and write far more than the project it works on.',
    severity: 'high',
    category: 'privilege',
    owasp: ['ASI03', 'ASI02'],
    remediation: 'List only the project directories the agent needs (e.g. `~/code/my-project`), never `/`, a drive root or the home directory itself.',
  },
  checkServer({ server }) {
    const hits: RuleHit[] = [];
    const report = (path: string, at: ServerField | undefined) => {
      const kind = classifyHostPath(path);
      const severity = kind && SEVERITY[kind];
      if (!kind || !severity) return;
      hits.push({
        message: `Server "${server.name}" gives the agent "${path}": ${describeHostPath(kind)}`,
        evidence: path,
        severity,
        ...(at ? { at } : {}),
        key: path,
      });
    };
    for (const cmd of serverCommands(server)) {
      const fs = packagesOfCommand(cmd).find((p) => FILESYSTEM_SERVERS.has(p.name));
      const start = fs ? cmd.words.indexOf(fs.word) : -1;
      cmd.words.forEach((w, i) => {
        const eq = w.text.indexOf('=');
        const name = eq > 0 ? w.text.slice(0, eq) : w.text;
        if (ROOT_FLAGS.has(name)) {
          const value = eq > 0 ? { ...w, text: w.text.slice(eq + 1) } : cmd.words[i + 1];
          if (value) for (const r of rootsIn(value.text)) report(r, value.at);
          return;
        }
        // A known file server's positional arguments are its roots.
        if (start >= 0 && i > start && !w.text.startsWith('-') && !ROOT_FLAGS.has(cmd.words[i - 1]!.text)) report(w.text, w.at);
      });
    }
    for (const [key, value] of Object.entries(server.env)) {
      if (ROOT_ENV.test(key)) for (const r of rootsIn(value)) report(r, { field: 'env', key });
    }
    return hits;
  },
  cases: {
    valid: [
      { name: 'project directory', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/me/projects/app'] } },
      { name: 'two project directories', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '~/code/a', '/Users/me/code/b'] } },
      { name: 'Windows project', server: { command: 'cmd', args: ['/c', 'npx', '-y', '@modelcontextprotocol/server-filesystem', 'C:\\Users\\me\\src\\app'] } },
      { name: 'non-file server given /', server: { command: 'npx', args: ['-y', 'some-server', '/'] } },
      { name: 'uv --directory is a working directory', server: { command: 'uv', args: ['--directory', '/home/me', 'run', 'server.py'] } },
      { name: 'root flag with a project', server: { command: 'node', args: ['srv.js', '--root', '/srv/data'] } },
      { name: 'env naming a project root', server: { command: 'node', args: ['srv.js'], env: { PROJECT_ROOT: '/home/me/app', HOME: '/home/me' } } },
      { name: 'server flag value that is a URL path', server: { command: 'node', args: ['srv.js', '--base-path=/api'] } },
    ],
    invalid: [
      { name: 'root', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/'] } },
      { name: 'home via ~', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem@2025.8.21', '~'] } },
      { name: 'home via absolute path', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/alice/'] } },
      { name: 'macOS home', server: { command: 'npx', args: ['@modelcontextprotocol/server-filesystem', '/Users/alice', '/Users/alice/code'] } },
      { name: 'Windows drive', server: { command: 'cmd', args: ['/c', 'npx', '-y', '@modelcontextprotocol/server-filesystem', 'C:\\'] } },
      { name: 'Windows home', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', 'C:\\Users\\alice'] } },
      { name: '$HOME', server: { command: 'npx', args: ['-y', 'mcp-server-filesystem', '$HOME'] } },
      { name: 'all homes', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/home'] } },
      { name: '--root=/ on any server', server: { command: 'node', args: ['srv.js', '--root=/'] } },
      { name: '--allowed-directories list', server: { command: 'uvx', args: ['some-fs-server', '--allowed-directories', '/tmp,/'] } },
      { name: 'env root', server: { command: 'node', args: ['srv.js'], env: { ALLOWED_DIRECTORIES: '~' } } },
      { name: 'ssh directory', server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '~/.ssh'] } },
    ],
  },
});
