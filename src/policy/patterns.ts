// Patterns in policy conditions: `matches` (RE2 syntax, a search) and `glob` (whole-string). Both
// run on arguments an attacker may write, so both go through re2js, Google's RE2 ported to
// JavaScript: matching time is linear in the input whatever the pattern, where a JavaScript
// RegExp can backtrack for minutes (`a.*b.*c` against 16 KB of "ab"). A glob is translated into
// RE2 syntax here; that translation is the only pattern code Warden owns.
import { RE2JS } from 're2js';
import { BoundedCache } from './bounded-cache.js';

/** A pattern that could not be compiled; `index` is the 0-based position the problem was found at, when known. */
export class RegexSyntaxError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
    this.name = 'RegexSyntaxError';
  }
}

/** A compiled pattern: `test(s)` says whether it matches (anywhere for `matches`, all of `s` for globs). */
export interface Matcher {
  test(s: string): boolean;
}

const MAX_PATTERN_LENGTH = 4096;

function re2(source: string, original: string): Matcher {
  if (original.length > MAX_PATTERN_LENGTH) throw new RegexSyntaxError(`pattern is longer than ${MAX_PATTERN_LENGTH} characters`, MAX_PATTERN_LENGTH);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source);
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    // re2js names the offending text (`missing closing ): ...`); its position is where that text starts.
    const at = /: `?(.+?)`?$/.exec(message)?.[1];
    throw new RegexSyntaxError(message, at ? Math.max(0, original.indexOf(at)) : 0);
  }
  return { test: (s) => compiled.matcher(s).find() };
}

/**
 * Compiles once per key: a pattern that does not compile is cached as its error too, so a policy
 * that keeps meeting a bad pattern from arguments does not pay the compile again.
 */
function cached(cache: BoundedCache<string, Matcher | RegexSyntaxError>, key: string, build: () => Matcher): Matcher {
  let m = cache.get(key);
  if (m === undefined) {
    try {
      m = build();
    } catch (err) {
      if (!(err instanceof RegexSyntaxError)) throw err;
      m = err;
    }
    cache.set(key, m);
  }
  if (m instanceof RegexSyntaxError) throw m;
  return m;
}

const regexCache = new BoundedCache<string, Matcher | RegexSyntaxError>(256);

/** Compiles an RE2-syntax pattern (cached); throws RegexSyntaxError. */
export function compileRegex(pattern: string): Matcher {
  return cached(regexCache, pattern, () => re2(pattern, pattern));
}

const RE2_SPECIAL = /[\\^$.|?*+()[\]{}]/;
const quote = (ch: string) => (RE2_SPECIAL.test(ch) ? `\\${ch}` : ch);

/** Does the brace group opening at `open` hold a comma of its own (not of a nested group)? */
function hasTopLevelComma(glob: string, open: number): boolean {
  let depth = 0;
  for (let j = open; j < glob.length; j++) {
    const c = glob[j];
    if (c === '\\') j++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return false;
    else if (c === ',' && depth === 1) return true;
  }
  return false;
}

/**
 * A glob as RE2 syntax: `*` any run without `/`, `**` any run, `**\/` zero or more directories,
 * a trailing `/**` the directory itself or anything in it, `?` one character but `/`, `[a-z]`,
 * `[!a]`, `{a,b}` (nesting allowed) and `\` escapes. Dotfiles match like any other name.
 */
export function globToRe2(glob: string): string {
  let i = 0;
  const fail = (message: string): never => {
    throw new RegexSyntaxError(message, i);
  };
  const sequence = (inBrace: boolean): string => {
    let out = '';
    while (i < glob.length) {
      const c = glob[i]!;
      if (inBrace && (c === ',' || c === '}')) return out;
      if (c === '*') {
        if (glob[i + 1] === '*') {
          i += 2;
          const atSegmentStart = i - 2 === 0 || glob[i - 3] === '/';
          if (glob[i] === '/' && atSegmentStart) {
            i++;
            out += '(?:.*/)?';
          } else if (i === glob.length && glob[i - 3] === '/') {
            // `dir/**`: the directory itself or anything below it (the `/` was already written).
            out = `${out.slice(0, -1)}(?:/.*)?`;
          } else out += '.*';
        } else {
          i++;
          out += '[^/]*';
        }
      } else if (c === '?') {
        i++;
        out += '[^/]';
      } else if (c === '[') {
        const end = glob.indexOf(']', i + 2);
        if (end === -1) {
          // An unclosed `[` is a literal, as in the shell.
          out += '\\[';
          i++;
          continue;
        }
        let body = glob.slice(i + 1, end);
        const negated = body.startsWith('!') || body.startsWith('^');
        if (negated) body = body.slice(1);
        if (body === '') fail('empty [] in glob');
        out += `[${negated ? '^/' : ''}${body.replace(/[\\\]^[]/g, (x) => (x === '-' ? x : `\\${x}`))}]`;
        i = end + 1;
      } else if (c === '{' && !hasTopLevelComma(glob, i)) {
        // `{b}` without a comma is no alternation: a literal, as in the shell.
        out += '\\{';
        i++;
      } else if (c === '{') {
        i++;
        const alternatives: string[] = [];
        for (;;) {
          alternatives.push(sequence(true));
          if (glob[i] === ',') i++;
          else if (glob[i] === '}') {
            i++;
            break;
          } else fail('unclosed { in glob');
        }
        out += `(?:${alternatives.join('|')})`;
      } else if (c === '\\') {
        if (i + 1 >= glob.length) fail('glob ends with a lone \\');
        out += quote(glob[i + 1]!);
        i += 2;
      } else {
        out += quote(c);
        i++;
      }
    }
    if (inBrace) fail('unclosed { in glob');
    return out;
  };
  return `(?s)^(?:${sequence(false)})$`;
}

const globCache = new BoundedCache<string, Matcher | RegexSyntaxError>(256);

/** Compiles a glob (cached); throws RegexSyntaxError. */
export function compileGlob(pattern: string): Matcher {
  return cached(globCache, pattern, () => {
    // Checked before translating: the translation of a huge glob is itself work an attacker could ask for.
    if (pattern.length > MAX_PATTERN_LENGTH) throw new RegexSyntaxError(`pattern is longer than ${MAX_PATTERN_LENGTH} characters`, MAX_PATTERN_LENGTH);
    return re2(globToRe2(pattern), pattern);
  });
}

const globListCache = new BoundedCache<string, Matcher | RegexSyntaxError>(256);

/** Any of several globs as one RE2 pattern: one linear pass over the subject. */
export function compileGlobList(patterns: readonly string[]): Matcher {
  const key = patterns.join('\u0000');
  return cached(globListCache, key, () => re2(patterns.map((p) => `(?:${globToRe2(p)})`).join('|'), key));
}
