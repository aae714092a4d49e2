// Is this version of a package inside an OSV advisory's affected ranges? Implements the
// evaluation in the OSV schema (https://ossf.github.io/osv-schema/#evaluation) with each
// ecosystem's own version ordering: npm by SemVer 2.0 precedence (prereleases sort before their
// release and count as affected: `semver.satisfies` would skip them, so only `compare` is used),
// PyPI by PEP 440 (epochs, pre/post/dev releases, local versions). Nothing here throws on data:
// an ecosystem Warden cannot order, or a version it cannot read, is a typed answer, so one odd
// advisory never stops a scan.
import semver from 'semver';
import * as pep440 from '@renovatebot/pep440';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: string;
  events: OsvEvent[];
}

/** What an `affected[]` entry says about versions: its ranges and its explicit list. */
export interface AffectedVersions {
  ranges: readonly OsvRange[];
  versions: readonly string[];
}

export type Verdict =
  /** `fixed`: the smallest fixed version above the one checked, when a range names one. */
  | { status: 'affected'; fixed?: string }
  | { status: 'not-affected' }
  | { status: 'unknown-ecosystem'; ecosystem: string }
  /** The version being checked is not a version of this ecosystem. */
  | { status: 'invalid-version'; version: string; detail: string }
  /** A bound in the advisory cannot be read: the range cannot be decided either way. */
  | { status: 'invalid-range'; value: string; detail: string };

/** One ecosystem's version syntax and order. */
interface VersionScheme<T> {
  /** What its versions are called in messages. */
  readonly syntax: string;
  parse(version: string): T | null;
  compare(a: T, b: T): number;
  /** A string equal for exactly the versions `compare` calls equal: `versions` lists become set lookups. */
  canonical(v: T): string;
}

const SEMVER: VersionScheme<semver.SemVer> = {
  syntax: 'SemVer',
  parse: (v) => semver.parse(v),
  compare: (a, b) => semver.compare(a, b),
  // Build metadata does not take part in precedence.
  canonical: (v) => v.version,
};

// pep440.compare parses both sides again; `valid` first, since compare throws on what it cannot parse.
const PEP440: VersionScheme<string> = {
  syntax: 'PEP 440',
  parse: (v) => (pep440.valid(v) === null ? null : v),
  compare: (a, b) => pep440.compare(a, b),
  canonical: (v) => {
    // parse() already normalises spellings (alpha → a, c → rc, -1 → post1, case); equal releases differ only in trailing zeros.
    const p = pep440.parse(v)!;
    const release = [...p.release];
    while (release.length > 0 && release[release.length - 1] === 0) release.pop();
    return [p.epoch, release.join('.'), p.pre?.join('') ?? '', p.post?.join('') ?? '', p.dev?.join('') ?? '', (p.local as unknown as unknown[] | null)?.join('.') ?? ''].join('|');
  },
};

/** OSV ecosystem name → how its versions are ordered (`ECOSYSTEM` ranges and `versions` lists). */
const ECOSYSTEM_SCHEMES: Readonly<Record<string, VersionScheme<unknown>>> = {
  npm: SEMVER as VersionScheme<unknown>,
  PyPI: PEP440 as VersionScheme<unknown>,
};

/** Own keys only: an ecosystem named "__proto__" or "constructor" in a record is just unknown. */
function schemeOf(ecosystem: string): VersionScheme<unknown> | undefined {
  return Object.hasOwn(ECOSYSTEM_SCHEMES, ecosystem) ? ECOSYSTEM_SCHEMES[ecosystem] : undefined;
}

export function isKnownEcosystem(ecosystem: string): boolean {
  return schemeOf(ecosystem) !== undefined;
}

/** Whether `version` is a valid version in `ecosystem` (false for an unknown ecosystem). */
export function isValidVersion(ecosystem: string, version: string): boolean {
  const scheme = schemeOf(ecosystem);
  return scheme !== undefined && scheme.parse(version) !== null;
}

/** The scheme a range of this type is read with: SEMVER ranges are SemVer whatever the ecosystem. */
function schemeFor(ecosystem: string, rangeType: string): VersionScheme<unknown> | undefined {
  if (rangeType === 'SEMVER') return SEMVER as VersionScheme<unknown>;
  if (rangeType === 'ECOSYSTEM') return schemeOf(ecosystem);
  return undefined; // GIT (commit graphs) and unknown types: not decidable from a version string.
}

/** A bound turned into something comparable: -∞ for introduced "0", +∞ for a "*" limit. */
type Bound<T> = { kind: 'min' } | { kind: 'max' } | { kind: 'version'; value: T; raw: string };

function compareBound<T>(scheme: VersionScheme<T>, a: Bound<T>, b: Bound<T>): number {
  if (a.kind === b.kind && a.kind !== 'version') return 0;
  if (a.kind === 'min' || b.kind === 'max') return -1;
  if (a.kind === 'max' || b.kind === 'min') return 1;
  return scheme.compare(a.value, (b as { value: T }).value);
}

type EventKind = 'introduced' | 'fixed' | 'last_affected' | 'limit';
// On equal versions, `introduced` first: {introduced: X, fixed: X} is then an empty interval.
const EVENT_ORDER: readonly EventKind[] = ['introduced', 'last_affected', 'fixed', 'limit'];

interface ParsedEvent<T> {
  kind: EventKind;
  bound: Bound<T>;
}

function parseEvents<T>(scheme: VersionScheme<T>, events: readonly OsvEvent[]): ParsedEvent<T>[] | { bad: string; detail: string } {
  const out: ParsedEvent<T>[] = [];
  for (const event of events) {
    for (const kind of EVENT_ORDER) {
      const raw = event[kind];
      if (raw === undefined) continue;
      if (kind === 'introduced' && raw === '0') out.push({ kind, bound: { kind: 'min' } });
      else if (kind === 'limit' && raw.includes('*')) out.push({ kind, bound: { kind: 'max' } });
      else {
        const value = scheme.parse(raw);
        if (value === null) return { bad: raw, detail: `${kind} ${JSON.stringify(raw)} is not a valid ${scheme.syntax} version` };
        out.push({ kind, bound: { kind: 'version', value, raw } });
      }
    }
  }
  return out;
}

/** A range with its bounds parsed and its events in version order, ready for many versions. */
type CompiledRange =
  | { kind: 'ok'; type: string; scheme: VersionScheme<unknown>; limits: Bound<unknown>[]; events: ParsedEvent<unknown>[] }
  | { kind: 'invalid'; type: string; scheme: VersionScheme<unknown>; value: string; detail: string };

/** An `affected[]` entry prepared once and evaluated for any number of versions (a fleet's purls). */
export interface CompiledAffected {
  ecosystem: string;
  scheme: VersionScheme<unknown>;
  ranges: CompiledRange[];
  /** `versions`, by canonical form; entries that are not versions, by their exact string. */
  listed: Set<string>;
  listedRaw: Set<string>;
}

/** A `versions` list as matching compares it: canonical forms of the valid versions, the rest verbatim. */
export interface ListedVersions {
  keys: string[];
  raw: string[];
}

/** Canonicalises a `versions` list once (at import), so matching is a set lookup, not a parse per entry. */
export function listVersions(ecosystem: string, versions: readonly string[]): ListedVersions {
  const scheme = schemeOf(ecosystem);
  const listed: ListedVersions = { keys: [], raw: [] };
  for (const v of versions) {
    const p = scheme?.parse(v) ?? null;
    // A listed string that is not a valid version can still be this exact version string.
    if (scheme === undefined || p === null) listed.raw.push(v);
    else listed.keys.push(scheme.canonical(p));
  }
  return listed;
}

export function compileAffected(ecosystem: string, affected: AffectedVersions | { ranges: readonly OsvRange[]; listed: ListedVersions }): CompiledAffected | undefined {
  const scheme = schemeOf(ecosystem);
  if (scheme === undefined) return undefined;
  const ranges: CompiledRange[] = [];
  for (const range of affected.ranges) {
    const rangeScheme = schemeFor(ecosystem, range.type);
    if (rangeScheme === undefined) continue;
    const parsed = parseEvents(rangeScheme, range.events);
    if (!Array.isArray(parsed)) {
      ranges.push({ kind: 'invalid', type: range.type, scheme: rangeScheme, value: parsed.bad, detail: parsed.detail });
      continue;
    }
    const events = parsed
      .filter((e) => e.kind !== 'limit')
      .sort((a, b) => compareBound(rangeScheme, a.bound, b.bound) || EVENT_ORDER.indexOf(a.kind) - EVENT_ORDER.indexOf(b.kind));
    ranges.push({ kind: 'ok', type: range.type, scheme: rangeScheme, limits: parsed.filter((e) => e.kind === 'limit').map((e) => e.bound), events });
  }
  const listed = 'listed' in affected ? affected.listed : listVersions(ecosystem, affected.versions);
  return { ecosystem, scheme, ranges, listed: new Set(listed.keys), listedRaw: new Set(listed.raw) };
}

/**
 * One range, by the schema's pseudocode: outside every `limit` means unaffected; otherwise walk
 * the events in version order, the last one at or below the version deciding.
 */
function evaluateRange(range: Extract<CompiledRange, { kind: 'ok' }>, version: unknown): Verdict {
  const { scheme } = range;
  const v: Bound<unknown> = { kind: 'version', value: version, raw: '' };
  if (range.limits.length > 0 && !range.limits.some((limit) => compareBound(scheme, v, limit) < 0)) return { status: 'not-affected' };
  let vulnerable = false;
  let i = 0;
  for (; i < range.events.length; i++) {
    const e = range.events[i]!;
    const c = compareBound(scheme, v, e.bound);
    // Sorted: from the first event above the version on, no condition can hold.
    if (c < 0) break;
    if (e.kind === 'introduced') vulnerable = true;
    else if (e.kind === 'fixed') vulnerable = false;
    else if (e.kind === 'last_affected' && c > 0) vulnerable = false;
  }
  if (!vulnerable) return { status: 'not-affected' };
  // The upgrade target: the first fix above this version (the end of the interval it lies in).
  const fix = range.events.slice(i).find((e) => e.kind === 'fixed');
  return fix?.bound.kind === 'version' ? { status: 'affected', fixed: fix.bound.raw } : { status: 'affected' };
}

/**
 * Whether `version` is affected by a compiled `affected[]` entry: listed in its `versions`, or
 * inside any of its SEMVER or ECOSYSTEM ranges. An unreadable bound in one range is reported only
 * when no other range or listed version decides.
 */
export function evaluateCompiled(compiled: CompiledAffected, version: string): Verdict {
  const { scheme, ecosystem } = compiled;
  const parsed = scheme.parse(version);
  if (parsed === null) return { status: 'invalid-version', version, detail: `${JSON.stringify(version)} is not a valid ${scheme.syntax} version (${ecosystem})` };
  let undecided: Verdict | undefined;
  let affected: Verdict | undefined;
  for (const range of compiled.ranges) {
    if (range.kind === 'invalid') {
      undecided ??= { status: 'invalid-range', value: range.value, detail: range.detail };
      continue;
    }
    const asRangeVersion = range.scheme === scheme ? parsed : range.scheme.parse(version);
    if (asRangeVersion === null) {
      undecided ??= { status: 'invalid-version', version, detail: `${JSON.stringify(version)} is not a valid ${range.scheme.syntax} version, as this ${range.type} range needs` };
      continue;
    }
    const verdict = evaluateRange(range, asRangeVersion);
    // Several matching ranges: keep the one that names a fix.
    if (verdict.status === 'affected' && (affected === undefined || (verdict.fixed !== undefined && (affected as { fixed?: string }).fixed === undefined))) affected = verdict;
  }
  if (affected) return affected;
  if (compiled.listed.has(scheme.canonical(parsed)) || compiled.listedRaw.has(version)) return { status: 'affected' };
  return undecided ?? { status: 'not-affected' };
}

/** `evaluateCompiled` for one version: compiles the entry and evaluates it. */
export function evaluateAffected(ecosystem: string, version: string, affected: AffectedVersions): Verdict {
  const compiled = compileAffected(ecosystem, affected);
  return compiled ? evaluateCompiled(compiled, version) : { status: 'unknown-ecosystem', ecosystem };
}

/** Orders two versions of one ecosystem; undefined when either is not a valid version there. */
export function compareVersions(ecosystem: string, a: string, b: string): number | undefined {
  const scheme = schemeOf(ecosystem);
  const pa = scheme?.parse(a);
  const pb = scheme?.parse(b);
  if (scheme === undefined || pa === null || pa === undefined || pb === null || pb === undefined) return undefined;
  return scheme.compare(pa, pb);
}

/** The bounds of a range that its scheme cannot read: an importer counts them, matching reports them. */
export function unreadableBounds(ecosystem: string, range: OsvRange): string[] {
  const scheme = schemeFor(ecosystem, range.type);
  if (scheme === undefined) return [];
  const bad: string[] = [];
  for (const event of range.events) {
    for (const kind of EVENT_ORDER) {
      const raw = event[kind];
      if (raw === undefined || (kind === 'introduced' && raw === '0') || (kind === 'limit' && raw.includes('*'))) continue;
      if (scheme.parse(raw) === null) bad.push(raw);
    }
  }
  return bad;
}

/** Range types a version string can be evaluated against (GIT needs the commit graph). */
export function isVersionRange(range: OsvRange): boolean {
  return range.type === 'SEMVER' || range.type === 'ECOSYSTEM';
}
