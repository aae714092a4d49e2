// Characters a human reviewer cannot see but a model reads: Unicode tag characters that spell a
// hidden ASCII message, zero-width characters, bidirectional overrides (Trojan Source), other
// invisible format characters, C0/C1 controls, variation-selector smuggling and ANSI escapes.
// Pure functions over any string, so the same code judges an instruction file at rest and a
// tool description or tool result in flight. One linear pass; no regular expression runs over
// the whole text.

export type HiddenKind =
  /** U+E0000–E007F: invisible twins of ASCII, read by tokenizers ("ASCII smuggling"). */
  | 'tag'
  /** U+200B–U+200D, U+2060, U+FEFF away from the start of the text. */
  | 'zero-width'
  /** Embeddings, overrides and isolates that reorder what is displayed (Trojan Source). */
  | 'bidi'
  /** Other invisible format characters: invisible operators, interlinear annotation, fillers. */
  | 'format'
  /** C0/C1 control characters other than tab, line feed and carriage return. */
  | 'control'
  /** Two or more variation selectors in a row: arbitrary bytes hidden after one visible glyph. */
  | 'variation-selector'
  /** A terminal escape sequence, which can hide or overwrite text when printed. */
  | 'ansi';

export interface HiddenRun {
  /** UTF-16 offset into the scanned string. */
  offset: number;
  /** UTF-16 length of the run. */
  length: number;
  /** Distinct kinds in the run, in order of first appearance. */
  kinds: HiddenKind[];
  /** Hidden code points in the run (an ANSI sequence counts as one). */
  count: number;
  /** The text carried by tag characters or variation selectors, when there is any (at most the first 4,096 characters). */
  decoded?: string;
}

type Range = readonly [from: number, to: number, kind: HiddenKind];

// Sorted, non-overlapping. Deliberately absent: U+200E/U+200F/U+061C (directional *marks*, common
// and harmless in right-to-left text), U+00AD (soft hyphen, pasted from the web all the time),
// the Arabic and Kaithi number signs and Egyptian hieroglyph controls (visible in context).
const HIDDEN_RANGES: readonly Range[] = [
  [0x0000, 0x0008, 'control'],
  [0x000b, 0x000c, 'control'],
  [0x000e, 0x001f, 'control'],
  [0x007f, 0x009f, 'control'],
  [0x180e, 0x180e, 'format'],
  [0x200b, 0x200d, 'zero-width'],
  [0x2028, 0x2029, 'control'],
  [0x202a, 0x202e, 'bidi'],
  [0x2060, 0x2060, 'zero-width'],
  [0x2061, 0x2064, 'format'],
  [0x2066, 0x2069, 'bidi'],
  [0x206a, 0x206f, 'format'],
  [0x3164, 0x3164, 'format'],
  [0xfe00, 0xfe0f, 'variation-selector'],
  [0xfeff, 0xfeff, 'zero-width'],
  [0xffa0, 0xffa0, 'format'],
  [0xfff9, 0xfffb, 'format'],
  [0x1bca0, 0x1bca3, 'format'],
  [0x1d173, 0x1d17a, 'format'],
  [0xe0000, 0xe007f, 'tag'],
  [0xe0100, 0xe01ef, 'variation-selector'],
];

function rangeKind(cp: number): HiddenKind | undefined {
  let lo = 0;
  let hi = HIDDEN_RANGES.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [from, to, kind] = HIDDEN_RANGES[mid]!;
    if (cp < from) hi = mid - 1;
    else if (cp > to) lo = mid + 1;
    else return kind;
  }
  return undefined;
}

/** Printable ASCII, tab, LF, CR: the overwhelmingly common case, decided without a lookup. */
function isPlainAscii(cp: number): boolean {
  return (cp >= 0x20 && cp < 0x7f) || cp === 0x09 || cp === 0x0a || cp === 0x0d;
}

const ESC = 0x1b;
const CSI_C1 = 0x9b;
const BLACK_FLAG = 0x1f3f4;
const CANCEL_TAG = 0xe007f;

// Scripts that join or separate words with ZWJ/ZWNJ/ZWSP as part of correct spelling.
const JOINING_SCRIPT =
  /[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Mongolian}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Oriya}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}\p{Script=Sinhala}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

function cpAt(text: string, i: number): number {
  return text.codePointAt(i) ?? -1;
}

function charLen(cp: number): number {
  return cp > 0xffff ? 2 : 1;
}

/** The code point that ends just before `i`, or -1. */
function cpBefore(text: string, i: number): { cp: number; at: number } {
  if (i <= 0) return { cp: -1, at: -1 };
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = text.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return { cp: cpAt(text, i - 2), at: i - 2 };
  }
  return { cp: low, at: i - 1 };
}

function isEmojiModifierOrPresentation(cp: number): boolean {
  return cp === 0xfe0f || cp === 0xfe0e || (cp >= 0x1f3fb && cp <= 0x1f3ff);
}

/** ZWJ between two emoji (👩‍💻): how families, professions and flags are spelled. */
function isEmojiJoiner(text: string, i: number): boolean {
  let before = cpBefore(text, i);
  while (before.cp !== -1 && isEmojiModifierOrPresentation(before.cp)) before = cpBefore(text, before.at);
  return isPictographic(before.cp) && isPictographic(cpAt(text, i + 1));
}

/** Extended_Pictographic, with the cheap answers (ASCII, hidden characters) decided first. */
function isPictographic(cp: number): boolean {
  if (cp < 0xa9 || rangeKind(cp) !== undefined) return false;
  return PICTOGRAPHIC.test(String.fromCodePoint(cp));
}

/** A lone ZWSP/ZWNJ/ZWJ between letters of a script whose spelling uses it (Persian, Hindi, Thai…). */
function isScriptJoiner(text: string, i: number): boolean {
  return inJoiningScript(cpBefore(text, i).cp) && inJoiningScript(cpAt(text, i + 1));
}

function inJoiningScript(cp: number): boolean {
  // Every joining script starts at or after Arabic (U+0600).
  if (cp < 0x600 || rangeKind(cp) !== undefined) return false;
  return JOINING_SCRIPT.test(String.fromCodePoint(cp));
}

/** Length of a valid emoji subdivision flag tail (🏴 + tag letters + CANCEL TAG) starting at `i`, else 0. */
function emojiFlagTagLength(text: string, i: number): number {
  if (cpBefore(text, i).cp !== BLACK_FLAG) return 0;
  let j = i;
  for (let n = 0; n < 8; n++) {
    const cp = cpAt(text, j);
    if (cp === CANCEL_TAG) return n >= 2 ? j + 2 - i : 0;
    const isTagAlnum = (cp >= 0xe0030 && cp <= 0xe0039) || (cp >= 0xe0061 && cp <= 0xe007a);
    if (!isTagAlnum) return 0;
    j += 2;
  }
  return 0;
}

/** Length of the ANSI escape sequence at `i` (CSI, OSC, or a two-character escape), else 0. */
function ansiLength(text: string, i: number): number {
  const first = text.charCodeAt(i);
  let j: number;
  if (first === CSI_C1) j = i + 1;
  else if (first === ESC && text.charCodeAt(i + 1) === 0x5b /* [ */) j = i + 2;
  else if (first === ESC && text.charCodeAt(i + 1) === 0x5d /* ] */) {
    // OSC (window titles, hyperlinks): ends at BEL or ESC \ ; bounded so a stray ESC ] stays cheap.
    const end = Math.min(text.length, i + 4096);
    for (let k = i + 2; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c === 0x07) return k + 1 - i;
      // Any other ESC or a line break ends the scan: the next ESC starts its own sequence, which
      // keeps a text of repeated `ESC ]` linear.
      if (c === ESC) return text.charCodeAt(k + 1) === 0x5c ? k + 2 - i : 0;
      if (c === 0x0a) break;
    }
    return 0;
  } else if (first === ESC) {
    const c = text.charCodeAt(i + 1);
    return c >= 0x40 && c <= 0x5f ? 2 : 0;
  } else return 0;
  // CSI: parameter bytes 0x30–0x3F, intermediate bytes 0x20–0x2F, one final byte 0x40–0x7E.
  const end = Math.min(text.length, j + 64);
  while (j < end && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x3f) j++;
  while (j < end && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j++;
  const final = text.charCodeAt(j);
  return final >= 0x40 && final <= 0x7e ? j + 1 - i : 0;
}

interface Unit {
  kind: HiddenKind;
  length: number;
  cp: number;
}

/** The hidden unit at `i`, or undefined when the character there is visible or legitimately used. */
function hiddenUnitAt(text: string, i: number, cp: number): Unit | undefined {
  if (cp === ESC || cp === CSI_C1) {
    const n = ansiLength(text, i);
    if (n > 0) return { kind: 'ansi', length: n, cp };
  }
  const kind = rangeKind(cp);
  if (kind === undefined) return undefined;
  if (kind === 'zero-width') {
    if (cp === 0xfeff && i === 0) return undefined; // byte order mark
    if (cp === 0x200d && isEmojiJoiner(text, i)) return undefined;
    if (cp !== 0x2060 && cp !== 0xfeff && isScriptJoiner(text, i)) return undefined;
  }
  return { kind, length: charLen(cp), cp };
}

function isVariationSelector(cp: number): boolean {
  return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

/** ASCII carried by tag characters; the language tag and CANCEL TAG carry no letter. */
export function decodeTagCharacters(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xe0020 && cp <= 0xe007e) out += String.fromCharCode(cp - 0xe0000);
  }
  return out;
}

const MAX_DECODED = 4096;
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Bytes carried by variation selectors (VS1–16 are 0–15, VS17–256 are 16–255), read as UTF-8. */
export function decodeVariationSelectors(s: string): string {
  const bytes: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xfe00 && cp <= 0xfe0f) bytes.push(cp - 0xfe00);
    else if (cp >= 0xe0100 && cp <= 0xe01ef) bytes.push(cp - 0xe0100 + 16);
  }
  return utf8.decode(Uint8Array.from(bytes));
}

/** Mostly printable text: worth showing as a decoded message rather than as noise. */
function looksLikeText(s: string): boolean {
  if (s.length === 0) return false;
  let printable = 0;
  for (const ch of s) if (/[\p{L}\p{N}\p{P}\p{S}\p{Zs}]/u.test(ch)) printable++;
  return printable / [...s].length >= 0.8;
}

/**
 * Maximal runs of hidden characters in `text`, in order. Characters that are hidden but used as
 * the script requires (emoji ZWJ sequences, Persian ZWNJ, a leading byte order mark, a single
 * variation selector after its glyph, emoji subdivision flags) are not reported.
 * Stops after `limit` runs.
 */
export function findHiddenRuns(text: string, limit = Number.POSITIVE_INFINITY): HiddenRun[] {
  const runs: HiddenRun[] = [];
  let current: { offset: number; end: number; kinds: HiddenKind[]; count: number; vs: number } | undefined;

  const close = (): void => {
    if (!current) return;
    const { offset, end, kinds, count, vs } = current;
    current = undefined;
    // A lone variation selector picks a glyph style (✔️, 葛󠄀); only runs of them smuggle data.
    if (kinds.length === 1 && kinds[0] === 'variation-selector' && vs < 2) return;
    const run: HiddenRun = { offset, length: end - offset, kinds, count };
    // Evidence shows a hundred characters at most; decoding megabytes would only cost time.
    const raw = text.slice(offset, Math.min(end, offset + 2 * MAX_DECODED));
    if (kinds.includes('tag')) {
      const decoded = decodeTagCharacters(raw);
      if (decoded) run.decoded = decoded;
    } else if (kinds.includes('variation-selector') && vs >= 2) {
      const decoded = decodeVariationSelectors(raw);
      if (looksLikeText(decoded)) run.decoded = decoded;
    }
    runs.push(run);
  };

  let i = 0;
  while (i < text.length && runs.length < limit) {
    const code = text.charCodeAt(i);
    if (isPlainAscii(code)) {
      if (current) close();
      i++;
      continue;
    }
    const cp = cpAt(text, i);
    if (cp >= 0xe0020 && cp <= CANCEL_TAG && !current) {
      const flag = emojiFlagTagLength(text, i);
      if (flag > 0) {
        i += flag;
        continue;
      }
    }
    const unit = hiddenUnitAt(text, i, cp);
    if (!unit) {
      if (current) close();
      i += charLen(cp);
      continue;
    }
    if (!current) current = { offset: i, end: i, kinds: [], count: 0, vs: 0 };
    if (!current.kinds.includes(unit.kind)) current.kinds.push(unit.kind);
    current.count++;
    if (isVariationSelector(unit.cp)) current.vs++;
    i += unit.length;
    current.end = i;
  }
  if (current && runs.length < limit) close();
  return runs;
}

/** True when `text` holds at least one reportable hidden run. */
export function hasHiddenCharacters(text: string): boolean {
  return findHiddenRuns(text, 1).length > 0;
}

/** `text` without its hidden runs: what a human sees, for sanitising a tool result in flight. */
export function stripHiddenCharacters(text: string): string {
  const runs = findHiddenRuns(text);
  if (runs.length === 0) return text;
  let out = '';
  let at = 0;
  for (const r of runs) {
    out += text.slice(at, r.offset);
    at = r.offset + r.length;
  }
  return out + text.slice(at);
}

// Anything a terminal or report would not show as itself: controls, format characters, separators,
// unassigned and private-use code points, plus the hidden ranges above.
const NON_PRINTING = /[\p{C}\p{Zl}\p{Zp}]/u;

/**
 * `s` with every invisible or control character spelled as `\u{XXXX}` (tab, LF and CR as `\t`,
 * `\n`, `\r`), so evidence can be printed, logged and diffed without carrying the payload.
 */
export function escapeInvisible(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (isPlainAscii(cp)) {
      out += cp === 0x09 ? '\\t' : cp === 0x0a ? '\\n' : cp === 0x0d ? '\\r' : ch;
    } else if (rangeKind(cp) !== undefined || NON_PRINTING.test(ch) || isVariationSelector(cp)) {
      out += `\\u{${cp.toString(16).toUpperCase()}}`;
    } else out += ch;
  }
  return out;
}

/**
 * A short, printable excerpt of `text[offset, offset+length)`: invisible characters escaped,
 * whitespace runs collapsed, cut to `max` characters with an ellipsis.
 */
export function evidenceSnippet(text: string, offset: number, length: number, max = 120): string {
  // Escaping can grow a character to ten; never read more than needed.
  const available = Math.max(0, Math.min(length, text.length - offset));
  const raw = text.slice(offset, offset + Math.min(available, max * 2));
  const truncatedSource = available > max * 2;
  const escaped = escapeInvisible(raw.replace(/[ \t\r\n]{2,}/g, ' '));
  if (escaped.length <= max && !truncatedSource) return escaped;
  let cut = escaped.slice(0, max - 1);
  // Do not leave half an escape behind.
  const partial = cut.lastIndexOf('\\u{');
  if (partial !== -1 && !cut.includes('}', partial)) cut = cut.slice(0, partial);
  return `${cut}…`;
}

// ---------------------------------------------------------------------------------------------
// Folding for phrase matching: the same words with hidden characters removed and look-alike
// compatibility letters (fullwidth ＩＧＮＯＲＥ, mathematical 𝐢𝐠𝐧𝐨𝐫𝐞) mapped to ASCII, so that
// hiding a character inside a keyword does not hide the keyword.

export interface FoldedText {
  text: string;
  /** The original span of folded `[start, end)`, hidden characters inside it included. */
  span(start: number, end: number): { offset: number; length: number };
}

function foldChar(cp: number, ch: string): string {
  if (cp >= 0xff01 && cp <= 0xff5e) return String.fromCharCode(cp - 0xfee0); // fullwidth ASCII
  if (cp === 0x3000) return ' ';
  if (cp >= 0x1d400 && cp <= 0x1d7ff) return ch.normalize('NFKC'); // mathematical alphanumerics
  return ch;
}

export function foldForMatching(text: string): FoldedText {
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    if (!isPlainAscii(text.charCodeAt(i))) {
      plain = false;
      break;
    }
  }
  if (plain) return { text, span: (start, end) => ({ offset: start, length: end - start }) };

  const parts: string[] = [];
  // start[k] / end[k]: the original span of folded UTF-16 unit k. Folding never lengthens text.
  const startOf = new Int32Array(text.length + 1);
  const endOf = new Int32Array(text.length + 1);
  let k = 0;
  let segment = 0; // start of the unchanged stretch not yet copied to `parts`
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isPlainAscii(code)) {
      startOf[k] = i;
      endOf[k++] = i + 1;
      i++;
      continue;
    }
    const cp = cpAt(text, i);
    const len = charLen(cp);
    const unit = cp === 0x00ad || cp === 0x200e || cp === 0x200f ? { length: len } : hiddenUnitAt(text, i, cp);
    if (unit || isVariationSelector(cp)) {
      if (i > segment) parts.push(text.slice(segment, i));
      i += unit ? unit.length : len;
      segment = i;
      continue;
    }
    const original = text.slice(i, i + len);
    const folded = foldChar(cp, original);
    if (folded !== original) {
      if (i > segment) parts.push(text.slice(segment, i));
      parts.push(folded);
      segment = i + len;
    }
    for (let n = 0; n < folded.length; n++) {
      startOf[k] = i;
      endOf[k++] = i + len;
    }
    i += len;
  }
  parts.push(text.slice(segment));
  const foldedText = parts.join('');
  return {
    text: foldedText,
    span: (start, end) => {
      if (end <= start || start >= k) {
        const at = start >= k ? text.length : startOf[start]!;
        return { offset: at, length: 0 };
      }
      const offset = startOf[start]!;
      return { offset, length: endOf[Math.min(end, k) - 1]! - offset };
    },
  };
}
