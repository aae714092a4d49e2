// Text a Markdown renderer hides but a model reads: HTML comments (`<!-- … -->`) and link
// reference definitions used as comments (`[//]: # (…)`). Most comments are notes for maintainers
// or tool directives (`<!-- markdownlint-disable -->`, `<!-- prettier-ignore -->`); a comment
// is reported only when its content is aimed at the model: it contains an injection phrase,
// addresses the AI directly, or pairs a URL with a shell command.
import { severityRank, type Severity } from '../core/types.js';
import { findCodeRanges, findInjectionPhrases, rangeAt, type InjectionCategory, type PhraseMatch } from './injection-phrases.js';

export type CommentForm = 'html-comment' | 'link-reference';

export interface MarkdownComment {
  form: CommentForm;
  /** UTF-16 span of the whole comment. */
  offset: number;
  length: number;
  /** The hidden text and where it starts. */
  body: string;
  bodyOffset: number;
}

export interface HiddenInstruction {
  comment: MarkdownComment;
  /** Why the comment reads as aimed at the model, e.g. "addressed to the AI model". */
  reasons: string[];
  severity: Severity;
  /** Injection phrases inside the comment, with offsets in the whole text. */
  phrases: PhraseMatch[];
}

// `[//]: # (hidden)`, `[comment]: <> "hidden"`, or any definition's title: none is ever rendered.
const LINK_REFERENCE = /^[\x20]{0,3}\[[^\]\n]{1,100}\]:[\x20\t]*\S{1,2000}[\x20\t]+(?:"([^"\n]*)"|'([^'\n]*)'|\(([^()\n]*)\))[\x20\t]*$/gmu;

let cache: { text: string; comments: MarkdownComment[] } | undefined;

/** Hidden comments outside code (a comment inside a code sample is shown, not hidden), in order. */
export function findMarkdownComments(text: string): MarkdownComment[] {
  if (cache?.text === text) return cache.comments;
  const code = findCodeRanges(text);
  const out: MarkdownComment[] = [];

  for (let open = text.indexOf('<!--'); open !== -1; ) {
    if (rangeAt(code, open, open + 4)) {
      open = text.indexOf('<!--', open + 4);
      continue;
    }
    const bodyStart = open + 4;
    let bodyEnd: number;
    let end: number;
    // CommonMark: `<!-->` and `<!--->` are complete (empty) comments.
    if (text.startsWith('>', bodyStart) || text.startsWith('->', bodyStart)) {
      bodyEnd = bodyStart;
      end = text.indexOf('>', bodyStart) + 1;
    } else {
      const close = text.indexOf('-->', bodyStart);
      // An unclosed comment hides everything after it.
      bodyEnd = close === -1 ? text.length : close;
      end = close === -1 ? text.length : close + 3;
    }
    out.push({ form: 'html-comment', offset: open, length: end - open, body: text.slice(bodyStart, bodyEnd), bodyOffset: bodyStart });
    open = text.indexOf('<!--', end);
  }

  const htmlComments = out.map((c) => ({ start: c.offset, end: c.offset + c.length }));
  LINK_REFERENCE.lastIndex = 0;
  for (let m = LINK_REFERENCE.exec(text); m; m = LINK_REFERENCE.exec(text)) {
    const body = m[1] ?? m[2] ?? m[3] ?? '';
    const span = { start: m.index, end: m.index + m[0].length };
    if (body.trim() === '' || rangeAt(code, span.start, span.end) || rangeAt(htmlComments, span.start, span.end)) continue;
    const bodyOffset = m.index + m[0].lastIndexOf(body, m[0].length - 1);
    out.push({ form: 'link-reference', offset: m.index, length: m[0].length, body, bodyOffset });
  }
  out.sort((a, b) => a.offset - b.offset);
  cache = { text, comments: out };
  return out;
}

interface Signal {
  reason: string;
  severity: Severity;
  pattern: RegExp;
}

// Hidden text that speaks to the model is suspect even when what it asks for looks harmless: a
// human reviewer never sees it.
const MODEL_DIRECTED: readonly Signal[] = [
  {
    reason: 'addressed to the AI model',
    severity: 'medium',
    pattern:
      /(?:^|[.!?\n])\s*(?:(?:note|message|instructions?|reminder)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?)?(?:AI|LLM|assistant|agent|model|bot|Claude|Copilot|Cursor|Gemini|Codex|ChatGPT|GPT(?:-[\w.]{1,10})?|AI\s+(?:assistant|agent|model)s?|(?:coding|code)\s+(?:assistant|agent)s?|language\s+models?)\s*(?::|,\s*(?:please|you|do|don['’]t|ignore|always|never|make|run|read|send|remember|note|follow|use|execute)\b)/i,
  },
  {
    reason: 'addressed to the AI model',
    severity: 'medium',
    pattern: /\b(?:note|message|instructions?|reminder)\s+(?:to|for)\s+(?:the\s+|any\s+|all\s+)?(?:AI|LLMs?|assistants?|agents?|models?|Claude|bots?)\b/i,
  },
  {
    reason: 'addressed to the AI model',
    severity: 'medium',
    pattern:
      /\b(?:if|when|since)\s+you\s+are\s+(?:an?\s+)?(?:AI|LLM|large\s+language\s+model|language\s+model|assistant|agent|bot|Claude|ChatGPT|GPT|Copilot)\b/i,
  },
  {
    reason: 'addressed to the AI model',
    severity: 'medium',
    pattern: /\b(?:AI|LLM|assistant|agent|model|bot)s?\s+(?:reading|processing|parsing|seeing|summari[sz]ing|reviewing)\s+this\b/i,
  },
  {
    // "When the user asks…, also paste … into your reply": only the assistant has a reply.
    reason: 'addressed to the AI model',
    severity: 'medium',
    pattern:
      /\b(?:your|the assistant['’]s)\s+(?:reply|replies|response|responses|answer|next message|system prompt|context window)\b|\bwhen(?:ever)?\s+the\s+user\s+(?:asks|requests|says|types|runs|opens|mentions)\b/i,
  },
  {
    reason: 'says it is hidden from the user',
    severity: 'high',
    pattern:
      /\b(?:hidden|invisible)\s+(?:from|to)\s+(?:the\s+)?(?:user|human|reader)s?\b|\b(?:user|human|reader)s?\s+(?:can(?:no|['’])t|won['’]t|will\s+not|do(?:es)?\s+not|do(?:es)?n['’]t)\s+see\s+this\b/i,
  },
];

const URL = /\b(?:https?|ftp):\/\/\S/i;
const SHELL_COMMAND =
  /\b(?:curl|wget|iwr|irm|Invoke-WebRequest|Invoke-RestMethod|powershell|pwsh|bash|zsh|sh\s+-c|chmod\s+\+x|eval|npx|bunx|uvx|pip3?\s+install|npm\s+(?:i|install))\b/i;

function max(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

/**
 * Why `body` (hidden text) reads as aimed at the model, or undefined when it does not.
 * Phrase offsets are relative to `body`.
 */
export function classifyHiddenText(body: string): { reasons: string[]; severity: Severity; phrases: readonly PhraseMatch[] } | undefined {
  const reasons: string[] = [];
  let severity: Severity | undefined;
  const phrases = findInjectionPhrases(body);
  for (const p of phrases) {
    if (!reasons.includes(p.label)) reasons.push(p.label);
    // A hidden injection phrase is at least as bad as a visible one, and never merely low.
    severity = max(severity ?? 'high', max(p.severity, 'high'));
  }
  for (const s of MODEL_DIRECTED) {
    if (!s.pattern.test(body)) continue;
    if (!reasons.includes(s.reason)) reasons.push(s.reason);
    severity = severity ? max(severity, s.severity) : s.severity;
  }
  if (URL.test(body) && SHELL_COMMAND.test(body)) {
    reasons.push('pairs a URL with a shell command');
    severity = severity ? max(severity, 'medium') : 'medium';
  }
  return severity ? { reasons, severity, phrases } : undefined;
}

/** Hidden comments whose content is aimed at the model. Phrase offsets refer to `text`. */
export function findHiddenInstructions(text: string): HiddenInstruction[] {
  const out: HiddenInstruction[] = [];
  for (const comment of findMarkdownComments(text)) {
    const verdict = classifyHiddenText(comment.body);
    if (!verdict) continue;
    const phrases = verdict.phrases.map((p) => ({ ...p, offset: p.offset + comment.bodyOffset }));
    out.push({ comment, reasons: verdict.reasons, severity: verdict.severity, phrases });
  }
  return out;
}

/**
 * `items` minus those inside a hidden comment, which the hidden-comment check reports as a whole
 * (one finding for one hidden payload, not one per phrase in it).
 */
export function outsideComments<T extends { offset: number }>(text: string, items: readonly T[]): T[] {
  if (items.length === 0) return [];
  const comments = findMarkdownComments(text).map((c) => ({ start: c.offset, end: c.offset + c.length }));
  return items.filter((item) => !rangeAt(comments, item.offset, item.offset + 1));
}

/**
 * Injection phrases of `category` in the visible text, at most `limit` (a hostile file can repeat a
 * phrase a million times; a hundred findings already say enough). Phrases inside hidden comments
 * are left to the hidden-comment check.
 */
export function visiblePhrases(text: string, category: InjectionCategory, limit = 100): PhraseMatch[] {
  return outsideComments(
    text,
    findInjectionPhrases(text).filter((m) => m.category === category),
  ).slice(0, limit);
}
