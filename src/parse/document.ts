// One parsed config file, whatever its format, with a way back from a JSON pointer to the line
// and column where that value is written. Rules speak in pointers; reports need lines.
import { parseTree, getNodeValue, printParseErrorCode, type ParseError, type Node } from 'jsonc-parser';
import { parse as parseToml, TomlError } from 'smol-toml';
import { parseDocument, LineCounter, isNode, isMap, isSeq, isScalar } from 'yaml';
import type { ConfigFormat, Position } from '../core/types.js';
import { LineIndex } from './text.js';

export { fromPointer, toPointer } from '../core/json-pointer.js';

export type PathSegment = string | number;

export interface ConfigDocument {
  path: string;
  format: ConfigFormat;
  text: string;
  data: unknown;
  /** Position of the value (or key, for object members) at `path`; falls back to the nearest ancestor found. */
  locate(path: readonly PathSegment[]): Position;
}

/** A config that could not be parsed, with the position of the first error. */
export class ConfigParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = 'ConfigParseError';
  }
}

export function parseConfig(path: string, text: string, format: ConfigFormat): ConfigDocument {
  try {
    switch (format) {
      case 'json':
      case 'jsonc':
        return parseJsonc(path, text, format);
      case 'toml':
        return parseTomlDoc(path, text);
      case 'yaml':
        return parseYamlDoc(path, text);
    }
  } catch (err) {
    if (err instanceof ConfigParseError) throw err;
    // Deeply nested input exhausts the recursive parsers' stack. Clients read JSON with
    // JSON.parse, which copes, so padding a config must not hide its servers: keep the data and
    // lose only the positions (everything is located at line 1).
    if (err instanceof RangeError) {
      if (format === 'json' || format === 'jsonc') {
        try {
          return { path, format, text, data: JSON.parse(text) as unknown, locate: () => ({ line: 1, column: 1 }) };
        } catch {
          // not plain JSON either: report the nesting
        }
      }
      throw new ConfigParseError(path, 1, 1, 'nesting too deep to parse');
    }
    throw new ConfigParseError(path, 1, 1, (err as Error).message);
  }
}

// Client configs are JSON in name only: VS Code, Zed and others accept comments and trailing
// commas, so every JSON file is read as JSONC.
function parseJsonc(path: string, text: string, format: ConfigFormat): ConfigDocument {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const index = new LineIndex(text);
  if (errors.length > 0) {
    const e = errors[0]!;
    const pos = index.position(e.offset);
    throw new ConfigParseError(path, pos.line, pos.column, `invalid JSON: ${describeJsonError(printParseErrorCode(e.error))}`);
  }
  const data = root ? getNodeValue(root) : undefined;
  return {
    path,
    format,
    text,
    data,
    locate(p) {
      if (!root) return { line: 1, column: 1 };
      for (let n = p.length; n >= 0; n--) {
        const node = findLastNodeAt(root, p.slice(0, n));
        if (node) return index.position(keyOffset(node));
      }
      return { line: 1, column: 1 };
    },
  };
}

/**
 * Like jsonc-parser's findNodeAtLocation, but a key written twice resolves to its last
 * occurrence, the one whose value the parsed data (and every client) actually uses: a finding
 * must not point at a harmless decoy entry placed above the real one.
 */
function findLastNodeAt(root: Node, path: readonly PathSegment[]): Node | undefined {
  let node: Node | undefined = root;
  for (const seg of path) {
    if (!node) return undefined;
    if (typeof seg === 'string') {
      if (node.type !== 'object') return undefined;
      const prop: Node | undefined = node.children?.findLast((c) => c.children?.[0]?.value === seg);
      node = prop?.children?.[1];
    } else {
      if (node.type !== 'array') return undefined;
      node = node.children?.[seg];
    }
  }
  return node;
}

/** An object member is located at its key, so a finding about a server lands on the server's name. */
function keyOffset(node: Node): number {
  const parent = node.parent;
  if (parent?.type === 'property' && parent.children?.[1] === node) return parent.offset;
  return node.offset;
}

function describeJsonError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function parseYamlDoc(path: string, text: string): ConfigDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lineCounter.linePos(e.pos[0]);
    throw new ConfigParseError(path, pos.line, pos.col, `invalid YAML: ${e.message.split('\n')[0]}`);
  }
  // maxAliasCount bounds alias expansion (the "billion laughs" attack).
  const data = doc.toJS({ maxAliasCount: 100 });
  return {
    path,
    format: 'yaml',
    text,
    data,
    locate(p) {
      // Walk the node tree by hand: a key written twice resolves to its last occurrence (the
      // value the data holds), and a map member is located at its key.
      let node: unknown = doc.contents;
      let offset = isNode(node) && node.range ? node.range[0] : 0;
      for (const seg of p) {
        if (isMap(node) && typeof seg === 'string') {
          const item = node.items.findLast((it) => (isScalar(it.key) ? it.key.value : it.key) === seg);
          if (!item) break;
          if (isNode(item.key) && item.key.range) offset = item.key.range[0];
          node = item.value;
        } else if (isSeq(node) && typeof seg === 'number') {
          const item = node.items[seg];
          if (!isNode(item) || !item.range) break;
          offset = item.range[0];
          node = item;
        } else break;
      }
      const pos = lineCounter.linePos(offset);
      return { line: pos.line, column: pos.col };
    },
  };
}

function parseTomlDoc(path: string, text: string): ConfigDocument {
  let data: unknown;
  try {
    data = parseToml(text);
  } catch (err) {
    if (err instanceof TomlError) {
      throw new ConfigParseError(path, err.line, err.column, `invalid TOML: ${err.message.split('\n')[0]}`);
    }
    throw err;
  }
  const index = new LineIndex(text);
  return { path, format: 'toml', text, data, locate: (p) => index.position(locateTomlOffset(text, p)) };
}

// smol-toml keeps no positions, so a TOML path is found in the text: the deepest table header
// that covers a prefix of the path, then each remaining key after it in order. TOML configs of
// agent clients are small and regular, so this lands on the right line in practice.
function locateTomlOffset(text: string, path: readonly PathSegment[]): number {
  const keys = path.filter((s): s is string => typeof s === 'string');
  let cursor = 0;
  let consumed = 0;
  for (let n = keys.length; n > 0; n--) {
    const header = findTomlHeader(text, keys.slice(0, n));
    if (header !== -1) {
      cursor = header;
      consumed = n;
      break;
    }
  }
  let found = cursor;
  for (const key of keys.slice(consumed)) {
    const re = new RegExp(`(^|[\\s{,.])(?:"${escapeRe(key)}"|'${escapeRe(key)}'|${escapeRe(key)})\\s*[=.]`, 'm');
    const m = re.exec(text.slice(found));
    if (!m) break;
    found += m.index + m[1]!.length;
  }
  return found;
}

function findTomlHeader(text: string, keys: readonly string[]): number {
  const part = keys.map((k) => `(?:"${escapeRe(k)}"|'${escapeRe(k)}'|${escapeRe(k)})`).join('\\s*\\.\\s*');
  const m = new RegExp(`^[ \\t]*\\[\\[?\\s*${part}\\s*\\]`, 'm').exec(text);
  return m ? m.index + (m[0].length - m[0].trimStart().length) : -1;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

