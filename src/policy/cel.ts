// Policy conditions: the `when` of a rule, written in CEL (Common Expression Language) and run by
// @marcbachmann/cel-js. One shared Environment declares the variables of PolicyContext and
// Warden's helper functions; compileCondition() parses, type-checks and caches a condition once,
// and the CompiledCondition it returns costs tens to a few hundred nanoseconds per call.
//
// Why some parts are written here rather than taken from the library:
// - `matches` in the library compiles a JavaScript RegExp per call, and JavaScript regexes
//   backtrack: `a.*b.*c` against 4 KB of "ab" takes seconds. Conditions run on arguments an
//   attacker may write, so `matches` (and `glob`) go through re2js (patterns.ts), which matches
//   in time linear in the input.
// - The library types JavaScript numbers as CEL doubles and wants bigint for CEL ints. Context
//   values are converted once per context, so `args.count + 1` and `session.calls > 100` work
//   with numbers that came from JSON.
// - Speed: the library costs ~60 ns per field comparison, too much for a 50-rule policy at
//   200,000 decisions/s. Conditions (or their top-level terms) made of context fields, literals
//   and Warden's helpers are also compiled to plain JavaScript that gives way to CEL whenever a
//   value is not what it expects (the "fast path" below, tested against CEL).
// - Fails closed: every evaluation error, and any result that is not a bool, comes back as
//   `{ ok: false, error }` for the caller to deny; nothing is coerced to true or false.
import { Environment, type ParseResult } from '@marcbachmann/cel-js';
import type { PolicyContext } from './types.js';
import { compileGlob, compileGlobList, compileRegex, RegexSyntaxError, type Matcher } from './patterns.js';
import { BoundedCache } from './bounded-cache.js';
import { basename, evalError, extension, hostMatches, hostOf, hostPattern, isClean, isPrivateHost, normalizePath, parseByteSize, pathWithin } from './cel-helpers.js';

export { normalizePath, parseByteSize, setConditionHome } from './cel-helpers.js';

export { compileGlob, compileRegex } from './patterns.js';

export interface ConditionError {
  message: string;
  /** 0-based offset in the source, when the library says */
  offset?: number;
}
export type CompiledCondition = (ctx: PolicyContext) => { ok: true; value: boolean } | { ok: false; error: string };

/** Longest condition accepted, in UTF-16 code units: far beyond any rule, short of a denial of service. */
export const MAX_CONDITION_LENGTH = 32 * 1024;
/** Deepest expression tree accepted: keeps the library's recursive checker and evaluator far from the stack limit. */
const MAX_TREE_DEPTH = 400;
const LIMITS = { maxAstNodes: 10_000, maxDepth: 100, maxListElements: 1000, maxMapEntries: 1000, maxCallArguments: 32 };
/** The top-level variables a condition can name (PolicyContext). */
const VARIABLES: ReadonlySet<string> = new Set(['action', 'agent', 'session', 'server', 'tool', 'args', 'time']);



// =============================================================================================
// Patterns: `matches` and `glob` through re2js (see patterns.ts), linear in the input
// =============================================================================================

function regexMatches(subject: string, pattern: string): boolean {
  let m: Matcher;
  try {
    m = compileRegex(pattern);
  } catch (err) {
    if (err instanceof RegexSyntaxError) throw evalError(`invalid pattern for matches(): ${err.message}`);
    throw err;
  }
  return m.test(subject);
}

/** A path is matched in its normal form, so `/./`, `//`, `..` and `\\` cannot dodge a pattern; a URL or a plain name as written. */
function globSubject(subject: string): string {
  return (subject.includes('/') || subject.includes('\\')) && !subject.includes('://') && !isClean(subject) ? normalizePath(subject) : subject;
}

function globMatches(subject: string, pattern: string): boolean {
  let m: Matcher;
  try {
    m = compileGlob(pattern);
  } catch (err) {
    if (err instanceof RegexSyntaxError) throw evalError(`invalid glob "${pattern}": ${err.message}`);
    throw err;
  }
  return m.test(globSubject(subject));
}

/** Any of several globs, as one pattern: one pass over the subject instead of one per glob. */
function globAny(subject: string, patterns: unknown): boolean {
  const list = strings(patterns, 'glob');
  if (list.length === 1) return globMatches(subject, list[0]!);
  let m: Matcher;
  try {
    m = compileGlobList(list);
  } catch (err) {
    if (err instanceof RegexSyntaxError) throw evalError(`invalid glob in ${JSON.stringify(list).slice(0, 80)}: ${err.message}`);
    throw err;
  }
  return m.test(globSubject(subject));
}

// =============================================================================================
// The context a condition sees
// =============================================================================================

// Message types, so that `agent.nmae` is a compile error and fields have CEL types.
class CelAction {
  constructor(
    readonly kind: unknown,
    readonly client: unknown,
  ) {}
}
class CelAgent {
  constructor(
    readonly id: unknown,
    readonly name: unknown,
    readonly user: unknown,
    readonly host: unknown,
  ) {}
}
class CelSession {
  constructor(
    readonly id: unknown,
    readonly taint: unknown,
    readonly calls: unknown,
    readonly history: unknown,
  ) {}
}
class CelServer {
  constructor(readonly name: unknown) {}
}
class CelTool {
  constructor(
    readonly name: unknown,
    readonly capabilities: unknown,
  ) {}
}
class CelTime {
  readonly #raw: unknown;
  #now: unknown;
  #parsed = false;
  constructor(
    raw: unknown,
    readonly hour: unknown,
    readonly weekday: unknown,
  ) {
    this.#raw = raw;
  }
  /** Parsed when first read: most time rules look at `hour` and `weekday` only. */
  get now(): unknown {
    if (!this.#parsed) {
      this.#now = timestamp(this.#raw);
      this.#parsed = true;
    }
    return this.#now;
  }
}

// A value of the wrong type is passed through: reading that field is then an evaluation error.
const str = (v: unknown): unknown => (v === undefined || v === null ? '' : v);
const list = (v: unknown): unknown => (v === undefined || v === null ? [] : v);
function int(v: unknown): unknown {
  if (v === undefined || v === null) return 0n;
  return typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : v;
}
function timestamp(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? v : new Date(ms);
}

const MAX_ARGS_DEPTH = 64;
const isPlainObject = (v: object): boolean => {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * JSON-like arguments as CEL sees them: whole numbers become ints. Objects and arrays are copied
 * only when something inside them changes; CEL reads own properties only, so prototypes and
 * `__proto__` keys are harmless, and an undefined member reads as missing.
 */
function celValue(v: unknown, depth: number): unknown {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : v;
  if (typeof v !== 'object' || v === null || depth >= MAX_ARGS_DEPTH) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const y = celValue(x, depth + 1);
      if (y !== x) (out ??= v.slice())[i] = y;
    }
    return out ?? v;
  }
  if (!isPlainObject(v)) return v; // Map, Date, Uint8Array: CEL knows them; anything else errors when read
  const obj = v as Record<string, unknown>;
  if (Object.hasOwn(obj, 'constructor')) {
    // The library tells types apart by `value.constructor`: an own `constructor` key would make
    // this map unreadable, so it becomes a Map, which CEL reads the same way.
    const map = new Map<string, unknown>();
    for (const key of Object.keys(obj)) map.set(key, celValue(obj[key], depth + 1));
    return map;
  }
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(obj)) {
    const x = obj[key];
    const y = celValue(x, depth + 1);
    if (y === x) continue;
    if (out === undefined) {
      out = {};
      for (const k of Object.keys(obj)) setOwn(out, k, obj[k]);
    }
    setOwn(out, key, y);
  }
  return out ?? v;
}

/** `o[key] = value`, except that a `__proto__` key stays an ordinary property. */
function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/** The CEL view of one PolicyContext, each variable converted the first time a condition reads it. */
class Activation {
  readonly #ctx: Partial<PolicyContext>;
  #action?: CelAction;
  #agent?: CelAgent;
  #session?: CelSession;
  #server?: CelServer;
  #tool?: CelTool;
  #args?: unknown;
  #time?: CelTime;
  constructor(ctx: Partial<PolicyContext>) {
    this.#ctx = ctx;
  }
  get action(): CelAction {
    const a = this.#ctx.action;
    return (this.#action ??= new CelAction(str(a?.kind), str(a?.client)));
  }
  get agent(): CelAgent {
    const a = this.#ctx.agent;
    return (this.#agent ??= new CelAgent(str(a?.id), str(a?.name), str(a?.user), str(a?.host)));
  }
  get session(): CelSession {
    const s = this.#ctx.session;
    return (this.#session ??= new CelSession(str(s?.id), list(s?.taint), int(s?.calls), list(s?.history)));
  }
  get server(): CelServer {
    return (this.#server ??= new CelServer(str(this.#ctx.server?.name)));
  }
  get tool(): CelTool {
    const t = this.#ctx.tool;
    return (this.#tool ??= new CelTool(str(t?.name), list(t?.capabilities)));
  }
  get args(): unknown {
    return (this.#args ??= celValue(this.#ctx.args ?? {}, 0));
  }
  get time(): CelTime | undefined {
    const t = this.#ctx.time;
    if (t === undefined || t === null) return undefined; // no default clock: reading `time` is then an error
    return (this.#time ??= new CelTime(t.now, int(t.hour), int(t.weekday)));
  }
}

// The evaluator builds one context per action and evaluates the conditions of the rules against
// it one after the other, synchronously: remembering the last context is enough to convert each
// variable once per decision (a WeakMap costs ~600 ns per new key). A context must therefore not
// be mutated after a condition has read it; the evaluator builds a fresh one per action.
let lastContext: object | null = null;
let lastActivation: Activation | null = null;

function activationOf(ctx: object): Activation {
  if (ctx !== lastContext || lastActivation === null) {
    lastActivation = new Activation(ctx as Partial<PolicyContext>);
    lastContext = ctx;
  }
  return lastActivation;
}

// =============================================================================================
// The environment: variables and helper functions
// =============================================================================================
//
// ## Condition language (`when:`)
//
// A rule's `when` is a CEL expression (https://cel.dev) that must evaluate to a bool. It sees:
//
// | variable  | type | fields |
// | --- | --- | --- |
// | `action`  | message | `kind` (`tool_call`, `shell`, `file_read`, ...), `client` (`claude-code`, `cursor`, ...) |
// | `agent`   | message | `id`, `name`, `user`, `host` (strings, `""` when unknown) |
// | `session` | message | `id`, `taint` (list of strings: `"untrusted-input"` once the session read a web page), `calls` (int), `history` (list of the tools it called before, oldest first: the last 100) |
// | `server`  | message | `name` |
// | `tool`    | message | `name`, `capabilities` (list of capability classes: `"egress"`, `"destructive"`, ...) |
// | `args`    | map     | the call's arguments as JSON; whole numbers are ints, other numbers doubles |
// | `time`    | message | `now` (timestamp), `hour` (0-23) and `weekday` (0 = Sunday) in the local time of the machine deciding |
//
// For another time zone, CEL's timestamp methods take an IANA zone name:
// `time.now.getHours("Europe/Zurich") >= 20`, `time.now.getDayOfWeek("America/New_York") == 0`
// (also `getMinutes`, `getDate`, `getMonth`, `getFullYear`, `getDayOfYear`; without a zone: UTC).
// An unknown zone written in the policy is an error when it loads.
//
// Misspelt variables and fields (`agent.nmae`), unknown functions and wrong argument types are
// errors when the policy loads. Everything CEL has is available: `&&`, `||`, `!`, `in`,
// `size()`, `contains`, `startsWith`, `endsWith`, `lowerAscii`, `exists`, `all`, `filter`,
// `map`, `timestamp`, `duration`, and optional access `args.?path.orValue("")`.
//
// Missing arguments: reading an argument the call does not have (`args.path` when there is no
// `path`) is an error, and a condition that errors denies the action, naming the rule and the
// key. Test first with `has(args.path) && ...`, or give a default with `args.?path.orValue("")`.
// As in all CEL, `||` and `&&` absorb an error when the other side decides: `has(args.path) &&
// args.path.within("/etc")` is false, not an error, for a call without `path`.
//
// Numbers: `args.count > 5`, `args.count + 1` and `args.ratio >= 0.5` work for JSON numbers.
// Mixing an int and a double in arithmetic needs `double(...)`: `double(args.count) * 1.5`.
//
// ### Paths
// Paths are compared as text: symbolic links cannot be resolved by a condition, and relative
// paths are relative to a directory the condition does not know (the caller makes them absolute
// when it can). Both `/` and `\` separate segments; drive letters are upper-cased.
//
// - `normalize(p)` / `p.normalize()`: `p` with `\` turned into `/`, duplicate slashes, `.` and
//   trailing slashes removed and `..` resolved: `normalize("/a/./b/../c/")` is `"/a/c"`,
//   `normalize("C:\\Users\\me\\x")` is `"C:/Users/me/x"`. A `..` above `/` is dropped; above a
//   relative path or `~` it stays (`normalize("~/../etc")` is `"~/../etc"`). `~` stays literal.
// - `within(p, root)` / `p.within(root)`: true when `p`, normalised, is `root` or inside it; a
//   `..` that climbs out (`"/home/me/project/../../etc/passwd"`) is caught. `root` may be a list:
//   `p.within(["~/.ssh", "~/.aws"])` is true when `p` is within any of them. `~` on either side
//   also stands for the home directory of the user Warden runs as, so `"/home/me/.ssh/id_rsa"` is
//   within `"~/.ssh"` (`~bob` is not expanded). Case-sensitive: on case-insensitive disks
//   (macOS, Windows) compare `p.lowerAscii().within("~/.ssh")` in deny rules.
// - `basename(p)` / `p.basename()`: the last segment of `normalize(p)` (`""` for `/`).
// - `ext(p)` / `p.ext()`: the extension of `basename(p)` with its dot (`".pem"`); `""` for none
//   and for dotfiles (`ext(".env")` is `""`: test `basename(p) == ".env"`).
//
// ### Hosts
// - `host(url)` / `url.host()`: the lower-cased host name of a URL, IPv6 without brackets and
//   IPv4 in dotted form (`http://0x7f.1/` gives `"127.0.0.1"`); a URL without a scheme
//   (`example.com/x`, `localhost:8080`) is read as http; `""` when `url` is not a URL.
// - `hostMatches(h, pattern)` / `h.hostMatches(pattern)`: `pattern` is a host name
//   (`"example.com"`), `"*.example.com"` (any subdomain, at any depth, but not `example.com`
//   itself) or `"*"` (any host); case and a trailing dot are ignored, a port in `h` is dropped.
//   `pattern` may be a list, true when any matches. `h` must be a host: pass `host(url)`.
// - `isPrivateHost(h)` / `h.isPrivateHost()`: true for loopback, private (RFC 1918), link-local
//   (169.254.0.0/16, including the cloud metadata address 169.254.169.254), carrier-grade NAT
//   (100.64.0.0/10), `0.0.0.0/8`, IPv6 loopback, unique-local and link-local addresses (and IPv4
//   addresses embedded in IPv6), `localhost`, names under `.localhost`, `.local`, `.internal`,
//   `.home.arpa`, `.lan`, and single-label names (`intranet`, `metadata`). A public name that
//   resolves to a private address (DNS rebinding) cannot be caught by a condition.
//
// ### Patterns
// - `glob(s, pattern)` / `s.glob(pattern)`: whole-string glob match. `*` matches any run of
//   characters except `/`, `**` any run including `/` (`**/` is zero or more directories,
//   a trailing `/**` also matches the directory itself), `?` one character except `/`,
//   `[abc]`, `[a-z]`, `[!a]` a character class, `{a,b}` alternatives, `\` escapes. `*` matches
//   dotfiles. `pattern` may be a list, true when any matches. A subject that contains `/` or
//   `\` and is not a URL (`://`) is normalised first, as by `normalize`, so `/a/./b`, `/a//b`,
//   `/x/../a/b` and `\a\b` all match `"/a/b"`; `~` is not expanded (use `within` for homes).
//   Write patterns with `/`; in a pattern `\` escapes the next character.
// - `s.matches(re)`: CEL's regex search, RE2 syntax (https://github.com/google/re2/wiki/Syntax):
//   flags `(?i)`, `(?s)`, `(?m)` and `(?i:...)`, classes `\d \w \s \b [[:alpha:]]`, no
//   backreferences, lookaround or `\p{..}` (a pattern using them is an error when the policy
//   loads). Matched in time linear in the length of `s`, even for a pattern taken from the
//   arguments, so an argument cannot stall the gateway. Anchor with `^...$` for a whole match.
//
// ### Sizes
// - `byteSize(s)`: the bytes in `"512"`, `"10KB"`, `"1.5 MB"`, `"2GiB"` as an int. KB, MB, GB,
//   TB, PB are powers of 1000; KiB, MiB, GiB, TiB, PiB powers of 1024; case is ignored and `b`
//   means bytes, not bits. CEL's own `size(x)` counts the characters of a string (Unicode code
//   points), the elements of a list or map: `size(args.content) > byteSize("1MB")`. For the exact
//   UTF-8 bytes write `size(bytes(args.content))`, which copies the string (about 0.5 ms per MB).

// Library functions Warden replaces (the library does not allow overriding a built-in): calls
// are renamed to `wardenInternal_<name>` before type checking, and the prefix is taken out of
// error messages again.
// - `s.matches(re)`: JavaScript RegExp, per call, with backtracking -> the linear-time engine.
// - `size(s)`: counted code points with for...of (~5 ms per MB) -> a native surrogate scan.
// - `t.getHours(tz)` and its siblings: formatted a locale string per call (~50 µs) -> the zone's
//   UTC offset, computed once per zone and minute.
const INTERNAL = 'wardenInternal_';
const ZONED_METHODS = new Set(['getDate', 'getDayOfMonth', 'getDayOfWeek', 'getDayOfYear', 'getFullYear', 'getHours', 'getMinutes', 'getMonth', 'getSeconds']);

function replacementOf(op: string, name: string, arity: number): string | undefined {
  if (op === 'rcall' && name === 'matches' && arity === 1) return INTERNAL + name;
  if (name === 'size' && arity === (op === 'call' ? 1 : 0)) return INTERNAL + name;
  if (op === 'rcall' && arity === 1 && ZONED_METHODS.has(name)) return INTERNAL + name;
  return undefined;
}

const SURROGATE = /[\uD800-\uDFFF]/;
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/** CEL `size`: code points of a string, bytes, elements of a list, entries of a map. */
function celSize(v: unknown): bigint {
  if (typeof v === 'string') return BigInt(SURROGATE.test(v) ? v.length - (v.match(SURROGATE_PAIR)?.length ?? 0) : v.length);
  if (Array.isArray(v) || v instanceof Uint8Array) return BigInt(v.length);
  if (v instanceof Set || v instanceof Map) return BigInt(v.size);
  if (typeof v === 'object' && v !== null) return BigInt(Object.keys(v).length);
  throw evalError('size() expects a string, bytes, list or map');
}

const zoneFormats = new BoundedCache<string, Intl.DateTimeFormat | string>(64);
const zoneOffsets = new BoundedCache<string, number>(4096);

function zoneFormat(zone: string): Intl.DateTimeFormat {
  let f = zoneFormats.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    } catch {
      f = `unknown time zone "${zone.slice(0, 60)}" (use an IANA name such as "Europe/Zurich")`;
    }
    zoneFormats.set(zone, f);
  }
  if (typeof f === 'string') throw evalError(f);
  return f;
}

/** A Date whose UTC fields are the wall-clock time of `d` in `zone`. */
function wallClock(d: unknown, zone: string): Date {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw evalError('expected a valid timestamp');
  const ms = d.getTime();
  const minute = Math.floor(ms / 60_000);
  const last = lastOffset.get(zone);
  if (last !== undefined && last.minute === minute) return new Date(ms + last.offset);
  const key = `${minute}|${zone}`;
  let offset = zoneOffsets.get(key);
  if (offset === undefined) {
    const parts = zoneFormat(zone).formatToParts(new Date(minute * 60_000));
    const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
    offset = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour') % 24, part('minute')) - minute * 60_000;
    zoneOffsets.set(key, offset);
  }
  if (lastOffset.size > 64) lastOffset.clear();
  lastOffset.set(zone, { minute, offset });
  return new Date(ms + offset);
}
/** Per zone, the offset of the minute asked last: conditions read the clock of the current decision. */
const lastOffset = new Map<string, { minute: number; offset: number }>();

const ZONED: Readonly<Record<string, (w: Date) => number>> = {
  getDate: (w) => w.getUTCDate(),
  getDayOfMonth: (w) => w.getUTCDate() - 1,
  getDayOfWeek: (w) => w.getUTCDay(),
  getDayOfYear: (w) => (Date.UTC(w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate()) - Date.UTC(w.getUTCFullYear(), 0, 1)) / 86_400_000,
  getFullYear: (w) => w.getUTCFullYear(),
  getHours: (w) => w.getUTCHours(),
  getMinutes: (w) => w.getUTCMinutes(),
  getMonth: (w) => w.getUTCMonth(),
  getSeconds: (w) => w.getUTCSeconds(),
};

type Fn1<A, R> = (a: A) => R;
type Fn2<A, B, R> = (a: A, b: B) => R;
const strings = (v: unknown, fn: string): string[] => {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw evalError(`${fn}() expects a list of strings`);
  return v as string[];
};
const anyOf =
  (f: Fn2<string, string, boolean>, fn: string): Fn2<string, unknown, boolean> =>
  (s, patterns) =>
    strings(patterns, fn).some((p) => f(s, p));
const checked1 =
  <R>(f: Fn1<string, R>, fn: string): Fn1<unknown, R> =>
  (a) => {
    if (typeof a !== 'string') throw evalError(`${fn}() expects a string`);
    return f(a);
  };
const checked2 =
  <B, R>(f: Fn2<string, B, R>, fn: string): Fn2<unknown, B, R> =>
  (a, b) => {
    if (typeof a !== 'string') throw evalError(`${fn}() expects a string`);
    return f(a, b);
  };

function createEnvironment(): Environment {
  const env = new Environment({ enableOptionalTypes: true, limits: LIMITS })
    .registerType('warden.Action', { ctor: CelAction, fields: { kind: 'string', client: 'string' } })
    .registerType('warden.Agent', { ctor: CelAgent, fields: { id: 'string', name: 'string', user: 'string', host: 'string' } })
    .registerType('warden.Session', { ctor: CelSession, fields: { id: 'string', taint: 'list<string>', calls: 'int', history: 'list<string>' } })
    .registerType('warden.Server', { ctor: CelServer, fields: { name: 'string' } })
    .registerType('warden.Tool', { ctor: CelTool, fields: { name: 'string', capabilities: 'list<string>' } })
    .registerType('warden.Time', { ctor: CelTime, fields: { now: 'google.protobuf.Timestamp', hour: 'int', weekday: 'int' } })
    .registerVariable('action', 'warden.Action', { description: 'kind of action and agent client' })
    .registerVariable('agent', 'warden.Agent', { description: 'the agent identity' })
    .registerVariable('session', 'warden.Session', { description: 'the session and its taint' })
    .registerVariable('server', 'warden.Server', { description: 'the MCP server' })
    .registerVariable('tool', 'warden.Tool', { description: 'the tool and its capability classes' })
    .registerVariable('args', 'map<string, dyn>', { description: 'the arguments of the call' })
    .registerVariable('time', 'warden.Time', { description: 'when the action happens' });

  const withReceiver = (name: string, params: string, ret: string, handler: (...a: never[]) => unknown, description: string): void => {
    env.registerFunction(`${name}(string${params ? `, ${params}` : ''}): ${ret}`, handler as (...a: unknown[]) => unknown, { description });
    env.registerFunction(`string.${name}(${params}): ${ret}`, handler as (...a: unknown[]) => unknown, { description });
  };
  withReceiver('normalize', '', 'string', checked1(normalizePath, 'normalize'), 'the path with separators, `.` and `..` resolved');
  withReceiver('within', 'string', 'bool', checked2(pathWithin, 'within'), 'the path is the root or inside it');
  withReceiver('within', 'list<string>', 'bool', checked2(anyOf(pathWithin, 'within'), 'within'), 'the path is within any of the roots');
  withReceiver('basename', '', 'string', checked1(basename, 'basename'), 'last segment of the path');
  withReceiver('ext', '', 'string', checked1(extension, 'ext'), 'extension of the path, with its dot');
  withReceiver('host', '', 'string', checked1(hostOf, 'host'), 'lower-cased host of a URL, "" if not a URL');
  withReceiver('hostMatches', 'string', 'bool', checked2(hostMatches, 'hostMatches'), 'host equals the pattern or is under *.domain');
  withReceiver('hostMatches', 'list<string>', 'bool', checked2(anyOf(hostMatches, 'hostMatches'), 'hostMatches'), 'host matches any pattern');
  withReceiver('isPrivateHost', '', 'bool', checked1(isPrivateHost, 'isPrivateHost'), 'loopback, private, link-local or local name');
  withReceiver('glob', 'string', 'bool', checked2(globMatches, 'glob'), 'whole-string glob match');
  withReceiver('glob', 'list<string>', 'bool', checked2(globAny, 'glob'), 'matches any of the globs');
  env.registerFunction('byteSize(string): int', checked1(parseByteSize, 'byteSize'), { description: 'bytes in "10MB", "2GiB"' });
  env.registerFunction(`string.${INTERNAL}matches(string): bool`, checked2(regexMatches, 'matches'), { description: 'RE2 search in linear time' });
  for (const t of ['string', 'bytes', 'list', 'map']) {
    env.registerFunction(`${INTERNAL}size(${t}): int`, celSize, { description: 'code points, bytes, elements or entries' });
    env.registerFunction(`${t}.${INTERNAL}size(): int`, celSize, { description: 'code points, bytes, elements or entries' });
  }
  for (const [name, field] of Object.entries(ZONED)) {
    env.registerFunction(`google.protobuf.Timestamp.${INTERNAL}${name}(string): int`, (d: unknown, zone: unknown) => BigInt(field(wallClock(d, String(zone)))), {
      description: `${name} in a time zone`,
    });
  }
  return env;
}

const environment = createEnvironment();

// =============================================================================================
// Compiling a condition
// =============================================================================================

interface AstLike {
  op: string;
  args: unknown;
  start: number;
}
const isAst = (x: unknown): x is AstLike => typeof x === 'object' && x !== null && typeof (x as AstLike).op === 'string' && 'args' in x;

class CompileProblem extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

const stringLiteral = (n: unknown): string | undefined => (isAst(n) && n.op === 'value' && typeof n.args === 'string' ? n.args : undefined);

/** String literals given directly or in a list literal: patterns checked when the policy loads. */
function literalPatterns(n: unknown): { value: string; at: number }[] {
  if (!isAst(n)) return [];
  const s = stringLiteral(n);
  if (s !== undefined) return [{ value: s, at: n.start }];
  if (n.op === 'list' && Array.isArray(n.args)) return n.args.flatMap((x: unknown) => (isAst(x) && stringLiteral(x) !== undefined ? [{ value: x.args as string, at: x.start }] : []));
  return [];
}

function checkLiterals(fn: string, arg: unknown): void {
  for (const { value, at } of literalPatterns(arg)) {
    try {
      if (fn === 'matches') compileRegex(value);
      else if (ZONED_METHODS.has(fn)) zoneFormat(value);
      else if (fn === 'glob') compileGlob(value);
      else if (fn === 'hostMatches') hostPattern(value);
      else if (fn === 'byteSize') parseByteSize(value);
    } catch (err) {
      if (err instanceof RegexSyntaxError) {
        const what = fn === 'glob' ? 'glob' : 'pattern for matches()';
        throw new CompileProblem(`invalid ${what} "${value.slice(0, 80)}": ${err.message} (at character ${err.index + 1} of the pattern)`, at);
      }
      throw new CompileProblem(err instanceof Error ? ((err as { summary?: string }).summary ?? err.message) : String(err), at);
    }
  }
}

/**
 * Walks the parsed tree once: collects the variables it names, checks its depth, checks literal
 * patterns, zones and sizes, and points `matches`, `size` and the zoned timestamp methods at
 * Warden's implementations.
 */
function inspectTree(root: unknown): Set<string> {
  const variables = new Set<string>();
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (Array.isArray(node)) {
      for (const x of node) stack.push([x, depth]);
      continue;
    }
    if (!isAst(node)) continue;
    if (depth > MAX_TREE_DEPTH) throw new CompileProblem(`the condition nests more than ${MAX_TREE_DEPTH} levels deep; split it or use \`in [...]\``, node.start);
    const args = node.args;
    if (node.op === 'id') {
      if (typeof args === 'string' && VARIABLES.has(args)) variables.add(args);
      continue;
    }
    if ((node.op === 'rcall' || node.op === 'call') && Array.isArray(args)) {
      const name = args[0] as unknown;
      const callArgs = args[node.op === 'rcall' ? 2 : 1] as unknown;
      if (typeof name === 'string' && Array.isArray(callArgs)) {
        const receiver = node.op === 'rcall';
        // The argument holding a pattern, zone or size literal, checked now rather than at every call.
        if (receiver && callArgs.length === 1 && (name === 'matches' || name === 'glob' || name === 'hostMatches' || ZONED_METHODS.has(name))) checkLiterals(name, callArgs[0]);
        if (!receiver && callArgs.length === 2 && (name === 'glob' || name === 'hostMatches')) checkLiterals(name, callArgs[1]);
        if (!receiver && callArgs.length === 1 && name === 'byteSize') checkLiterals(name, callArgs[0]);
        const replacement = replacementOf(node.op, name, callArgs.length);
        if (replacement) args[0] = replacement;
      }
    }
    if (Array.isArray(args)) for (const x of args) stack.push([x, depth + 1]);
    else if (isAst(args)) stack.push([args, depth + 1]);
  }
  return variables;
}

const LIMIT_MESSAGES: Readonly<Record<string, string>> = {
  maxDepth: 'the condition nests more than {n} levels deep',
  maxAstNodes: 'the condition has more than {n} parts',
  maxListElements: 'a list in the condition has more than {n} elements',
  maxMapEntries: 'a map in the condition has more than {n} entries',
  maxCallArguments: 'a call in the condition has more than {n} arguments',
};

function messageOf(err: unknown): string {
  if (err instanceof RangeError && /call stack/i.test(err.message)) return 'the condition nests too deeply to evaluate';
  const text = String(err instanceof Error ? ((err as { summary?: unknown }).summary ?? err.message) : err);
  const limit = /^Exceeded (\w+) \((\d+)\)$/.exec(text);
  if (limit && LIMIT_MESSAGES[limit[1]!]) return LIMIT_MESSAGES[limit[1]!]!.replace('{n}', limit[2]!);
  return text.split(INTERNAL).join('');
}

function offsetOf(err: unknown): number | undefined {
  const start = (err as { range?: { start?: unknown } } | null)?.range?.start;
  return typeof start === 'number' ? start : undefined;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return 'an int';
  if (typeof v === 'number') return 'a double';
  if (typeof v === 'string') return 'a string';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Promise) return 'a promise';
  return typeof v === 'object' ? 'a map or message' : typeof v;
}

const TRUE: { ok: true; value: boolean } = Object.freeze({ ok: true, value: true }) as { ok: true; value: boolean };
const FALSE: { ok: true; value: boolean } = Object.freeze({ ok: true, value: false }) as { ok: true; value: boolean };

// ---------------------------------------------------------------------------------------------
// Fast path. Most conditions are small boolean combinations of context fields and literals
// (`"egress" in tool.capabilities && "untrusted-input" in session.taint`, `has(args.path) &&
// ...`, `time.hour < 7 || time.hour >= 20`), and most are false for most actions. That subset is
// also compiled to plain JavaScript over the raw context, with the Activation's defaults:
// - a condition entirely in the subset is answered there;
// - otherwise its top-level `&&` terms in the subset are tried first, and one that is false
//   makes the condition false, as in CEL, where a false term wins over errors in the others
//   (and a true top-level `||` term makes it true);
// - whenever a raw value has a type the subset does not expect, it gives up (BAIL) and CEL
//   evaluates the condition, errors included. The unit tests compare both paths.
// Contexts are data (what JSON and the evaluator produce). A context with accessors that throw
// can only get false from a term here where CEL, which converts all of `args`, reports the throw.
// ---------------------------------------------------------------------------------------------

const BAIL = Symbol('bail');
type Bail = typeof BAIL;
/**
 * A compiled subexpression: returns the value as JavaScript (CEL strings as strings, ints as safe
 * integer numbers, bools as booleans, lists as arrays), or BAIL.
 */
type Fast = (ctx: PolicyContext) => unknown;
type FastBool = (ctx: PolicyContext) => boolean | Bail;

const FAST_FIELDS: Readonly<Record<string, Readonly<Record<string, 'string' | 'int' | 'list'>>>> = {
  action: { kind: 'string', client: 'string' },
  agent: { id: 'string', name: 'string', user: 'string', host: 'string' },
  session: { id: 'string', taint: 'list', calls: 'int', history: 'list' },
  server: { name: 'string' },
  tool: { name: 'string', capabilities: 'list' },
  time: { hour: 'int', weekday: 'int' },
};

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

type Loose = Record<string, Record<string, unknown> | null | undefined>;
/** One reader per field, each with its own property accesses (a shared `part[field]` is slow). */
const FIELD_READERS: Readonly<Record<string, (ctx: Loose) => unknown>> = {
  'action.kind': (c) => c['action']?.['kind'],
  'action.client': (c) => c['action']?.['client'],
  'agent.id': (c) => c['agent']?.['id'],
  'agent.name': (c) => c['agent']?.['name'],
  'agent.user': (c) => c['agent']?.['user'],
  'agent.host': (c) => c['agent']?.['host'],
  'session.id': (c) => c['session']?.['id'],
  'session.taint': (c) => c['session']?.['taint'],
  'session.calls': (c) => c['session']?.['calls'],
  'session.history': (c) => c['session']?.['history'],
  'server.name': (c) => c['server']?.['name'],
  'tool.name': (c) => c['tool']?.['name'],
  'tool.capabilities': (c) => c['tool']?.['capabilities'],
  // No default clock: without `time`, CEL reports the error.
  'time.hour': (c) => (c['time'] === undefined || c['time'] === null ? BAIL : c['time']['hour']),
  'time.weekday': (c) => (c['time'] === undefined || c['time'] === null ? BAIL : c['time']['weekday']),
};

/** `variable.field` as the Activation presents it (its defaults included), or BAIL. */
function fastField(variable: string, field: string, kind: 'string' | 'int' | 'list'): Fast {
  const read = FIELD_READERS[`${variable}.${field}`]!;
  return (ctx) => {
    const raw = read(ctx as unknown as Loose);
    if (raw === BAIL) return BAIL;
    if (raw === undefined || raw === null) return kind === 'string' ? '' : kind === 'int' ? 0 : [];
    switch (kind) {
      case 'string':
        return typeof raw === 'string' ? raw : BAIL;
      case 'list':
        return Array.isArray(raw) ? raw : BAIL;
      default:
        if (isInt(raw)) return raw;
        return typeof raw === 'bigint' && raw >= -SAFE_INT_MAX && raw <= SAFE_INT_MAX ? Number(raw) : BAIL;
    }
  };
}

/** `args.key`: its raw value when CEL would read the same (a string, bool, whole number, list), else BAIL. */
function fastArg(key: string): Fast {
  return (ctx) => {
    const a = ctx.args as unknown;
    let v: unknown;
    if (a instanceof Map) v = a.get(key);
    else if (typeof a === 'object' && a !== null && !Array.isArray(a) && isPlainObject(a)) v = Object.hasOwn(a, key) ? (a as Record<string, unknown>)[key] : undefined;
    else return BAIL; // a missing `args` is {} to CEL, but then the key is missing: an error for CEL to report
    if (typeof v === 'string' || typeof v === 'boolean' || isInt(v) || Array.isArray(v)) return v;
    return BAIL;
  };
}

/** `has(args.key)`. */
function fastHasArg(key: string): Fast {
  return (ctx) => {
    const a = ctx.args as unknown;
    if (a === undefined || a === null) return false;
    let v: unknown;
    if (a instanceof Map) v = a.get(key);
    else if (typeof a === 'object' && !Array.isArray(a) && isPlainObject(a)) v = Object.hasOwn(a, key) ? (a as Record<string, unknown>)[key] : undefined;
    else return BAIL;
    switch (typeof v) {
      case 'undefined':
        return false;
      case 'string':
      case 'number':
      case 'boolean':
      case 'bigint':
        return true;
      case 'object':
        return v === null || Array.isArray(v) || v instanceof Map || isPlainObject(v) ? true : BAIL;
      default:
        return BAIL;
    }
  };
}

const SAFE_INT_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** A literal, or a list of literals, known when the condition compiles. */
function constantOf(n: unknown): { value: unknown } | undefined {
  if (!isAst(n)) return undefined;
  if (n.op === 'value') {
    const v = n.args;
    if (typeof v === 'string' || typeof v === 'boolean') return { value: v };
    if (typeof v === 'bigint' && v <= SAFE_INT_MAX && v >= -SAFE_INT_MAX) return { value: Number(v) };
    return undefined;
  }
  if (n.op === 'list' && Array.isArray(n.args)) {
    const items = (n.args as unknown[]).map(constantOf);
    if (!items.every((x): x is { value: unknown } => x !== undefined && (typeof x.value === 'string' || typeof x.value === 'number'))) return undefined;
    return { value: items.map((x) => x.value) };
  }
  if (n.op === 'call' && Array.isArray(n.args) && n.args[0] === 'byteSize' && Array.isArray(n.args[1]) && n.args[1].length === 1) {
    const text = stringLiteral(n.args[1][0]);
    if (text === undefined) return undefined;
    try {
      const bytes = parseByteSize(text);
      return bytes <= SAFE_INT_MAX ? { value: Number(bytes) } : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

type Helper = (subject: string, arg: unknown) => unknown;
/** Warden's helpers (and CEL string methods) the fast path calls directly: name -> [arity after the subject, implementation]. */
const FAST_HELPERS: Readonly<Record<string, readonly [number, Helper]>> = {
  normalize: [0, (s) => normalizePath(s)],
  basename: [0, (s) => basename(s)],
  ext: [0, (s) => extension(s)],
  host: [0, (s) => hostOf(s)],
  isPrivateHost: [0, (s) => isPrivateHost(s)],
  lowerAscii: [0, (s) => s.toLowerCase()],
  [`${INTERNAL}size`]: [0, (s) => Number(celSize(s))],
  within: [1, (s, r) => (typeof r === 'string' ? pathWithin(s, r) : strings(r, 'within').some((x) => pathWithin(s, x)))],
  glob: [1, (s, p) => (typeof p === 'string' ? globMatches(s, p) : globAny(s, p))],
  hostMatches: [1, (s, p) => (typeof p === 'string' ? hostMatches(s, p) : strings(p, 'hostMatches').some((x) => hostMatches(s, x)))],
  [`${INTERNAL}matches`]: [1, (s, p) => regexMatches(s, p as string)],
  startsWith: [1, (s, p) => s.startsWith(p as string)],
  endsWith: [1, (s, p) => s.endsWith(p as string)],
  contains: [1, (s, p) => s.includes(p as string)],
};
/** Helpers whose argument must be a string; the others take a string or a list of strings. */
const STRING_ARGUMENT = new Set([`${INTERNAL}matches`, 'startsWith', 'endsWith', 'contains']);
/** CEL methods that exist only in receiver form. */
const RECEIVER_ONLY = new Set(['lowerAscii', 'startsWith', 'endsWith', 'contains', `${INTERNAL}matches`]);

function fastCall(n: AstLike): Fast | undefined {
  if (!Array.isArray(n.args)) return undefined;
  const name = n.args[0] as unknown;
  if (typeof name !== 'string') return undefined;
  const receiver = n.op === 'rcall';
  const rest = (receiver ? n.args[2] : n.args[1]) as unknown;
  if (!Array.isArray(rest)) return undefined;
  const operands: unknown[] = receiver ? [n.args[1], ...rest] : rest;
  if (name === 'has') {
    const sel = operands[0];
    if (receiver || operands.length !== 1 || !isAst(sel) || sel.op !== '.' || !Array.isArray(sel.args)) return undefined;
    const [obj, key] = sel.args as [unknown, unknown];
    return isAst(obj) && obj.op === 'id' && obj.args === 'args' && typeof key === 'string' ? fastHasArg(key) : undefined;
  }
  const helper = FAST_HELPERS[name];
  if (!helper || operands.length !== helper[0] + 1 || (!receiver && RECEIVER_ONLY.has(name))) return undefined;
  const [, impl] = helper;
  const subject = fast(operands[0]);
  if (!subject) return undefined;
  let arg: unknown;
  if (helper[0] === 1) {
    const c = constantOf(operands[1]);
    if (!c || (STRING_ARGUMENT.has(name) ? typeof c.value !== 'string' : typeof c.value !== 'string' && !(Array.isArray(c.value) && c.value.every((x) => typeof x === 'string')))) return undefined;
    arg = c.value;
  }
  const sizeOf = name === `${INTERNAL}size`;
  return (ctx) => {
    const s = subject(ctx);
    if (sizeOf && Array.isArray(s)) return s.length;
    if (typeof s !== 'string') return BAIL; // CEL finds no overload (or sizes a map): CEL decides
    try {
      return impl(s, arg);
    } catch {
      return BAIL;
    }
  };
}

function fastBinary(op: string, x: Fast, y: Fast): Fast | undefined {
  const pair =
    (f: (a: unknown, b: unknown) => unknown): Fast =>
    (ctx) => {
      const a = x(ctx);
      if (a === BAIL) return BAIL;
      const b = y(ctx);
      return b === BAIL ? BAIL : f(a, b);
    };
  const sameScalar = (a: unknown, b: unknown): boolean => typeof a === typeof b && (typeof a === 'string' || typeof a === 'boolean' || isInt(a));
  const ordered = (a: unknown, b: unknown): boolean => (typeof a === 'string' && typeof b === 'string') || (isInt(a) && isInt(b));
  switch (op) {
    case '==':
      return pair((a, b) => (sameScalar(a, b) ? a === b : BAIL));
    case '!=':
      return pair((a, b) => (sameScalar(a, b) ? a !== b : BAIL));
    case '<':
      return pair((a, b) => (ordered(a, b) ? (a as number) < (b as number) : BAIL));
    case '<=':
      return pair((a, b) => (ordered(a, b) ? (a as number) <= (b as number) : BAIL));
    case '>':
      return pair((a, b) => (ordered(a, b) ? (a as number) > (b as number) : BAIL));
    case '>=':
      return pair((a, b) => (ordered(a, b) ? (a as number) >= (b as number) : BAIL));
    case 'in':
      // Strings and whole numbers are equal in CEL exactly when they are === here; other
      // elements (maps, lists, doubles) are never equal to them.
      // (an int also equals the same bigint in a list a caller built by hand)
      return pair((a, b) => ((typeof a === 'string' || isInt(a)) && Array.isArray(b) ? b.includes(a) || (typeof a === 'number' && b.includes(BigInt(a))) : BAIL));
    default:
      return undefined;
  }
}

/** Compiles `n` when it is in the subset the fast path answers exactly, else undefined. */
function fast(n: unknown): Fast | undefined {
  if (!isAst(n)) return undefined;
  const c = constantOf(n);
  if (c) {
    const value = c.value;
    return () => value;
  }
  const args = n.args;
  switch (n.op) {
    case '.': {
      if (!Array.isArray(args)) return undefined;
      const [obj, field] = args as [unknown, unknown];
      if (!isAst(obj) || obj.op !== 'id' || typeof field !== 'string') return undefined;
      if (obj.args === 'args') return fastArg(field);
      const kind = typeof obj.args === 'string' ? FAST_FIELDS[obj.args]?.[field] : undefined;
      return kind ? fastField(obj.args as string, field, kind) : undefined;
    }
    case '&&':
    case '||': {
      if (!Array.isArray(args)) return undefined;
      const l = fast(args[0]);
      const r = fast(args[1]);
      if (!l || !r) return undefined;
      // As CEL: the deciding value (false for &&, true for ||) wins over an error on the other side.
      const decides = n.op === '||';
      return (ctx) => {
        const a = l(ctx);
        if (a === decides) return decides;
        const b = r(ctx);
        if (b === decides) return decides;
        return typeof a === 'boolean' && typeof b === 'boolean' ? !decides : BAIL;
      };
    }
    case '!_': {
      const inner = fast(args);
      if (!inner) return undefined;
      return (ctx) => {
        const v = inner(ctx);
        return typeof v === 'boolean' ? !v : BAIL;
      };
    }
    case 'call':
    case 'rcall':
      return fastCall(n);
    default: {
      if (!Array.isArray(args) || args.length !== 2) return undefined;
      const x = fast(args[0]);
      const y = x && fast(args[1]);
      return x && y ? fastBinary(n.op, x, y) : undefined;
    }
  }
}

function fastBool(n: unknown): FastBool | undefined {
  const f = fast(n);
  if (!f) return undefined;
  return (ctx) => {
    const v = f(ctx);
    return typeof v === 'boolean' ? v : BAIL;
  };
}

interface FastPlan {
  /** The whole condition, when it is in the subset. */
  whole?: FastBool;
  /** Top-level `&&` terms in the subset: one that is false makes the condition false. */
  falseIf: FastBool[];
  /** Top-level `||` terms in the subset: one that is true makes the condition true. */
  trueIf: FastBool[];
}

function terms(root: unknown, op: string): unknown[] {
  const out: unknown[] = [];
  const stack = [root];
  while (stack.length) {
    const t = stack.pop();
    if (isAst(t) && t.op === op && Array.isArray(t.args)) stack.push(t.args[1], t.args[0]);
    else out.push(t);
  }
  return out;
}

function fastPlanOf(root: unknown): FastPlan {
  const whole = fastBool(root);
  if (whole) return { whole, falseIf: [], trueIf: [] };
  const compile = (ts: unknown[]): FastBool[] => ts.map(fastBool).filter((f): f is FastBool => f !== undefined);
  return { falseIf: compile(terms(root, '&&')), trueIf: compile(terms(root, '||')) };
}

function conditionOf(parsed: ParseResult, plan: FastPlan | null): CompiledCondition {
  const whole = plan?.whole;
  const falseIf = plan?.falseIf ?? [];
  const trueIf = plan?.trueIf ?? [];
  return (ctx) => {
    if (typeof ctx !== 'object' || ctx === null) return { ok: false, error: 'no context to evaluate the condition against' };
    try {
      if (whole) {
        const v = whole(ctx);
        if (v !== BAIL) return v ? TRUE : FALSE;
      } else {
        for (let i = 0; i < falseIf.length; i++) if (falseIf[i]!(ctx) === false) return FALSE;
        for (let i = 0; i < trueIf.length; i++) if (trueIf[i]!(ctx) === true) return TRUE;
      }
    } catch {
      // A context the fast path did not foresee (a getter that throws, a fake Map): CEL decides.
    }
    let value: unknown;
    try {
      value = parsed(activationOf(ctx) as unknown as Record<string, unknown>);
    } catch (err) {
      return { ok: false, error: messageOf(err) };
    }
    if (value === true) return TRUE;
    if (value === false) return FALSE;
    return { ok: false, error: `the condition evaluated to ${typeName(value)}, not a bool` };
  };
}

type CompileResult = { ok: true; condition: CompiledCondition; variables: ReadonlySet<string> } | { ok: false; error: ConditionError };
const compiled = new BoundedCache<string, CompileResult>(2048);
const compiledWithoutPrefilter = new BoundedCache<string, CompileResult>(256);

export interface CompileOptions {
  /** Answer simple conditions and terms directly from the raw context (default true); false runs everything through CEL, for tests and diagnosis. */
  prefilter?: boolean;
}

function compile(source: string, prefilter: boolean): CompileResult {
  const fail = (message: string, offset?: number): CompileResult => ({ ok: false, error: offset === undefined ? { message } : { message, offset } });
  if (source.length > MAX_CONDITION_LENGTH) return fail(`the condition is ${source.length} characters long; the limit is ${MAX_CONDITION_LENGTH}`, MAX_CONDITION_LENGTH);
  if (source.trim() === '') return fail('the condition is empty', 0);
  let parsed: ParseResult;
  try {
    parsed = environment.parse(source);
  } catch (err) {
    return fail(messageOf(err), offsetOf(err));
  }
  let variables: Set<string>;
  try {
    variables = inspectTree(parsed.ast);
  } catch (err) {
    return err instanceof CompileProblem ? fail(err.message, err.offset) : fail(messageOf(err));
  }
  const checked = parsed.check();
  if (!checked.valid) return fail(messageOf(checked.error), offsetOf(checked.error));
  if (checked.type !== 'bool' && checked.type !== 'dyn') return fail(`the condition must be a bool expression; this one is ${checked.type === undefined ? 'not' : `of type ${checked.type}`}`, 0);
  return { ok: true, condition: conditionOf(parsed, prefilter ? fastPlanOf(parsed.ast) : null), variables };
}

/**
 * Parses and type-checks a `when` condition once (results are cached by source). The condition
 * returned evaluates against a PolicyContext; it never throws, and reports errors (including a
 * result that is not a bool) as `{ ok: false, error }` so the caller can deny.
 */
export function compileCondition(
  source: string,
  options: CompileOptions = {},
): { ok: true; condition: CompiledCondition; variables: ReadonlySet<string> } | { ok: false; error: ConditionError } {
  if (typeof source !== 'string') return { ok: false, error: { message: 'the condition must be a string' } };
  const cache = options.prefilter === false ? compiledWithoutPrefilter : compiled;
  return cache.get(source) ?? cache.set(source, compile(source, options.prefilter !== false));
}
