// A unified diff (`diff -u` layout) of a config before and after Warden's edit, for --dry-run.
// Warden's edits are local (a few values per server), so the common head and tail are trimmed
// before the line LCS, which keeps even a large ~/.claude.json cheap to compare.

import { diffTokens } from '../inspect/text-diff.js';

const CONTEXT = 3;
/** Above this many LCS cells the differing middle is shown as one replacement. */
const MAX_CELLS = 4_000_000;

type Op = { op: ' ' | '-' | '+'; line: string; a: number; b: number };

export function unifiedDiff(before: string, after: string, label: string): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  const out = [`--- ${printable(label)}`, `+++ ${printable(label)} (after warden)`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.op === ' ') {
      k++;
      continue;
    }
    // A hunk: from CONTEXT lines before this change to CONTEXT lines after the last change
    // that is no more than 2*CONTEXT unchanged lines away.
    const start = Math.max(0, k - CONTEXT);
    let end = k;
    let quiet = 0;
    for (let j = k; j < ops.length; j++) {
      if (ops[j]!.op === ' ') {
        if (++quiet > 2 * CONTEXT) break;
      } else {
        quiet = 0;
        end = j;
      }
    }
    const stop = Math.min(ops.length, end + CONTEXT + 1);
    const hunk = ops.slice(start, stop);
    const aLines = hunk.filter((o) => o.op !== '+').length;
    const bLines = hunk.filter((o) => o.op !== '-').length;
    const aStart = hunk[0]!.a + (aLines > 0 ? 1 : 0);
    const bStart = hunk[0]!.b + (bLines > 0 ? 1 : 0);
    out.push(`@@ -${aStart},${aLines} +${bStart},${bLines} @@`);
    for (const o of hunk) out.push(`${o.op}${printable(o.line.replace(/\r$/, ''))}`);
    k = stop;
  }
  return out.join('\n') + '\n';
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Line ops with, for each, how many lines of `a` and `b` came before it. */
function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const ops: Op[] = [];
  let ia = 0;
  let ib = 0;
  for (const group of diffTokens(a, b, MAX_CELLS)) {
    const op = group.op === '=' ? ' ' : group.op;
    for (const line of group.items) {
      ops.push({ op, line, a: ia, b: ib });
      if (op !== '+') ia++;
      if (op !== '-') ib++;
    }
  }
  return ops;
}

/** Control, bidirectional and zero-width characters escaped, so a config cannot drive the terminal; tabs kept. */
function printable(line: string): string {
  return line.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`);
}
