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
// email" vs "sends a keystroke"). Verbs, nouns and cue words are data in the tables below.
import type { McpDefinition } from '../core/types.js';
import { foldForMatching } from '../detect/unicode.js';
import { CAPABILITY_CATALOGUE, type CatalogueServer, type CatalogueTag } from './capability-catalogue.js';

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

// ---------------------------------------------------------------------------------------------
// Vocabulary (data)
// ---------------------------------------------------------------------------------------------

/** What a verb does to its object; the object decides the capability (see resolve()). */
type Act = 'read' | 'fetch' | 'navigate' | 'write' | 'send' | 'destroy' | 'remove' | 'execute';

// Markers after a verb:
//   ?   needs an object to mean anything ("drop a table", not "drop-down")
//   ~   weak: real, but never enough to call an annotation a lie ("reset", "kill")
//   ^   also a common noun ("list", "search"): counts only where a verb is expected
//   ^^  usually a noun ("post", "email", "comment"): in prose a verb only before a determiner
//       ("Post a message"), in a tool name only as its first word with an object after it
const VERBS: Readonly<Record<Act, string>> = {
  read:
    'get read list^ search^ find retrieve query^ show^ view^ lookup look^ open^ load^ return^ extract inspect describe check^ ' +
    'scan^ summarize summarise monitor^ watch^ receive access^ obtain export^ grep cat^ tail^ capture^ analyze analyse ls review^',
  fetch: 'fetch download^ scrape crawl curl wget clone',
  navigate: 'navigate visit browse goto',
  write:
    'create write update^ edit modify add? insert upsert set^? save store^ append rename move^ mv copy^ cp patch^ put^? replace ' +
    'commit^ merge^ apply^? assign archive^ close^? reopen lock^ unlock schedule^ install deploy^ configure enable disable star^^ ' +
    'fork^ label^^ tag^^ mark^? change^ import^ restore approve reject^ book^ reserve^ cancel^ revoke refund^ charge^ ' +
    'order^^ purchase buy^ transition^ duplicate^ draft^ checkout switch^ initialize initialise init dismiss acknowledge snooze',
  send:
    'send post^^ publish share^ forward^ reply^ email^^ mail^^ tweet^^ notify~ broadcast message^^ dm^^ invite^ upload^ push^ ' +
    'submit transmit transfer^ pay comment^^ exfiltrate',
  destroy:
    'delete destroy erase wipe purge truncate unlink rm rmdir del drop? overwrite~ discard~ terminate~ kill~ uninstall~ ' +
    'clear~? reset~? empty^~?',
  remove: 'remove',
  execute: 'execute exec run^ eval evaluate^ interpret spawn invoke^ launch^ start^',
};

/** Past participles the regular rule (+ed) gets wrong. */
const IRREGULAR_PAST: Readonly<Record<string, string>> = {
  send: 'sent',
  write: 'written',
  run: 'run',
  get: 'gotten',
  find: 'found',
  read: 'read',
  set: 'set',
  put: 'put',
  show: 'shown',
  pay: 'paid',
  buy: 'bought',
};
const DOUBLES_FINAL = new Set(['get', 'set', 'put', 'run', 'drop', 'submit', 'commit', 'star', 'tag', 'dm', 'transfer']);

/** Bit flags for what a noun names. */
const N = {
  private: 1,
  untrusted: 2,
  /** The open web as a whole. */
  web: 4,
  /** An address that gets requested. */
  url: 8,
  /** A place where what is written becomes readable by others. */
  public: 16,
  code: 32,
  sql: 64,
  /** What "send" means without sending data anywhere: keys to a terminal, a signal to a process, a prompt to the model. */
  mute: 128,
  /** Some other thing a tool can change: enough object for "add" or "set". */
  thing: 256,
  /** Computed, not stored: "create an embedding" changes nothing. */
  neutral: 512,
} as const;
type NounClass = keyof typeof N;
const OBJECT_BITS = N.private | N.untrusted | N.web | N.url | N.public | N.code | N.sql | N.mute | N.thing;

const NOUNS: Readonly<Record<NounClass, string>> = {
  private:
    'file filesystem fs directory folder dir disk drive document doc spreadsheet sheet database db table row record collection ' +
    'calendar event contact note memory knowledge graph entity observation relation secret credential password cookie env ' +
    'environment customer profile account invoice payment transaction balance log history clipboard photo repository ' +
    'repo source code commit branch diff employee patient subscription bucket blob vault keychain wallet attachment kv workspace screen ' +
    'email mail inbox mailbox message dm chat conversation thread channel ticket',
  untrusted:
    'email mail inbox mailbox message dm chat conversation thread ticket issue comment review discussion pull_request pr ' +
    'merge_request tweet post feed rss news article forum reddit notification paper transcript webpage website',
  web: 'web internet html webpage website',
  url: 'url uri link href endpoint http https webpage website site',
  public:
    'issue comment review discussion pull_request pr merge_request tweet post gist release message email mail dm reply ' +
    'invitation invite notification status story wiki webhook',
  code:
    'code command cmd script shell bash sh zsh powershell pwsh terminal python javascript js typescript ruby perl php lua ' +
    'snippet program process subprocess binary executable notebook cell repl applescript osascript',
  sql: 'sql query statement cypher sparql migration',
  mute: 'key keystroke character signal keypress prompt request',
  thing:
    'label tag reaction member collaborator assignee milestone project task todo item node block property setting config ' +
    'configuration permission role rule instance server cluster pod deployment service container vm function resource index ' +
    'view schema column cache session tab window dialog form field option token link tree change state data',
  neutral:
    'embedding completion summary chart diagram visualization image thumbnail preview hash checksum uuid expression formula ' +
    'math equation calculation prompt answer',
};

/**
 * Nouns that mean data only in a tool name: in prose "the user" is the person at the keyboard
 * ("let the user know"), in `get_user` it is a record.
 */
const NAME_NOUNS: ReadonlyMap<string, number> = new Map([
  ['user', N.private],
  ['users', N.private],
  ['me', N.private],
]);

/** Words before a noun that change whose it is. */
const MODIFIERS: ReadonlyMap<string, number> = new Map([
  ['public', N.untrusted],
  ['third-party', N.untrusted],
  ['external', N.untrusted],
  ['user-generated', N.untrusted],
  ['untrusted', N.untrusted],
  ['private', N.private],
  ['personal', N.private],
  ['confidential', N.private],
  ['internal', N.private],
]);

/** Hyphenated spellings of single vocabulary words. */
const HYPHENATED: ReadonlyMap<string, string> = new Map([
  ['e-mail', 'email'],
  ['e-mails', 'emails'],
  ['web-page', 'webpage'],
  ['web-pages', 'webpages'],
  ['web-site', 'website'],
  ['file-system', 'filesystem'],
  ['pull-request', 'pull_request'],
  ['pull-requests', 'pull_requests'],
]);

/** Two-word nouns, merged before lookup. */
const COMPOUNDS: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
  ['pull', new Map([['request', 'pull_request'], ['requests', 'pull_requests']])],
  ['merge', new Map([['request', 'merge_request'], ['requests', 'merge_requests']])],
  ['web', new Map([['page', 'webpage'], ['pages', 'webpages'], ['site', 'website'], ['sites', 'websites']])],
  ['file', new Map([['system', 'filesystem']])],
]);

const NEGATIONS = new Set([
  'not', 'never', 'cannot', "can't", 'can’t', "won't", 'won’t', "doesn't", 'doesn’t', "don't", 'don’t', "isn't", 'isn’t',
  "aren't", 'aren’t', "shouldn't", 'shouldn’t', "mustn't", 'mustn’t', "didn't", 'didn’t', 'nor', 'neither', 'unable',
  'avoid', 'avoids', 'prevent', 'prevents', 'rather', 'instead',
]);
/** Negations that reach only the next few words ("no data is sent", "without deleting"). */
const NEAR_NEGATIONS = new Set(['no', 'without', 'nothing', 'none', 'would']);
/** After the verb: "delete is not supported", "sending disabled". */
const AFTER_NEGATIONS = new Set(['not', 'never', 'disabled', 'unsupported', 'forbidden', 'prohibited', 'blocked']);
const AFTER_SUBJECTS = new Set(['is', 'are', 'operation', 'operations', 'access', 'action', 'actions', 'functionality', 'support']);

/** A verb right after these is what the tool does: "to delete", "can send", "this tool runs", "lets you post". */
const OPENERS = new Set([
  'to', 'can', 'will', 'may', 'might', 'must', 'shall', 'should', 'could', 'you', 'it', 'this', 'tool', 'server',
  'function', 'endpoint', 'operation', 'action', 'assistant', 'agent', 'model', 'also', 'then', 'please', 'and', 'or',
]);
/** Openers that join a list: the verb opens a clause only when a verb came before ("create, update or delete"). */
const LIST_OPENERS = new Set(['and', 'or', 'then']);
/** After "and", these make a nounish word a verb: "… and posts a summary", not "issues and comments". */
const DETERMINERS = new Set(['a', 'an', 'the', 'your', 'my', 'our', 'their', 'its', 'it', 'them', 'this', 'these', 'those', 'all', 'any', 'every', 'new']);
const PREPOSITIONS = new Set(['for', 'to', 'on', 'in', 'into', 'from', 'with', 'by', 'up', 'out', 'through', 'across', 'over', 'about', 'at']);
/** "how to delete" is a topic, not an ability. */
const NOT_PURPOSE = new Set(['how', 'what', 'where', 'which', 'who']);
const ING_OPENERS = new Set(['for', 'by', 'supports', 'support', 'allows', 'allow', 'enables', 'enable', 'including', 'permits', 'when', 'while', 'before', 'after', 'via']);
const PASSIVE_AUX = new Set(['is', 'are', 'be', 'being', 'been', 'gets', 'get', 'getting']);
const CONJUNCTIONS = new Set(['and', 'or', 'but', 'then', 'which', 'while', 'unless', 'whereas', 'although', 'though', 'so']);
const HARD_CONJUNCTIONS = new Set(['but', 'which', 'while', 'unless', 'whereas', 'although', 'though', 'so']);
const ADVERBS = new Set(['also', 'then', 'just', 'first', 'now', 'still', 'even', 'again', 'only', 'safely', 'quickly', 'please', 'optionally']);
const PERMANENT = new Set(['permanently', 'irreversibly', 'irrecoverably', 'forever', 'completely', 'entirely', 'recursively']);
/** After "use"/"call" at the start of a sentence, these mean this very tool ("Use this to…", "Use with care"). */
const SELF_AFTER_USE = new Set([
  'this', 'it', 'when', 'with', 'for', 'only', 'to', 'carefully', 'caution', 'sparingly', 'if', 'whenever', 'in', 'as',
  'cautiously', 'responsibly', 'me', 'on',
]);
const REFERRING_VERBS = new Set(['use', 'call', 'prefer', 'try', 'see']);
const OTHER = new Set(['another', 'other', 'different', 'following', 'separate', 'dedicated']);
const ARTICLES = new Set(['a', 'an', 'the']);
/** Verbs that request an address when their object is one ("reads a URL"); "lists links" does not. */
const URL_READERS = new Set(['get', 'read', 'open', 'load', 'retrieve', 'extract', 'summarize', 'summarise', 'analyze', 'analyse', 'scan', 'inspect', 'access', 'capture', 'view', 'check']);
/** Writing verbs that put the caller's words into a public place ("create an issue"); "mark", "label" and "draft" do not. */
const PUBLISHING = new Set(['create', 'write', 'add', 'update', 'edit', 'append', 'insert', 'upsert', 'patch', 'put', 'replace', 'save', 'store', 'import', 'duplicate', 'modify']);
/** Execution verbs that need no object in a tool name: a tool called `exec` or `puppeteer_evaluate`. */
const BARE_EXECUTORS = new Set(['exec', 'eval', 'execute', 'evaluate', 'interpret']);
/** Whole-name interpreters: a tool called `bash`, `terminal` or `python` runs what it is given. */
const INTERPRETER_NAMES = new Set(['shell', 'bash', 'sh', 'zsh', 'powershell', 'pwsh', 'terminal', 'repl', 'cmd', 'python', 'javascript', 'node', 'ruby']);
/** Words that make a tool name a question or a rehearsal: `preview_delete`, `can_send`, `explain_sql`. */
const NAME_PREDICATES = new Set(['dry', 'preview', 'plan', 'simulate', 'validate', 'explain', 'estimate', 'suggest', 'can', 'is', 'has', 'should', 'lint', 'check']);
/** Followed by these, a code word names the ability itself: "code execution", "Python sandbox". */
const CODE_ABILITY = new Set(['execution', 'interpreter', 'runner', 'sandbox']);
/** Nouns that are the open web on their own ("searches the internet", "web results"). */
const STANDALONE_WEB = new Set(['web', 'internet', 'webpage', 'webpages', 'website', 'websites']);
const READ_ONLY_WORDS = new Set(['read-only', 'readonly', 'select']);
const HTTP_CALLS = new Set(['request', 'requests', 'call', 'calls', 'client']);
const SANDBOX_WORDS = new Set(['sandbox', 'sandboxed', 'isolated', 'pyodide', 'wasm', 'webassembly', 'microvm', 'firecracker']);

// Input-schema property names. Matched whole, then by their first or last word (`page_url`, `to_email`).
type KeyKind = 'url' | 'webhook' | 'recipient' | 'sql' | 'code' | 'code-weak' | 'path' | 'language';
const SCHEMA_KEYS: ReadonlyMap<string, KeyKind> = new Map<string, KeyKind>([
  ...['url', 'uri', 'href', 'link', 'endpoint', 'website', 'urls'].map((k) => [k, 'url'] as const),
  ...['webhook', 'webhook_url', 'webhookurl', 'callback_url', 'callbackurl', 'callback'].map((k) => [k, 'webhook'] as const),
  ...['to', 'recipient', 'recipients', 'cc', 'bcc', 'to_email', 'email_to', 'to_address', 'to_addresses', 'send_to', 'phone_number'].map(
    (k) => [k, 'recipient'] as const,
  ),
  ...['sql', 'sql_query', 'sqlquery', 'query_sql', 'statement', 'cypher', 'sparql'].map((k) => [k, 'sql'] as const),
  ...['command', 'cmd', 'commands', 'script', 'shell_command', 'bash_command', 'python_code', 'js_code', 'javascript', 'function_body'].map(
    (k) => [k, 'code'] as const,
  ),
  ...['code', 'program', 'snippet', 'source_code', 'expression_code'].map((k) => [k, 'code-weak'] as const),
  ...['path', 'paths', 'file_path', 'filepath', 'filename', 'file', 'files', 'directory', 'dir', 'folder', 'source_path', 'file_paths'].map(
    (k) => [k, 'path'] as const,
  ),
  ...['language', 'lang', 'runtime', 'interpreter', 'kernel'].map((k) => [k, 'language'] as const),
]);

// Budgets: capabilities come from what a tool says it does, which it says first. The poisoning
// rules read every character; this classifier need not, and must stay fast on hostile input.
const MAX_DESCRIPTION = 8192;
const MAX_TITLE = 256;
const MAX_NAME = 256;
const MAX_PROPERTIES = 64;
const MAX_PROPERTY_DESCRIPTION = 512;
const MAX_TOKENS = 4096;
/** How far after a verb its objects may sit: "Read the contents of a file from the file system or a URL". */
const OBJECT_WINDOW = 12;

// ---------------------------------------------------------------------------------------------
// Vocabulary index, built once
// ---------------------------------------------------------------------------------------------

type Form = 'base' | 'third' | 'ing' | 'past';

interface VerbDef {
  lemma: string;
  act: Act;
  weak: boolean;
  needsObject: boolean;
  /** 0: never a noun; 1: sometimes; 2: usually. */
  noun: 0 | 1 | 2;
}

interface WordInfo {
  verb?: VerbDef;
  form?: Form;
  /** N bit flags. */
  noun?: number;
  modifier?: number;
}

function thirdPerson(v: string): string {
  if (/(?:s|sh|ch|x|z)$/.test(v)) return `${v}es`;
  if (/[^aeiou]y$/.test(v)) return `${v.slice(0, -1)}ies`;
  return `${v}s`;
}

function ingForm(v: string): string {
  if (DOUBLES_FINAL.has(v)) return `${v}${v.at(-1)}ing`;
  if (/[^e]e$/.test(v)) return `${v.slice(0, -1)}ing`;
  return `${v}ing`;
}

function pastParticiple(v: string): string {
  const irregular = IRREGULAR_PAST[v];
  if (irregular) return irregular;
  if (DOUBLES_FINAL.has(v)) return `${v}${v.at(-1)}ed`;
  if (v.endsWith('e')) return `${v}d`;
  if (/[^aeiou]y$/.test(v)) return `${v.slice(0, -1)}ied`;
  return `${v}ed`;
}

const VOCAB: ReadonlyMap<string, WordInfo> = (() => {
  const map = new Map<string, WordInfo>();
  const entry = (w: string): WordInfo => {
    let info = map.get(w);
    if (!info) map.set(w, (info = {}));
    return info;
  };
  for (const [cls, words] of Object.entries(NOUNS) as [NounClass, string][]) {
    for (const w of words.split(/\s+/)) {
      for (const form of [w, thirdPerson(w)]) {
        const info = entry(form);
        info.noun = (info.noun ?? 0) | N[cls];
      }
    }
  }
  for (const [act, specs] of Object.entries(VERBS) as [Act, string][]) {
    for (const spec of specs.split(/\s+/)) {
      const lemma = spec.replace(/[?~^]+$/, '');
      const marks = spec.slice(lemma.length);
      const carets = marks.split('^').length - 1;
      const def: VerbDef = {
        lemma,
        act,
        weak: marks.includes('~'),
        needsObject: marks.includes('?'),
        noun: carets >= 2 ? 2 : carets === 1 ? 1 : 0,
      };
      const forms: [string, Form][] = [
        [lemma, 'base'],
        [thirdPerson(lemma), 'third'],
        [ingForm(lemma), 'ing'],
        [pastParticiple(lemma), 'past'],
      ];
      for (const [w, form] of forms) {
        const info = entry(w);
        if (info.verb) continue; // the first meaning listed wins ("read" is a base form before a past one)
        info.verb = def;
        info.form = form;
      }
    }
  }
  for (const [w, bits] of MODIFIERS) entry(w).modifier = bits;
  // "List users" is a record in prose too; "the user" is not.
  entry('users').noun = N.private;
  return map;
})();

function lookup(w: string): WordInfo | undefined {
  const direct = VOCAB.get(w);
  if (direct) return direct;
  if (w.endsWith("'s") || w.endsWith('’s')) return VOCAB.get(w.slice(0, -2));
  if (w.includes('-')) {
    const alias = HYPHENATED.get(w);
    if (alias) return VOCAB.get(alias);
    // "sub-directory", "end-user": the last part names the thing; a hyphenated verb ("read-only") is not a verb.
    const last = VOCAB.get(w.slice(w.lastIndexOf('-') + 1));
    return last?.noun !== undefined ? { noun: last.noun } : undefined;
  }
  return undefined;
}

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
// Tokens
// ---------------------------------------------------------------------------------------------

const WORD = 0;
const COMMA = 1;
const STOP = 2;

interface Token {
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
function tokenize(text: string): Token[] {
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
function nameWords(name: string): string[] {
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

/** The nouns a verb acts on: all of them, the first (its direct object), and "permanently" nearby. */
interface Objects {
  bits: number;
  direct: number;
  permanent: boolean;
  /** The clause calls itself read-only ("runs a read-only SQL query"). */
  readOnly?: boolean;
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

function isAdverb(w: string): boolean {
  return ADVERBS.has(w) || PERMANENT.has(w) || (w.length > 4 && w.endsWith('ly') && !VOCAB.has(w));
}

function isVerbWord(t: Token | undefined): boolean {
  return t?.info?.verb !== undefined;
}

class Sentence {
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
function objectFollows(sent: Sentence, i: number, noun: VerbDef['noun']): boolean {
  const next = sent.toks[i + 1];
  if (i + 1 >= sent.end || next === undefined) return false;
  // A word that is usually a noun needs a determiner to be a verb: "Message the user", but not
  // "Message history for a channel" or "Posts from the feed".
  if (noun === 2) return DETERMINERS.has(next.w) || next.w === 'to' || next.w === 'on';
  if (next.kind === COMMA) return true;
  if (next.info !== undefined || DETERMINERS.has(next.w) || PREPOSITIONS.has(next.w) || LIST_OPENERS.has(next.w) || isAdverb(next.w)) return true;
  return sent.objects(i, false).bits !== 0; // "List objects in an S3 bucket"
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
