// The client catalogue: static checks of every ClientSpec, then, for each fixture home and the
// sample repository, a parse check that the catalogue's paths and shapes find exactly the
// servers and instruction files listed in test/fixtures/homes/EXPECTED.json.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { globSync } from 'tinyglobby';
import { CATALOGUE } from '../../src/discover/catalogue.js';
import { hasGlob, resolveTemplate, splitGlob, type PathContext } from '../../src/discover/paths.js';
import { extractServers } from '../../src/discover/servers.js';
import type { ClientSpec } from '../../src/discover/spec.js';
import { parseConfig } from '../../src/parse/document.js';
import { ALL_OS, type OsName, type Scope } from '../../src/core/types.js';

const KNOWN_VARIABLES = new Set(['home', 'userData', 'xdgConfig', 'localAppData', 'system']);
const KINDS = new Set([
  'claude-md', 'agents-md', 'gemini-md', 'cursorrules', 'cursor-rule', 'copilot-instructions',
  'windsurfrules', 'clinerules', 'skill', 'command',
]);

interface ExpectedServer {
  client: string;
  name: string;
  transport: string;
  scope: Scope;
  file: string;
  line: number;
}
interface ExpectedInstruction {
  path: string;
  kind: string;
}
interface ExpectedSet {
  servers: ExpectedServer[];
  instructions: ExpectedInstruction[];
}
interface Expected {
  homes: Record<string, ExpectedSet>;
  projects: Record<string, ExpectedSet>;
}

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

const FIXTURES = join(repoRoot(), 'test', 'fixtures');
const EXPECTED = JSON.parse(readFileSync(join(FIXTURES, 'homes', 'EXPECTED.json'), 'utf8')) as Expected;

function variables(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

/** Every path template a client declares, with what it is for. */
function templates(c: ClientSpec) {
  return [
    ...c.configs.map((s) => ({ what: 'config', scope: s.scope as Scope | undefined, path: s.path })),
    ...(c.instructions ?? []).map((s) => ({ what: 'instruction', scope: s.scope as Scope | undefined, path: s.path })),
    ...c.installMarkers.map((m) => ({ what: 'install marker', scope: undefined, path: m.path })),
    ...(c.versions ?? []).map((v) => ({ what: 'version', scope: undefined, path: v.path })),
  ];
}

describe('client catalogue (static)', () => {
  it('has unique, kebab-case ids and a name for every client', () => {
    const ids = CATALOGUE.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate client id');
    for (const c of CATALOGUE) {
      assert.match(c.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, c.id);
      assert.ok(c.name.trim().length > 0, `${c.id}: name`);
    }
  });

  it('uses only known path variables', () => {
    for (const c of CATALOGUE) {
      for (const t of templates(c)) {
        for (const v of variables(t.path)) assert.ok(KNOWN_VARIABLES.has(v), `${c.id} ${t.what} ${t.path}: unknown {${v}}`);
        assert.ok(!t.path.includes('\\'), `${c.id} ${t.path}: use forward slashes`);
      }
    }
  });

  it('anchors every non-project path at a variable, and managed paths at {system}', () => {
    for (const c of CATALOGUE) {
      for (const t of templates(c)) {
        if (t.scope === 'project') continue;
        assert.match(t.path, /^\{\w+\}\//, `${c.id} ${t.what} ${t.path}: must start with a path variable`);
        if (t.scope === 'managed') assert.ok(t.path.startsWith('{system}/'), `${c.id} ${t.path}: managed paths live under {system}`);
      }
    }
  });

  it('keeps project-scope paths relative, without ** and with a literal folder before a wildcard file name', () => {
    for (const c of CATALOGUE) {
      const project = [...c.configs, ...(c.instructions ?? [])].filter((s) => s.scope === 'project');
      for (const s of project) {
        const p = s.path;
        assert.ok(!p.startsWith('/') && !p.startsWith('{') && variables(p).length === 0, `${c.id} ${p}: must be relative`);
        assert.ok(!p.split('/').includes('..') && !p.startsWith('./'), `${c.id} ${p}: no . or .. segments`);
        assert.ok(!p.includes('**'), `${c.id} ${p}: project paths cannot use **`);
        assert.equal(s.os, undefined, `${c.id} ${p}: os is ignored for project scope`);
        const segs = p.split('/');
        if (hasGlob(segs[segs.length - 1]!) && segs.length > 1) {
          assert.ok(!hasGlob(segs[segs.length - 2]!), `${c.id} ${p}: the folder before a wildcard file name must be literal`);
        }
      }
    }
  });

  it('gives every client at least one config or instruction spec', () => {
    for (const c of CATALOGUE) assert.ok(c.configs.length + (c.instructions?.length ?? 0) > 0, c.id);
  });

  it('gives every config a purpose and every server shape a usable path', () => {
    for (const c of CATALOGUE) {
      for (const s of c.configs) {
        assert.ok(s.servers || s.settings, `${c.id} ${s.path}: declares neither servers nor settings`);
        if (!s.servers) continue;
        assert.ok(s.servers.at.length > 0, `${c.id} ${s.path}: empty server shape`);
        for (const at of s.servers.at) assert.ok(at.every((k) => typeof k === 'string' && k.length > 0), `${c.id} ${s.path}: bad segment`);
        if (s.servers.wildcardScope) {
          assert.ok(s.servers.at.some((at) => at.includes('*')), `${c.id} ${s.path}: wildcardScope without a * path`);
        }
      }
    }
  });

  it('declares no config or instruction path twice for one client', () => {
    for (const c of CATALOGUE) {
      const keys = [...c.configs.map((s) => `config ${s.scope} ${s.path}`), ...(c.instructions ?? []).map((s) => `instr ${s.scope} ${s.path}`)];
      assert.equal(new Set(keys).size, keys.length, `${c.id}: duplicate path`);
    }
  });

  it('uses valid operating systems and instruction kinds', () => {
    for (const c of CATALOGUE) {
      const oses = [...c.configs, ...(c.instructions ?? []), ...c.installMarkers, ...(c.versions ?? [])].flatMap((s) => s.os ?? []);
      for (const os of oses) assert.ok((ALL_OS as readonly string[]).includes(os), `${c.id}: os ${os}`);
      for (const s of c.instructions ?? []) assert.ok(KINDS.has(s.kind), `${c.id} ${s.path}: kind ${s.kind}`);
    }
  });

  it('gives one path a single instruction kind across clients (the engine merges them by path)', () => {
    const kindOf = new Map<string, string>();
    for (const c of CATALOGUE) {
      for (const s of c.instructions ?? []) {
        const key = `${s.scope === 'project' ? 'project' : 'home'}:${s.path}`;
        const prev = kindOf.get(key);
        if (prev) assert.equal(s.kind, prev, `${c.id} ${s.path}: kind differs from another client's`);
        else kindOf.set(key, s.kind);
      }
    }
  });

  it('keeps install markers and version sources free of globs, with a field for json-field sources', () => {
    for (const c of CATALOGUE) {
      for (const m of c.installMarkers) assert.ok(!hasGlob(m.path), `${c.id} marker ${m.path}: markers are checked with a plain exists`);
      for (const v of c.versions ?? []) {
        assert.ok(!hasGlob(v.path), `${c.id} version ${v.path}`);
        if (v.kind === 'json-field') assert.ok(v.field, `${c.id} version ${v.path}: json-field needs a field`);
      }
    }
  });

  it('resolves every template on every OS it applies to', () => {
    for (const os of ALL_OS) {
      const ctx: PathContext = { os, home: '/h', systemRoot: '/' };
      for (const c of CATALOGUE) {
        for (const t of templates(c)) {
          if (t.scope === 'project') continue;
          assert.doesNotThrow(() => resolveTemplate(t.path, ctx), `${c.id} ${t.path}`);
        }
      }
    }
  });
});

// --- Fixture homes and the sample repository ----------------------------------------------------

interface Found {
  servers: ExpectedServer[];
  instructions: ExpectedInstruction[];
  /** Clients with at least one config file found. */
  clients: Set<string>;
  parseErrors: string[];
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

function expandHome(path: string): string[] {
  if (!hasGlob(path)) return existsSync(path) && statSync(path).isFile() ? [path] : [];
  const { base, pattern } = splitGlob(path);
  if (!existsSync(base)) return [];
  return globSync(pattern, { cwd: base, absolute: true, dot: true, onlyFiles: true, expandDirectories: false }).map((m) => join(m));
}

function expandProject(root: string, path: string): string[] {
  if (!hasGlob(path)) {
    const abs = join(root, path);
    return existsSync(abs) && statSync(abs).isFile() ? [abs] : [];
  }
  return globSync(path, { cwd: root, absolute: true, dot: true, onlyFiles: true, expandDirectories: false }).map((m) => join(m));
}

function collect(root: string, files: (c: ClientSpec, scope: 'project' | 'other') => Array<{ spec: ClientSpec['configs'][number]; file: string }>, instr: (c: ClientSpec) => Array<{ kind: string; file: string }>): Found {
  const found: Found = { servers: [], instructions: [], clients: new Set(), parseErrors: [] };
  const instructionKinds = new Map<string, string>();
  for (const client of CATALOGUE) {
    const seen = new Set<string>();
    for (const { spec, file } of [...files(client, 'other'), ...files(client, 'project')]) {
      if (seen.has(file)) continue;
      seen.add(file);
      found.clients.add(client.id);
      let doc;
      try {
        doc = parseConfig(file, readFileSync(file, 'utf8'), spec.format);
      } catch (err) {
        found.parseErrors.push(`${client.id} ${file}: ${(err as Error).message}`);
        continue;
      }
      if (!spec.servers) continue;
      for (const { decl } of extractServers(doc, spec.servers, client.id, spec.scope)) {
        found.servers.push({
          client: client.id,
          name: decl.name,
          transport: decl.transport,
          scope: decl.scope,
          file: toPosix(relative(root, file)),
          line: decl.line,
        });
      }
    }
    for (const { kind, file } of instr(client)) {
      const rel = toPosix(relative(root, file));
      const prev = instructionKinds.get(rel);
      if (prev) assert.equal(kind, prev, `${rel}: two kinds`);
      else instructionKinds.set(rel, kind);
    }
  }
  found.instructions = [...instructionKinds].map(([path, kind]) => ({ path, kind }));
  return found;
}

function discoverHome(home: string, os: OsName): Found {
  const ctx: PathContext = { os, home, systemRoot: null };
  const applies = (s: { os?: readonly OsName[] }) => !s.os || s.os.includes(os);
  return collect(
    home,
    (c, which) => {
      if (which === 'project') return [];
      return c.configs
        .filter((s) => s.scope !== 'project' && applies(s))
        .flatMap((spec) => {
          const path = resolveTemplate(spec.path, ctx);
          return path === null ? [] : expandHome(path).map((file) => ({ spec, file }));
        });
    },
    (c) =>
      (c.instructions ?? [])
        .filter((s) => s.scope !== 'project' && applies(s))
        .flatMap((s) => {
          const path = resolveTemplate(s.path, ctx);
          return path === null ? [] : expandHome(path).map((file) => ({ kind: s.kind, file }));
        }),
  );
}

function discoverProject(root: string): Found {
  return collect(
    root,
    (c, which) =>
      which === 'project'
        ? c.configs.filter((s) => s.scope === 'project').flatMap((spec) => expandProject(root, spec.path).map((file) => ({ spec, file })))
        : [],
    (c) => (c.instructions ?? []).filter((s) => s.scope === 'project').flatMap((s) => expandProject(root, s.path).map((file) => ({ kind: s.kind, file }))),
  );
}

function sortServers(list: readonly ExpectedServer[]): ExpectedServer[] {
  return [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.client.localeCompare(b.client) || a.name.localeCompare(b.name));
}

function sortInstructions(list: readonly ExpectedInstruction[]): ExpectedInstruction[] {
  return [...list].sort((a, b) => a.path.localeCompare(b.path));
}

function checkAgainstExpected(found: Found, expected: ExpectedSet | undefined, label: string) {
  assert.ok(expected, `EXPECTED.json has no entry for ${label}`);
  assert.deepEqual(found.parseErrors, [], `${label}: config files that do not parse`);
  const actual = sortServers(found.servers);
  const wanted = sortServers(expected.servers);
  // Per file first, so a mismatch names the file.
  for (const file of new Set([...actual, ...wanted].map((s) => s.file))) {
    assert.deepEqual(
      actual.filter((s) => s.file === file),
      wanted.filter((s) => s.file === file),
      `${label}: servers in ${file}`,
    );
  }
  assert.deepEqual(sortInstructions(found.instructions), sortInstructions(expected.instructions), `${label}: instruction files`);
}

const HOMES: readonly OsName[] = ['linux', 'macos', 'windows'];
const COMMON = ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf', 'gemini-cli', 'codex', 'continue', 'cline', 'opencode', 'zed', 'goose'];

describe('client catalogue against fixture homes', () => {
  const seenClients = new Set<string>();

  for (const os of HOMES) {
    describe(`${os} home`, () => {
      const home = join(FIXTURES, 'homes', os);
      const found = discoverHome(home, os);
      for (const c of found.clients) seenClients.add(c);

      it('finds exactly the expected servers, with their lines, and the expected instruction files', () => {
        checkAgainstExpected(found, EXPECTED.homes[os], `${os} home`);
      });

      it('holds config files for every common client', () => {
        for (const id of COMMON) assert.ok(found.clients.has(id), `${os} home has no config for ${id}`);
      });

      it('recognises every client it found a config for by an install marker', () => {
        const ctx: PathContext = { os, home, systemRoot: null };
        for (const id of found.clients) {
          const client = CATALOGUE.find((c) => c.id === id)!;
          const marked = client.installMarkers.some((m) => {
            if (m.os && !m.os.includes(os)) return false;
            const p = resolveTemplate(m.path, ctx);
            return p !== null && existsSync(p);
          });
          assert.ok(marked, `${os} home: ${id} has a config but no install marker matches`);
        }
      });
    });
  }

  describe('sample repository', () => {
    const root = join(FIXTURES, 'projects', 'sample-repo');
    const found = discoverProject(root);
    for (const c of found.clients) seenClients.add(c);

    it('finds exactly the expected project servers and instruction files', () => {
      checkAgainstExpected(found, EXPECTED.projects['sample-repo'], 'sample-repo');
    });

    it('has a project file for every client that declares a project-scope config', () => {
      for (const c of CATALOGUE) {
        if (!c.configs.some((s) => s.scope === 'project')) continue;
        assert.ok(found.clients.has(c.id), `sample-repo has no project config for ${c.id}`);
      }
    });
  });

  it('covers every client in the catalogue somewhere', () => {
    for (const c of CATALOGUE) assert.ok(seenClients.has(c.id), `no fixture holds a config for ${c.id}`);
  });
});
