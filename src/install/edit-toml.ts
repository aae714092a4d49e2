// TOML configs (Codex's config.toml). smol-toml parses but keeps no positions, and re-printing a
// parsed document would drop every comment, so this module scans the text for where each key's
// value is written: table headers, dotted keys, strings of all four kinds, arrays (items kept
// with their spans) and inline tables. It reads structure only; values are decoded by smol-toml,
// which has already accepted the file by the time this runs.
import { parse as parseToml } from 'smol-toml';
import type { PathSegment } from '../parse/document.js';
import type { FormatEditor } from './format-editor.js';
import { eolOf, lineStart, quoteString, type ArraySite, type Span } from './text-edits.js';

interface Entry {
  /** Full key path from the document root. */
  path: string[];
  /** Text of the key up to its last segment (`mcp_servers.x.` for `mcp_servers.x.command`). */
  keyPrefix: string;
  keyStart: number;
  value: Span;
  kind: 'string' | 'array' | 'table' | 'other';
  items?: Span[];
  /** Inside an inline table `{ ... }`, where members are separated by commas, not lines. */
  inline: boolean;
}

/** A path segment no real key can equal: marks entries under `[[array.of.tables]]`. */
const ARRAY_TABLE = '\0[[]]';

export function tomlEditor(text: string): FormatEditor {
  const entries = new TomlScanner(text).scan();
  const find = (path: readonly PathSegment[]) => entries.find((e) => e.path.length === path.length && e.path.every((k, i) => k === path[i]));
  return {
    stringAt(path) {
      const e = find(path);
      return e?.kind === 'string' ? e.value : null;
    },
    arrayAt(path) {
      const e = find(path);
      if (e?.kind !== 'array') return null;
      return { style: 'flow', span: e.value, items: e.items!, emptied: { ...e.value, text: '[]' } } satisfies ArraySite;
    },
    addBeside(sibling, key, values) {
      const e = find(sibling);
      if (!e || !/^[A-Za-z0-9_-]+$/.test(key)) return null;
      const member = `${e.keyPrefix}${key} = [${values.map(quoteString).join(', ')}]`;
      if (e.inline) return [{ start: e.value.end, end: e.value.end, text: `, ${member}` }];
      // A line of its own after the sibling's line, at the sibling's indentation.
      const eol = eolOf(text);
      const indent = /^[ \t]*/.exec(text.slice(lineStart(text, e.keyStart), e.keyStart))![0];
      const nl = text.indexOf('\n', e.value.end);
      if (nl === -1) return [{ start: text.length, end: text.length, text: `${eol}${indent}${member}` }];
      return [{ start: nl + 1, end: nl + 1, text: `${indent}${member}${eol}` }];
    },
  };
}

class TomlScanner {
  private i = 0;
  private readonly entries: Entry[] = [];
  constructor(private readonly t: string) {}

  scan(): Entry[] {
    let table: string[] = [];
    for (;;) {
      this.skipBlank(true);
      if (this.i >= this.t.length) break;
      if (this.t[this.i] === '[') {
        const arrayTable = this.t[this.i + 1] === '[';
        this.i += arrayTable ? 2 : 1;
        const key = this.readKey();
        this.skipBlank(false);
        this.expect(arrayTable ? ']]' : ']');
        table = arrayTable ? [...key.path, ARRAY_TABLE] : key.path;
      } else {
        this.readKeyValue(table, false);
      }
      this.skipBlank(false);
      if (this.i < this.t.length && this.t[this.i] !== '\n' && !this.t.startsWith('\r\n', this.i)) this.fail('expected the end of the line');
    }
    return this.entries;
  }

  private readKeyValue(table: string[], inline: boolean): void {
    const key = this.readKey();
    this.skipBlank(false);
    this.expect('=');
    this.skipBlank(false);
    const path = [...table, ...key.path];
    const v = this.readValue(path);
    this.entries.push({ path, keyPrefix: key.prefix, keyStart: key.start, value: v.span, kind: v.kind, ...(v.items ? { items: v.items } : {}), inline });
  }

  /** A dotted key; its segments are decoded by smol-toml itself (escapes, quoting). */
  private readKey(): { path: string[]; prefix: string; start: number } {
    this.skipBlank(false);
    const start = this.i;
    let lastSeg = start;
    for (;;) {
      this.skipBlank(false);
      lastSeg = this.i;
      const c = this.t[this.i];
      if (c === '"') this.skipBasicString();
      else if (c === "'") this.skipLiteralString();
      else {
        const m = /^[A-Za-z0-9_-]+/.exec(this.t.slice(this.i, this.i + 4096));
        if (!m) this.fail('expected a key');
        this.i += m[0].length;
      }
      const save = this.i;
      this.skipBlank(false);
      if (this.t[this.i] === '.') {
        this.i++;
        continue;
      }
      this.i = save;
      break;
    }
    const text = this.t.slice(start, this.i).trim();
    let node: unknown = parseToml(`${text} = 0`);
    const path: string[] = [];
    while (node !== null && typeof node === 'object') {
      const keys = Object.keys(node);
      if (keys.length !== 1) this.fail('could not decode a key');
      path.push(keys[0]!);
      node = (node as Record<string, unknown>)[keys[0]!];
    }
    return { path, prefix: this.t.slice(start, lastSeg), start };
  }

  private readValue(path: string[]): { span: Span; kind: Entry['kind']; items?: Span[] } {
    const start = this.i;
    const c = this.t[this.i];
    if (c === '"') {
      if (this.t.startsWith('"""', this.i)) this.skipMultiline('"""', true);
      else this.skipBasicString();
      return { span: { start, end: this.i }, kind: 'string' };
    }
    if (c === "'") {
      if (this.t.startsWith("'''", this.i)) this.skipMultiline("'''", false);
      else this.skipLiteralString();
      return { span: { start, end: this.i }, kind: 'string' };
    }
    if (c === '[') {
      this.i++;
      const items: Span[] = [];
      for (;;) {
        this.skipBlank(true);
        if (this.t[this.i] === ']') break;
        items.push(this.readValue([...path, String(items.length)]).span);
        this.skipBlank(true);
        if (this.t[this.i] === ',') this.i++;
        else if (this.t[this.i] !== ']') this.fail('expected , or ] in an array');
      }
      this.i++;
      return { span: { start, end: this.i }, kind: 'array', items };
    }
    if (c === '{') {
      this.i++;
      for (;;) {
        this.skipBlank(true);
        if (this.t[this.i] === '}') break;
        this.readKeyValue(path, true);
        this.skipBlank(true);
        if (this.t[this.i] === ',') this.i++;
        else if (this.t[this.i] !== '}') this.fail('expected , or } in an inline table');
      }
      this.i++;
      return { span: { start, end: this.i }, kind: 'table' };
    }
    // Numbers, booleans, dates; a local date-time may have a space between date and time.
    const m = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}[^\s,\]}#]*|[^\s,\]}#]+)/.exec(this.t.slice(this.i, this.i + 256));
    if (!m) this.fail('expected a value');
    this.i += m[0].length;
    return { span: { start, end: this.i }, kind: 'other' };
  }

  private skipBasicString(): void {
    this.i++;
    while (this.i < this.t.length && this.t[this.i] !== '"') {
      if (this.t[this.i] === '\n') this.fail('newline in a string');
      this.i += this.t[this.i] === '\\' ? 2 : 1;
    }
    this.expect('"');
  }

  private skipLiteralString(): void {
    const end = this.t.indexOf("'", this.i + 1);
    if (end === -1) this.fail('unterminated string');
    this.i = end + 1;
  }

  private skipMultiline(delim: string, escapes: boolean): void {
    this.i += 3;
    for (;;) {
      if (this.i >= this.t.length) this.fail('unterminated string');
      if (escapes && this.t[this.i] === '\\') this.i += 2;
      else if (this.t.startsWith(delim, this.i)) {
        this.i += 3;
        // Up to two quotes may sit right before the closing delimiter: `""""` ends after one quote.
        for (let k = 0; k < 2 && this.t[this.i] === delim[0]; k++) this.i++;
        return;
      } else this.i++;
    }
  }

  /** Spaces, tabs and comments; newlines too when `lines`. */
  private skipBlank(lines: boolean): void {
    for (;;) {
      const c = this.t[this.i];
      if (c === ' ' || c === '\t') this.i++;
      else if (c === '#') {
        const nl = this.t.indexOf('\n', this.i);
        this.i = nl === -1 ? this.t.length : nl;
      } else if (lines && (c === '\n' || (c === '\r' && this.t[this.i + 1] === '\n'))) this.i++;
      else return;
    }
  }

  private expect(s: string): void {
    if (!this.t.startsWith(s, this.i)) this.fail(`expected ${s}`);
    this.i += s.length;
  }

  private fail(what: string): never {
    throw new Error(`TOML layout not understood at offset ${this.i}: ${what}`);
  }
}
