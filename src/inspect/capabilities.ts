// What calling a tool can do: read private data, take in content a stranger wrote, send data out,
// destroy, run code, change state. The toxic-flow rule combines these per client (the "lethal
// trifecta"), the lying-annotations rule compares them with what the tool's annotations claim, and
// the runtime policy exposes them as `tool.capabilities`.
//
// Signals, most trusted first: the catalogue of well-known servers (./capability-catalogue.ts),
// the tool's name, its title and description, its input schema, and its MCP annotations. Every
// one but the catalogue is written by the server, so each may only *add* capabilities: a hint
// that says `readOnlyHint: true` never removes what the name `delete_file` shows, it becomes a
// contradiction (see contradictions()).
//
// Words are read as a tagger would, not with one regular expression per phrase: text is split
// once into word tokens (linear, no backtracking), and each verb is judged by its position
// (does it open a clause, as in "Deletes the file", or sit inside a noun phrase, as in "list
// deleted items"), its negation ("never sends data"), and the objects that follow it ("sends an
// email" vs "sends a keystroke"). Verbs, nouns and cue words are data in the tables of
// ./capability-vocabulary.ts; the tokenizer and sentence reading are in ./capability-text.ts.
import type { McpDefinition } from '../core/types.js';
import { foldForMatching } from '../detect/unicode.js';
import { CAPABILITY_CATALOGUE, type CatalogueServer, type CatalogueTag } from './capability-catalogue.js';
import {
  COMMA,
  STOP,
  Sentence,
  WORD,
  isVerbWord,
  nameWords,
  objectFollows,
  tokenize,
  type Objects,
} from './capability-text.js';
import {
  BARE_EXECUTORS,
  CODE_ABILITY,
  DETERMINERS,
  HTTP_CALLS,
  ING_OPENERS,
  INTERPRETER_NAMES,
  LIST_OPENERS,
  N,
  NAME_NOUNS,
  NAME_PREDICATES,
  NEGATIONS,
  NOT_PURPOSE,
  OBJECT_BITS,
  OPENERS,
  PASSIVE_AUX,
  PERMANENT,
  PUBLISHING,
  SANDBOX_WORDS,
  SCHEMA_KEYS,
  STANDALONE_WEB,
  URL_READERS,
  VOCAB,
  type Act,
  type KeyKind,
  type VerbDef,
} from './capability-vocabulary.js';

export const CAPABILITIES = ['private-data', 'untrusted-input', 'egress', 'destructive', 'code-execution', 'writes'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** One line per capability, for reports and the policy documentation. */
export const CAPABILITY_INFO: Readonly<Record<Capability, string>> = {
  'private-data':
    'returns data the user or organisation would not publish: local files, databases, mail, chat, private repositories, memory, credentials',
  'untrusted-input':
    'returns content a third party can write: web pages, search results, mail, issues and comments, chat messages, shared documents',
  egress: 'can carry data to where others read it: sends a message or mail, posts, uploads, pushes, or requests a URL the caller chooses',
  destructive: 'deletes or irreversibly overwrites data or resources',
  'code-execution': 'runs code or commands the caller supplies (implies every other capability unless sandboxed)',
  writes: 'changes state: creates, modifies, sends or deletes something; what a tool marked readOnlyHint must never do',
};

export type EvidenceSource = 'catalogue' | 'name' | 'description' | 'schema' | 'annotations' | 'implied';

export interface CapabilityEvidence {
  capability: Capability;
  source: EvidenceSource;
  /** What was seen: a tool name, a quoted phrase, a property, an annotation. Never longer than about 100 characters. */
  detail: string;
  /**
   * The definition says so outright: a catalogue entry, a verb in the tool's name, a verb opening
   * a clause of its description. Only strong evidence can contradict an annotation.
   */
  strong: boolean;
}

export interface ToolCapabilities {
  capabilities: Set<Capability>;
  /** At most one entry per capability and source, strongest first, in CAPABILITIES order. */
  evidence: CapabilityEvidence[];
}

/** The server a tool came from. `packageName` as launchPackages reports it; `url` for remote servers. */
export interface ServerRef {
  name: string;
  packageName?: string;
  url?: string;
  /** `serverInfo.name` from the handshake. */
  serverInfoName?: string;
}

// Budgets: capabilities come from what a tool says it does, which it says first. The poisoning
// rules read every character; this classifier need not, and must stay fast on hostile input.
const MAX_DESCRIPTION = 8192;
const MAX_TITLE = 256;
const MAX_PROPERTIES = 64;
const MAX_PROPERTY_DESCRIPTION = 512;

// ---------------------------------------------------------------------------------------------
// Catalogue index
// ---------------------------------------------------------------------------------------------

interface CatalogueIndex {
  byPackage: Map<string, CatalogueServer>;
  byName: Map<string, CatalogueServer>;
  byUrl: { prefix: string; server: CatalogueServer }[];
  /** Tool tables as Maps, so a tool named `__proto__` or `constructor` finds nothing. */
  tools: Map<CatalogueServer, Map<string, readonly CatalogueTag[]>>;
}

/** PEP 503 folding for every ecosystem: harmless for npm and image names, required for PyPI. */
function normalisePackage(name: string): string {
  let s = name.trim().toLowerCase();
  s = s.replace(/^(?:docker\.io\/|index\.docker\.io\/)(?:library\/)?/, '');
  const at = s.lastIndexOf('@');
  if (at > 0) s = s.slice(0, at); // @scope/pkg@1.2.3, image@sha256:…
  const colon = s.lastIndexOf(':');
  if (colon > s.lastIndexOf('/')) s = s.slice(0, colon); // image:tag
  return s.replace(/[-_.]+/g, '-');
}

function normaliseServerName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_.]+/g, '-');
}

const CATALOGUE: CatalogueIndex = (() => {
  const index: CatalogueIndex = { byPackage: new Map(), byName: new Map(), byUrl: [], tools: new Map() };
  for (const server of CAPABILITY_CATALOGUE) {
    for (const p of server.packages) index.byPackage.set(normalisePackage(p), server);
    for (const n of server.names ?? []) if (!index.byName.has(normaliseServerName(n))) index.byName.set(normaliseServerName(n), server);
    for (const u of server.urls ?? []) index.byUrl.push({ prefix: u.toLowerCase(), server });
    index.tools.set(server, new Map(Object.entries(server.tools)));
  }
  return index;
})();

interface CatalogueMatch {
  server: CatalogueServer;
  /** Identified by what it runs or calls (authoritative), or only by a name someone typed. */
  by: 'package' | 'url' | 'name';
  tags?: readonly CatalogueTag[];
}

function urlKey(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.hostname.toLowerCase()}${u.pathname.toLowerCase()}`;
  } catch {
    return undefined;
  }
}

function toolTags(server: CatalogueServer, tool: string): readonly CatalogueTag[] | undefined {
  const tools = CATALOGUE.tools.get(server);
  return tools?.get(tool) ?? tools?.get(tool.toLowerCase());
}

/** Package names and URLs already looked up: every tool of a server asks again. Bounded, so hostile input cannot grow it. */
const IDENTIFIED = new Map<string, CatalogueServer | null>();

function identify(kind: 'package' | 'url', value: string): CatalogueServer | undefined {
  const key = `${kind}\u0000${value}`;
  let server = IDENTIFIED.get(key);
  if (server === undefined) {
    if (kind === 'package') server = CATALOGUE.byPackage.get(normalisePackage(value)) ?? null;
    else {
      const at = urlKey(value);
      server = (at && CATALOGUE.byUrl.find((u) => at === u.prefix || at.startsWith(`${u.prefix}/`))?.server) || null;
    }
    if (IDENTIFIED.size >= 1024) IDENTIFIED.clear();
    IDENTIFIED.set(key, server);
  }
  return server ?? undefined;
}

function matchCatalogue(ref: ServerRef, tool: string): CatalogueMatch | undefined {
  let identified: { server: CatalogueServer; by: 'package' | 'url' } | undefined;
  const byPackage = typeof ref.packageName === 'string' ? identify('package', ref.packageName) : undefined;
  if (byPackage) identified = { server: byPackage, by: 'package' };
  const byUrl = !identified && typeof ref.url === 'string' ? identify('url', ref.url) : undefined;
  if (byUrl) identified = { server: byUrl, by: 'url' };
  if (identified) {
    const tags = toolTags(identified.server, tool);
    return tags ? { ...identified, tags } : identified;
  }
  // A name is only a label: it identifies the server for tools the catalogue lists under it.
  for (const name of [ref.name, ref.serverInfoName]) {
    if (typeof name !== 'string') continue;
    const server = CATALOGUE.byName.get(normaliseServerName(name));
    const tags = server && toolTags(server, tool);
    if (server && tags) return { server, by: 'name', tags };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Collecting evidence
// ---------------------------------------------------------------------------------------------

const SOURCE_ORDER: readonly EvidenceSource[] = ['catalogue', 'name', 'description', 'schema', 'annotations', 'implied'];
const SOURCE_RANK = Object.fromEntries(SOURCE_ORDER.map((s, i) => [s, i])) as Record<EvidenceSource, number>;
const CAPABILITY_RANK = Object.fromEntries(CAPABILITIES.map((c, i) => [c, i])) as Record<Capability, number>;

interface Hit extends CapabilityEvidence {
  /** Evidence that the tool reaches the open world (for `openWorldHint: false`). */
  openWorld: boolean;
}

/** A detail, or how to make it: most hits repeat one already kept and never need theirs. */
type Detail = string | (() => string);

class Collector {
  readonly hits: Hit[] = [];
  readonly acts = new Set<Act>();
  sandboxed = false;
  /** Kinds of hit already kept: the first of each capability, source, strength and reach is all anyone reads. */
  private readonly kept = new Set<number>();
  private capabilities = 0;

  add(capability: Capability, source: EvidenceSource, detail: Detail, strong: boolean, openWorld = false): void {
    const rank = CAPABILITY_RANK[capability];
    const kind = ((rank * SOURCE_ORDER.length + SOURCE_RANK[source]) << 2) | (strong ? 2 : 0) | (openWorld ? 1 : 0);
    if (this.kept.has(kind)) return;
    this.kept.add(kind);
    this.capabilities |= 1 << rank;
    this.hits.push({ capability, source, detail: typeof detail === 'string' ? detail : detail(), strong, openWorld });
  }

  has(capability: Capability): boolean {
    return (this.capabilities & (1 << CAPABILITY_RANK[capability])) !== 0;
  }
}

/** What one verb with its objects means. `strong` is the strength of the verb's position. */
function resolve(out: Collector, verb: VerbDef, obj: Objects, strong: boolean, source: EvidenceSource, detail: Detail, inName: boolean): void {
  const { bits: objects, permanent } = obj;
  const s = strong && !verb.weak;
  const add = (c: Capability, st: boolean, ow = false) => out.add(c, source, detail, st, ow);
  const anyObject = (objects & OBJECT_BITS) !== 0;
  if (verb.needsObject && !anyObject) return;
  switch (verb.act) {
    case 'read':
      out.acts.add('read');
      if (objects & (N.private | N.sql)) add('private-data', s);
      if (objects & N.untrusted) add('untrusted-input', s);
      if (objects & N.web) add('untrusted-input', s, true);
      if (objects & N.url && URL_READERS.has(verb.lemma)) {
        add('untrusted-input', s, true);
        add('egress', false, true);
      }
      if (inName && verb.lemma === 'query' && !anyObject) add('private-data', s);
      return;
    case 'fetch': {
      out.acts.add('fetch');
      const open = (objects & (N.web | N.url | N.untrusted)) !== 0 || !(objects & (N.private | N.sql | N.thing));
      if (objects & (N.private | N.sql)) add('private-data', s);
      if (open) add('untrusted-input', s, true);
      if (open && !(objects & N.untrusted && !(objects & (N.web | N.url)))) add('egress', false, true);
      return;
    }
    case 'navigate':
      out.acts.add('navigate');
      add('untrusted-input', s, true);
      add('egress', false, true);
      return;
    case 'write':
      // "Creates an embedding", "generates a chart": computed and returned, nothing stored.
      if (!anyObject && objects & N.neutral) return;
      out.acts.add('write');
      add('writes', s);
      // "Add a comment to an issue" publishes; "add a reaction to a message" does not.
      if (obj.direct & N.public && PUBLISHING.has(verb.lemma)) add('egress', false, true);
      return;
    case 'send':
      out.acts.add('send');
      if (objects & N.mute && !(objects & (N.public | N.private | N.untrusted | N.url))) {
        add('writes', s);
        return;
      }
      add('egress', s, true);
      add('writes', s);
      return;
    case 'destroy':
      out.acts.add('destroy');
      add('destructive', s || (strong && permanent));
      add('writes', s || strong);
      return;
    case 'remove':
      // "Removes a file" destroys; "removes a label from the file" only edits.
      if (obj.direct & (N.private | N.code) || permanent) {
        out.acts.add('destroy');
        add('destructive', strong);
      } else out.acts.add('write');
      add('writes', strong);
      return;
    case 'execute':
      if (objects & N.code) {
        out.acts.add('execute');
        add('code-execution', s);
      } else if (objects & N.sql) {
        out.acts.add('read');
        add('private-data', s);
        if (!obj.readOnly) add('writes', false);
      } else if (inName && objects === 0 && BARE_EXECUTORS.has(verb.lemma)) {
        out.acts.add('execute');
        add('code-execution', s);
      }
      return;
  }
}

function snippet(text: string, start: number, end: number): string {
  return text.slice(start, Math.min(end, start + 100)).replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
}

// --- Names -----------------------------------------------------------------------------------

function analyseName(name: string, out: Collector): void {
  const words = nameWords(name);
  if (words.length === 0) return;
  const infos = words.map((w) => {
    const nameNoun = NAME_NOUNS.get(w);
    return nameNoun === undefined ? VOCAB.get(w) : { ...VOCAB.get(w), noun: nameNoun };
  });
  const detail = `tool name "${name.slice(0, 80)}"`;

  // Which words are the verbs: every unambiguous verb; else the first verb that is sometimes a
  // noun; else a usually-noun verb that opens the name after a prefix (`slack_post_message`).
  let verbs = infos.flatMap((info, i) => (info?.verb && info.verb.noun === 0 ? [i] : []));
  if (verbs.length === 0) {
    const lean = infos.findIndex((info) => info?.verb?.noun === 1);
    if (lean >= 0) verbs = [lean];
    else {
      // … and only when an object follows: `post_message`, but not `email_digest`.
      const first = infos.findIndex((info) => info !== undefined);
      const objectAfter = infos.some((info, i) => i > first && info?.noun !== undefined);
      if (first >= 0 && infos[first]?.verb?.noun === 2 && objectAfter) verbs = [first];
    }
  }
  // `preview_delete`, `can_send`: a question about the act, not the act.
  if (words.some((w) => NAME_PREDICATES.has(w))) {
    verbs = verbs.filter((i) => {
      const act = infos[i]?.verb?.act;
      return act === 'read' || act === 'fetch' || act === 'navigate';
    });
  }

  let objects = 0;
  let direct = 0;
  let permanent = false;
  infos.forEach((info, i) => {
    if (PERMANENT.has(words[i]!)) permanent = true;
    if (verbs.includes(i) || !info) return;
    if (!direct && i > (verbs[0] ?? -1)) direct = info.noun ?? 0;
    objects |= (info.noun ?? 0) | (info.modifier ?? 0);
  });

  for (const i of verbs) resolve(out, infos[i]!.verb!, { bits: objects, direct, permanent }, true, 'name', detail, true);
  if (verbs.length > 0) return;

  if (words.length <= 2 && words.some((w) => INTERPRETER_NAMES.has(w)) && !(objects & ~N.code & OBJECT_BITS)) {
    out.acts.add('execute');
    out.add('code-execution', 'name', detail, true);
    return;
  }
  if (words.some((w) => w === 'http' || w === 'https')) {
    out.acts.add('fetch');
    out.add('untrusted-input', 'name', detail, true, true);
    out.add('egress', 'name', detail, false, true);
    return;
  }
  // A name of nouns alone (`git_diff`, `kubectl_logs`) returns those nouns: a weak read.
  const bareRead: VerbDef = { lemma: '', act: 'read', weak: true, needsObject: true, noun: 0 };
  resolve(out, bareRead, { bits: objects & ~N.url, direct, permanent: false }, false, 'name', detail, true);
}

// --- Text (title, description, property descriptions) ----------------------------------------

interface TextContext {
  out: Collector;
  source: EvidenceSource;
  /** Prefix for the detail: "title", "property \"to\"". */
  label?: string;
  /** Schema text never counts as strong. */
  weakOnly: boolean;
  /** Sentences read so far that had a verb: only the first says what the tool does in the imperative. */
  verbSentences?: number;
}

function analyseSentence(text: string, sent: Sentence, ctx: TextContext): void {
  if (sent.referential()) return;
  const { toks } = sent;
  const firstSentence = (ctx.verbSentences ?? 0) === 0;
  // A verb already read in this sentence: "reads your inbox and posts a summary" chains a second one.
  let sawVerb = false;
  for (let i = sent.start; i < sent.end; i++) {
    const t = toks[i]!;
    if (t.kind !== WORD) continue;
    if (SANDBOX_WORDS.has(t.w) && !sent.negated(i)) ctx.out.sandboxed = true;
    const info = t.info;
    if (!info) continue;
    const label = ctx.label ? `${ctx.label}: ` : '';

    if (info.verb && info.form) {
      const verb = info.verb;
      const p = sent.before(i);
      const pw = sent.word(p);
      const atStart = p < sent.start;
      const listed = pw !== undefined && LIST_OPENERS.has(pw);
      const afterComma = !atStart && toks[p]!.kind === COMMA;
      // After "and", "or" or a comma a nounish word is a verb only when a verb precedes: "reads and posts
      // messages", not "issues and comments".
      const chained =
        (listed || afterComma) &&
        (verb.noun === 0 || isVerbWord(toks[p - 1]) || (sawVerb && DETERMINERS.has(sent.word(i + 1) ?? '')));
      const intent =
        atStart ||
        chained ||
        (pw !== undefined && !listed && OPENERS.has(pw) && !(pw === 'to' && NOT_PURPOSE.has(sent.word(p - 1) ?? '')));
      let ok: boolean;
      let strong: boolean;
      switch (info.form) {
        case 'base': {
          // "Simple search for documents": a reading verb followed by "for" is a verb wherever it stands.
          ok = (intent && (verb.noun === 0 || objectFollows(sent, i, verb.noun))) || (verb.act === 'read' && sent.word(i + 1) === 'for');
          // "Get the file." says what the tool does; a later "Create a branch first." tells the model
          // what to do, so only a modal or a subject ("it can delete", "this tool deletes") stays strong.
          const imperative = atStart || chained || pw === 'to' || pw === 'please';
          strong = intent && (!imperative || firstSentence);
          break;
        }
        case 'third':
          ok = verb.noun === 0 || (intent && objectFollows(sent, i, verb.noun));
          strong = intent;
          break;
        case 'ing':
          // "for deleting", "by sending", "…, discarding all changes".
          ok = verb.noun === 0 && ((pw !== undefined && ING_OPENERS.has(pw)) || afterComma);
          strong = false;
          break;
        case 'past': {
          let q = p;
          while (q >= sent.start && NEGATIONS.has(sent.word(q) ?? '')) q--; // "is not deleted"; negated() decides
          ok = verb.noun === 0 && PASSIVE_AUX.has(sent.word(q) ?? '');
          strong = false;
          break;
        }
      }
      // "sends back the result" returns it.
      if (verb.act === 'send' && sent.word(i + 1) === 'back') ok = false;
      if (ok && !sent.negated(i)) {
        const objs = sent.objects(i, info.form === 'past');
        const detail = (): string => `${label}"${snippet(text, t.start, toks[objs.last]!.end)}"`;
        resolve(ctx.out, verb, objs, strong && !ctx.weakOnly, ctx.source, detail, false);
        sawVerb = true;
        continue;
      }
    }
    const noun = info.noun ?? 0;
    if (STANDALONE_WEB.has(t.w) && !sent.negated(i)) {
      ctx.out.add('untrusted-input', ctx.source, `${label}"${snippet(text, t.start, t.end)}"`, false, true);
    } else if ((t.w === 'http' || t.w === 'https') && HTTP_CALLS.has(sent.word(i + 1) ?? '') && !sent.negated(i)) {
      // "Makes an HTTP request": whatever the verb, the request goes out and its answer comes back.
      const detail = `${label}"${snippet(text, t.start, toks[i + 1]!.end)}"`;
      ctx.out.acts.add('fetch');
      ctx.out.add('untrusted-input', ctx.source, detail, false, true);
      ctx.out.add('egress', ctx.source, detail, false, true);
    } else if (noun & N.code && codeAbility(t.w, sent.word(i + 1)) && !sent.negated(i)) {
      ctx.out.acts.add('execute');
      ctx.out.add('code-execution', ctx.source, `${label}"${snippet(text, t.start, toks[i + 1]!.end)}"`, false);
    }
  }
  if (sawVerb) ctx.verbSentences = (ctx.verbSentences ?? 0) + 1;
}

/** "code execution", "Python interpreter", "shell access" (but not "source code access"). */
function codeAbility(noun: string, next: string | undefined): boolean {
  return next !== undefined && (CODE_ABILITY.has(next) || (next === 'access' && INTERPRETER_NAMES.has(noun)));
}

function analyseText(value: string, max: number, ctx: TextContext): void {
  const text = foldForMatching(value.length > max ? value.slice(0, max) : value).text;
  const toks = tokenize(text);
  let start = 0;
  for (let i = 0; i <= toks.length; i++) {
    if (i === toks.length || toks[i]!.kind === STOP) {
      if (i > start) analyseSentence(text, new Sentence(toks, start, i), ctx);
      start = i + 1;
    }
  }
}

// --- Input schema ----------------------------------------------------------------------------

function keyKind(key: string): KeyKind | undefined {
  const k = key.toLowerCase();
  const whole = SCHEMA_KEYS.get(k);
  if (whole || (k === key && !/[-_.\s]/.test(key))) return whole; // one lower-case word: no parts to try
  const words = nameWords(key);
  if (words.length < 2) return undefined;
  const first = SCHEMA_KEYS.get(words[0]!);
  if (first === 'recipient') return first;
  const last = SCHEMA_KEYS.get(words[words.length - 1]!);
  return last === 'recipient' || last === 'language' ? undefined : last;
}

function analyseSchema(schema: Record<string, unknown> | undefined, out: Collector): void {
  const props = record(own(schema, 'properties'));
  if (!props) return;
  const keys = Object.keys(props).slice(0, MAX_PROPERTIES);
  const kinds = keys.map(keyKind);
  const acts = out.acts;
  const readish = acts.has('read') || acts.has('fetch') || acts.has('navigate');
  const none = acts.size === 0;
  const hasLanguage = kinds.includes('language');
  keys.forEach((key, i) => {
    const kind = kinds[i];
    const prop = record(own(props, key));
    const detail = `property "${key.slice(0, 60)}"`;
    const add = (c: Capability, ow = false) => out.add(c, 'schema', detail, false, ow);
    switch (kind) {
      case 'url':
        if (none || readish) {
          add('untrusted-input', true);
          add('egress', true);
        } else if (acts.has('send')) add('egress', true);
        break;
      case 'webhook':
      case 'recipient':
        add('egress', true);
        break;
      case 'sql':
        add('private-data');
        break;
      case 'code':
      case 'code-weak': {
        // An enum is a menu of fixed choices, not a program.
        if (Array.isArray(own(prop, 'enum'))) break;
        if (acts.has('execute') || (kind === 'code' && none) || (kind === 'code-weak' && hasLanguage)) {
          acts.add('execute');
          add('code-execution');
        }
        break;
      }
      case 'path':
        if (none || readish || acts.has('send') || acts.has('execute')) add('private-data');
        break;
      default:
        break;
    }
  });
  // Property descriptions say what the tool does with each value ("the message to send").
  for (const key of keys) {
    const description = own(record(own(props, key)), 'description');
    if (typeof description === 'string' && description.length > 0) {
      analyseText(description, MAX_PROPERTY_DESCRIPTION, { out, source: 'schema', label: `property "${key.slice(0, 60)}"`, weakOnly: true });
    }
  }
}

// --- Annotations -----------------------------------------------------------------------------

export interface AnnotationClaims {
  /** `readOnlyHint: true`: the tool does not modify its environment. */
  readOnly: boolean;
  /** `destructiveHint: false`: its updates are only additive. */
  nonDestructive: boolean;
  /** `openWorldHint: false`: it does not reach entities outside its own closed domain. */
  closedWorld: boolean;
}

/** Hints as the spec defines them: booleans only; a string "true" is no claim at all. */
function hints(tool: McpDefinition): { readOnly?: boolean; destructive?: boolean; openWorld?: boolean } {
  const a = record(own(record(tool?.raw), 'annotations'));
  const bool = (k: string): boolean | undefined => {
    const v = own(a, k);
    return typeof v === 'boolean' ? v : undefined;
  };
  return { readOnly: bool('readOnlyHint'), destructive: bool('destructiveHint'), openWorld: bool('openWorldHint') };
}

/** What the tool's annotations explicitly claim. Absent hints claim nothing (the spec's defaults are not claims). */
export function claimsOf(tool: McpDefinition): AnnotationClaims {
  const h = hints(tool);
  return { readOnly: h.readOnly === true, nonDestructive: h.destructive === false, closedWorld: h.openWorld === false };
}

function analyseAnnotations(tool: McpDefinition, out: Collector): void {
  const h = hints(tool);
  if (h.destructive === true && h.readOnly !== true) {
    out.add('destructive', 'annotations', 'destructiveHint: true', true);
    out.add('writes', 'annotations', 'destructiveHint: true', true);
  }
  if (h.readOnly === false) out.add('writes', 'annotations', 'readOnlyHint: false', true);
  if (h.openWorld === true) {
    // The spec's example: a web search is open-world. A tool that changes things reaches that world outward.
    const outward = h.readOnly === false || out.has('writes') || out.has('egress');
    out.add(outward ? 'egress' : 'untrusted-input', 'annotations', 'openWorldHint: true', false, true);
  }
}

// ---------------------------------------------------------------------------------------------
// Classification
// ---------------------------------------------------------------------------------------------

function own(o: unknown, key: string): unknown {
  return o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function toolName(tool: McpDefinition): string {
  const n = typeof tool.name === 'string' ? tool.name : own(record(tool.raw), 'name');
  if (typeof n !== 'string') return '';
  // Claude Code spells server tools `mcp__<server>__<tool>`.
  return n.startsWith('mcp__') ? n.slice(n.lastIndexOf('__') + 2) : n;
}

function addTags(out: Collector, tags: readonly CatalogueTag[], detail: string, strong: boolean): void {
  for (const tag of tags) {
    switch (tag) {
      case 'sandboxed':
        out.sandboxed = true;
        break;
      case 'web':
        out.add('untrusted-input', 'catalogue', detail, strong, true);
        break;
      case 'url':
        out.add('untrusted-input', 'catalogue', detail, strong, true);
        out.add('egress', 'catalogue', detail, false, true);
        break;
      case 'egress':
        out.add('egress', 'catalogue', detail, strong, true);
        break;
      default:
        out.add(tag, 'catalogue', detail, strong);
    }
  }
}

/** Everything seen about one tool: the first hit of each kind, before one is chosen per capability and source. */
/**
 * One analysis per definition and server: classifyTool (toxic flows) and contradictions (lying
 * annotations) both need it for every tool of a scan. Keyed by the definition object, so nothing
 * outlives the scan that listed it.
 */
const analysed = new WeakMap<McpDefinition, Map<string, Collector>>();

function analyse(tool: McpDefinition, server?: ServerRef): Collector {
  const key = server ? JSON.stringify([server.name, server.packageName ?? '', server.url ?? '', server.serverInfoName ?? '']) : '';
  let perServer = typeof tool === 'object' && tool !== null ? analysed.get(tool) : undefined;
  const hit = perServer?.get(key);
  if (hit) return hit;
  const result = analyseUncached(tool, server);
  if (typeof tool === 'object' && tool !== null) {
    if (!perServer) analysed.set(tool, (perServer = new Map()));
    perServer.set(key, result);
  }
  return result;
}

function analyseUncached(tool: McpDefinition, server?: ServerRef): Collector {
  const out = new Collector();
  if (tool === null || typeof tool !== 'object' || tool.kind !== 'tool') return out;
  const raw = record(tool.raw);
  const name = toolName(tool);
  const match = server && typeof server === 'object' ? matchCatalogue(server, name) : undefined;
  if (match?.tags) addTags(out, match.tags, `${match.server.id}: ${name.slice(0, 80)}`, true);

  // A server identified by what it runs is described by the catalogue; its own words could only
  // repeat it or lie (and lies in its description are the poisoning rules' business).
  if (!(match?.tags && match.by !== 'name')) {
    analyseName(name, out);
    for (const [value, label] of [
      [own(raw, 'title'), 'title'],
      [own(record(own(raw, 'annotations')), 'title'), 'title'],
    ] as const) {
      if (typeof value === 'string') analyseText(value, MAX_TITLE, { out, source: 'description', label, weakOnly: false });
    }
    const description = own(raw, 'description');
    if (typeof description === 'string') analyseText(description, MAX_DESCRIPTION, { out, source: 'description', weakOnly: false });
    analyseSchema(record(own(raw, 'inputSchema')), out);
    if (match && !match.tags) {
      // A tool of a known server that the catalogue does not list yet: its data is the server's data.
      const detail = `${match.server.id}: unlisted tool ${name.slice(0, 80)}`;
      const reads = out.acts.has('read') || out.acts.has('fetch') || out.acts.size === 0;
      const writes = out.acts.has('write') || out.acts.has('send') || out.acts.has('destroy');
      if (reads && match.server.reads) addTags(out, match.server.reads, detail, false);
      if (writes && match.server.writes) addTags(out, match.server.writes, detail, false);
    }
  }
  analyseAnnotations(tool, out);

  // Code execution can do anything the host can; a sandbox keeps it from the user's files.
  if (out.has('code-execution')) {
    const implied: Capability[] = ['untrusted-input', 'egress', 'writes', 'destructive'];
    if (!out.sandboxed) implied.unshift('private-data');
    const detail = out.sandboxed ? 'implied by code-execution (sandboxed)' : 'implied by code-execution';
    for (const c of implied) if (!out.has(c)) out.add(c, 'implied', detail, false, c === 'egress' || c === 'untrusted-input');
  }
  if (out.has('destructive') && !out.has('writes')) out.add('writes', 'implied', 'implied by destructive', false);
  return out;
}

function publicEvidence(h: Hit): CapabilityEvidence {
  return { capability: h.capability, source: h.source, detail: h.detail, strong: h.strong };
}

/**
 * The capabilities of one tool (`kind: 'tool'`; anything else has none) and the evidence for each.
 * Never throws, whatever the definition holds; costs a few microseconds for a typical tool and is
 * bounded for a hostile one (descriptions are read up to 8 KiB, schemas up to 64 properties).
 */
export function classifyTool(tool: McpDefinition, server?: ServerRef): ToolCapabilities {
  const hits = analyse(tool, server).hits;
  // One slot per capability and source; the first strong hit wins it, else the first hit.
  const slots: (Hit | undefined)[] = new Array(CAPABILITIES.length * SOURCE_ORDER.length);
  for (const h of hits) {
    const slot = CAPABILITY_RANK[h.capability] * SOURCE_ORDER.length + SOURCE_RANK[h.source];
    const prev = slots[slot];
    if (!prev || (h.strong && !prev.strong)) slots[slot] = h;
  }
  const evidence: CapabilityEvidence[] = [];
  const capabilities = new Set<Capability>();
  for (let c = 0; c < CAPABILITIES.length; c++) {
    const row = slots.slice(c * SOURCE_ORDER.length, (c + 1) * SOURCE_ORDER.length).filter((h): h is Hit => h !== undefined);
    for (const h of row) if (h.strong) evidence.push(publicEvidence(h));
    for (const h of row) if (!h.strong) evidence.push(publicEvidence(h));
    if (row.length > 0) capabilities.add(CAPABILITIES[c]!);
  }
  return { capabilities, evidence };
}

export type AnnotationClaim = keyof AnnotationClaims;

export interface Contradiction {
  claim: AnnotationClaim;
  annotation: 'readOnlyHint' | 'destructiveHint' | 'openWorldHint';
  /** What the tool actually does, against the claim. */
  capability: Capability;
  evidence: CapabilityEvidence;
}

/** Capabilities that make each claim false, the most telling first. */
const CONTRADICTED_BY: Readonly<Record<AnnotationClaim, readonly Capability[]>> = {
  readOnly: ['destructive', 'code-execution', 'egress', 'writes'],
  nonDestructive: ['destructive'],
  closedWorld: ['egress', 'untrusted-input'],
};
const ANNOTATION_OF: Readonly<Record<AnnotationClaim, Contradiction['annotation']>> = {
  readOnly: 'readOnlyHint',
  nonDestructive: 'destructiveHint',
  closedWorld: 'openWorldHint',
};

/**
 * Annotation claims that strong evidence refutes: `delete_file` marked `readOnlyHint: true`,
 * `send_email` marked `openWorldHint: false`, "Permanently removes …" marked
 * `destructiveHint: false`. Only strong evidence counts (the catalogue, the name, a verb that opens
 * a clause of the description, never negated or about another tool), and never the annotations
 * themselves or what code execution merely implies. At most one contradiction per claim.
 */
export function contradictions(tool: McpDefinition, server?: ServerRef): Contradiction[] {
  const claims = claimsOf(tool);
  if (!claims.readOnly && !claims.nonDestructive && !claims.closedWorld) return [];
  const strong = analyse(tool, server).hits.filter((h) => h.strong && h.source !== 'annotations' && h.source !== 'implied');
  const found: Contradiction[] = [];
  for (const claim of Object.keys(CONTRADICTED_BY) as AnnotationClaim[]) {
    if (!claims[claim]) continue;
    for (const capability of CONTRADICTED_BY[claim]) {
      // Closed world is refuted by reaching outward (any strong egress) or by reading the open web,
      // not by reading an inbox that strangers write to.
      const hit = strong.find((h) => h.capability === capability && (claim !== 'closedWorld' || h.openWorld));
      if (hit) {
        found.push({ claim, annotation: ANNOTATION_OF[claim], capability, evidence: publicEvidence(hit) });
        break;
      }
    }
  }
  return found;
}
