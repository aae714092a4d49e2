// Rewriting one config's servers as text: routing each stdio server through the gateway
// (install) or back to its own command (uninstall in place). Every result is proved before it
// can be written: the new text is parsed again, its data must be the old data with exactly the
// intended command/args values changed (nothing else, anywhere in the file), and every server
// must launch exactly the intended argv as discovery reads it. Anything else is an error and
// the file is left as it was.
import { isDeepStrictEqual } from 'node:util';
import { isObject } from '../core/json.js';
import type { ConfigFormat, Scope, ServerDecl } from '../core/types.js';
import { extractServers, type ExtractedServer } from '../discover/servers.js';
import type { ServerShape } from '../discover/spec.js';
import { ConfigParseError, parseConfig, type PathSegment } from '../parse/document.js';
import { openEditor, type FormatEditor } from './format-editor.js';
import { applyTextEdits, dropFirstItems, eolOf, prependItems, replaceScalar, type TextEdit } from './text-edits.js';
import { gatewayIndex, parseWrapped, wrapArgv, type GatewayChoice, type Launcher, type WrappedLaunch } from './wrap.js';

/**
 * Why a remote server is left as it is: routing it means a stdio entry running `warden gateway
 * --upstream URL`, with the server's headers (its credentials) moved onto that command line, where
 * every process listing shows them. Until headers can come from the environment, the user routes
 * it by hand (a `--listen` gateway the client connects to).
 */
export const REMOTE_NOT_YET = 'not routed: a remote server\'s headers would have to move onto a command line; run `warden gateway --upstream URL --listen 127.0.0.1:PORT` and point the client at it';

/**
 * `skipped`: by design (remote, nothing to run); `not-routed` and `left-routed`: Warden could not
 * edit it safely, and says why; the command exits 1 so a script notices.
 */
export type ServerStatus = 'routed' | 'already-routed' | 'skipped' | 'not-routed' | 'unrouted' | 'left-routed';

export interface ServerOutcome {
  name: string;
  status: ServerStatus;
  reason?: string;
  /** For `already-routed`: the argv before `gateway`, to check that Warden is still there. */
  launcher?: string[];
}

export interface ConfigText {
  path: string;
  format: ConfigFormat;
  text: string;
  shape: ServerShape;
  client: string;
  scope: Scope;
}

export interface Rewrite {
  text: string;
  servers: ServerOutcome[];
  /** Servers whose launch changed. */
  changed: number;
}

/** The edit could not be proved to change only what it should; nothing may be written. */
export class RewriteError extends Error {}

interface Change {
  path: readonly PathSegment[];
  value: unknown;
}

type Edited = { text: string; changes: Change[]; argv: string[] } | { skip: string };

/** The spellings of `args` discovery reads (FIELD_PATHS.args in discover/servers.ts), in its order. */
const ARGS_PATHS: ReadonlyArray<readonly string[]> = [['args'], ['command', 'args'], ['transport', 'args']];

const LAYOUT = 'written in a layout Warden does not edit (route it by hand: see `warden gateway --help`)';

/** Install: every stdio server not yet routed now launches `warden gateway ... -- COMMAND ARGS`. */
export function routeServers(cfg: ConfigText, launcher: Launcher, choice: GatewayChoice): Rewrite {
  return rewrite(cfg, (text, s, argv, data) => {
    const d = s.decl;
    if (argv === null) return { name: d.name, status: 'skipped', reason: d.url !== undefined ? REMOTE_NOT_YET : 'no command to run (built into the client or provided by an extension)' };
    if (d.transport !== 'stdio') return { name: d.name, status: 'skipped', reason: d.url !== undefined ? REMOTE_NOT_YET : `transport "${d.transport}" is not stdio` };
    if (gatewayIndex(argv) !== -1) {
      const w = parseWrapped(argv);
      return { name: d.name, status: 'already-routed', ...(w ? { launcher: w.launcher } : {}) };
    }
    return wrapOne(cfg.format, text, s, data, argv, wrapArgv(argv, d.name, launcher, choice));
  }, 'routed');
}

/** Uninstall in place: every routed server launches its own command again; nothing else changes. */
export function unrouteServers(cfg: ConfigText): Rewrite {
  return rewrite(cfg, (text, s, argv, data) => {
    if (argv === null || gatewayIndex(argv) === -1) return null;
    const w = parseWrapped(argv);
    if (!w) return { name: s.decl.name, status: 'left-routed', reason: 'runs `warden gateway` with options this Warden does not know; edit it by hand' };
    return unwrapOne(cfg.format, text, s, data, w);
  }, 'unrouted');
}

function rewrite(
  cfg: ConfigText,
  step: (text: string, s: ExtractedServer, argv: string[] | null, data: unknown) => ServerOutcome | Edited | null,
  done: ServerStatus,
): Rewrite {
  // A malformed config throws ConfigParseError here, before anything is planned.
  const doc = parseConfig(cfg.path, cfg.text, cfg.format);
  const servers = extractServers(doc, cfg.shape, cfg.client, cfg.scope);
  let text = cfg.text;
  const changes: Change[] = [];
  const intended = new Map<number, string[]>();
  const outcomes: ServerOutcome[] = [];
  servers.forEach((s, i) => {
    const argv = s.decl.command !== undefined ? [s.decl.command, ...s.decl.args] : null;
    const r = step(text, s, argv, doc.data);
    if (r === null) return;
    if ('status' in r) outcomes.push(r);
    else if ('skip' in r) outcomes.push({ name: s.decl.name, status: done === 'routed' ? 'not-routed' : 'left-routed', reason: r.skip });
    else {
      text = r.text;
      changes.push(...r.changes);
      intended.set(i, r.argv);
      outcomes.push({ name: s.decl.name, status: done });
    }
  });
  if (intended.size > 0) verify(cfg, text, changes, servers, intended);
  return { text, servers: outcomes, changed: intended.size };
}

function wrapOne(format: ConfigFormat, text: string, s: ExtractedServer, data: unknown, argv: string[], wrapped: string[]): Edited {
  const prefix = wrapped.slice(0, wrapped.length - argv.length);
  const cmdPath = s.sources.command!;
  const eol = eolOf(text);
  const arrayPath = arrayCommand(cmdPath);
  if (arrayPath) {
    // OpenCode's `command: [cmd, ...args]`: the gateway goes in front of the same array.
    const ed = editor(format, text);
    const site = ed && ed.arrayAt(arrayPath);
    const edits = site && prependItems(text, site, prefix, eol);
    if (!edits) return { skip: LAYOUT };
    return { text: applyTextEdits(text, edits), changes: [{ path: arrayPath, value: [...prefix, ...(valueAt(data, arrayPath) as unknown[])] }], argv: wrapped };
  }
  const argsPath = argsPathOf(data, s.sources.base, cmdPath);
  if (typeof argsPath === 'string') return { skip: argsPath };
  const rawArgs = valueAt(data, argsPath);
  // `command` becomes the launcher; the rest of the prefix and the server's own command go in
  // front of its args (inserted, so the args already written keep their text and comments).
  const front = [...prefix.slice(1), argv[0]!];
  const ed = editor(format, text);
  if (!ed || !ed.stringAt(cmdPath)) return { skip: `its command is not a plain string; ${LAYOUT}` };
  let edits: TextEdit[] | null;
  if (Array.isArray(rawArgs)) {
    const site = ed.arrayAt(argsPath);
    edits = site && prependItems(text, site, front, eol);
  } else edits = ed.addBeside(cmdPath, String(argsPath[argsPath.length - 1]), front);
  if (!edits) return { skip: LAYOUT };
  const withArgs = applyTextEdits(text, edits);
  const ed2 = editor(format, withArgs);
  const span = ed2 && ed2.stringAt(cmdPath);
  if (!span) return { skip: LAYOUT };
  return {
    text: applyTextEdits(withArgs, [replaceScalar(withArgs, span, prefix[0]!)]),
    changes: [
      { path: cmdPath, value: prefix[0] },
      { path: argsPath, value: [...front, ...(Array.isArray(rawArgs) ? rawArgs : [])] },
    ],
    argv: wrapped,
  };
}

function unwrapOne(format: ConfigFormat, text: string, s: ExtractedServer, data: unknown, w: WrappedLaunch): Edited {
  const cmdPath = s.sources.command!;
  const drop = w.originalStart;
  const arrayPath = arrayCommand(cmdPath);
  if (arrayPath) {
    const raw = valueAt(data, arrayPath) as unknown[];
    const ed = editor(format, text);
    const site = drop < raw.length ? ed && ed.arrayAt(arrayPath) : null;
    const edits = site && dropFirstItems(text, site, drop);
    if (!edits) return { skip: LAYOUT };
    return { text: applyTextEdits(text, edits), changes: [{ path: arrayPath, value: raw.slice(drop) }], argv: w.original };
  }
  // argv = [command, ...args]: the server's own command is args[drop - 1], its args follow.
  const argsPath = argsPathOf(data, s.sources.base, cmdPath);
  const raw = typeof argsPath === 'string' ? undefined : valueAt(data, argsPath);
  if (typeof argsPath === 'string' || !Array.isArray(raw) || drop > raw.length) return { skip: LAYOUT };
  const ed = editor(format, text);
  const site = ed && ed.stringAt(cmdPath) ? ed.arrayAt(argsPath) : null;
  const edits = site && dropFirstItems(text, site, drop);
  if (!edits) return { skip: LAYOUT };
  const withArgs = applyTextEdits(text, edits);
  const ed2 = editor(format, withArgs);
  const span = ed2 && ed2.stringAt(cmdPath);
  if (!span) return { skip: LAYOUT };
  const command = w.original[0]!;
  return {
    text: applyTextEdits(withArgs, [replaceScalar(withArgs, span, command)]),
    changes: [
      { path: cmdPath, value: command },
      { path: argsPath, value: raw.slice(drop) },
    ],
    argv: w.original,
  };
}

function verify(cfg: ConfigText, text: string, changes: readonly Change[], before: readonly ExtractedServer[], intended: ReadonlyMap<number, string[]>): void {
  let after;
  try {
    after = parseConfig(cfg.path, text, cfg.format);
  } catch (err) {
    const why = err instanceof ConfigParseError ? `line ${err.line}, column ${err.column}: ${err.reason}` : String(err);
    throw new RewriteError(`the edited text would not parse (${why}); nothing written`);
  }
  // A fresh parse of the original, changed by hand the way the text edits meant to change it.
  const expected = parseConfig(cfg.path, cfg.text, cfg.format).data;
  for (const c of changes) setAt(expected, c.path, c.value);
  if (!isDeepStrictEqual(after.data, expected)) {
    throw new RewriteError('the edit would change more than the servers\' command and args (a key written twice, or a shared YAML anchor?); nothing written');
  }
  const again = extractServers(after, cfg.shape, cfg.client, cfg.scope);
  const launch = (d: ServerDecl) => (d.command === undefined ? null : [d.command, ...d.args]);
  const rest = (d: ServerDecl) => ({ name: d.name, env: d.env, url: d.url, cwd: d.cwd, headers: d.headers, disabled: d.disabled, scope: d.scope });
  const ok =
    again.length === before.length &&
    again.every((s, i) => {
      const old = before[i]!.decl;
      return isDeepStrictEqual(rest(s.decl), rest(old)) && isDeepStrictEqual(launch(s.decl), intended.get(i) ?? launch(old));
    });
  if (!ok) throw new RewriteError('after the edit, the servers would not launch exactly what Warden intended; nothing written');
}

function editor(format: ConfigFormat, text: string): FormatEditor | null {
  const ed = openEditor(format, text);
  return 'unusable' in ed ? null : ed;
}

/** The array path when the command is written as an array (`command: [cmd, ...args]`). */
function arrayCommand(cmdPath: readonly PathSegment[]): readonly PathSegment[] | null {
  return typeof cmdPath[cmdPath.length - 1] === 'number' ? cmdPath.slice(0, -1) : null;
}

/** Where this server's args are (or would be) written, or why they cannot be edited. */
function argsPathOf(data: unknown, base: readonly PathSegment[], cmdPath: readonly PathSegment[]): PathSegment[] | string {
  const entry = valueAt(data, base);
  for (const alt of ARGS_PATHS) if (Array.isArray(valueAt(entry, alt))) return [...base, ...alt];
  // No args yet: a new `args` beside the command (inside Zed's nested `command: {path}` form too).
  const sibling = [...cmdPath.slice(0, -1), 'args'];
  if (valueAt(data, sibling) !== undefined) return 'its args are not written as a list';
  return sibling;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v = root;
  for (const seg of path) {
    if (typeof seg === 'number' ? Array.isArray(v) : isObject(v) && Object.hasOwn(v, seg)) v = (v as Record<string, unknown>)[seg as string];
    else return undefined;
  }
  return v;
}

function setAt(root: unknown, path: readonly PathSegment[], value: unknown): void {
  const parent = valueAt(root, path.slice(0, -1));
  if (!isObject(parent) && !Array.isArray(parent)) throw new RewriteError('internal: no container for an edited value');
  Object.defineProperty(parent, path[path.length - 1]!, { value, writable: true, enumerable: true, configurable: true });
}
