// The secret-detection engine. Three detectors look at the same text:
//   1. secretlint's recommend preset, run in-process (the maintained catalogue of provider formats);
//   2. Warden's own table (secret-patterns.ts) for formats secretlint misses;
//   3. name-based detection: `API_TOKEN=...`, `"password": "..."`, `Authorization: Bearer ...`,
//      where the name says "secret" and the value is random enough to be one.
// Most text holds no credential, and secretlint costs tens of µs per call plus a pass per rule,
// so a single keyword scan (gitleaks-style) first picks the lines worth looking at; each detector
// then runs over those lines only, joined into one text, and offsets are mapped back.
import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator as recommendPreset } from '@secretlint/secretlint-rule-preset-recommend';
import { redact, redactUrlsIn } from './redact.js';
import { FAMILY, FAMILY_COUNT, TRIGGER } from './secret-trigger.js';
import { isPlaceholder, isVariableReference, looksLikeSecretValue, type RandomnessThreshold } from './entropy.js';
import {
  KNOWN_EXAMPLE_FRAGMENTS,
  NAME_CLASS_KINDS,
  SECRETLINT_KINDS,
  SECRET_PATTERNS,
  URL_SCHEME_KINDS,
  VENDOR_NAME_HINTS,
  nameWords,
  secretNameClass,
  type SecretNameClass,
  type SecretSeverity,
} from './secret-patterns.js';

export { redact } from './redact.js';
export { isPlaceholder, isVariableReference, shannonEntropy } from './entropy.js';
export { secretNameClass, type SecretNameClass, type SecretSeverity } from './secret-patterns.js';

export interface SecretMatch {
  /** Detector id, e.g. "openai-api-key" or "secretlint:@secretlint/secretlint-rule-aws". */
  detector: string;
  /** Human name of the credential kind, e.g. "OpenAI API key". */
  kind: string;
  /** Offset and length of the secret in the scanned text. */
  offset: number;
  length: number;
  /** The matched secret, redacted. */
  redacted: string;
  /** `critical` for provider-format keys, `high` for name-based hits and weaker formats (JWTs, test keys). */
  severity?: SecretSeverity;
  /** How it was recognised: by its format, or by a credential-like name holding a random-looking value. */
  basis?: 'format' | 'name';
}

/** A value whose field name is known (env var, header, flag, settings key). */
export interface SecretValue {
  value: string;
  name?: string;
}

/** A match inside one of several values; `offset` is relative to that value. */
export interface ValueSecretMatch extends SecretMatch {
  /** Index of the value in the input array. */
  index: number;
}

/** Finds credentials in free text (instruction files, whole config files). */
export async function scanTextForSecrets(text: string): Promise<SecretMatch[]> {
  return (await findInText(text)).map(strip);
}

/**
 * Finds credentials in many short values at once (a server's env, args, headers, URL): they are
 * scanned as one text, which costs one secretlint call instead of one per value. Values with a
 * name also get name-based detection.
 */
export async function scanValuesForSecrets(values: readonly SecretValue[]): Promise<ValueSecretMatch[]> {
  const starts = new Array<number>(values.length);
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    starts[i] = at;
    at += values[i]!.value.length + 1;
  }
  const found: Array<Found & { index: number }> = [];
  for (const m of await findInText(values.map((v) => v.value).join('\n'))) {
    const index = lastAtOrBefore(starts, m.offset);
    if (m.offset + m.length > starts[index]! + values[index]!.value.length) continue; // spans two values
    found.push({ ...m, index });
  }
  for (let index = 0; index < values.length; index++) {
    const { name, value } = values[index]!;
    if (name === undefined) continue;
    const hit = classifyNamedValue(name, value);
    if (hit) found.push({ ...(hit as Found), offset: starts[index]! + hit.offset, index, priority: PRIORITY.name });
  }
  // Name-based hits defer to a format match of the same value.
  const kept = found.length > 1 ? dedupe(found) : found;
  return kept.map((m) => ({ ...strip(m), index: m.index, offset: m.offset - starts[m.index]! }));
}

// Thresholds for a value under a credential-like name. Structured fields (an env var called
// API_TOKEN) are trusted more than `token: ...` in prose, where the word is often just English.
const STRUCTURED_THRESHOLDS: Record<'password' | 'other', RandomnessThreshold> = {
  password: { minLength: 6, minEntropy: 2.0 },
  other: { minLength: 8, minEntropy: 3.0 },
};
const TEXT_THRESHOLDS: Record<'password' | 'other', RandomnessThreshold> = {
  password: { minLength: 8, minEntropy: 2.5 },
  other: { minLength: 12, minEntropy: 3.2 },
};

const AUTH_SCHEME = /^\s*(?:(?:Bearer|Basic|Token|Bot|Digest|ApiKey)\s+)?/i;

/**
 * Name-based detection for one field: a credential-like name (`GITHUB_TOKEN`, `apiKey`,
 * `Authorization`, `--password`) whose value is a literal, random-looking secret. Offsets are
 * relative to `value`; an auth scheme (`Bearer `) is not part of the secret.
 */
export function classifyNamedValue(name: string, value: string): SecretMatch | undefined {
  const cls = secretNameClass(name);
  if (!cls) return undefined;
  const offset = AUTH_SCHEME.exec(value)![0].length;
  const secret = value.slice(offset).trimEnd();
  const threshold = STRUCTURED_THRESHOLDS[cls === 'password' ? 'password' : 'other'];
  if (!looksLikeSecretValue(secret, threshold)) return undefined;
  return namedMatch(name, cls, secret, offset);
}

function namedMatch(name: string, cls: SecretNameClass, secret: string, offset: number): SecretMatch {
  const normalized = nameWords(name).join('_');
  const hint = VENDOR_NAME_HINTS.find((h) => h.name.test(normalized) && h.value.test(secret));
  return {
    detector: hint?.id ?? `named-${cls}`,
    kind: hint?.kind ?? NAME_CLASS_KINDS[cls],
    offset,
    length: secret.length,
    redacted: redact(secret),
    severity: hint ? 'critical' : 'high',
    basis: 'name',
  };
}

/** A command-line argument and the name it is given, if any, for name-based detection. */
export interface NamedArgument {
  index: number;
  /** `api-key` for `--api-key=V` and `--api-key V`, `GITHUB_TOKEN` for `GITHUB_TOKEN=V`, `Authorization` for `Authorization: V`. */
  name?: string;
  /** The named part (`V`), or the whole argument when it has no name. */
  value: string;
  /** Offset of `value` in `args[index]`. */
  offset: number;
}

const FLAG_WITH_VALUE = /^(-{1,2}[A-Za-z][\w.-]*)=(.*)$/s;
const ENV_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s; // docker -e NAME=V, env NAME=V
const HEADER_LINE = /^([A-Za-z][A-Za-z0-9-]*):[ \t]*(?!\/\/)(.+)$/s; // mcp-remote --header "Authorization: Bearer V"
const LONE_FLAG = /^-{1,2}([A-Za-z][\w.-]*)$/;

/** Names each argument by its own shape (`--flag=V`, `NAME=V`, `Header: V`) or by the flag before it (`--token V`). */
export function namedArguments(args: readonly string[]): NamedArgument[] {
  const out: NamedArgument[] = [];
  for (const [index, arg] of args.entries()) {
    const own = arg.includes('=') ? (FLAG_WITH_VALUE.exec(arg) ?? ENV_ASSIGNMENT.exec(arg)) : arg.includes(':') ? HEADER_LINE.exec(arg) : null;
    if (own) {
      out.push({ index, name: own[1]!.replace(/^-+/, ''), value: own[2]!, offset: arg.length - own[2]!.length });
      continue;
    }
    const flag = index > 0 && args[index - 1]!.startsWith('-') ? LONE_FLAG.exec(args[index - 1]!) : null;
    if (flag && !arg.startsWith('-')) out.push({ index, name: flag[1]!, value: arg, offset: 0 });
    else out.push({ index, value: arg, offset: 0 });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Orchestration

/** Lower wins when two detectors claim overlapping text. */
const PRIORITY = { pattern: 0, secretlint: 1, name: 2 } as const;
/** Output bound: a file with thousands of keys needs rotating, not a longer report. */
const MAX_MATCHES = 1000;

type Found = SecretMatch & { priority: number; severity: SecretSeverity; basis: 'format' | 'name' };

async function findInText(text: string): Promise<Found[]> {
  if (text.length === 0) return [];
  const windows = triggerWindows(text);
  const found: Found[] = [];
  const collect = (view: TextView, matches: Found[]): void => {
    for (const m of matches) {
      const offset = view.toOriginal(m.offset, m.length);
      if (offset >= 0) found.push({ ...m, offset });
      if (found.length > MAX_MATCHES * 4) break;
    }
  };
  if (windows[FAMILY.secretlint]!.length > 0) {
    const view = textView(text, windows[FAMILY.secretlint]!);
    collect(view, await secretlintMatches(view.text));
  }
  if (windows[FAMILY.patterns]!.length > 0) {
    const view = textView(text, windows[FAMILY.patterns]!);
    collect(view, patternMatches(view.text));
  }
  if (windows[FAMILY.names]!.length > 0) {
    const view = textView(text, windows[FAMILY.names]!);
    collect(view, assignmentMatches(view.text));
  }
  return dedupe(found).slice(0, MAX_MATCHES);
}

function strip<T extends SecretMatch & { priority?: number }>(m: T): SecretMatch {
  return {
    detector: m.detector,
    kind: m.kind,
    offset: m.offset,
    length: m.length,
    redacted: m.redacted,
    ...(m.severity ? { severity: m.severity } : {}),
    ...(m.basis ? { basis: m.basis } : {}),
  };
}

/** Keeps the best match for each stretch of text, in text order. */
function dedupe<T extends SecretMatch & { priority: number }>(matches: T[]): T[] {
  const ranked = [...matches].sort((a, b) => a.priority - b.priority || b.length - a.length || a.offset - b.offset);
  const kept: T[] = []; // sorted by offset, non-overlapping
  for (const m of ranked) {
    const i = firstAfter(kept, m.offset);
    const before = kept[i - 1];
    const after = kept[i];
    if (before && before.offset + before.length > m.offset) continue;
    if (after && m.offset + m.length > after.offset) continue;
    kept.splice(i, 0, m);
  }
  return kept;
}

function firstAfter(sorted: readonly SecretMatch[], offset: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.offset <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------
// Keyword prefilter: which lines each detector needs to see.

/** Context kept around a keyword on a long line (minified JSON): longer than any token. */
const SIDE = 2048;
/** A PEM block follows its BEGIN line; secretlint reads at most 10,000 characters of body. */
const PEM_SPAN = 12_000;
/** Windows grow by merging neighbours up to this size, so one hostile line never becomes one giant window. */
const MAX_WINDOW = 32 * 1024;

interface Segment {
  start: number;
  end: number;
}

/** For each family, the stretches of `text` (whole lines, or ±SIDE on long lines) that hold its keywords. */
function triggerWindows(text: string): Segment[][] {
  const windows: Segment[][] = [[], [], []];
  const re = TRIGGER.regex;
  re.lastIndex = 0;
  // Newline positions around the current hit, cached so a long line is scanned once.
  let prevNl = -1;
  let nextNl = -1;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const i = m.index;
    // Step one character, not past the match, so overlapping keywords of other families count.
    re.lastIndex = i + 1;
    if (i >= nextNl) {
      prevNl = text.lastIndexOf('\n', i - 1);
      nextNl = text.indexOf('\n', i);
      if (nextNl === -1) nextNl = text.length;
    }
    const kw = m[0];
    const fam = TRIGGER.families.get(kw) ?? TRIGGER.families.get(kw.toLowerCase()) ?? (1 << FAMILY.secretlint) | (1 << FAMILY.patterns); // the URL trigger
    const start = Math.max(prevNl + 1, i - SIDE);
    const lineEnd = Math.min(nextNl, i + SIDE);
    for (let f = 0; f < FAMILY_COUNT; f++) {
      if ((fam & (1 << f)) === 0) continue;
      // A PEM block spans lines: its window runs past the header's line for every family.
      const end = kw.startsWith('-----') ? Math.min(text.length, i + PEM_SPAN) : lineEnd;
      const list = windows[f]!;
      const last = list[list.length - 1];
      if (last && start <= last.end + 1 && end - last.start <= MAX_WINDOW) last.end = Math.max(last.end, end);
      else if (last && end <= last.end) continue;
      else list.push({ start, end });
    }
  }
  return windows;
}

interface TextView {
  text: string;
  /** Offset in the original text, or -1 when the stretch crosses a joint between windows. */
  toOriginal(offset: number, length: number): number;
}

/** The windows joined by newlines, with a way back to original offsets. */
function textView(text: string, segments: readonly Segment[]): TextView {
  const covered = segments.reduce((n, s) => n + s.end - s.start, 0);
  if (covered >= text.length * 0.8) return { text, toOriginal: (o) => o };
  const viewStarts: number[] = [];
  let joined = '';
  for (const s of segments) {
    if (joined.length > 0) joined += '\n';
    viewStarts.push(joined.length);
    joined += text.slice(s.start, s.end);
  }
  return {
    text: joined,
    toOriginal(offset, length) {
      const k = lastAtOrBefore(viewStarts, offset);
      const seg = segments[k]!;
      const within = offset - viewStarts[k]!;
      if (within + length > seg.end - seg.start) return -1;
      return seg.start + within;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Detector 1: secretlint

type SecretlintConfig = Parameters<typeof lintSource>[0]['options']['config'];

// secretlint 12 profiles every run: a performance.mark() per rule per call, kept forever and
// searched linearly on each new one (secretlint#1633/#1653, fixed in 13.x, which needs Node 22).
// Over thousands of calls that is quadratic time and unbounded memory, in a scan and worse in a
// long-lived gateway. Warden never reads the profile, so marking is switched off. The profiler
// is @secretlint/core's own pinned dependency (12.0.0), the same module instance core uses.
secretLintProfiler.mark = () => undefined;

// The recommend preset minus its comment filter: `secretlint-disable` comments would let the
// scanned text switch detection off (Warden has its own suppressions, recorded in the report).
// secretlint 12 ignores `disabled` on a preset's own rules, so the preset is re-wrapped instead.
const PRESET_RULES = recommendPreset.rules.filter((r) => r.meta.id !== '@secretlint/secretlint-rule-filter-comments');
const SECRETLINT_CONFIG: SecretlintConfig = {
  rules: [
    {
      id: recommendPreset.meta.id,
      rule: {
        ...recommendPreset,
        rules: PRESET_RULES,
        create(context: Parameters<typeof recommendPreset.create>[0]) {
          for (const rule of PRESET_RULES) context.registerRule(rule);
        },
      },
    },
  ],
};

/**
 * secretlint's duplicate filter compares every message with every later one, so a text with
 * thousands of matches (hostile, or a dump of keys) costs quadratic time. Feeding it chunks of
 * whole lines bounds each call, and the scan stops once it has more matches than it reports.
 */
const SECRETLINT_CHUNK = 16 * 1024;
/** Chunks of one long line overlap by more than a token's length; duplicates are merged later. */
const CHUNK_OVERLAP = 2048;

async function secretlintMatches(text: string): Promise<Found[]> {
  const out: Found[] = [];
  for (let start = 0; start < text.length && out.length < MAX_MATCHES; ) {
    let end = text.length;
    let next = end;
    if (end - start > SECRETLINT_CHUNK) {
      const nl = text.indexOf('\n', start + SECRETLINT_CHUNK);
      if (nl !== -1 && nl < start + SECRETLINT_CHUNK + CHUNK_OVERLAP) end = next = nl + 1;
      else {
        end = start + SECRETLINT_CHUNK;
        next = end - CHUNK_OVERLAP;
      }
    }
    for (const m of await secretlintChunk(text.slice(start, end))) out.push({ ...m, offset: m.offset + start });
    start = next;
  }
  return out;
}

async function secretlintChunk(text: string): Promise<Found[]> {
  let messages;
  try {
    const result = await lintSource({
      // A neutral name: secretlint's npm rule treats package.json and .npmrc specially.
      source: { content: text, filePath: 'warden-input.txt', ext: '.txt', contentType: 'text' },
      options: { config: SECRETLINT_CONFIG, maskSecrets: true, noPhysicFilePath: true },
    });
    messages = result.messages;
  } catch {
    // A failing third-party rule must not abort a scan; Warden's own detectors still ran.
    return [];
  }
  const out: Found[] = [];
  for (const msg of messages) {
    const meta = SECRETLINT_KINDS[msg.messageId];
    const span = refineSecretlintRange(text, msg.messageId, msg.range[0], msg.range[1]);
    const secret = text.slice(span.offset, span.offset + span.length);
    if (span.user !== undefined ? isUrlPasswordStandIn(span.user, secret) : msg.messageId !== 'PrivateKey' && isStandIn(secret, false)) continue;
    out.push({
      detector: `secretlint:${msg.ruleId}`,
      kind: meta?.kind ?? 'credential',
      offset: span.offset,
      length: span.length,
      redacted: redact(secret),
      severity: meta?.severity ?? 'critical',
      basis: 'format',
      priority: PRIORITY.secretlint,
    });
  }
  return out;
}

const URL_PASSWORD_IN_RANGE = /:\/\/(?<user>[^:/\s@]*):(?<password>[^@/\s]+)@/d;
const AWS_SECRET_AFTER_NAME = /(?::|=>|=)\s*["']?(?<secret>[A-Za-z0-9/+=]{40})/d;

/**
 * Narrows a secretlint range to the secret itself: the password of a connection string (with
 * its user, to judge it), and the value after an AWS secret key's name (secretlint 12 reports
 * that one from the name's start).
 */
function refineSecretlintRange(text: string, messageId: string, start: number, end: number): { offset: number; length: number; user?: string } {
  if (messageId === 'AWSSecretAccessKey') {
    const g = AWS_SECRET_AFTER_NAME.exec(text.slice(start, Math.min(text.length, start + 200)))?.indices?.groups?.['secret'];
    if (g) return { offset: start + g[0], length: g[1] - g[0] };
  } else if (messageId === 'BasicAuth' || messageId.endsWith('Connection')) {
    const m = URL_PASSWORD_IN_RANGE.exec(text.slice(start, end));
    const g = m?.indices?.groups?.['password'];
    if (m && g) return { offset: start + g[0], length: g[1] - g[0], user: m.groups!['user']! };
  }
  return { offset: start, length: end - start };
}

/** `postgres:postgres@localhost` is a local default, `user:${PASSWORD}@` a reference, `user:password@` a placeholder. */
function isUrlPasswordStandIn(user: string, password: string): boolean {
  return password === user || isStandIn(password, true);
}

// ---------------------------------------------------------------------------------------------
// Detector 2: Warden's pattern table

function patternMatches(text: string): Found[] {
  const out: Found[] = [];
  for (const p of SECRET_PATTERNS) {
    const re = p.regex;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const span = m.indices?.groups?.['secret'];
      const offset = span ? span[0] : m.index;
      const length = span ? span[1] - span[0] : m[0].length;
      const secret = text.slice(offset, offset + length);
      let kind = p.kind;
      if (p.id === 'url-password') {
        if (isUrlPasswordStandIn(m.groups?.['user'] ?? '', secret)) continue;
        kind = URL_SCHEME_KINDS[(m.groups?.['scheme'] ?? '').toLowerCase()] ?? p.kind;
      } else if (isStandIn(secret, false)) continue;
      out.push({
        detector: p.id,
        kind,
        offset,
        length,
        redacted: redact(secret),
        severity: p.severity ?? 'critical',
        basis: 'format',
        priority: PRIORITY.pattern,
      });
      if (out.length > MAX_MATCHES) return out;
    }
  }
  return out;
}

function isStandIn(secret: string, strictWords: boolean): boolean {
  return isVariableReference(secret) || isPlaceholder(secret, strictWords) || KNOWN_EXAMPLE_FRAGMENTS.some((f) => secret.includes(f));
}

// ---------------------------------------------------------------------------------------------
// Detector 3: names in free text (`NAME=value`, `"name": "value"`, `Header: value`, `--flag=value`)

// Anchored on the secret word rather than on every name, so the scan costs little on files made
// of `"name": "value"` pairs; the rest of the name is read backwards from the word. A value holds
// no `=` or `:` (base64 padding aside), so consecutive assignments never re-read each other's
// values: hostile input like `password=password=...` stays linear.
const ASSIGNMENT =
  /(?:key|token|secret|pass|pwd|auth|bearer|cred|cookie|pat|sig)[A-Za-z0-9_.-]{0,40}["'`]?[ \t]{0,4}(?::=|=>|=|:)[ \t]{0,4}["'`]?(?<value>(?:(?:Bearer|Basic|Token|Bot)[ \t]+)?[^\s"'`,;&<>()[\]{}\\=:]{6,1024}={0,2})/gi;
const MAX_NAME = 80;

function isNameChar(c: number): boolean {
  // A-Z a-z 0-9 _ . -
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}

function assignmentMatches(text: string): Found[] {
  const out: Found[] = [];
  const re = ASSIGNMENT;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const raw = m.groups!['value']!;
    // The value ends the match. No `d` flag: indices for every match cost more than this.
    const valueStart = m.index + m[0].length - raw.length;
    // Keep looking inside the value: `https://host/api?key=...` has a second assignment.
    re.lastIndex = valueStart;
    let nameStart = m.index;
    while (nameStart > 0 && m.index - nameStart < MAX_NAME && isNameChar(text.charCodeAt(nameStart - 1))) nameStart--;
    const name = text
      .slice(nameStart, valueStart)
      .replace(/["'`]?[ \t]*(?::=|=>|=|:)[ \t]*["'`]?$/, '')
      .replace(/^[-.]+/, '');
    const cls = secretNameClass(name);
    if (!cls) continue;
    const skip = AUTH_SCHEME.exec(raw)![0].length;
    const secret = raw.slice(skip).replace(/[.:!?]+$/, '');
    const threshold = TEXT_THRESHOLDS[cls === 'password' ? 'password' : 'other'];
    if (!looksLikeSecretValue(secret, threshold)) continue;
    out.push({ ...namedMatch(name, cls, secret, valueStart + skip), priority: PRIORITY.name } as Found);
    re.lastIndex = valueStart + raw.length;
    if (out.length > MAX_MATCHES) break;
  }
  return out;
}

/**
 * `text` with every credential it contains (provider formats, `NAME=value` assignments, URL
 * userinfo and credential query parameters) replaced by its redacted form. For strings a report
 * displays that no rule has vetted: launch commands, arguments, rule messages quoting a command.
 */
export async function redactSecretsIn(text: string): Promise<string> {
  let out = redactUrlsIn(text);
  const matches = await scanTextForSecrets(out);
  for (const m of [...matches].sort((a, b) => b.offset - a.offset)) out = out.slice(0, m.offset) + m.redacted + out.slice(m.offset + m.length);
  return out;
}
