// Warden's helper functions for policy conditions, as plain functions: paths (normalise, within,
// basename, extension), hosts (of a URL, pattern matching, private ranges) and sizes. cel.ts
// registers them with the CEL environment and its fast path calls them directly; kept apart so
// each can be read and tested on its own.
import { EvaluationError } from '@marcbachmann/cel-js';
import { homedir } from 'node:os';
import { domainToASCII } from 'node:url';
import { BoundedCache } from './bounded-cache.js';

export function evalError(message: string): EvaluationError {
  return new EvaluationError(message);
}

// =============================================================================================
// Paths
// =============================================================================================

interface SplitPath {
  /** '' (relative), '/', '//' (UNC), 'C:/' (drive), 'C:' (drive-relative), '~' or '~user' (home). */
  root: string;
  segments: string[];
}

const isAbsoluteRoot = (root: string): boolean => root === '/' || root === '//' || root.endsWith(':/');

/** Lexical normalisation: backslashes become slashes, `.`, empty segments and resolvable `..` go. */
function splitPath(p: string): SplitPath {
  const unc = p.startsWith('\\\\');
  let s = p.includes('\\') ? p.replace(/\\/g, '/') : p;
  let root = '';
  if (unc) {
    root = '//';
    s = s.slice(2);
  } else if (s.length >= 2 && s[1] === ':' && /^[A-Za-z]/.test(s)) {
    const drive = `${s[0]!.toUpperCase()}:`;
    root = s[2] === '/' ? `${drive}/` : drive;
    s = s.slice(root.length);
  } else if (s[0] === '/') {
    root = '/';
    s = s.slice(1);
  } else if (s[0] === '~') {
    const slash = s.indexOf('/');
    const head = slash < 0 ? s : s.slice(0, slash);
    if (head === '~' || /^~[A-Za-z0-9._-]+$/.test(head)) {
      root = head;
      s = slash < 0 ? '' : s.slice(slash + 1);
    }
  }
  const absolute = isAbsoluteRoot(root);
  const segments: string[] = [];
  for (const seg of s.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (segments.length && segments[segments.length - 1] !== '..') segments.pop();
      else if (!absolute) segments.push('..'); // `..` above a relative path or a home directory stays: it escapes
      continue;
    }
    segments.push(seg);
  }
  return { root, segments };
}

function joinPath({ root, segments }: SplitPath): string {
  const rest = segments.join('/');
  if (root === '') return rest || '.';
  if (isAbsoluteRoot(root)) return root + rest;
  if (!rest) return root;
  return root.endsWith(':') ? root + rest : `${root}/${rest}`;
}

export function normalizePath(p: string): string {
  return joinPath(splitPath(p));
}

let homeDirectory: string | null = null;
try {
  homeDirectory = homedir() || null;
} catch {
  homeDirectory = null;
}

/** The directory `~` stands for in `within`: the home of the user Warden runs as by default; null keeps `~` literal. */
export function setConditionHome(dir: string | null): void {
  homeDirectory = dir;
  rootMemo = new Map();
}

function expandHome(sp: SplitPath): SplitPath {
  if (sp.root !== '~' || !homeDirectory) return sp;
  return splitPath(`${homeDirectory}/${sp.segments.join('/')}`);
}

// Roots are usually literals: keep their parsed, home-expanded form, and its text when a clean
// path can be compared with it as a plain prefix (POSIX roots without leading `..`).
let rootMemo = new Map<string, SplitPath & { text?: string }>();

function rootOf(root: string): SplitPath & { text?: string } {
  let r = rootMemo.get(root);
  if (r === undefined) {
    if (rootMemo.size >= 1024) rootMemo = new Map();
    const sp = expandHome(splitPath(root));
    const plain = (sp.root === '/' || sp.root === '') && sp.segments[0] !== '..';
    r = plain ? { ...sp, text: joinPath(sp) } : sp;
    rootMemo.set(root, r);
  }
  return r;
}

/**
 * A path that normalisation would not change and whose root needs no expansion: an absolute or
 * relative POSIX path without `\\`, `//`, `.` or `..` segments, a trailing slash, `~` or a drive.
 */
const NEEDS_NORMALISING = /\\|\/\/|(?:^|\/)\.\.?(?:\/|$)|\/$|^~|^[A-Za-z]:/;
export const isClean = (p: string): boolean => p !== '' && !NEEDS_NORMALISING.test(p);

export function pathWithin(p: string, root: string): boolean {
  const R = rootOf(root);
  if (isClean(p) && R.text !== undefined) {
    // Fast path: plain prefix comparison on already-normal text.
    const r = R.text;
    if (r === '/') return p[0] === '/';
    if (r === '.') return p[0] !== '/';
    return p.startsWith(r) && (p.length === r.length || p.charCodeAt(r.length) === 47);
  }
  const P = expandHome(splitPath(p));
  if (P.root !== R.root || P.segments.length < R.segments.length) return false;
  for (let i = 0; i < R.segments.length; i++) if (P.segments[i] !== R.segments[i]) return false;
  for (let i = R.segments.length; i < P.segments.length; i++) if (P.segments[i] === '..') return false;
  return true;
}

export function basename(p: string): string {
  if (isClean(p)) return p.slice(p.lastIndexOf('/') + 1);
  const { segments } = splitPath(p);
  return segments.length ? segments[segments.length - 1]! : '';
}

export function extension(p: string): string {
  const b = basename(p);
  const dot = b.lastIndexOf('.');
  return dot > 0 && b !== '..' ? b.slice(dot) : '';
}

// =============================================================================================
// Hosts
// =============================================================================================

const hostCache = new BoundedCache<string, string>(1024);

function cleanHost(h: string): string {
  let s = h.toLowerCase();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (s.endsWith('.')) s = s.slice(0, -1);
  return s;
}

/** Lower-cased host name of a URL (IPv6 without brackets, no trailing dot); '' when `url` is not one. */
export function hostOf(url: string): string {
  const cached = hostCache.get(url);
  if (cached !== undefined) return cached;
  const s = url.trim();
  let candidate: string | null = null;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(s)) candidate = s;
  else if (s.startsWith('//')) candidate = `http:${s}`;
  // `localhost:8080/x` has the shape of a scheme but is what curl and most fetch tools treat as http.
  else if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && !/^[^:/?#\s]+:\d+(?:[/?#]|$)/.test(s)) candidate = s;
  else if (/^[\p{L}\p{N}[]/u.test(s) && !/\s/.test(s)) candidate = `http://${s}`;
  let host = '';
  if (candidate !== null) {
    try {
      host = cleanHost(new URL(candidate).hostname);
    } catch {
      host = '';
    }
  }
  return hostCache.set(url, host);
}

/** A host name as given to hostMatches/isPrivateHost: lower case, no port, brackets or trailing dot, IDN as punycode. */
function hostArgument(h: string, fn: string): string {
  if (h.includes('/')) throw evalError(`${fn}() expects a host name, not a URL or path ("${h.slice(0, 80)}"): use host(url)`);
  let s = h.trim().toLowerCase();
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end > 0) s = s.slice(1, end);
  } else {
    const colon = s.indexOf(':');
    if (colon >= 0 && s.indexOf(':', colon + 1) < 0) s = s.slice(0, colon); // host:port
  }
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (/[^\x00-\x7f]/.test(s)) s = domainToASCII(s) || s;
  return s;
}

interface HostPattern {
  any: boolean;
  /** `.example.com` for `*.example.com`. */
  suffix: string | null;
  exact: string;
}
const hostPatternCache = new BoundedCache<string, HostPattern | string>(512);

export function hostPattern(pattern: string): HostPattern {
  let p = hostPatternCache.get(pattern);
  if (p === undefined) {
    const s = pattern.trim().toLowerCase();
    if (s === '*') p = { any: true, suffix: null, exact: '' };
    else {
      const wild = s.startsWith('*.');
      const rest = hostArgumentOrNull(wild ? s.slice(2) : s);
      if (rest === null || rest === '' || rest.includes('*')) p = `invalid host pattern "${pattern}": use a host name, "*.example.com" or "*"`;
      else p = { any: false, suffix: wild ? `.${rest}` : null, exact: rest };
    }
    hostPatternCache.set(pattern, p);
  }
  if (typeof p === 'string') throw evalError(p);
  return p;
}

function hostArgumentOrNull(s: string): string | null {
  try {
    return hostArgument(s, 'hostMatches');
  } catch {
    return null;
  }
}

const hostArgumentCache = new BoundedCache<string, string>(1024);

export function hostMatches(h: string, pattern: string): boolean {
  const host = hostArgumentCache.get(h) ?? hostArgumentCache.set(h, hostArgument(h, 'hostMatches'));
  const p = hostPattern(pattern);
  if (p.any) return host !== '';
  if (p.suffix !== null) return host.length > p.suffix.length && host.endsWith(p.suffix);
  return host === p.exact;
}

/** IPv4 in any form the WHATWG URL parser accepts (`127.1`, `0x7f.0.0.1`, `2130706433`), or null. */
function parseIPv4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 0 || parts.length > 4) return null;
  const nums: number[] = [];
  for (const part of parts) {
    let digits = part;
    let radix = 10;
    if (/^0[xX]/.test(part)) {
      radix = 16;
      digits = part.slice(2);
    } else if (part.length > 1 && part[0] === '0') {
      radix = 8;
      digits = part.slice(1);
    }
    const ok = radix === 16 ? /^[0-9a-fA-F]*$/ : radix === 8 ? /^[0-7]*$/ : /^[0-9]+$/;
    if (!ok.test(digits)) return null;
    const n = digits === '' ? 0 : parseInt(digits, radix);
    if (!Number.isFinite(n)) return null;
    nums.push(n);
  }
  for (let i = 0; i < nums.length - 1; i++) if (nums[i]! > 255) return null;
  const last = nums[nums.length - 1]!;
  if (last >= 256 ** (5 - nums.length)) return null;
  let v = last;
  for (let i = 0; i < nums.length - 1; i++) v += nums[i]! * 256 ** (3 - i);
  return v;
}

function privateIPv4(v: number): boolean {
  const a = Math.floor(v / 2 ** 24);
  const b = Math.floor(v / 2 ** 16) & 255;
  return (
    a === 0 || // "this network", 0.0.0.0 reaches the local host
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b < 128) || // carrier-grade NAT, also Tailscale
    (a === 169 && b === 254) || // link-local, cloud metadata 169.254.169.254
    (a === 172 && b >= 16 && b < 32) ||
    (a === 192 && b === 168)
  );
}

/** Eight 16-bit groups, or null. */
function parseIPv6(input: string): number[] | null {
  let s = input;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const lastColon = s.lastIndexOf(':');
  if (lastColon < 0) return null;
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(tail)) return null;
    const v4 = parseIPv4(tail);
    if (v4 === null) return null;
    s = `${s.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const split = (x: string): string[] => (x === '' ? [] : x.split(':'));
  let groups: string[];
  const dbl = s.indexOf('::');
  if (dbl >= 0) {
    if (s.indexOf('::', dbl + 1) >= 0) return null;
    const head = split(s.slice(0, dbl));
    const rest = split(s.slice(dbl + 2));
    if (head.length + rest.length > 7) return null;
    groups = [...head, ...Array<string>(8 - head.length - rest.length).fill('0'), ...rest];
  } else {
    groups = s.split(':');
    if (groups.length !== 8) return null;
  }
  const out: number[] = [];
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    out.push(parseInt(g, 16));
  }
  return out;
}

function privateIPv6(g: readonly number[]): boolean {
  const v4 = (hi: number, lo: number): boolean => privateIPv4(hi * 65536 + lo);
  const zeros = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return true; // ::
  if ((g[0]! & 0xfe00) === 0xfc00) return true; // unique local fc00::/7 (AWS metadata fd00:ec2::254)
  if ((g[0]! & 0xffc0) === 0xfe80 || (g[0]! & 0xffc0) === 0xfec0) return true; // link-local, old site-local
  if (zeros(0, 5) && g[5] === 0xffff) return v4(g[6]!, g[7]!); // IPv4-mapped
  if (zeros(0, 6)) return v4(g[6]!, g[7]!); // IPv4-compatible, and ::1
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4(g[6]!, g[7]!); // NAT64
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!); // 6to4
  return false;
}

const PRIVATE_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa', '.lan'];

const privateHostCache = new BoundedCache<string, boolean>(1024);

export function isPrivateHost(h: string): boolean {
  return privateHostCache.get(h) ?? privateHostCache.set(h, isPrivateHostUncached(h));
}

function isPrivateHostUncached(h: string): boolean {
  const s = hostArgument(h, 'isPrivateHost');
  if (s === '') return false;
  const v4 = parseIPv4(s);
  if (v4 !== null) return privateIPv4(v4);
  if (s.includes(':')) {
    const v6 = parseIPv6(s);
    return v6 !== null && privateIPv6(v6);
  }
  if (s === 'localhost' || !s.includes('.')) return true; // single labels resolve through the local search domain
  return PRIVATE_SUFFIXES.some((suffix) => s.endsWith(suffix));
}

// =============================================================================================
// Sizes
// =============================================================================================

const MAX_INT64 = 2n ** 63n - 1n;
const SIZE_UNITS: Readonly<Record<string, bigint>> = { k: 10n ** 3n, m: 10n ** 6n, g: 10n ** 9n, t: 10n ** 12n, p: 10n ** 15n };
const BINARY_UNITS: Readonly<Record<string, bigint>> = { k: 2n ** 10n, m: 2n ** 20n, g: 2n ** 30n, t: 2n ** 40n, p: 2n ** 50n };

/** Bytes in "10MB", "1.5 GiB", "512": KB/MB/GB/TB/PB are powers of 1000, KiB/MiB/... of 1024. */
export function parseByteSize(s: string): bigint {
  const m = /^\s*(\d+)(?:\.(\d+))?\s*(?:([kmgtp])(i)?b?|b)?\s*$/i.exec(s);
  if (!m) throw evalError(`byteSize(): cannot read "${s.slice(0, 40)}" as a size; write e.g. "512", "10KB", "1.5MiB"`);
  const unit = m[3]?.toLowerCase();
  const mult = unit === undefined ? 1n : (m[4] ? BINARY_UNITS : SIZE_UNITS)[unit]!;
  const whole = BigInt(m[1]!) * mult;
  const fraction = m[2] ? (BigInt(m[2]) * mult) / 10n ** BigInt(m[2].length) : 0n;
  const bytes = whole + fraction;
  if (bytes > MAX_INT64) throw evalError(`byteSize(): "${s.slice(0, 40)}" is too large`);
  return bytes;
}
