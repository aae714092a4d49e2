// Which files `warden install --client NAME` edits: that client's catalogue entries that declare
// servers, in the user's home (user scope) and in a project folder given on the command line
// (project scope), resolved the way discovery resolves them. Two scopes are left out on purpose:
// managed files belong to an administrator and are rewritten by whatever deployed them, and
// plugin files are replaced whenever the plugin updates; an edit there would not last, and
// would change a file that is not the user's to change.
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { globSync } from 'tinyglobby';
import type { Scope } from '../core/types.js';
import type { HomeTarget } from '../discover/discover.js';
import { hasGlob, resolveTemplate, splitGlob } from '../discover/paths.js';
import type { ClientSpec, ConfigSpec, ServerShape } from '../discover/spec.js';

export interface ConfigTarget {
  path: string;
  /** The home or project folder the file belongs to; links out of it are not followed. */
  root: string;
  scope: Scope;
  spec: ConfigSpec & { servers: ServerShape };
}

export interface Located {
  targets: ConfigTarget[];
  /** Every location probed, for the message when nothing is found. */
  probed: string[];
}

export function locateConfigs(client: ClientSpec, homes: readonly HomeTarget[], projects: readonly string[]): Located {
  const targets: ConfigTarget[] = [];
  const probed: string[] = [];
  const seen = new Set<string>();
  const add = (paths: string[], root: string, spec: ConfigSpec & { servers: ServerShape }) => {
    for (const path of paths) {
      if (seen.has(path) || !exists(path)) continue;
      seen.add(path);
      targets.push({ path, root, scope: spec.scope, spec });
    }
  };
  for (const home of homes) {
    for (const os of home.os) {
      for (const spec of withServers(client, 'user')) {
        if (spec.os && !spec.os.includes(os)) continue;
        const path = resolveTemplate(spec.path, { os, home: home.path, systemRoot: null });
        if (path === null || probed.includes(path)) continue;
        probed.push(path);
        add(expand(spec.path, path, (t) => resolveTemplate(t, { os, home: home.path, systemRoot: null })), home.path, spec);
      }
    }
  }
  for (const project of projects) {
    for (const spec of withServers(client, 'project')) {
      const path = join(project, spec.path);
      probed.push(path);
      add(expand(spec.path, path, (t) => join(project, t)), project, spec);
    }
  }
  return { targets, probed };
}

function withServers(client: ClientSpec, scope: Scope): Array<ConfigSpec & { servers: ServerShape }> {
  return client.configs.filter((c): c is ConfigSpec & { servers: ServerShape } => c.scope === scope && c.servers !== undefined);
}

/** Concrete files for a template that may hold a glob (`profiles/*\/mcp.json`). */
function expand(template: string, path: string, resolve: (t: string) => string | null): string[] {
  if (!hasGlob(template)) return [path];
  // Split the template, not the resolved path: a home named `h[ab]` is a literal folder.
  const split = splitGlob(template);
  const base = resolve(split.base);
  if (base === null || !exists(base)) return [];
  return globSync(split.pattern, { cwd: base, absolute: true, dot: true, followSymbolicLinks: false, onlyFiles: true, expandDirectories: false })
    .map((m) => join(m))
    .sort();
}

/** Present, even as a dangling link (lstat, not stat: a link is judged by config-file.ts, not skipped). */
const exists = (path: string): boolean => lstatSync(path, { throwIfNoEntry: false }) !== undefined;
