// YAML configs (Goose, Continue). The `yaml` package's Document keeps comments, but printing a
// document back re-flows it (spacing before comments, flow maps, long and multi-line strings),
// which would touch lines Warden has no business changing. So the Document is used to find where
// each node is written (its source ranges), and the edits are made on the text like the other
// formats: only the changed values' characters move.
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import type { PathSegment } from '../parse/document.js';
import type { FormatEditor } from './format-editor.js';
import { eolOf, lineStart, quoteString, type ArraySite, type TextEdit } from './text-edits.js';

interface Located {
  node: Node;
  /** The map entry holding the node, when it is a map value. */
  pair?: Pair;
  /** The map holding that entry. */
  map?: Node;
}

export function yamlEditor(text: string): FormatEditor {
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) throw new Error('not valid YAML');
  const at = (path: readonly PathSegment[]): Located | null => {
    let here: Located = { node: doc.contents as Node };
    for (const seg of path) {
      const n = here.node;
      if (isMap(n) && typeof seg === 'string') {
        // A key written twice resolves to its last occurrence, the one the data holds.
        const pair = n.items.findLast((it) => (isScalar(it.key) ? it.key.value : it.key) === seg);
        if (!pair || !pair.value) return null;
        here = { node: pair.value as Node, pair: pair as Pair, map: n };
      } else if (isSeq(n) && typeof seg === 'number') {
        const item = n.items[seg];
        if (!item) return null;
        here = { node: item as Node };
      } else return null;
    }
    return here;
  };
  // An anchored or aliased value is shared with other places in the file: editing it would
  // change them too, so such servers are left alone.
  const plain = (n: Node) => !isAlias(n) && !n.anchor && n.range;
  return {
    stringAt(path) {
      const l = at(path);
      if (!l || !isScalar(l.node) || typeof l.node.value !== 'string' || !plain(l.node)) return null;
      return { start: l.node.range![0], end: l.node.range![1] };
    },
    arrayAt(path) {
      const l = at(path);
      if (!l || !isSeq(l.node) || !plain(l.node)) return null;
      const seq = l.node;
      const span = { start: seq.range![0], end: seq.range![1] };
      const items = seq.items.map((it) => (it as Node).range).filter((r) => r !== undefined && r !== null);
      if (items.length !== seq.items.length) return null;
      const spans = items.map((r) => ({ start: r![0], end: r![1] }));
      if (seq.flow) return { style: 'flow', span, items: spans, emptied: { ...span, text: '[]' } } satisfies ArraySite;
      // Emptying a block sequence turns `key:\n  - a\n  - b\n` into `key: []\n`.
      const keyEnd = l.pair && isScalar(l.pair.key) ? l.pair.key.range?.[1] : undefined;
      if (keyEnd === undefined) return null;
      const trailing = /\s*$/.exec(text.slice(keyEnd, span.end))![0].includes('\n') ? eolOf(text) : '';
      return { style: 'block', span, items: spans, emptied: { start: keyEnd, end: span.end, text: `: []${trailing}` } } satisfies ArraySite;
    },
    addBeside(sibling, key, values) {
      const l = at(sibling);
      if (!l?.pair || !l.map || !isMap(l.map) || !isScalar(l.pair.key) || !l.node.range || !l.pair.key.range) return null;
      const member = `${key}: [${values.map(quoteString).join(', ')}]`;
      const valueEnd = l.node.range[1];
      if (l.map.flow) return [{ start: valueEnd, end: valueEnd, text: `, ${member}` } satisfies TextEdit];
      // A line of its own after the sibling's, at the sibling key's column (a `- ` before the
      // key, as in a list item's first entry, counts as indentation).
      const keyStart = l.pair.key.range[0];
      const indent = text.slice(lineStart(text, keyStart), keyStart).replace(/[^\t]/g, ' ');
      const eol = eolOf(text);
      const at2 = text[valueEnd - 1] === '\n' ? valueEnd : text.indexOf('\n', valueEnd) + 1;
      if (at2 === 0) return [{ start: text.length, end: text.length, text: `${eol}${indent}${member}` }];
      return [{ start: at2, end: at2, text: `${indent}${member}${eol}` }];
    },
  };
}
