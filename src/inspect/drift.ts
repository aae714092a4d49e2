// Drift: what differs between the lockfile and the servers inspected now (diffLock), and the
// `warden verify` report of it (formatDrift). Separate from lockfile.ts, which owns the file's
// format, reading, writing and building: drift only reads a lockfile and compares it with live
// inspections, reusing lockfile.ts's view of a live server and its matching of servers to entries.
import type { DefinitionKind, Scope, ServerDecl, ServerInspection } from '../core/types.js';
import { toPointer, type PathSegment } from '../parse/document.js';
import { isJsonObject, serializeCanonical, textHash, type JsonObject, type JsonValue } from './canonical.js';
import {
  DUPLICATE_SUFFIX,
  PINNED_KINDS,
  STORE_LIMITS,
  currentServer,
  declOf,
  declsById,
  displayFile,
  inspectionRefs,
  lockedLaunch,
  matchEntries,
  parseDefinitionKey,
  type CurrentDefinition,
  type LockOptions,
  type LockedDefinition,
  type LockedServer,
  type Lockfile,
} from './lockfile.js';
import { capLines, printable, textDiff } from './text-diff.js';

// ---------------------------------------------------------------------------------------------
// Drift
// ---------------------------------------------------------------------------------------------

export type DriftKind =
  | 'identity-changed'
  | 'launch-changed'
  | 'instructions-changed'
  | 'definition-changed'
  | 'definition-added'
  | 'definition-removed'
  | 'not-checked'
  | 'unpinned-server';

/** One field that differs, by RFC 6901 pointer inside the definition, launch spec or identity. */
export interface FieldChange {
  pointer: string;
  change: 'added' | 'removed' | 'changed';
}

export interface DriftEntry {
  kind: DriftKind;
  /** True for a change; false for `not-checked`, where nothing is known to have changed. */
  drift: boolean;
  /** The lockfile key of the server (for an unpinned server, the key it would get). */
  key: string;
  server: string;
  client: string;
  scope: Scope;
  /** `ServerDecl.id` when the server was inspected in this run: locates the declaration for a finding. */
  serverId?: string;
  /** For definition drift: which definition. */
  definition?: { kind: DefinitionKind; name: string; key: string };
  /** One line, printable (invisible characters escaped). */
  summary: string;
  /** Multi-line plain text showing what changed; '' when there is nothing more to show. */
  diff: string;
  changes: FieldChange[];
}

const KIND_ORDER: readonly DriftKind[] = [
  'unpinned-server',
  'not-checked',
  'identity-changed',
  'launch-changed',
  'instructions-changed',
  'definition-removed',
  'definition-changed',
  'definition-added',
];

/**
 * What differs between the lockfile and the servers inspected now. Servers in the lock that were
 * not inspected (or failed) are `not-checked`; servers inspected `ok` with no entry are
 * `unpinned-server`; a server that failed and was never pinned yields nothing. Formatting and key
 * order never count: definitions compare by canonical hash.
 */
export async function diffLock(
  lock: Lockfile,
  inspections: readonly ServerInspection[],
  decls: readonly ServerDecl[],
  options: Pick<LockOptions, 'root' | 'home'> = {},
): Promise<DriftEntry[]> {
  const byId = declsById(decls);
  const refs = inspectionRefs(inspections, byId, options);
  // Successful inspections claim their entries first: a failed duplicate must not take the entry
  // a working server should be compared with.
  const ordered = [...refs].sort((a, b) => Number(b.inspection.status === 'ok') - Number(a.inspection.status === 'ok'));
  const matched = matchEntries(ordered, lock.servers);
  const out: DriftEntry[] = [];
  for (const ref of refs) {
    const i = ref.inspection;
    const key = matched.get(ref);
    if (key === undefined) {
      if (i.status !== 'ok') continue;
      // The key it would get; when another entry holds the plain one, told apart by scope.
      const plain = `${ref.client}/${ref.name}`;
      out.push(unpinned(plain in lock.servers ? `${plain} (${ref.scope})` : plain, i));
      continue;
    }
    const entry = lock.servers[key]!;
    if (i.status !== 'ok') {
      out.push(notChecked(key, entry, `${i.status === 'failed' ? 'connection failed' : 'skipped'}${i.reason ? `: ${i.reason}` : ''}`, i.serverId));
      continue;
    }
    out.push(...(await compareServer(key, entry, i, declOf(i, byId))));
  }
  const claimed = new Set(matched.values());
  const declared = matchEntries(
    decls.map((d) => ({ client: d.client, name: d.name, scope: d.scope, file: displayFile(d.file, options) })),
    lock.servers,
    new Set(claimed),
  );
  const stillDeclared = new Set(declared.values());
  for (const key of Object.keys(lock.servers)) {
    if (claimed.has(key)) continue;
    const why = stillDeclared.has(key) ? 'not inspected in this run' : 'no config declares it any more (`warden pin --update` drops it)';
    out.push(notChecked(key, lock.servers[key]!, why));
  }
  return out.sort(compareDrift);
}

function compareDrift(a: DriftEntry, b: DriftEntry): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  const k = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
  if (k !== 0) return k;
  const ak = a.definition?.key ?? '';
  const bk = b.definition?.key ?? '';
  return ak < bk ? -1 : ak > bk ? 1 : 0;
}

function driftBase(key: string, server: { name: string; client: string; scope: Scope }, serverId?: string): Omit<DriftEntry, 'kind' | 'drift' | 'summary' | 'diff' | 'changes'> {
  return { key, server: server.name, client: server.client, scope: server.scope, ...(serverId !== undefined ? { serverId } : {}) };
}

function notChecked(key: string, entry: LockedServer, why: string, serverId?: string): DriftEntry {
  return { ...driftBase(key, entry, serverId), kind: 'not-checked', drift: false, summary: `not checked: ${printable(why, 200)}`, diff: '', changes: [] };
}

function unpinned(key: string, i: ServerInspection): DriftEntry {
  const now = currentServer(i);
  const counts = new Map<DefinitionKind, number>();
  for (const d of now.definitions.values()) counts.set(d.kind, (counts.get(d.kind) ?? 0) + 1);
  const what = PINNED_KINDS.filter((k) => counts.has(k)).map((k) => plural(counts.get(k)!, KIND_LABEL[k]));
  const lines = [...now.definitions.values()].map((d) => `+ ${printable(d.key, 120)}  ${d.sha256}`);
  if (now.instructions !== undefined) lines.unshift(`+ instructions  ${textHash(now.instructions)}`);
  return {
    ...driftBase(key, { name: i.server, client: i.client, scope: i.scope }, i.serverId),
    kind: 'unpinned-server',
    drift: true,
    summary: `server not in the lockfile${what.length > 0 ? ` (${what.join(', ')})` : ' (no definitions)'}`,
    diff: capLines(lines).join('\n'),
    changes: [],
  };
}

const KIND_LABEL: Record<DefinitionKind, string> = {
  tool: 'tool',
  prompt: 'prompt',
  resource: 'resource',
  'resource-template': 'resource template',
  instructions: 'instructions',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

async function compareServer(key: string, entry: LockedServer, i: ServerInspection, decl: ServerDecl): Promise<DriftEntry[]> {
  const out: DriftEntry[] = [];
  const now = currentServer(i);
  const at = driftBase(key, { name: i.server, client: i.client, scope: i.scope }, i.serverId);

  const idChanges = diffValues(entry.identity as unknown as JsonValue, now.identity as unknown as JsonValue);
  if (idChanges.length > 0) {
    const parts = idChanges.map((c) => `${c.pointer.slice(1)} ${c.before === undefined ? '(none)' : show(c.before, 40)} -> ${c.after === undefined ? '(none)' : show(c.after, 40)}`);
    out.push({ ...at, kind: 'identity-changed', drift: true, summary: `server identity changed: ${parts.join(', ')}`, diff: renderChanges(idChanges), changes: fieldChanges(idChanges) });
  }

  const launch = await lockedLaunch(decl);
  const launchChanges = diffValues(entry.launch as unknown as JsonValue, launch as unknown as JsonValue);
  if (launchChanges.length > 0) {
    out.push({ ...at, kind: 'launch-changed', drift: true, summary: `launch spec changed: ${pointerList(launchChanges)}`, diff: renderChanges(launchChanges), changes: fieldChanges(launchChanges) });
  }

  const nowSha = now.instructions !== undefined ? textHash(now.instructions) : undefined;
  if (nowSha !== entry.instructionsSha256) {
    out.push({ ...at, kind: 'instructions-changed', drift: true, ...describeInstructions(entry, now.instructions, nowSha) });
  }

  const keys = new Set([...Object.keys(entry.definitions), ...now.definitions.keys()]);
  for (const dkey of [...keys].sort()) {
    const pinned = Object.prototype.hasOwnProperty.call(entry.definitions, dkey) ? entry.definitions[dkey] : undefined;
    const current = now.definitions.get(dkey);
    const duplicate = DUPLICATE_SUFFIX.test(dkey);
    const parsed = current ? { kind: current.kind, name: current.name } : (parseDefinitionKey(dkey.replace(DUPLICATE_SUFFIX, '')) ?? { kind: 'tool' as const, name: dkey });
    const definition = { ...parsed, key: dkey };
    const label = `${KIND_LABEL[parsed.kind]} "${printable(parsed.name, 80)}"${duplicate ? ' (duplicate)' : ''}`;
    if (pinned && !current) {
      out.push({ ...at, definition, kind: 'definition-removed', drift: true, summary: `${label} removed`, diff: outline('-', pinned.definition, pinned.sha256), changes: [{ pointer: '', change: 'removed' }] });
    } else if (!pinned && current) {
      const shown = current.omitted ? undefined : (current.canon as JsonObject);
      out.push({ ...at, definition, kind: 'definition-added', drift: true, summary: `${label} added`, diff: outline('+', shown, current.sha256), changes: [{ pointer: '', change: 'added' }] });
    } else if (pinned && current && pinned.sha256 !== current.sha256) {
      out.push({ ...at, definition, kind: 'definition-changed', drift: true, ...describeDefinitionChange(label, pinned, current) });
    }
  }
  return out;
}

function describeInstructions(entry: LockedServer, now: string | undefined, nowSha: string | undefined): Pick<DriftEntry, 'summary' | 'diff' | 'changes'> {
  const pointer = [{ pointer: '/instructions', change: entry.instructionsSha256 === undefined ? 'added' : nowSha === undefined ? 'removed' : 'changed' } as FieldChange];
  if (entry.instructionsSha256 === undefined) return { summary: 'instructions added', diff: `+ ${show(now ?? '', 300)}`, changes: pointer };
  if (nowSha === undefined) return { summary: 'instructions removed', diff: entry.instructions !== undefined ? `- ${show(entry.instructions, 300)}` : '', changes: pointer };
  if (entry.instructions === undefined || now === undefined || now.length > STORE_LIMITS.maxChars) {
    return { summary: 'instructions changed', diff: `- ${entry.instructionsSha256}\n+ ${nowSha}`, changes: pointer };
  }
  return { summary: 'instructions changed', diff: textDiff(entry.instructions, now).join('\n'), changes: pointer };
}

function describeDefinitionChange(label: string, pinned: LockedDefinition, current: CurrentDefinition): Pick<DriftEntry, 'summary' | 'diff' | 'changes'> {
  if (pinned.definition === undefined || current.omitted) {
    const why = pinned.definition === undefined ? `pinned by hash only${pinned.omitted ? ` (${pinned.omitted})` : ''}` : `now ${current.omitted}`;
    return { summary: `${label} changed (${why})`, diff: `- ${pinned.sha256}\n+ ${current.sha256}`, changes: [{ pointer: '', change: 'changed' }] };
  }
  const changes = diffValues(pinned.definition, current.canon);
  return { summary: `${label} changed: ${pointerList(changes)}`, diff: renderChanges(changes), changes: fieldChanges(changes) };
}

// ---------------------------------------------------------------------------------------------
// Value diffs
// ---------------------------------------------------------------------------------------------

interface ValueChange extends FieldChange {
  before?: JsonValue;
  after?: JsonValue;
}

/** Past this many changed fields, the rest are counted, not listed. */
const MAX_CHANGES = 50;

function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return serializeCanonical(a) === serializeCanonical(b);
}

function isScalarList(v: JsonValue[]): boolean {
  return v.every((x) => x === null || typeof x !== 'object');
}

/**
 * Changed fields between two canonical values, by pointer: objects key by key, lists of objects
 * index by index, and lists of plain values (args, `required`, `enum`) as one value, which reads
 * better than index-by-index shifts. Values are at most STORE_LIMITS.maxDepth deep.
 */
function diffValues(before: JsonValue | undefined, after: JsonValue | undefined, path: PathSegment[] = [], out: ValueChange[] = []): ValueChange[] {
  if (sameJson(before, after)) return out;
  const pointer = toPointer(path);
  if (before === undefined) out.push({ pointer, change: 'added', after: after! });
  else if (after === undefined) out.push({ pointer, change: 'removed', before });
  else if (isJsonObject(before) && isJsonObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) diffValues(own(before, k), own(after, k), [...path, k], out);
  } else if (Array.isArray(before) && Array.isArray(after) && !(isScalarList(before) && isScalarList(after))) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) diffValues(before[i], after[i], [...path, i], out);
  } else out.push({ pointer, change: 'changed', before, after });
  return out;
}

function own(o: JsonObject, k: string): JsonValue | undefined {
  return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
}

function fieldChanges(changes: readonly ValueChange[]): FieldChange[] {
  return changes.map((c) => ({ pointer: c.pointer, change: c.change }));
}

function pointerList(changes: readonly ValueChange[]): string {
  const shown = changes.slice(0, 3).map((c) => `${printable(c.pointer || '(whole)', 80)}${c.change === 'changed' ? '' : ` (${c.change})`}`);
  return shown.join(', ') + (changes.length > 3 ? `, +${changes.length - 3} more` : '');
}

function renderChanges(changes: readonly ValueChange[]): string {
  const lines: string[] = [];
  for (const c of changes.slice(0, MAX_CHANGES)) {
    lines.push(`${printable(c.pointer || '(whole)', 200)}${c.change === 'changed' ? '' : ` (${c.change})`}`);
    const body =
      c.change === 'added'
        ? [`+ ${show(c.after!, 300)}`]
        : c.change === 'removed'
          ? [`- ${show(c.before!, 300)}`]
          : typeof c.before === 'string' && typeof c.after === 'string'
            ? textDiff(c.before, c.after)
            : [`- ${show(c.before!, 300)}`, `+ ${show(c.after!, 300)}`];
    lines.push(...body.map((l) => `  ${l}`));
  }
  if (changes.length > MAX_CHANGES) lines.push(`… and ${changes.length - MAX_CHANGES} more changed fields`);
  return lines.join('\n');
}

/** A whole definition, one top-level field a line, for an added or removed definition. */
function outline(sign: '+' | '-', def: JsonObject | undefined, sha256: string): string {
  if (def === undefined) return `${sign} ${sha256} (too large to show)`;
  return capLines(Object.keys(def).sort().map((k) => `${sign} ${printable(k, 80)}: ${show(def[k]!, 300)}`)).join('\n');
}

/** A value on one line: strings quoted so leading and trailing whitespace shows. */
function show(v: JsonValue, max: number): string {
  if (typeof v === 'string') return `"${printable(v, max)}"`;
  const text = v !== null && typeof v === 'object' ? serializeCanonical(v) : JSON.stringify(v);
  return printable(text, max);
}

// ---------------------------------------------------------------------------------------------
// Terminal output
// ---------------------------------------------------------------------------------------------

const LABEL: Record<DriftKind, string> = {
  'identity-changed': 'identity',
  'launch-changed': 'launch',
  'instructions-changed': 'instructions',
  'definition-changed': 'changed',
  'definition-added': 'added',
  'definition-removed': 'removed',
  'not-checked': 'not checked',
  'unpinned-server': 'unpinned',
};

/**
 * `warden verify` output: one block per server, one line per drift with its diff indented
 * beneath, then a count. Plain text; every server-supplied string is already escaped.
 */
export function formatDrift(entries: readonly DriftEntry[]): string {
  if (entries.length === 0) return 'No drift: every inspected server matches the lockfile.\n';
  const lines: string[] = [];
  const sorted = [...entries].sort(compareDrift);
  const width = Math.max(...sorted.map((e) => LABEL[e.kind].length));
  let current: string | undefined;
  for (const e of sorted) {
    if (e.key !== current) {
      if (current !== undefined) lines.push('');
      lines.push(`${printable(e.key, 200)}  (${printable(e.client, 60)}, ${e.scope})`);
      current = e.key;
    }
    lines.push(`  ${LABEL[e.kind].padEnd(width)}  ${e.summary}`);
    if (e.diff) lines.push(...e.diff.split('\n').map((l) => `      ${l}`));
  }
  const changed = sorted.filter((e) => e.drift);
  const servers = new Set(changed.map((e) => e.key)).size;
  const unchecked = new Set(sorted.filter((e) => e.kind === 'not-checked').map((e) => e.key)).size;
  lines.push('');
  const tally = changed.length > 0 ? `${plural(changed.length, 'change')} in ${plural(servers, 'server')}` : 'No drift in the servers checked';
  lines.push(`${tally}${unchecked > 0 ? `; ${plural(unchecked, 'server')} not checked` : ''}.`);
  return `${lines.join('\n')}\n`;
}
