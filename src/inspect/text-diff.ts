// A line and word diff of two texts, for people reading a terminal: what changed in a tool
// description, in server instructions, in any string field of a pinned definition. Generic (it
// knows nothing of lockfiles or MCP), so it lives apart from the drift report that uses it.
import { escapeInvisible } from '../detect/unicode.js';

/** Above this many LCS cells (about 4 MB), the differing middle is shown as one replacement. */
const MAX_LCS_CELLS = 1_000_000;
const CONTEXT_WORDS = 6;
const MAX_TEXT_LINES = 40;

/** Escaped (no control, bidi or invisible character reaches the terminal) and cut to `max`. */
export function printable(s: string, max: number): string {
  return escapeInvisible(clip(s, max));
}

function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const half = Math.floor(max / 2);
  return `${s.slice(0, half)}…(${s.length - 2 * half} chars)…${s.slice(s.length - half)}`;
}

export function capLines(lines: string[]): string[] {
  return lines.length <= MAX_TEXT_LINES ? lines : [...lines.slice(0, MAX_TEXT_LINES), `… ${lines.length - MAX_TEXT_LINES} more lines`];
}

export type DiffOp = { op: '=' | '-' | '+'; items: string[] };
type Op = DiffOp;

/**
 * Longest-common-subsequence diff of two token (or line) lists, trimmed of their common ends
 * first; past `maxCells` LCS cells the differing middle is one removal and one addition.
 */
export function diffTokens(a: readonly string[], b: readonly string[], maxCells = MAX_LCS_CELLS): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = [];
  const push = (op: Op['op'], item: string): void => {
    const last = ops[ops.length - 1];
    if (last && last.op === op) last.items.push(item);
    else ops.push({ op, items: [item] });
  };
  for (const t of a.slice(0, start)) push('=', t);
  const m = endA - start;
  const n = endB - start;
  if (m * n > maxCells) {
    for (const t of a.slice(start, endA)) push('-', t);
    for (const t of b.slice(start, endB)) push('+', t);
  } else {
    // lcs[i][j]: common length of a[start+i..endA) and b[start+j..endB).
    const w = n + 1;
    const lcs = new Uint32Array((m + 1) * w);
    for (let i = m - 1; i >= 0; i--) {
      for (let j = n - 1; j >= 0; j--) {
        lcs[i * w + j] = a[start + i] === b[start + j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < m || j < n) {
      if (i < m && j < n && a[start + i] === b[start + j]) {
        push('=', a[start + i]!);
        i++;
        j++;
      } else if (i < m && (j === n || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) push('-', a[start + i++]!);
      else push('+', b[start + j++]!); // removals first on a tie, as diff(1) prints them
    }
  }
  for (const t of a.slice(endA)) push('=', t);
  return ops;
}

/**
 * What changed in a text, compact: short one-liners as `-`/`+`, long ones as one line with
 * `[-removed-]{+added+}` marks and a few words of context, multi-line texts line by line (a line
 * replaced by one line gets the word-level form, `~`).
 */
export function textDiff(before: string, after: string): string[] {
  if (before === after) return [];
  if (!before.includes('\n') && !after.includes('\n')) {
    if (before.length + after.length <= 160) return [`- "${printable(before, 160)}"`, `+ "${printable(after, 160)}"`];
    return [`~ ${wordDiff(before, after)}`];
  }
  const ops = diffTokens(before.split('\n'), after.split('\n'));
  const lines: string[] = [];
  for (let k = 0; k < ops.length; k++) {
    const o = ops[k]!;
    if (o.op === '=') {
      // One line of context after the previous change and before the next; `…` for the rest.
      const lead = k > 0 ? o.items.slice(0, 1) : [];
      const trail = k < ops.length - 1 ? o.items.slice(-1) : [];
      const shown = o.items.length > lead.length + trail.length ? [...lead, null, ...trail] : o.items;
      lines.push(...shown.map((l) => (l === null ? '  …' : `  ${printable(l, 200)}`)));
      continue;
    }
    const next = ops[k + 1];
    if (o.op === '-' && next?.op === '+' && next.items.length === o.items.length) {
      o.items.forEach((l, n) => lines.push(`~ ${wordDiff(l, next.items[n]!)}`));
      k++;
      continue;
    }
    lines.push(...o.items.map((l) => `${o.op} ${printable(l, 200)}`));
  }
  return capLines(lines);
}

/** One line: unchanged words shortened to a little context, removed text in [-…-], added in {+…+}. */
function wordDiff(before: string, after: string): string {
  const words = (s: string): string[] => s.match(/\s+|[^\s]+/g) ?? [];
  const ops = diffTokens(words(before), words(after));
  let out = '';
  ops.forEach((o, k) => {
    const text = o.items.join('');
    if (o.op === '-') out += `[-${printable(text, 300)}-]`;
    else if (o.op === '+') out += `{+${printable(text, 300)}+}`;
    else {
      const first = k === 0;
      const last = k === ops.length - 1;
      const keep = CONTEXT_WORDS * 2; // words and the spaces between them
      if (first && o.items.length > keep) out += `…${printable(o.items.slice(-keep).join(''), 200)}`;
      else if (last && o.items.length > keep) out += `${printable(o.items.slice(0, keep).join(''), 200)}…`;
      else if (!first && !last && o.items.length > keep * 2) {
        out += `${printable(o.items.slice(0, keep).join(''), 200)} … ${printable(o.items.slice(-keep).join(''), 200)}`;
      } else out += printable(text, 400);
    }
  });
  return out;
}
