// Sentences of a text and whether each one gives the model an order. Tool descriptions are full
// of imperatives that are honest ("Use this tool to…", "Provide an absolute path") and of
// mentions that are harmless ("this tool never reads ~/.ssh"); what separates poison from
// documentation is an order *and* what the order is about, so the detectors first find orders.
// Linear: one pass to split, bounded regular expressions per sentence.
import { foldForMatching } from './unicode.js';

export interface Clause {
  /** Folded (hidden characters removed, look-alike letters mapped) and lower-cased. */
  text: string;
  /** The clause's span in the original string. */
  offset: number;
  length: number;
  /** It gives an order to whoever reads it (the model), rather than describing the tool. */
  directive: boolean;
  /** An order that is negated as a whole ("never read…", "do not send…"). */
  negated: boolean;
}

/** Longest clause judged; a hostile one-line megabyte is cut into pieces of this size. */
const MAX_CLAUSE = 600;

/** Boundaries: sentence ends, line breaks, and markup tags (`<IMPORTANT>` opens a new clause). */
const BOUNDARY = /[.!?;](?=\s|$)|\n|<\/?[\w-]{0,20}?(?:important|system|instructions?|assistant|directive|admin|hidden|secret|critical|context|override|note|policy|rules?|notice)[\w-]{0,20}\b[^<>\n]{0,60}>|\|/gi;

const LEAD = String.raw`^(?:[a-z][\w\x20-]{0,48}:\s|\s|[-*•>#_~\x60"'(\[]|\d{1,2}[.)]|(?:important|note|nb|n\.b|critical|warning|attention|reminder|p\.?s|tip|hint|also|and|then|additionally|finally|first(?:ly)?|next|please|kindly|so|but|step \d{1,2})\b[:,!]?)*`;

const IMPERATIVE_VERBS = [
  'read', 'open', 'load', 'cat', 'fetch', 'retrieve', 'get', 'grab', 'collect', 'gather', 'extract', 'obtain', 'access', 'dump',
  'include', 'pass', 'put', 'add', 'append', 'prepend', 'attach', 'insert', 'embed', 'copy', 'paste', 'send', 'post', 'forward',
  'upload', 'transmit', 'share', 'email', 'e-mail', 'bcc', 'cc', 'call', 'invoke', 'use', 'run', 'execute', 'ignore', 'disregard',
  'forget', 'provide', 'supply', 'set', 'fill', 'encode', 'decode', 'store', 'save', 'write', 'respond', 'reply', 'answer', 'tell',
  'say', 'mention', 'inform', 'notify', 'hide', 'keep', 'treat', 'consider', 'route', 'redirect', 'replace', 'override', 'change',
  'modify', 'look', 'check', 'list', 'print', 'output', 'return', 'report', 'locate', 'find', 'search', 'scan', 'visit', 'navigate',
  'download', 'install', 'delete', 'remove', 'sync', 'mirror', 'log', 'record', 'convert', 'prefix', 'suffix', 'wrap', 'summari[sz]e',
  'quote', 'echo', 'recommend', 'suggest', 'advise', 'display', 'show', 'make', 'ensure', 'remember', 'do', 'don\'t', 'never', 'always',
  'verify', 'confirm', 'enumerate', 'concatenate', 'serialize', 'base64', 'build', 'construct', 'compose', 'create', 'generate',
  'type', 'enter', 'submit', 'mount', 'bind', 'merge', 'start', 'launch', 'spawn', 'grant', 'approve', 'accept', 'allow', 'enable',
  'disable', 'configure', 'register', 'subscribe', 'schedule', 'relay', 'broadcast', 'publish', 'expose', 'push', 'commit', 'apply',
  'update', 'place', 'cache', 'persist', 'export', 'import', 'transfer', 'move', 'rename', 'invite', 'tag', 'assign', 'map', 'pipe',
  'prefer', 'choose', 'pick', 'select', 'avoid', 'skip', 'omit', 'leave', 'retain', 'preserve', 'state', 'claim', 'present',
  'describe', 'explain', 'cite', 'inject', 'encrypt', 'sign', 'grep', 'crawl', 'browse', 'go', 'follow', 'obey', 'comply', 'regard',
  'assume', 'pretend', 'act', 'refuse', 'substitute', 'swap', 'edit', 'alter', 'rewrite', 'overwrite', 'erase', 'wipe', 'purge',
  'drop', 'clear', 'reset', 'kill', 'stop', 'terminate', 'restart', 'exec', 'eval', 'trigger', 'message', 'alert', 'warn', 'note',
  'pull', 'clone', 'fork', 'attach', 'hand', 'give', 'feed', 'supply', 'mark', 'flag', 'also', 'compile', 'gather', 'bundle', 'carry', 'fall', 'populate',
];

const IMPERATIVE_START = new RegExp(`${LEAD}(?:${IMPERATIVE_VERBS.join('|')})\\b`, 'i');
/** Orders addressed by name: "you must", "the assistant should", "it is required that you". */
const ADDRESSED = /\b(?:(?:its|their|these|those|such|the other) (?:[\w,-]{2,30} ){0,4}(?:tools?|servers?)|they) (?:should|must|shall|are expected to|need to|have to)(?: therefore| also| always| then)? (?:include|carry|add|send|use|contain|attach|pass|put|post|forward|copy|call|embed|append|set)\b|\b(?:you|the (?:assistant|model|ai|agent|llm|language model|ai assistant)|assistants?|ai agents?|agents|claude|cursor|copilot|models?)\s{1,3}(?:must|should|need to|needs to|have to|has to|are required to|is required to|will need to|shall|are expected to|are instructed to|are to|will (?:now |also |first |always )?(?:read|send|include|pass|call|use|add|forward|attach|ignore|copy|upload|provide|fetch|open))\b|\bit is (?:mandatory|required|essential|critical|crucial|imperative|necessary|vital) (?:that you|to|for you)\b|\bmake sure (?:to|you)\b|\bbe sure to\b|\bremember to\b|\bdon['’]t forget to\b/i;
/** "Before using this tool, read …" / "When the user asks X, do Y": a condition, then an order. */
const CONDITIONAL = new RegExp(
  `${LEAD}(?:before|after|when|whenever|once|if|prior to|upon|each time|every time|while|on|for|during|in|to)\\b(?:[^.(]|\\([^)]{0,80}\\)){0,200}?,\\s{0,3}(?:(?:you (?:must|should|need to) |first |always |also |then |please )?(?:${IMPERATIVE_VERBS.join('|')}))\\b`,
  'i',
);
const NEGATED = new RegExp(`${LEAD}(?:never|do not|don['’]t|must not|should not|shouldn['’]t|avoid|refrain from|no need to)\\b`, 'i');

/**
 * Orders in the passive or impersonal voice, the register of poison that wants to sound like
 * policy: "monitors … are to be muted", "it is expected that a note is created", "the bundle is
 * attached as well", "they should be forwarded".
 */
const IMPERSONAL = /:\s{1,3}(?:read|send|include|pass|call|copy|upload|fetch|open|attach|add|put|post|forward|collect|gather|populate|fill|use|run|export)\b|,\s{0,3}(?:so|then|and then|therefore)\s{1,3}(?:read|send|include|pass|call|copy|upload|fetch|open|attach|add|put|post|forward|collect|gather)\b|\b(?:is|are) to be [a-z]{3,20}(?:ed|en|t)\b|\bit is expected that\b|\b(?:should|must|shall|needs? to) be (?:[a-z]{3,20}(?:ed|en|t))\b|\b(?:is|are) (?:[a-z]{3,20}ed) (?:too|as well|also)\b|\byou (?:then|now|also|first|next) [a-z]{3,20}\b/i;

function classify(text: string): { directive: boolean; negated: boolean } {
  const directive = IMPERATIVE_START.test(text) || ADDRESSED.test(text) || CONDITIONAL.test(text) || IMPERSONAL.test(text);
  return { directive, negated: directive && NEGATED.test(text) };
}

/** Splits `text` into clauses; `limit` bounds the work on hostile input. */
export function clausesOf(text: string, limit = 2000): Clause[] {
  const folded = foldForMatching(text);
  const s = folded.text;
  const out: Clause[] = [];
  let start = 0;
  const push = (end: number) => {
    for (let from = start; from < end && out.length < limit; from += MAX_CLAUSE) {
      const to = Math.min(end, from + MAX_CLAUSE);
      const raw = s.slice(from, to);
      if (raw.trim().length === 0) continue;
      const span = folded.span(from, to);
      const lower = raw.toLowerCase();
      out.push({ text: lower, offset: span.offset, length: span.length, ...classify(lower) });
    }
  };
  BOUNDARY.lastIndex = 0;
  for (let m = BOUNDARY.exec(s); m && out.length < limit; m = BOUNDARY.exec(s)) {
    const isTag = m[0].startsWith('<');
    // A tag is a clause of its own, so `<IMPORTANT>Read …` is judged from "Read".
    push(isTag ? m.index : m.index + m[0].length);
    start = isTag ? m.index : m.index + m[0].length;
    if (isTag) {
      push(m.index + m[0].length);
      start = m.index + m[0].length;
    }
  }
  push(s.length);
  return out;
}
