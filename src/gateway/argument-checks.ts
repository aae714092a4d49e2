// Built-in checks on what a call's arguments point at, before the policy's rules run: a path
// outside the allowed roots (judged after `~`, `..` and symlinks are resolved, so
// `/repo/link-to-etc/passwd` and `/repo/../etc` are both outside `/repo`), a URL to a host not on
// the list, shell operators in an argument that is a command. Each check is off until the policy
// names its list (`arguments:` in warden.yaml).
import { isObject } from '../core/json.js';
import { PATH_KEY } from '../detect/argument-paths.js';
import { expandPath as expand, isWithin as within, realLocation } from '../core/real-path.js';
import { hostMatches, hostOf } from '../policy/cel-helpers.js';
import type { ArgumentChecks } from '../policy/load.js';
import type { Effect } from '../policy/types.js';

export interface ArgumentFinding {
  effect: Effect;
  rule: 'arguments.roots' | 'arguments.hosts' | 'arguments.shell';
  reason: string;
}

const COMMAND_KEY = /^(?:command|cmd|commands|script|shell|command_?line|exec|run|code)$/i;
/** Chaining, piping, substitution, redirection and backgrounding: what turns one command into several. */
const SHELL_OPERATOR = /;|&&|\|\|?|`|\$\(|<\(|>\(|(?:^|\s)>>?\s*\S|(?:^|[^&])&(?:\s|$)|\n/;
const URL_SHAPE = /^[a-z][a-z0-9+.-]*:\/\//i;
const MAX_STRINGS = 2000;
const MAX_DEPTH = 32;

/** Walks string values with the key that holds them (array items inherit their array's key). */
function* strings(v: unknown, key: string, depth = 0): Generator<[string, string]> {
  if (typeof v === 'string') yield [key, v];
  else if (depth >= MAX_DEPTH) return;
  else if (Array.isArray(v)) for (const item of v) yield* strings(item, key, depth + 1);
  else if (isObject(v)) for (const [k, item] of Object.entries(v)) yield* strings(item, k, depth + 1);
}

export class ArgumentChecker {
  readonly #roots: string[] | undefined;

  constructor(
    private readonly checks: ArgumentChecks,
    private readonly cwd: string = process.cwd(),
  ) {
    this.#roots = checks.roots?.map((r) => realLocation(expand(r, cwd)));
  }

  /** The first problem with the arguments, or undefined. */
  check(args: Record<string, unknown>): ArgumentFinding | undefined {
    const { hosts, shell } = this.checks;
    if (!this.#roots && !hosts && shell === 'allow') return undefined;
    let seen = 0;
    for (const [key, value] of strings(args, '')) {
      if (++seen > MAX_STRINGS) break;
      if (value.length === 0 || value.length > 32_768) continue;
      if (URL_SHAPE.test(value)) {
        if (value.toLowerCase().startsWith('file:')) {
          const found = this.#path(key, filePathOf(value));
          if (found) return found;
        } else if (hosts) {
          const host = hostOf(value);
          if (!hosts.some((h) => safeHostMatch(host, h))) return { effect: this.checks.effect, rule: 'arguments.hosts', reason: `argument "${key}" points to ${host || 'a URL without a host'}, which is not among the allowed hosts (${hosts.join(', ')})` };
        }
        continue;
      }
      if (shell !== 'allow' && COMMAND_KEY.test(key) && SHELL_OPERATOR.test(value)) {
        return { effect: shell, rule: 'arguments.shell', reason: `argument "${key}" chains, pipes, substitutes or redirects shell commands` };
      }
      if (this.#roots && (PATH_KEY.test(key) || /^(?:\/|~(?:[/\\]|$)|\.\.?[/\\]|[A-Za-z]:[\\/])/.test(value))) {
        const found = this.#path(key, value);
        if (found) return found;
      }
    }
    return undefined;
  }

  #path(key: string, value: string | undefined): ArgumentFinding | undefined {
    if (!this.#roots || value === undefined || value.includes('\0')) return undefined;
    const real = realLocation(expand(value, this.cwd));
    if (this.#roots.some((r) => within(real, r))) return undefined;
    return { effect: this.checks.effect, rule: 'arguments.roots', reason: `argument "${key}" resolves to ${real}, outside the allowed roots (${this.#roots.join(', ')})` };
  }
}

/** The path of a `file:` URL, percent-decoded; undefined when it is not one a URL parser accepts. */
export function filePathOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined;
  }
}

function safeHostMatch(host: string, pattern: string): boolean {
  try {
    return host !== '' && hostMatches(host, pattern);
  } catch {
    return false;
  }
}
