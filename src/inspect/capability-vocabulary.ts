// The words the capability classifier (./capabilities.ts) knows, as data: verbs by what they do
// to their object, nouns by what they name, and the cue words around them (negations, openers,
// determiners, conjunctions, schema property names), then the index of every word form built
// from them once at load. Kept apart from the classifier's logic so that teaching it a word is an
// edit to a table, not to code; the tokenizer (./capability-text.ts) reads words through lookup().

// ---------------------------------------------------------------------------------------------
// Vocabulary (data)
// ---------------------------------------------------------------------------------------------

/** What a verb does to its object; the object decides the capability (see resolve() in capabilities.ts). */
export type Act = 'read' | 'fetch' | 'navigate' | 'write' | 'send' | 'destroy' | 'remove' | 'execute';

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
export const N = {
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
export const OBJECT_BITS = N.private | N.untrusted | N.web | N.url | N.public | N.code | N.sql | N.mute | N.thing;

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
export const NAME_NOUNS: ReadonlyMap<string, number> = new Map([
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
export const COMPOUNDS: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
  ['pull', new Map([['request', 'pull_request'], ['requests', 'pull_requests']])],
  ['merge', new Map([['request', 'merge_request'], ['requests', 'merge_requests']])],
  ['web', new Map([['page', 'webpage'], ['pages', 'webpages'], ['site', 'website'], ['sites', 'websites']])],
  ['file', new Map([['system', 'filesystem']])],
]);

export const NEGATIONS = new Set([
  'not', 'never', 'cannot', "can't", 'can’t', "won't", 'won’t', "doesn't", 'doesn’t', "don't", 'don’t', "isn't", 'isn’t',
  "aren't", 'aren’t', "shouldn't", 'shouldn’t', "mustn't", 'mustn’t', "didn't", 'didn’t', 'nor', 'neither', 'unable',
  'avoid', 'avoids', 'prevent', 'prevents', 'rather', 'instead',
]);
/** Negations that reach only the next few words ("no data is sent", "without deleting"). */
export const NEAR_NEGATIONS = new Set(['no', 'without', 'nothing', 'none', 'would']);
/** After the verb: "delete is not supported", "sending disabled". */
export const AFTER_NEGATIONS = new Set(['not', 'never', 'disabled', 'unsupported', 'forbidden', 'prohibited', 'blocked']);
export const AFTER_SUBJECTS = new Set(['is', 'are', 'operation', 'operations', 'access', 'action', 'actions', 'functionality', 'support']);

/** A verb right after these is what the tool does: "to delete", "can send", "this tool runs", "lets you post". */
export const OPENERS = new Set([
  'to', 'can', 'will', 'may', 'might', 'must', 'shall', 'should', 'could', 'you', 'it', 'this', 'tool', 'server',
  'function', 'endpoint', 'operation', 'action', 'assistant', 'agent', 'model', 'also', 'then', 'please', 'and', 'or',
]);
/** Openers that join a list: the verb opens a clause only when a verb came before ("create, update or delete"). */
export const LIST_OPENERS = new Set(['and', 'or', 'then']);
/** After "and", these make a nounish word a verb: "… and posts a summary", not "issues and comments". */
export const DETERMINERS = new Set(['a', 'an', 'the', 'your', 'my', 'our', 'their', 'its', 'it', 'them', 'this', 'these', 'those', 'all', 'any', 'every', 'new']);
export const PREPOSITIONS = new Set(['for', 'to', 'on', 'in', 'into', 'from', 'with', 'by', 'up', 'out', 'through', 'across', 'over', 'about', 'at']);
/** "how to delete" is a topic, not an ability. */
export const NOT_PURPOSE = new Set(['how', 'what', 'where', 'which', 'who']);
export const ING_OPENERS = new Set(['for', 'by', 'supports', 'support', 'allows', 'allow', 'enables', 'enable', 'including', 'permits', 'when', 'while', 'before', 'after', 'via']);
export const PASSIVE_AUX = new Set(['is', 'are', 'be', 'being', 'been', 'gets', 'get', 'getting']);
export const CONJUNCTIONS = new Set(['and', 'or', 'but', 'then', 'which', 'while', 'unless', 'whereas', 'although', 'though', 'so']);
export const HARD_CONJUNCTIONS = new Set(['but', 'which', 'while', 'unless', 'whereas', 'although', 'though', 'so']);
export const ADVERBS = new Set(['also', 'then', 'just', 'first', 'now', 'still', 'even', 'again', 'only', 'safely', 'quickly', 'please', 'optionally']);
export const PERMANENT = new Set(['permanently', 'irreversibly', 'irrecoverably', 'forever', 'completely', 'entirely', 'recursively']);
/** After "use"/"call" at the start of a sentence, these mean this very tool ("Use this to…", "Use with care"). */
export const SELF_AFTER_USE = new Set([
  'this', 'it', 'when', 'with', 'for', 'only', 'to', 'carefully', 'caution', 'sparingly', 'if', 'whenever', 'in', 'as',
  'cautiously', 'responsibly', 'me', 'on',
]);
export const REFERRING_VERBS = new Set(['use', 'call', 'prefer', 'try', 'see']);
export const OTHER = new Set(['another', 'other', 'different', 'following', 'separate', 'dedicated']);
export const ARTICLES = new Set(['a', 'an', 'the']);
/** Verbs that request an address when their object is one ("reads a URL"); "lists links" does not. */
export const URL_READERS = new Set(['get', 'read', 'open', 'load', 'retrieve', 'extract', 'summarize', 'summarise', 'analyze', 'analyse', 'scan', 'inspect', 'access', 'capture', 'view', 'check']);
/** Writing verbs that put the caller's words into a public place ("create an issue"); "mark", "label" and "draft" do not. */
export const PUBLISHING = new Set(['create', 'write', 'add', 'update', 'edit', 'append', 'insert', 'upsert', 'patch', 'put', 'replace', 'save', 'store', 'import', 'duplicate', 'modify']);
/** Execution verbs that need no object in a tool name: a tool called `exec` or `puppeteer_evaluate`. */
export const BARE_EXECUTORS = new Set(['exec', 'eval', 'execute', 'evaluate', 'interpret']);
/** Whole-name interpreters: a tool called `bash`, `terminal` or `python` runs what it is given. */
export const INTERPRETER_NAMES = new Set(['shell', 'bash', 'sh', 'zsh', 'powershell', 'pwsh', 'terminal', 'repl', 'cmd', 'python', 'javascript', 'node', 'ruby']);
/** Words that make a tool name a question or a rehearsal: `preview_delete`, `can_send`, `explain_sql`. */
export const NAME_PREDICATES = new Set(['dry', 'preview', 'plan', 'simulate', 'validate', 'explain', 'estimate', 'suggest', 'can', 'is', 'has', 'should', 'lint', 'check']);
/** Followed by these, a code word names the ability itself: "code execution", "Python sandbox". */
export const CODE_ABILITY = new Set(['execution', 'interpreter', 'runner', 'sandbox']);
/** Nouns that are the open web on their own ("searches the internet", "web results"). */
export const STANDALONE_WEB = new Set(['web', 'internet', 'webpage', 'webpages', 'website', 'websites']);
export const READ_ONLY_WORDS = new Set(['read-only', 'readonly', 'select']);
export const HTTP_CALLS = new Set(['request', 'requests', 'call', 'calls', 'client']);
export const SANDBOX_WORDS = new Set(['sandbox', 'sandboxed', 'isolated', 'pyodide', 'wasm', 'webassembly', 'microvm', 'firecracker']);

// Input-schema property names. Matched whole, then by their first or last word (`page_url`, `to_email`).
export type KeyKind = 'url' | 'webhook' | 'recipient' | 'sql' | 'code' | 'code-weak' | 'path' | 'language';
export const SCHEMA_KEYS: ReadonlyMap<string, KeyKind> = new Map<string, KeyKind>([
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

// ---------------------------------------------------------------------------------------------
// Vocabulary index, built once
// ---------------------------------------------------------------------------------------------

type Form = 'base' | 'third' | 'ing' | 'past';

export interface VerbDef {
  lemma: string;
  act: Act;
  weak: boolean;
  needsObject: boolean;
  /** 0: never a noun; 1: sometimes; 2: usually. */
  noun: 0 | 1 | 2;
}

export interface WordInfo {
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

export const VOCAB: ReadonlyMap<string, WordInfo> = (() => {
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

export function lookup(w: string): WordInfo | undefined {
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
