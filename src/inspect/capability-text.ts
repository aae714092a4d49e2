// How the capability classifier (./capabilities.ts) reads text: a linear tokenizer that looks
// each word up once in the vocabulary (./capability-vocabulary.ts), the splitter of identifiers
// into words, and the sentence that answers questions about a verb in it (is it negated, does it
// open a clause, which nouns follow it). Separate because it knows nothing of capabilities: it
// says what the words are and how they relate; capabilities.ts decides what they mean.
import {
  ADVERBS,
  AFTER_NEGATIONS,
  AFTER_SUBJECTS,
  ARTICLES,
  COMPOUNDS,
  CONJUNCTIONS,
  DETERMINERS,
  HARD_CONJUNCTIONS,
  LIST_OPENERS,
  N,
  NEAR_NEGATIONS,
  NEGATIONS,
  OTHER,
  PASSIVE_AUX,
  PERMANENT,
  PREPOSITIONS,
  READ_ONLY_WORDS,
  REFERRING_VERBS,
  SELF_AFTER_USE,
  VOCAB,
  lookup,
  type VerbDef,
  type WordInfo,
} from './capability-vocabulary.js';

// Budgets (see capabilities.ts): this classifier need not read every character, and must stay
// fast on hostile input.
const MAX_NAME = 256;
const MAX_TOKENS = 4096;
/** How far after a verb its objects may sit: "Read the contents of a file from the file system or a URL". */
const OBJECT_WINDOW = 12;

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

export const WORD = 0;
export const COMMA = 1;
export const STOP = 2;

export interface Token {
  w: string;
  start: number;
  end: number;
  kind: typeof WORD | typeof COMMA | typeof STOP;
  /** The word's vocabulary entry, looked up once. */
  info: WordInfo | undefined;
}

function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || (c >= 0xc0 && (c < 0x2000 || c > 0x2bff) && c !== 0x3002)
  );
}

/** Characters that join two word parts: e-mail, read-only, user's, e.g., files.delete. */
function isJoiner(c: number): boolean {
  return c === 45 || c === 39 || c === 0x2019 || c === 46;
}

/** . ! ? ; : newline ( ) [ ] { } | and bullets end a clause. */
function isStop(c: number): boolean {
  return c === 46 || c === 33 || c === 63 || c === 59 || c === 58 || c === 10 || c === 13 || c === 40 || c === 41 || c === 91 || c === 93 ||
    c === 123 || c === 125 || c === 124 || c === 0x2022 || c === 0x3002;
}

/** One linear pass; words are lower-cased, offsets point into `text`. */
export function tokenize(text: string): Token[] {
  const lower = text.toLowerCase();
  // Lower-casing a few characters (İ) changes the length; then each word is lower-cased alone.
  const sameLength = lower.length === text.length;
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n && out.length < MAX_TOKENS) {
    const c = text.charCodeAt(i);
    if (isWordChar(c)) {
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isWordChar(d)) i++;
        else if (isJoiner(d) && i + 1 < n && isWordChar(text.charCodeAt(i + 1))) i += 2;
        else break;
      }
      const w = sameLength ? lower.slice(start, i) : text.slice(start, i).toLowerCase();
      const prev = out.length > 0 ? out[out.length - 1] : undefined;
      const compound = prev?.kind === WORD ? COMPOUNDS.get(prev.w)?.get(w) : undefined;
      if (prev && compound) {
        prev.w = compound;
        prev.end = i;
        prev.info = lookup(compound);
      } else out.push({ w, start, end: i, kind: WORD, info: lookup(w) });
      continue;
    }
    if (c === 44) out.push({ w: ',', start: i, end: i + 1, kind: COMMA, info: undefined });
    else if (isStop(c) && (out.length === 0 || out[out.length - 1]!.kind !== STOP)) out.push({ w: '.', start: i, end: i + 1, kind: STOP, info: undefined });
    i++;
  }
  return out;
}

/** Words of an identifier: `getHTTPResponse`, `github_delete-file.v2`. */
export function nameWords(name: string): string[] {
  const words: string[] = [];
  const push = (w: string) => {
    const compound = words.length > 0 ? COMPOUNDS.get(words[words.length - 1]!)?.get(w) : undefined;
    if (compound) words[words.length - 1] = compound;
    else words.push(w);
  };
  const n = Math.min(name.length, MAX_NAME);
  let start = -1;
  for (let i = 0; i <= n && words.length < 16; i++) {
    const c = i < n ? name.charCodeAt(i) : 0;
    const lower = c >= 97 && c <= 122;
    const upper = c >= 65 && c <= 90;
    const digit = c >= 48 && c <= 57;
    if (!(lower || upper || digit)) {
      if (start >= 0) push(name.slice(start, i).toLowerCase());
      start = -1;
      continue;
    }
    if (start < 0) {
      start = i;
      continue;
    }
    // A capital starts a word after a lower-case letter or digit (getFile), or ends an acronym
    // before a capitalised word (HTTPResponse → HTTP Response).
    const prev = name.charCodeAt(i - 1);
    const prevUpper = prev >= 65 && prev <= 90;
    const next = i + 1 < n ? name.charCodeAt(i + 1) : 0;
    if (upper && (!prevUpper || (next >= 97 && next <= 122))) {
      push(name.slice(start, i).toLowerCase());
      start = i;
    }
  }
  return words;
}

// ---------------------------------------------------------------------------------------------
// Sentences
// ---------------------------------------------------------------------------------------------

/** The nouns a verb acts on: all of them, the first (its direct object), and "permanently" nearby. */
export interface Objects {
  bits: number;
  direct: number;
  permanent: boolean;
  /** The clause calls itself read-only ("runs a read-only SQL query"). */
  readOnly?: boolean;
}

function isAdverb(w: string): boolean {
  return ADVERBS.has(w) || PERMANENT.has(w) || (w.length > 4 && w.endsWith('ly') && !VOCAB.has(w));
}

export function isVerbWord(t: Token | undefined): boolean {
  return t?.info?.verb !== undefined;
}

export class Sentence {
  constructor(
    readonly toks: Token[],
    readonly start: number,
    readonly end: number,
  ) {}

  word(i: number): string | undefined {
    const t = i >= this.start && i < this.end ? this.toks[i] : undefined;
    return t?.kind === WORD ? t.w : undefined;
  }

  /** Index of the token before `i`, skipping up to two adverbs ("permanently deletes"); start - 1 at the clause start. */
  before(i: number): number {
    let j = i - 1;
    for (let skipped = 0; skipped < 2 && j >= this.start; skipped++) {
      const w = this.word(j);
      if (w === undefined || !isAdverb(w)) break;
      j--;
    }
    return j;
  }

  /** A sentence about another tool: "Use delete_file to remove files", "To send mail, call X", "… instead". */
  referential(): boolean {
    let first = -1;
    for (let i = this.start; i < this.end; i++) {
      const t = this.toks[i]!;
      if (t.kind !== WORD) continue;
      if (t.w === 'instead') return true;
      if (first < 0 && !isAdverb(t.w)) first = i;
      if (REFERRING_VERBS.has(t.w)) {
        // "use delete_branch", "use the following git command", "call another tool".
        const next = this.word(i + 1) ?? '';
        if (/[_./]/.test(next) || OTHER.has(next) || (ARTICLES.has(next) && OTHER.has(this.word(i + 2) ?? ''))) return true;
      }
    }
    const opener = this.word(first);
    if (opener !== undefined && REFERRING_VERBS.has(opener)) {
      const next = this.word(first + 1);
      if (next !== undefined && !SELF_AFTER_USE.has(next)) return true;
    }
    // "To delete a file, use delete_file" (but "To delete a file, call this tool").
    if (opener === 'to') {
      for (let i = first + 1; i < this.end; i++) {
        const w = this.word(i);
        if ((w === 'use' || w === 'call') && !SELF_AFTER_USE.has(this.word(i + 1) ?? '')) return true;
      }
    }
    return false;
  }

  /** Negated or hypothetical: "never sends", "does not create, update or delete", "no data is sent", "delete is not supported". */
  negated(i: number, depth = 0): boolean {
    for (let j = i - 1, steps = 0; j >= this.start && steps < 6; j--, steps++) {
      const t = this.toks[j]!;
      if (t.kind === COMMA || CONJUNCTIONS.has(t.w)) {
        if (HARD_CONJUNCTIONS.has(t.w) || depth >= 3) return false;
        // Coordinated verbs share one negation ("does not send messages or upload files"); a new
        // clause without a verb of its own before the conjunction does not.
        for (let k = j - 1; k >= this.start && k >= j - 4; k--) if (isVerbWord(this.toks[k])) return this.negated(k, depth + 1);
        return false;
      }
      if (t.kind !== WORD) return false;
      if (NEGATIONS.has(t.w)) return true;
      if (NEAR_NEGATIONS.has(t.w)) return steps < 3;
      // Another verb in between starts its own scope, unless it is one item of a list.
      if (steps > 0 && isVerbWord(t) && !PASSIVE_AUX.has(t.w)) {
        const after = this.toks[j + 1];
        if (!(after?.kind === COMMA || after?.w === 'or' || after?.w === 'and')) return false;
      }
    }
    const a = this.word(i + 1);
    if (a !== undefined && AFTER_NEGATIONS.has(a)) return true;
    const b = this.word(i + 2);
    return a !== undefined && b !== undefined && AFTER_SUBJECTS.has(a) && (AFTER_NEGATIONS.has(b) || NEGATIONS.has(b));
  }

  /** Noun classes after the verb (or before it, for a passive), up to the next clause. */
  objects(i: number, passive: boolean): Objects & { last: number } {
    let bits = 0;
    let direct = 0;
    let last = i;
    let publicNext = false;
    let permanent = false;
    for (let j = Math.max(this.start, i - 2); j < i; j++) if (PERMANENT.has(this.word(j) ?? '')) permanent = true;
    for (let j = i + 1; j < this.end && j <= i + OBJECT_WINDOW; j++) {
      const t = this.toks[j]!;
      if (t.kind !== WORD) continue;
      if (PERMANENT.has(t.w)) permanent = true;
      const info = t.info;
      if (!info) continue;
      // "… and send it": the next verb starts its own clause.
      const prev = this.toks[j - 1];
      if (info.verb && info.noun === undefined && j > i + 1 && (prev?.kind === COMMA || LIST_OPENERS.has(prev?.w ?? ''))) break;
      // "public repositories" are not private ones.
      const add = ((info.noun ?? 0) & ~(publicNext ? N.private : 0)) | (info.modifier ?? 0);
      if (info.modifier !== undefined) publicNext = (info.modifier & N.untrusted) !== 0;
      else if (info.noun !== undefined) publicNext = false;
      if (add) {
        bits |= add;
        if (!direct) direct = info.noun ?? 0;
        last = j;
      }
    }
    if (passive) {
      for (let j = i - 1; j >= this.start && j >= i - 5; j--) {
        const info = this.toks[j]!.info;
        bits |= (info?.noun ?? 0) | (info?.modifier ?? 0);
      }
    }
    return { bits, direct: passive ? bits : direct, last, permanent, readOnly: this.readOnly() };
  }

  private readOnlyWord: boolean | undefined;

  /** The sentence calls something read-only; computed once, since every verb in it asks. */
  readOnly(): boolean {
    if (this.readOnlyWord === undefined) {
      this.readOnlyWord = false;
      for (let j = this.start; j < this.end && !this.readOnlyWord; j++) this.readOnlyWord = READ_ONLY_WORDS.has(this.toks[j]!.w);
    }
    return this.readOnlyWord;
  }
}

/**
 * A nounish verb is a verb when something it can act on follows: "Archive the thread", "Search for
 * issues", but not "Archive manager." or "List view".
 */
export function objectFollows(sent: Sentence, i: number, noun: VerbDef['noun']): boolean {
  const next = sent.toks[i + 1];
  if (i + 1 >= sent.end || next === undefined) return false;
  // A word that is usually a noun needs a determiner to be a verb: "Message the user", but not
  // "Message history for a channel" or "Posts from the feed".
  if (noun === 2) return DETERMINERS.has(next.w) || next.w === 'to' || next.w === 'on';
  if (next.kind === COMMA) return true;
  if (next.info !== undefined || DETERMINERS.has(next.w) || PREPOSITIONS.has(next.w) || LIST_OPENERS.has(next.w) || isAdverb(next.w)) return true;
  return sent.objects(i, false).bits !== 0; // "List objects in an S3 bucket"
}
