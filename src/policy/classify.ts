// What an action does, named before the policy sees it: the classes of a shell command (what its
// parsed commands do: wide-delete, download-exec, secret-read...), of the file a read or write
// really reaches (credentials, env-file, agent-config... after `~`, `..` and symlinks), and of the
// paths in a tool call's arguments. Rules match these classes (`match: { capabilities: [...] }`),
// so the gateway, every hook and `warden policy test` judge the same action the same way. Kept out
// of decide(): classifying touches the file system (symlinks), deciding must not.
import { homedir } from 'node:os';
import { argumentPaths, resolvePath, resolvedPathClasses } from '../detect/argument-paths.js';
import { analyseShell } from '../detect/shell-classes.js';
import type { Action } from './types.js';

export interface ClassifyOptions {
  /** Relative paths are resolved here (the agent's working directory). */
  cwd: string;
  home?: string;
}

const merge = (a: readonly string[] | undefined, b: readonly string[]) => (b.length === 0 ? [...(a ?? [])] : [...new Set([...(a ?? []), ...b])].sort());

/** `action` with its classes added to `capabilities` and the real paths it touches in `paths`. */
export function classifyAction(action: Action, o: ClassifyOptions): Action {
  const home = o.home ?? homedir();
  const args = action.args ?? {};
  switch (action.kind) {
    case 'shell': {
      if (typeof args['command'] !== 'string') return action;
      const cwd = typeof args['cwd'] === 'string' && args['cwd'] ? args['cwd'] : o.cwd;
      const a = analyseShell(args['command'], { home, cwd });
      return { ...action, capabilities: merge(action.capabilities, a.classes), paths: [...a.reads, ...a.writes].map((p) => resolvePath(p, cwd, home).real) };
    }
    case 'file_read':
    case 'file_write': {
      if (typeof args['path'] !== 'string' || args['path'] === '') return action;
      const p = resolvePath(args['path'], o.cwd, home);
      return { ...action, capabilities: merge(action.capabilities, resolvedPathClasses(p, home)), paths: [p.real] };
    }
    case 'tool_call':
    case 'resource_read': {
      const { paths, classes } = argumentPaths(args, o.cwd, home);
      if (paths.length === 0) return action;
      return { ...action, capabilities: merge(action.capabilities, classes), paths };
    }
    default:
      return action;
  }
}
