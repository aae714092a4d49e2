// The command line an agent runs for Warden's hook, and how to recognise it again. Agents run a
// hook's `command` through a shell (sh/bash, Git Bash for Claude Code on Windows; Copilot picks
// its `bash` or `powershell` field), so the argv is quoted for that shell here, in one place:
// every element is a path or a fixed word, but a path is data and may hold spaces, quotes, `$`
// or `;`, and must never become syntax.
import { parse as parseShell } from 'shell-quote';
import { NODE_FLAGS } from './launcher.js';
import type { Launcher } from './wrap.js';
import { isWardenProgram } from './wrap.js';

export interface HookCommand {
  /** What runs: the launcher (absolute node, absolute warden.js), then `hook <agent> [event]`. */
  argv: string[];
  /** For a POSIX shell (`sh -c`, bash, zsh). */
  posix: string;
  /** For PowerShell (Copilot's `powershell` field). */
  powershell: string;
}

/**
 * `event` for agents whose payload does not say which event it is (Copilot's camelCase hooks).
 * The launcher's V8 flag is left out: it keeps a long-lived gateway small, but a hook lives for
 * one call, and the flag made each call about 20 ms slower here (157 against 180 ms, 40
 * interleaved runs of `warden hook claude-code`); the agent waits for every one.
 */
export function hookCommand(launcher: Launcher, agent: string, event?: string): HookCommand {
  const argv = [launcher.command, ...launcher.args.filter((a) => a !== NODE_FLAGS), 'hook', agent, ...(event !== undefined ? [event] : [])];
  return { argv, posix: argv.map(quotePosix).join(' '), powershell: `& ${argv.map(quotePowerShell).join(' ')}` };
}

/**
 * One word for a POSIX shell: left bare when it holds only characters no shell treats specially
 * (so the usual `/usr/bin/node /opt/warden/dist/warden.js hook cursor` stays readable), else in
 * single quotes, inside which nothing is special; a single quote itself becomes `'\''`. A bare
 * word may not start with `=` (zsh expands `=cmd`) or `~` (tilde expansion): those are quoted.
 */
export function quotePosix(word: string): string {
  if (/^[A-Za-z0-9_/.,+-][A-Za-z0-9_/.,:=@%+-]*$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * One argument for PowerShell: always single-quoted, where `$`, backticks and double quotes are
 * literal. PowerShell also ends a single-quoted string at the typographic quotes U+2018-U+201B,
 * so those are doubled like `'` itself.
 */
export function quotePowerShell(word: string): string {
  return `'${word.replace(/['\u2018\u2019\u201a\u201b]/g, (c) => c + c)}'`;
}

/**
 * Whether a hook command runs `warden hook <agent>`: a Warden program (the bundled warden.js, a
 * `warden` bin, `warden@1.2` through npx, see wrap.ts) followed by `hook` and the agent's id, with
 * nothing before the program but what starts it (node and its flags, npx, env, VAR=value). That
 * recognises what `warden install --hooks` writes, whatever Node or install path it named at the
 * time, and a `warden hook <agent>` the user wrote by hand from the docs, so that a re-install
 * replaces it instead of running Warden twice. A command that only mentions Warden
 * (`echo warden hook cursor`, `my-check && warden hook cursor`) is the user's, not Warden's.
 */
export function runsWardenHook(command: unknown, agent: string, shell: 'posix' | 'powershell' = 'posix'): boolean {
  if (typeof command !== 'string' || command.length > 64 * 1024) return false;
  const words = shell === 'posix' ? posixWords(command) : powershellWords(command);
  if (!words) return false;
  const program = words.findIndex((w) => w === null || !isLauncherWord(w));
  const w = words[program];
  return program !== -1 && w !== null && w !== undefined && isWardenProgram(w) && words[program + 1] === 'hook' && words[program + 2] === agent;
}

/** A word that only starts the program after it: Node or a package runner, an option, a variable assignment. */
function isLauncherWord(word: string): boolean {
  const name = word.replace(/\\/g, '/').split('/').pop()!.toLowerCase();
  return /^(node|nodejs|npx|bunx|pnpx|env|exec)(\.exe|\.cmd)?$/.test(name) || word.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word);
}

/** Words of a POSIX command line; operators (`&&`, `|`, redirections) become null. */
function posixWords(command: string): Array<string | null> | null {
  try {
    // Variables stay as written: `$HOME/bin/warden` still ends in `warden`.
    return parseShell(command, (name) => `$${name}`).map((e) => (typeof e === 'string' ? e : null));
  } catch {
    return null;
  }
}

/** Words of a PowerShell command line: bare, '...' ('' for a quote) or "..." (`" or "" for a quote). */
function powershellWords(command: string): string[] | null {
  const words: string[] = [];
  let i = 0;
  const t = command;
  while (i < t.length) {
    while (i < t.length && /\s/.test(t[i]!)) i++;
    if (i >= t.length) break;
    let word = '';
    while (i < t.length && !/\s/.test(t[i]!)) {
      const c = t[i]!;
      if (/['\u2018\u2019\u201a\u201b]/.test(c)) {
        i++;
        for (;;) {
          if (i >= t.length) return null;
          if (/['\u2018\u2019\u201a\u201b]/.test(t[i]!)) {
            if (/['\u2018\u2019\u201a\u201b]/.test(t[i + 1] ?? '')) {
              word += t[i];
              i += 2;
              continue;
            }
            i++;
            break;
          }
          word += t[i++];
        }
      } else if (c === '"') {
        i++;
        for (;;) {
          if (i >= t.length) return null;
          if (t[i] === '`' && i + 1 < t.length) {
            word += t[i + 1];
            i += 2;
          } else if (t[i] === '"' && t[i + 1] === '"') {
            word += '"';
            i += 2;
          } else if (t[i] === '"') {
            i++;
            break;
          } else word += t[i++];
        }
      } else {
        word += c;
        i++;
      }
    }
    words.push(word);
  }
  // `& 'C:\...\node.exe' ...`: the call operator is not a word of the command.
  return words[0] === '&' ? words.slice(1) : words;
}
