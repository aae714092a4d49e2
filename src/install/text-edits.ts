// Editing a config as text, not as data: a client config is the user's file, with their
// comments, key order and spacing, so Warden changes only the characters of the values it
// means to change and leaves every other byte where it was. The three format editors (JSON,
// TOML, YAML) each find where a server's command and args are written; the edits themselves
// (replace a string, put items in front of an array, take them out again) are the same for all.

export interface Span {
  start: number;
  end: number;
}

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** An array as written: flow style (`[a, b]`: JSON, TOML, YAML flow) or a YAML block sequence. */
export interface ArraySite {
  style: 'flow' | 'block';
  span: Span;
  items: Span[];
  /** The edit that leaves the array empty (`[]`); for a block sequence it also rewrites `key:`. */
  emptied: TextEdit;
}

/** Applies non-overlapping edits computed against the same text. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit) throw new Error('overlapping text edits');
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

/**
 * One string value, quoted so that it reads back as exactly `s` in JSON, a TOML basic string and
 * a YAML double-quoted scalar alike: JSON's escapes are a subset of both, and the characters JSON
 * leaves bare but TOML or YAML do not accept raw (DEL, C1 controls, the Unicode line and
 * paragraph separators, BOM and non-characters) are escaped too. A server name full of quotes,
 * newlines or `--` is data here, never syntax.
 */
export function quoteString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The end-of-line convention of a text: CRLF when it has any, else LF. */
export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the end of the line holding `offset` (after its newline, or the text's end). */
export function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

/**
 * Puts `values` in front of an array's items, in the array's own layout: on the first item's
 * line for a one-line array, one per line at the first item's indentation for a multi-line one,
 * one `- item` line each for a YAML block sequence. Returns null when the layout is one Warden
 * does not recognise (the caller reports the server as not edited).
 */
export function prependItems(text: string, site: ArraySite, values: readonly string[], eol: string): TextEdit[] | null {
  if (values.length === 0) return [];
  const quoted = values.map(quoteString);
  const first = site.items[0];
  if (!first) {
    if (site.style === 'block') return null; // an empty block sequence does not exist in YAML
    return [{ start: site.span.start, end: site.span.end, text: `[${quoted.join(', ')}]` }];
  }
  const lead = text.slice(lineStart(text, first.start), first.start);
  if (site.style === 'block') {
    if (!/^[ \t]*-[ \t]+$/.test(lead)) return null;
    const at = lineStart(text, first.start);
    return [{ start: at, end: at, text: quoted.map((q) => `${lead}${q}${eol}`).join('') }];
  }
  const multiline = text.slice(site.span.start, first.start).includes('\n');
  const sep = multiline && /^[ \t]*$/.test(lead) ? `,${eol}${lead}` : ', ';
  return [{ start: first.start, end: first.start, text: quoted.map((q) => q + sep).join('') }];
}

/** Takes the first `count` items out of an array, with the separators that followed them. */
export function dropFirstItems(text: string, site: ArraySite, count: number): TextEdit[] | null {
  if (count === 0) return [];
  if (count > site.items.length) return null;
  if (count === site.items.length) return [site.emptied];
  const from = site.items[0]!.start;
  const to = site.items[count]!.start;
  if (site.style === 'block') return [{ start: lineStart(text, from), end: lineStart(text, to), text: '' }];
  return [{ start: from, end: to, text: '' }];
}

/** Replaces a scalar, keeping the line break a block scalar's span ends with. */
export function replaceScalar(text: string, span: Span, value: string): TextEdit {
  const old = text.slice(span.start, span.end);
  const trailing = /\s*$/.exec(old)![0];
  return { start: span.start, end: span.end, text: quoteString(value) + trailing };
}
