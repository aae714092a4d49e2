// JSON and JSONC configs (most clients). Positions come from jsonc-parser's syntax tree, which
// keeps comments and trailing commas out of the values but in the text; edits touch only the
// values' own characters, so comments, key order and spacing stay as the user wrote them.
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import type { PathSegment } from '../parse/document.js';
import type { FormatEditor } from './format-editor.js';
import { eolOf, lineStart, quoteString, type ArraySite, type Span } from './text-edits.js';

export function jsonEditor(text: string): FormatEditor {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  if (!root || errors.length > 0) throw new Error('not valid JSON');
  const span = (n: Node): Span => ({ start: n.offset, end: n.offset + n.length });
  return {
    stringAt(path) {
      const node = nodeAt(root, path);
      return node?.type === 'string' ? span(node) : null;
    },
    arrayAt(path) {
      const node = nodeAt(root, path);
      if (node?.type !== 'array') return null;
      const whole = span(node);
      return { style: 'flow', span: whole, items: (node.children ?? []).map(span), emptied: { ...whole, text: '[]' } } satisfies ArraySite;
    },
    addBeside(sibling, key, values) {
      const value = nodeAt(root, sibling);
      const prop = value?.parent;
      if (!value || prop?.type !== 'property') return null;
      // Right after the sibling member: its own line at its indentation when it has one, else on
      // the same line. A comma that followed the sibling now follows the new member.
      const start = prop.offset;
      const lead = text.slice(lineStart(text, start), start);
      const sep = /^[ \t]*$/.test(lead) ? eolOf(text) + lead : ' ';
      const end = value.offset + value.length;
      const member = `${quoteString(key)}: [${values.map(quoteString).join(', ')}]`;
      return [{ start: end, end, text: `,${sep}${member}` }];
    },
  };
}

/**
 * The node at a data path. A key written twice resolves to its last occurrence: that is the
 * value the parsed data (and the client) uses, so it is the one to edit.
 */
export function nodeAt(root: Node, path: readonly PathSegment[]): Node | undefined {
  let node: Node | undefined = root;
  for (const seg of path) {
    if (!node) return undefined;
    if (typeof seg === 'string') {
      if (node.type !== 'object') return undefined;
      node = node.children?.findLast((c) => c.children?.[0]?.value === seg)?.children?.[1];
    } else {
      if (node.type !== 'array') return undefined;
      node = node.children?.[seg];
    }
  }
  return node;
}
