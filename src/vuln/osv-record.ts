// One OSV advisory (https://ossf.github.io/osv-schema/) checked field by field, keeping what
// matching needs. A record whose shape is wrong (no id, a list that is not a list) is refused
// with the field named: the export is damaged or is not OSV, and importing the rest of it would
// silently lose advisories. What is well-formed but cannot be matched here (an ecosystem Warden
// does not order, a GIT-only entry) is skipped and counted, since every real export has some.
import { isObject } from '../core/json.js';
import type { OsvEvent, OsvRange } from './versions.js';

export interface OsvAffected {
  ecosystem: string;
  name: string;
  ranges: OsvRange[];
  versions: string[];
}

export interface OsvAdvisory {
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  aliases: string[];
  summary?: string;
  /** `severity[]` as published (CVSS vectors), top-level and per package. */
  severity: { type: string; score: string }[];
  /** The database's own rating when it gives one (GHSA's `database_specific.severity`). */
  severityLabel?: string;
  affected: OsvAffected[];
  /** `affected[]` entries with no package (GIT-only records): nothing to match by name. */
  withoutPackage: number;
}

export class OsvRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OsvRecordError';
  }
}

const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

function optionalString(o: Record<string, unknown>, key: string, at: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new OsvRecordError(`${at}${key} must be a string, found ${typeName(v)}`);
  return v;
}

function list(o: Record<string, unknown>, key: string, at: string): unknown[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OsvRecordError(`${at}${key} must be a list, found ${typeName(v)}`);
  return v;
}

function stringList(o: Record<string, unknown>, key: string, at: string): string[] {
  return list(o, key, at).map((v, i) => {
    if (typeof v !== 'string') throw new OsvRecordError(`${at}${key}[${i}] must be a string, found ${typeName(v)}`);
    return v;
  });
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function parseSeverity(o: Record<string, unknown>, at: string): { type: string; score: string }[] {
  return list(o, 'severity', at).map((s, i) => {
    const where = `${at}severity[${i}]`;
    if (!isObject(s) || typeof s['type'] !== 'string' || typeof s['score'] !== 'string') throw new OsvRecordError(`${where} must be an object with string type and score`);
    return { type: s['type'], score: s['score'] };
  });
}

function parseEvent(e: unknown, at: string): OsvEvent {
  if (!isObject(e)) throw new OsvRecordError(`${at} must be an object, found ${typeName(e)}`);
  const present = EVENT_KEYS.filter((k) => e[k] !== undefined);
  // The schema allows one kind per event; {introduced, fixed} in one object has no defined order.
  if (present.length !== 1) throw new OsvRecordError(`${at} must have exactly one of ${EVENT_KEYS.join(', ')}, found ${present.length === 0 ? 'none' : present.join(' and ')}`);
  const key = present[0]!;
  const value = e[key];
  if (typeof value !== 'string') throw new OsvRecordError(`${at}.${key} must be a string, found ${typeName(value)}`);
  return { [key]: value };
}

function parseRange(r: unknown, at: string): OsvRange {
  if (!isObject(r)) throw new OsvRecordError(`${at} must be an object, found ${typeName(r)}`);
  if (typeof r['type'] !== 'string') throw new OsvRecordError(`${at}.type must be a string`);
  const events = list(r, 'events', `${at}.`).map((e, i) => parseEvent(e, `${at}.events[${i}]`));
  return { type: r['type'], events };
}

/** Checks one parsed JSON value as an OSV record; throws OsvRecordError naming the field. */
export function parseOsvRecord(value: unknown): OsvAdvisory {
  if (!isObject(value)) throw new OsvRecordError(`an advisory must be a JSON object, found ${typeName(value)}`);
  const id = value['id'];
  if (typeof id !== 'string' || id.trim() === '') throw new OsvRecordError(id === undefined ? 'advisory without an "id"' : `"id" must be a non-empty string, found ${typeName(id)}`);
  const at = `${id}: `;
  const modified = optionalString(value, 'modified', at);
  if (modified === undefined) throw new OsvRecordError(`${at}missing "modified" (required by the OSV schema)`);
  const severity = parseSeverity(value, at);
  const databaseSpecific = value['database_specific'];
  const label = isObject(databaseSpecific) && typeof databaseSpecific['severity'] === 'string' ? databaseSpecific['severity'] : undefined;
  const advisory: OsvAdvisory = {
    id,
    modified,
    aliases: stringList(value, 'aliases', at),
    severity,
    affected: [],
    withoutPackage: 0,
  };
  const published = optionalString(value, 'published', at);
  const withdrawn = optionalString(value, 'withdrawn', at);
  const summary = optionalString(value, 'summary', at);
  if (published !== undefined) advisory.published = published;
  if (withdrawn !== undefined) advisory.withdrawn = withdrawn;
  if (summary !== undefined) advisory.summary = summary;
  if (label !== undefined) advisory.severityLabel = label;

  list(value, 'affected', at).forEach((a, i) => {
    const where = `${at}affected[${i}]`;
    if (!isObject(a)) throw new OsvRecordError(`${where} must be an object, found ${typeName(a)}`);
    const pkg = a['package'];
    if (pkg === undefined || pkg === null) {
      advisory.withoutPackage++;
      return;
    }
    if (!isObject(pkg) || typeof pkg['ecosystem'] !== 'string' || typeof pkg['name'] !== 'string' || pkg['name'] === '') {
      throw new OsvRecordError(`${where}.package must have string "ecosystem" and "name"`);
    }
    // Per-package severities (allowed when the top level has none) count for the advisory.
    severity.push(...parseSeverity(a, `${where}.`));
    advisory.affected.push({
      ecosystem: pkg['ecosystem'],
      name: pkg['name'],
      ranges: list(a, 'ranges', `${where}.`).map((r, j) => parseRange(r, `${where}.ranges[${j}]`)),
      versions: stringList(a, 'versions', `${where}.`),
    });
  });
  return advisory;
}
