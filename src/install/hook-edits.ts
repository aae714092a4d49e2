// Adding and removing Warden's hook entries in an agent's config, as text. Same contract as
// rewrite.ts for servers: the user's comments, key order and spacing stay where they were, only
// Warden's entries (and with --managed, the settings Warden sets) change, and every result is
// proved before it may be written: the new text is parsed again and its data must equal the old
// data with exactly the intended changes, or nothing is written (RewriteError).
//
// JSON/JSONC: edits are placed using jsonc-parser's syntax tree (the same parser edit-json.ts
// uses), in the layout of the surrounding members. jsonc-parser's own `modify` is not used: its
// formatter re-flows lines next to the edit. TOML (Codex's requirements.toml): Warden's tables go
// in one block at the end of the file between marker comments, and uninstall takes that block
// out again; TOML has no way to add an array-of-tables entry anywhere else without re-printing.
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import { isObject } from '../core/json.js';
import type { OsName } from '../core/types.js';
import { ConfigParseError, parseConfig, type ConfigDocument, type PathSegment } from '../parse/document.js';
import { hookCommand } from './hook-command.js';
import { isWardenHandler, wardenItem, type HookAgent, type HookScope } from './hook-entries.js';
import { RewriteError } from './rewrite.js';
import { nodeAt } from './edit-json.js';
import { eolOf, lineStart, quoteString } from './text-edits.js';
import type { Launcher } from './wrap.js';

export type HookEventStatus = 'added' | 'updated' | 'unchanged' | 'removed';

export interface HookEventOutcome {
  event: string;
  status: HookEventStatus;
}

export interface HookPlan {
  text: string;
  changed: boolean;
  events: HookEventOutcome[];
  /** Top-level settings set or restored (`allowManagedHooksOnly: true`). */
  settings: string[];
  /** Things the user should know: the file disables hooks, a setting left as it was. */
  warnings: string[];
}

export interface PlanTarget {
  path: string;
  agent: HookAgent;
  scope: HookScope;
  format: 'json' | 'toml';
  os: OsName;
}

/**
 * What the file was before Warden first wrote it, for undoing settings in place: `text` null when
 * Warden created the file; the whole argument undefined when there is no backup to tell.
 */
export type Original = { text: string | null } | undefined;

const HOOKS = 'hooks';

/** Install: Warden's entries for every event, replacing (not duplicating) any it had. */
export function planInstall(t: PlanTarget, text: string | null, launcher: Launcher): HookPlan {
  return t.format === 'toml' ? tomlInstall(t, text ?? '', launcher) : jsonInstall(t, text, launcher);
}

/** Uninstall in place: Warden's entries out, everything else as it is. */
export function planRemoval(t: PlanTarget, text: string, original: Original): HookPlan {
  return t.format === 'toml' ? tomlRemoval(t, text) : jsonRemoval(t, text, original);
}

/** Where Warden's handlers are in one event's list: whole items, or handlers inside a group the user shares. */
type Location = { item: number; handler?: number };

function wardenLocations(agent: HookAgent, list: readonly unknown[]): Location[] {
  const out: Location[] = [];
  list.forEach((item, i) => {
    if (agent.layout === 'flat') {
      if (isWardenHandler(agent, item)) out.push({ item: i });
      return;
    }
    if (!isObject(item) || !Array.isArray(item[HOOKS])) return;
    const handlers = item[HOOKS] as unknown[];
    const ours = handlers.map((h, j) => (isWardenHandler(agent, h) ? j : -1)).filter((j) => j !== -1);
    if (ours.length === 0) return;
    if (ours.length === handlers.length) out.push({ item: i });
    else for (const j of ours) out.push({ item: i, handler: j });
  });
  return out;
}

// --- JSON ---------------------------------------------------------------------------------

function jsonInstall(t: PlanTarget, text: string | null, launcher: Launcher): HookPlan {
  const { agent } = t;
  const empty = text === null || text.trim() === '';
  const doc = new JsonDoc(t.path, empty ? skeletonText(agent) : text, empty ? null : text);
  const data = doc.data;
  const parsed = doc.parsed;
  const hooks = data[HOOKS];
  if (hooks !== undefined && !isObject(hooks)) throw wrongType(parsed, [HOOKS], hooks, 'an object of events');
  const wanted = new Map(agent.events.map((e) => [e.event, wardenItem(agent, e, launcher)]));
  for (const event of wanted.keys()) {
    const list = isObject(hooks) ? hooks[event] : undefined;
    if (list !== undefined && !Array.isArray(list)) throw wrongType(parsed, [HOOKS, event], list, 'a list of hooks');
  }
  const outcome = new Map<string, HookEventStatus>();
  const placed = new Set<string>();
  for (const event of isObject(hooks) ? Object.keys(hooks) : []) {
    const list = (doc.data[HOOKS] as Record<string, unknown>)[event];
    if (!Array.isArray(list)) continue;
    const want = wanted.get(event);
    const locs = wardenLocations(agent, list);
    if (locs.length === 0) continue;
    if (want && locs.length === 1 && locs[0]!.handler === undefined) {
      // Warden's one entry stays where it is; replaced only when it differs.
      const at = locs[0]!.item;
      placed.add(event);
      if (sameJson(list[at], want)) outcome.set(event, 'unchanged');
      else {
        doc.set([HOOKS, event, at], want);
        outcome.set(event, 'updated');
      }
      continue;
    }
    removeLocations(doc, event, list, locs, !want);
    outcome.set(event, want ? 'updated' : 'removed');
  }
  // Events with a list get Warden's item appended; the others are added together, in one edit.
  const missing: Array<[string, unknown]> = [];
  for (const [event, item] of wanted) {
    if (placed.has(event)) continue;
    const current = doc.data[HOOKS];
    if (isObject(current) && Array.isArray(current[event])) doc.append([HOOKS, event], item);
    else missing.push([event, [item]]);
    if (!outcome.has(event)) outcome.set(event, 'added');
  }
  if (missing.length > 0) {
    if (isObject(doc.data[HOOKS])) doc.add([HOOKS], missing);
    else doc.add([], [[HOOKS, Object.fromEntries(missing)]]);
  }
  const settings: string[] = [];
  if (t.scope === 'managed') {
    for (const [key, value] of Object.entries(agent.managedSettings ?? {})) {
      if (sameJson(doc.data[key], value)) continue;
      doc.set([key], value);
      settings.push(`${key}: ${JSON.stringify(value)}`);
    }
  }
  doc.verify();
  return finish(agent, doc, outcome, settings, []);
}

function jsonRemoval(t: PlanTarget, text: string, original: Original): HookPlan {
  const { agent } = t;
  if (text.trim() === '') return { text, changed: false, events: [], settings: [], warnings: [] };
  const doc = new JsonDoc(t.path, text, text);
  const outcome = new Map<string, HookEventStatus>();
  const hooks = doc.data[HOOKS];
  for (const event of isObject(hooks) ? Object.keys(hooks) : []) {
    const list = (doc.data[HOOKS] as Record<string, unknown>)[event];
    if (!Array.isArray(list)) continue;
    const locs = wardenLocations(agent, list);
    if (locs.length === 0) continue;
    removeLocations(doc, event, list, locs, true);
    outcome.set(event, 'removed');
  }
  const settings: string[] = [];
  const warnings: string[] = [];
  const before = originalData(t.path, original);
  // A `hooks` left empty goes too when the file had none before Warden.
  const left = doc.data[HOOKS];
  if (outcome.size > 0 && isObject(left) && Object.keys(left).length === 0 && before !== 'unknown' && !(before !== null && HOOKS in before)) doc.remove([HOOKS]);
  if (t.scope === 'managed') {
    for (const [key, value] of Object.entries(agent.managedSettings ?? {})) {
      if (!sameJson(doc.data[key], value)) continue;
      if (before === 'unknown') {
        warnings.push(`${key} left as it is: no backup says whether Warden set it`);
        continue;
      }
      const prior = before?.[key];
      if (prior === undefined) {
        doc.remove([key]);
        settings.push(`${key}: removed`);
      } else if (!sameJson(prior, value)) {
        doc.set([key], prior);
        settings.push(`${key}: ${JSON.stringify(prior)} again`);
      }
    }
  }
  doc.verify();
  return finish(agent, doc, outcome, settings, warnings);
}

/**
 * Takes Warden's handlers out of one event's list, last first so earlier indexes stay valid; the
 * event itself goes when nothing else was in it and `dropEmpty` (it is not about to be refilled).
 */
function removeLocations(doc: JsonDoc, event: string, list: readonly unknown[], locs: readonly Location[], dropEmpty: boolean): void {
  const whole = locs.filter((l) => l.handler === undefined).length;
  if (dropEmpty && whole === list.length) {
    doc.remove([HOOKS, event]);
    return;
  }
  for (const l of [...locs].sort((a, b) => b.item - a.item || (b.handler ?? -1) - (a.handler ?? -1))) {
    doc.remove(l.handler === undefined ? [HOOKS, event, l.item] : [HOOKS, event, l.item, HOOKS, l.handler]);
  }
}

function originalData(path: string, original: Original): Record<string, unknown> | null | 'unknown' {
  if (original === undefined) return 'unknown';
  if (original.text === null || original.text.trim() === '') return null;
  try {
    const data = parseConfig(path, original.text, 'jsonc').data;
    return isObject(data) ? data : 'unknown';
  } catch {
    return 'unknown';
  }
}

function finish(agent: HookAgent, doc: JsonDoc, outcome: Map<string, HookEventStatus>, settings: string[], warnings: string[]): HookPlan {
  const order = [...agent.events.map((e) => e.event), ...[...outcome.keys()].filter((k) => !agent.events.some((e) => e.event === k))];
  const events = order.filter((e) => outcome.has(e)).map((event) => ({ event, status: outcome.get(event)! }));
  const changed = doc.text !== doc.initial;
  return { text: doc.text, changed, events, settings, warnings: [...warnings, ...(agent.warnings?.(doc.data) ?? [])] };
}

function skeletonText(agent: HookAgent): string {
  return JSON.stringify({ ...(agent.skeleton ?? {}) }, null, 2) + '\n';
}

function wrongType(doc: ConfigDocument, path: readonly PathSegment[], value: unknown, expected: string): ConfigParseError {
  const pos = doc.locate(path);
  const name = path.map(String).join('.');
  return new ConfigParseError(doc.path, pos.line, pos.column, `\`${name}\` is ${describe(value)}, not ${expected}; Warden adds its hooks only to a well-formed file: fix it by hand`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/** Equal as JSON data (parsed objects have no prototype; built ones do). */
function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(canonical(a), canonical(b));
}

function canonical(v: unknown): unknown {
  return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as unknown);
}

interface Style {
  unit: string;
  eol: string;
}

/**
 * A JSON text being edited, and beside it the data it must parse to: a fresh parse of the
 * original, changed by hand the way each text edit means to change it.
 */
class JsonDoc {
  readonly parsed: ConfigDocument;
  readonly data: Record<string, unknown>;
  readonly initial: string;
  private readonly style: Style;
  private readonly strict: boolean;

  /** `before`: the file's own text (null when it does not exist yet), for the strictness check. */
  constructor(
    private readonly path: string,
    public text: string,
    before: string | null,
  ) {
    this.initial = before ?? '';
    // A malformed file throws ConfigParseError here, before anything is planned.
    this.parsed = parseConfig(path, text, 'jsonc');
    const data = this.parsed.data;
    if (data === undefined) throw new ConfigParseError(path, 1, 1, 'holds no JSON value (only comments?); Warden edits only a JSON object');
    if (!isObject(data)) throw new ConfigParseError(path, 1, 1, `the top level is ${describe(data)}, not an object; Warden adds its hooks only to a well-formed file: fix it by hand`);
    this.data = data;
    this.style = jsonStyle(text);
    this.strict = isStrictJson(text);
  }

  /** Replaces the value at `path`, or adds it to the object holding it. */
  set(path: readonly PathSegment[], value: unknown): void {
    const root = this.tree();
    const node = nodeAt(root, path);
    if (node) {
      this.text = replaceNode(this.text, node, value, this.style);
      const holder = valueAt(this.data, path.slice(0, -1)) as Record<string | number, unknown>;
      holder[path[path.length - 1]!] = canonical(value);
    } else this.addTo(root, path.slice(0, -1), [[String(path[path.length - 1]), value]]);
  }

  /** Adds members at the end of the object at `path`, in one edit. */
  add(path: readonly PathSegment[], members: ReadonlyArray<readonly [string, unknown]>): void {
    this.addTo(this.tree(), path, members);
  }

  private addTo(root: Node, path: readonly PathSegment[], members: ReadonlyArray<readonly [string, unknown]>): void {
    const parent = nodeAt(root, path);
    if (parent?.type !== 'object') throw new RewriteError('internal: no object to add a member to');
    const sep = (indent: string | null) => (indent === null ? ', ' : `,${this.style.eol}${indent}`);
    this.text = insertChild(this.text, parent, (indent) => members.map(([k, v]) => `${JSON.stringify(k)}: ${render(v, indent, this.style)}`).join(sep(indent)), this.style);
    const holder = valueAt(this.data, path) as Record<string, unknown>;
    for (const [k, v] of members) holder[k] = canonical(v);
  }

  append(path: readonly PathSegment[], value: unknown): void {
    const node = nodeAt(this.tree(), path);
    if (node?.type !== 'array') throw new RewriteError('internal: no list to append to');
    this.text = insertChild(this.text, node, (indent) => render(value, indent, this.style), this.style);
    (valueAt(this.data, path) as unknown[]).push(canonical(value));
  }

  remove(path: readonly PathSegment[]): void {
    const parent = nodeAt(this.tree(), path.slice(0, -1));
    const last = path[path.length - 1]!;
    if (!parent?.children) throw new RewriteError('internal: nothing to remove');
    const index = typeof last === 'number' ? last : parent.children.findLastIndex((p) => p.children?.[0]?.value === last);
    if (index < 0 || index >= parent.children.length) throw new RewriteError('internal: nothing to remove');
    this.text = removeChild(this.text, parent, index);
    const holder = valueAt(this.data, path.slice(0, -1));
    if (Array.isArray(holder)) holder.splice(last as number, 1);
    else delete (holder as Record<string, unknown>)[last as string];
  }

  /** The new text parses to exactly the intended data, and a strict JSON file stays strict JSON. */
  verify(): void {
    let after: ConfigDocument;
    try {
      after = parseConfig(this.path, this.text, 'jsonc');
    } catch (err) {
      const why = err instanceof ConfigParseError ? `line ${err.line}, column ${err.column}: ${err.reason}` : String(err);
      throw new RewriteError(`the edited text would not parse (${why}); nothing written`);
    }
    if (!sameJson(after.data, this.data)) {
      throw new RewriteError('the edit would change more than Warden\'s hook entries (a key written twice?); nothing written: edit the file by hand');
    }
    // Claude Code, Cursor, Codex and Copilot read these files as plain JSON: no comment or
    // trailing comma may appear where the user had none.
    if (this.strict && !isStrictJson(this.text)) throw new RewriteError('the edit would leave the file readable only as JSON with comments; nothing written');
  }

  private tree(): Node {
    const errors: ParseError[] = [];
    const root = parseTree(this.text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
    if (!root || errors.length > 0) throw new RewriteError('internal: the text being edited stopped parsing');
    return root;
  }
}

function isStrictJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}


function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v = root;
  for (const seg of path) v = (v as Record<string | number, unknown>)[seg];
  return v;
}

/** The file's indentation unit (the smallest indent of its first lines; a tab if it uses tabs) and line ending. */
function jsonStyle(text: string): Style {
  let unit = '';
  for (const line of text.split('\n', 400)) {
    const m = /^([ \t]+)["{}[\]]/.exec(line);
    if (!m) continue;
    if (m[1]!.startsWith('\t')) {
      unit = '\t';
      break;
    }
    if (unit === '' || m[1]!.length < unit.length) unit = m[1]!;
  }
  return { unit: unit || '  ', eol: eolOf(text) };
}

function lineIndent(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, offset), offset))![0];
}

/** A value as text: indented by `unit` per level from `indent`, or on one line when `indent` is null. */
function render(value: unknown, indent: string | null, style: Style): string {
  if (indent === null) return JSON.stringify(value);
  return JSON.stringify(value, null, style.unit).replace(/\n/g, style.eol + indent);
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** After a value on its line: an optional comma, then nothing but an optional comment. */
const LINE_REST = /^[ \t]*(,?)[ \t]*(?:\/\/.*|\/\*(?:(?!\*\/).)*\*\/[ \t]*)?\r?$/;

/** What follows `offset` on its line, if it is only a comma and a comment: [match, comma, length up to the line break]. */
function restOfLine(text: string, offset: number): { comma: boolean; length: number } | null {
  const nl = text.indexOf('\n', offset);
  const line = text.slice(offset, nl === -1 ? text.length : nl);
  const m = LINE_REST.exec(line);
  if (!m) return null;
  return { comma: m[1] === ',', length: line.endsWith('\r') ? line.length - 1 : line.length };
}

/** Adds a member or item at the end of an object or array, in the layout of its siblings. */
function insertChild(text: string, container: Node, child: (indent: string | null) => string, style: Style): string {
  const kids = container.children ?? [];
  const open = container.offset;
  const close = container.offset + container.length - 1;
  const base = lineIndent(text, open);
  if (kids.length === 0) {
    const indent = base + style.unit;
    if (/^\s*$/.test(text.slice(open + 1, close))) return splice(text, open + 1, close, `${style.eol}${indent}${child(indent)}${style.eol}${base}`);
    // Only comments inside: the new member goes after them.
    const closeLine = lineStart(text, close);
    if (closeLine > open && /^[ \t]*$/.test(text.slice(closeLine, close))) return splice(text, closeLine, closeLine, `${indent}${child(indent)}${style.eol}`);
    return splice(text, close, close, `${style.eol}${indent}${child(indent)}${style.eol}${base}`);
  }
  const last = kids[kids.length - 1]!;
  const end = last.offset + last.length;
  const lead = text.slice(lineStart(text, last.offset), last.offset);
  if (!/^[ \t]*$/.test(lead)) return splice(text, end, end, `, ${child(null)}`);
  const rest = restOfLine(text, end);
  if (!rest) return splice(text, end, end, `,${style.eol}${lead}${child(lead)}`);
  // The last member keeps its line (and its comment); the new one starts the next line.
  // A file that ends every member with a comma (JSONC) gets one after the new member too.
  const lineEnd = end + rest.length;
  const withMember = splice(text, lineEnd, lineEnd, `${style.eol}${lead}${child(lead)}${rest.comma ? ',' : ''}`);
  return rest.comma ? withMember : splice(withMember, end, end, ',');
}

function replaceNode(text: string, node: Node, value: unknown, style: Style): string {
  const parent = node.parent?.type === 'property' ? node.parent.parent : node.parent;
  const oneLine = parent !== undefined && !text.slice(parent.offset, parent.offset + parent.length).includes('\n');
  return splice(text, node.offset, node.offset + node.length, render(value, oneLine ? null : lineIndent(text, node.offset), style));
}

/** Takes one member or item out, with its comma, its own lines when it has them, and its trailing comment. */
function removeChild(text: string, container: Node, index: number): string {
  const kids = container.children!;
  const kid = kids[index]!;
  const start = kid.offset;
  const end = kid.offset + kid.length;
  if (kids.length === 1) return splice(text, container.offset + 1, container.offset + container.length - 1, '');
  const last = index === kids.length - 1;
  const own = /^[ \t]*$/.test(text.slice(lineStart(text, start), start));
  const rest = restOfLine(text, end);
  if (own && rest) {
    const nl = end + rest.length;
    const lineEnd = text.startsWith('\r\n', nl) ? nl + 2 : text[nl] === '\n' ? nl + 1 : nl;
    // Its comma on its own line (or a comma after every member): its lines go, nothing else.
    if (rest.comma) return splice(text, lineStart(text, start), lineEnd, '');
    if (last) {
      // The last member without a comma: its lines go, and the comma after the member before it.
      const prevEnd = kids[index - 1]!.offset + kids[index - 1]!.length;
      const comma = /^\s*,/.exec(text.slice(prevEnd, start));
      if (comma) {
        const at = prevEnd + comma[0].length - 1;
        return splice(splice(text, lineStart(text, start), lineEnd, ''), at, at + 1, '');
      }
    }
  }
  if (!last) return splice(text, start, kids[index + 1]!.offset, '');
  const prevEnd = kids[index - 1]!.offset + kids[index - 1]!.length;
  return splice(text, prevEnd, end, '');
}

// --- TOML (Codex requirements.toml) -------------------------------------------------------

export const TOML_BEGIN = '# >>> warden hooks';
export const TOML_END = '# <<< warden hooks';

function tomlInstall(t: PlanTarget, text: string, launcher: Launcher): HookPlan {
  const { agent } = t;
  const before = parseConfig(t.path, text, 'toml');
  const cut = cutBlock(text);
  const base = cut.found ? parseAfterCut(t.path, cut.text) : before;
  if (hasWardenEntries(agent, base.data)) {
    throw new RewriteError(`holds Warden hook entries outside its marked block (${TOML_BEGIN} … ${TOML_END}); remove them by hand`);
  }
  const data = base.data as Record<string, unknown>;
  const hooks = data[HOOKS];
  if (hooks !== undefined && !isObject(hooks)) throw wrongType(before, [HOOKS], hooks, 'a table');
  for (const e of agent.events) {
    const list = isObject(hooks) ? hooks[e.event] : undefined;
    if (list !== undefined && !Array.isArray(list)) throw wrongType(before, [HOOKS, e.event], list, 'an array of tables');
  }
  // Codex skips managed hooks whose `[hooks]` names no existing managed folder (releases up to mid
  // 2026; later ones only label the hooks with it), so a new `[hooks]` names Warden's own folder.
  const dirKey = t.os === 'windows' ? 'windows_managed_dir' : 'managed_dir';
  const argv = hookCommand(launcher, agent.id).argv;
  const managedDir = hooks === undefined ? dirname(argv[argv.lastIndexOf('hook') - 1]!) : null;
  const eol = eolOf(text);
  const lines = [`${TOML_BEGIN} (written by \`warden install --hooks ${agent.id} --managed\`; \`warden uninstall --hooks ${agent.id} --managed\` removes it)`];
  if (managedDir !== null) lines.push('[hooks]', `${dirKey} = ${quoteString(managedDir)}`, '');
  const expected = parseConfig(t.path, cut.text, 'toml').data as Record<string, unknown>;
  if (managedDir !== null) expected[HOOKS] = { [dirKey]: managedDir };
  const expectedHooks = expected[HOOKS] as Record<string, unknown> | undefined;
  for (const e of agent.events) {
    const item = wardenItem(agent, e, launcher);
    const handler = (item[HOOKS] as Array<Record<string, unknown>>)[0]!;
    lines.push(`[[hooks.${e.event}]]`);
    if (item['matcher'] !== undefined) lines.push(`matcher = ${quoteString(String(item['matcher']))}`);
    lines.push('', `[[hooks.${e.event}.hooks]]`);
    for (const [k, v] of Object.entries(handler)) lines.push(`${k} = ${typeof v === 'string' ? quoteString(v) : String(v)}`);
    lines.push('');
    const holder = expectedHooks ?? (expected[HOOKS] = {});
    const list = ((holder as Record<string, unknown>)[e.event] ??= []) as unknown[];
    list.push(item);
  }
  lines.push(TOML_END);
  const block = lines.join(eol) + eol;
  const head = cut.text === '' ? '' : (/\n$/.test(cut.text) ? cut.text : cut.text + eol) + eol;
  const next = head + block;
  let after: ConfigDocument;
  try {
    after = parseConfig(t.path, next, 'toml');
  } catch {
    throw new RewriteError('Warden\'s tables would not parse after this file\'s content (is `hooks` written as an inline table?); nothing written: add the hooks by hand');
  }
  if (!sameJson(after.data, expected)) throw new RewriteError('the edit would change more than Warden\'s hook tables; nothing written');
  const had = cut.found ? hookEvents(agent, before.data) : new Set<string>();
  const changed = next !== text;
  const events = agent.events.map((e) => ({ event: e.event, status: (!changed ? 'unchanged' : had.has(e.event) ? 'updated' : 'added') as HookEventStatus }));
  return { text: next, changed, events, settings: [], warnings: [] };
}

function tomlRemoval(t: PlanTarget, text: string): HookPlan {
  const { agent } = t;
  const before = parseConfig(t.path, text, 'toml');
  const cut = cutBlock(text);
  if (!cut.found) {
    if (hasWardenEntries(agent, before.data)) throw new RewriteError(`Warden's hook entries here are not inside its marked block (${TOML_BEGIN} … ${TOML_END}); remove them by hand`);
    return { text, changed: false, events: [], settings: [], warnings: [] };
  }
  const after = parseAfterCut(t.path, cut.text);
  // What must be left: the same data without Warden's handlers, and without the `[hooks]` folder
  // key when Warden's block was what declared it.
  const expected = before.data as Record<string, unknown>;
  const events = stripWarden(agent, expected);
  if (cut.declaredHooks && isObject(expected[HOOKS])) {
    const h = expected[HOOKS] as Record<string, unknown>;
    delete h['managed_dir'];
    delete h['windows_managed_dir'];
    if (Object.keys(h).length === 0) delete expected[HOOKS];
  }
  if (!sameJson(after.data, expected)) throw new RewriteError(`Warden's marked block (${TOML_BEGIN} … ${TOML_END}) holds more than Warden wrote; edit it by hand`);
  return { text: cut.text, changed: cut.text !== text, events: events.map((event) => ({ event, status: 'removed' as const })), settings: [], warnings: [] };
}

function parseAfterCut(path: string, text: string): ConfigDocument {
  try {
    return parseConfig(path, text, 'toml');
  } catch {
    throw new RewriteError(`the file would not parse without Warden's marked block (${TOML_BEGIN} … ${TOML_END}); edit it by hand`);
  }
}

/** The text without Warden's block (and the blank line Warden put before it). */
function cutBlock(text: string): { text: string; found: boolean; declaredHooks: boolean } {
  const lines = text.split('\n');
  const bare = lines.map((l) => l.replace(/\r$/, ''));
  const begins = bare.flatMap((l, i) => (l.startsWith(TOML_BEGIN) ? [i] : []));
  const ends = bare.flatMap((l, i) => (l.trimEnd() === TOML_END ? [i] : []));
  if (begins.length === 0 && ends.length === 0) return { text, found: false, declaredHooks: false };
  if (begins.length !== 1 || ends.length !== 1 || ends[0]! < begins[0]!) {
    throw new RewriteError(`the file's Warden markers (${TOML_BEGIN} … ${TOML_END}) are not one pair; fix them by hand`);
  }
  const first = begins[0]! > 0 && bare[begins[0]! - 1]!.trim() === '' ? begins[0]! - 1 : begins[0]!;
  const declaredHooks = bare.slice(begins[0]!, ends[0]!).some((l) => /^\s*\[\s*hooks\s*\]\s*(#.*)?$/.test(l));
  return { text: [...lines.slice(0, first), ...lines.slice(ends[0]! + 1)].join('\n'), found: true, declaredHooks };
}

function hasWardenEntries(agent: HookAgent, data: unknown): boolean {
  return hookEvents(agent, data).size > 0;
}

function hookEvents(agent: HookAgent, data: unknown): Set<string> {
  const hooks = isObject(data) ? data[HOOKS] : undefined;
  const out = new Set<string>();
  if (!isObject(hooks)) return out;
  for (const [event, list] of Object.entries(hooks)) if (Array.isArray(list) && wardenLocations(agent, list).length > 0) out.add(event);
  return out;
}

/** Removes Warden's handlers from parsed data (events it emptied go too); returns the events touched. */
function stripWarden(agent: HookAgent, data: Record<string, unknown>): string[] {
  const hooks = data[HOOKS];
  const touched: string[] = [];
  if (!isObject(hooks)) return touched;
  for (const [event, list] of Object.entries(hooks)) {
    if (!Array.isArray(list)) continue;
    const locs = wardenLocations(agent, list);
    if (locs.length === 0) continue;
    touched.push(event);
    for (const l of [...locs].sort((a, b) => b.item - a.item || (b.handler ?? -1) - (a.handler ?? -1))) {
      if (l.handler === undefined) list.splice(l.item, 1);
      else ((list[l.item] as Record<string, unknown>)[HOOKS] as unknown[]).splice(l.handler, 1);
    }
    if (list.length === 0) delete hooks[event];
  }
  return touched;
}
