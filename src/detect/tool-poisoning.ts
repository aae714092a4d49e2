// Poison in what a server shows the model. Each technique is judged on intent, not on words:
// an *order* (see clauses.ts) about a sensitive file, about smuggling data into an argument,
// about another server's tools, or about hiding itself; a schema field that *asks* for secrets or
// the conversation; characters and encodings a reviewer cannot read. Honest descriptions mention
// `~/.ssh`, say IMPORTANT and MUST, and send users to sibling tools; none of that alone is poison.
import type { DefinitionText } from '../inspect/texts.js';
import { clausesOf, type Clause } from './clauses.js';
import { findInjectionPhrases, SENSITIVE_TARGETS, type InjectionCategory } from './injection-phrases.js';
import { evidenceSnippet, findHiddenRuns } from './unicode.js';

export type PoisonTechnique =
  | 'model-instructions'
  | 'concealment'
  | 'sensitive-access'
  | 'exfiltration'
  | 'shadowing'
  | 'hidden-characters'
  | 'encoded-payload';

export interface PoisonHit {
  technique: PoisonTechnique;
  pointer: string;
  /** Span inside the text at `pointer`. */
  offset: number;
  length: number;
  message: string;
  evidence: string;
  severity: 'critical' | 'high' | 'medium' | 'low';
}

export interface PoisonSubject {
  /** The definition's own name and its schema's property names: not "other tools". */
  name: string;
  texts: readonly DefinitionText[];
  /** Tools of the same server, which a description may name freely. */
  siblings: ReadonlySet<string>;
}

/** Texts that are prose read by the model (as opposed to identifiers). */
const PROSE_ROLES = new Set<DefinitionText['role']>(['description', 'title', 'schema-description', 'schema-value', 'annotation', 'instructions', 'other']);
/** Texts that describe an argument the model fills in: a request there is a request for data. */
const ARGUMENT_ROLES = new Set<DefinitionText['role']>(['schema-description', 'property-name', 'schema-value']);

// --- what an order can be about --------------------------------------------------------------

const ACCESS_VERB = /\b(?:read|open|load|cat|fetch|retrieve|get|grab|collect|gather|extract|obtain|access|dump|print|list|look up|locate|find|copy|include|pass|attach|send|upload|provide|supply|paste|put|add|append|insert|embed|forward|share|check|scan|search|output|return|echo|enumerate|concatenate|base64|encode|harvest|capture|steal|export)\b/;
const NEGATION_BEFORE = /\b(?:never|not|n['’]t|no|without|nor|avoid|refrain from|instead of)\b[^.]{0,30}$/;

/** Secrets beyond files: key material and credential stores named in prose. */
const EXTRA_SENSITIVE = /\b(?:private keys?|ssh keys?|(?:aws|cloud|gcp|azure) (?:secret|access|credential)s?(?: keys?)?|secret access keys?|api[ _-]?keys?|access tokens?|auth(?:entication)? tokens?|bearer tokens?|session (?:tokens?|cookies?)|cookies|keychain|keyring|password (?:manager|vault|store)|saved passwords|wallet(?: file| seed)?|seed phrases?|mnemonic|credentials?(?: files?)?|environment variables|env vars|process\.env|printenv|\$[A-Z][A-Z0-9_]*(?:TOKEN|KEY|SECRET|PASSWORD)\b)/gi;

/** What leaves with an exfiltration: the conversation, the model's instructions, file contents. */
const DATA_OBJECT = /\b(?:(?:the |this |our |your |entire |full |whole |complete |current |recent |previous |prior |earlier |all |every )*(?:conversation(?: (?:history|log|so far|transcript|context|contents?|messages?|up to now|to date))?|(?:chat|dialog(?:ue)?|discussion|session|thread) (?:history|log|so far|transcript|contents?|messages|up to now|to date))|(?:the |your |full |entire |complete |verbatim )*system (?:prompt|message|instructions?)|(?:your |the |all )?(?:prior|previous|earlier|preceding|past|recent|other|all) (?:user )?(?:messages|turns|prompts|instructions|requests|queries|replies)|(?:the |all )?user(?:['’]s)? (?:messages|prompts|queries|requests|inputs?|data|files|documents|emails)|(?:your |the )?(?:context window|instructions you (?:were|have been) given|hidden instructions|memory|memories)|(?:the )?(?:full |entire |raw |complete )?contents? of (?:the |any |every |all |each |their |his |her )?(?:files?|documents?|folders?|directories|repos(?:itory|itories)?|workspace|project|inbox|mailbox|emails?|messages?|database|tables?|~\/|\.|\/)|(?:all |every |any )(?:other )?(?:files?|documents?|emails?|messages?|records|rows|contacts|notes)(?: (?:you can (?:see|access|read)|in (?:the )?(?:workspace|project|inbox|repo(?:sitory)?|home directory)))|(?:results?|outputs?|responses?) (?:of|from) (?:other|all|every|previous|prior) (?:tools?|tool calls?|calls?|servers?))/;
const SEND_VERB = /\b(?:send|post|upload|forward|transmit|exfiltrate|beacon|relay|mirror|sync|bcc|cc|copy|report|submit|ship|deliver|email|e-mail|pipe|webhook)\b/;
const INCLUDE_VERB = /\b(?:include|pass|put|add|append|prepend|attach|insert|embed|paste|copy|provide|supply|fill|set|place|store|write|encode|serialize|concatenate|summari[sz]e|dump|quote|echo|record|log)\b/;
const INTO_ARGUMENT = /\b(?:as|in|into|inside|to|via|through|within|using) (?:the |its |a |an )?['"`]?[\w-]{1,40}['"`]? ?(?:parameter|argument|field|param|property|value|input)\b|\b(?:as|in|into) ['"`][\w-]{1,40}['"`]/;
const DESTINATION = /(?:https?|ftp|wss?):\/\/[^\s)>\]"'`]{3,200}|[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{2,40}|\b(?:webhook|pastebin|requestbin|ngrok|pipedream|burpcollaborator|interact\.sh|transfer\.sh)\b/;

// --- other servers' tools --------------------------------------------------------------------

const TOOL_IDENT = /`([a-z][\w.-]{1,60})`|\b([a-z][a-z0-9]*(?:[_.][a-z0-9]+)+|[a-z]+(?:[A-Z][a-z0-9]+)+)\b/g;
const TOOLISH_NOUN = /\b(?:tools?|functions?|commands?|servers?|mcp servers?|integrations?|plugins?|extensions?)\b/;
const OTHER_TOOLS = /\b(?:all|any|every|each) (?:other |of the other |subsequent |future |later |remaining )?(?:tools?|tool calls?|functions?|servers?|mcp servers?|integrations?|plugins?|requests? to (?:other )?(?:tools?|servers?))\b|\b(?:other|another|third-party|external) (?:tools?|mcp servers?|servers?|integrations?|plugins?|functions?)\b|\bthe \w{2,30} (?:server|mcp|mcp server|integration|plugin)(?:['’]s)?\b/;
const BEHAVIOUR = /\b(?:must|should|shall|always|never|instead|rather than|in place of|replace[sd]?|overrides?|supersedes?|takes? precedence|redirect|reroute|route|intercept|wrap|proxy|disable[sd]?|deprecated|broken|unsafe|do not use|don['’]t use|stop using|no longer use|only use|automatically|also (?:send|add|include|cc|bcc|copy|forward|call|set)|add (?:a )?(?:bcc|cc)|bcc|cc:)\b/;
const USES_OTHER = /\b(?:when(?:ever)?|before|after|each time|every time|any time|if) (?:you |the (?:assistant|model|agent|user) )?(?:use|uses|using|call|calls|calling|invoke|invokes|invoking|run|runs|running|send|sends|sending|execute|executing)\b|\b(?:tool|server|function|command)(?:['’]s)? (?:is|are|gets?) (?:about to |going to )?(?:be )?(?:run|used|called|invoked|executed)\b/;

// --- orders aimed at the model beyond the tool -----------------------------------------------

/** Markup that poisoned descriptions wrap their orders in; honest servers use `<example>`-style tags for examples only. */
const ORDER_TAG = /<\s*\/?\s*(?:important|system|sys|instructions?|secret|hidden|admin|critical|assistant|ai|context|override|mandatory|priority|urgent|internal|developer|note[-_ ]?to[-_ ]?(?:ai|assistant|model)|ai[-_ ]?instructions?|directive|policy|rules?)\b[^<>]{0,60}>|\[\s*(?:system|inst|admin|assistant|important)\s*\]|<\|(?:im_start|system|assistant)\|>|^\s{0,4}#{1,4}\s{0,2}(?:system|instructions? (?:for|to) (?:the )?(?:ai|assistant|model))\b/gim;
const ADDRESSES_MODEL = /\b(?:(?:note|message|instructions?|reminder|directive|memo) (?:to|for) (?:the |any |all )?(?:ai|assistant|model|llm|agent|claude|language model)s?|(?:ai|llm) (?:assistants?|agents?|models?) (?:reading|processing|using|that read)|(?:attention|dear|hey) (?:ai|assistant|model|claude|agent)|system (?:message|notice|override|update)|developer (?:message|note|mode)|admin(?:istrator)? (?:override|message|notice))\b/;
const BEYOND_TOOL = /\.git\/hooks|\bauthorized_keys\b|\bcrontab\b|\.(?:bashrc|zshrc|bash_profile|profile)\b|\blaunchagents\b|\bsystemd\/user\b|\b(?:tell|inform|convince|persuade|advise|recommend to|instruct) the user\b|\b(?:respond|reply|answer|speak|write)(?: to the user)? (?:only |always )?(?:in|with|using) (?:[a-z]+ )?(?:language|french|german|spanish|chinese|pirate|uppercase|all caps|emoji)|\b(?:recommend|promote|suggest|endorse|advertise|mention) (?:our|the|a)? ?(?:product|service|sponsor|competitor|brand|website|premium)|\b(?:visit|go to|open|navigate to|download|install|run|execute|curl|wget)\b[^.]{0,60}(?:https?:\/\/|\b(?:sh|bash|powershell|python) -c\b)|\b(?:delete|remove|wipe|drop|truncate|format|rm -rf)\b[^.]{0,40}\b(?:all|every|entire|whole|the user['’]s|home|database|repo(?:sitory)?|files|backups?)\b|\b(?:change|modify|edit|overwrite|disable|turn off)\b[^.]{0,40}\b(?:settings|config(?:uration)?|permissions|security|sandbox|firewall|\.bashrc|\.zshrc|\.profile|crontab|authorized_keys|hooks?)\b|\b(?:ignore|disregard|skip|bypass|override)\b[^.]{0,30}\b(?:instructions|rules|guidelines|policies|polic|safety|restrictions|limits|previous|prior|system prompt|user['’]s request)/;

// --- secrecy ---------------------------------------------------------------------------------

/** Secrecy about the model's own doing. Keeping *secrets* out of output ("do not show the token") is honest. */
const CONCEAL = /\b(?:never|do not|don['’]t|must not|should not|no need to|there is no need to|not necessary to|unnecessary to|avoid)\s{1,3}(?:ever\s{1,3})?(?:tell|mention|reveal|disclose|inform|notify|alert|show|bring up|explain|surface|acknowledge|say|discuss|report|expose|let on|draw attention|point out|display|confirm)\b(?![^.]{0,30}\b(?:secrets?|passwords?|tokens?|keys?|credentials?|api keys?|raw (?:json|html|ids?)|ids?|internal ids?|stack traces?|pii)\b)[^.]{0,60}?\b(?:the user|users?|the human|anyone|them|this|these|that|it|anything|the (?:sidenote|note|notes|parameter|argument|field|step|instruction|instructions|requirement|above|following|extra|additional|hidden|bcc|copy|context|metadata)|you(?:['’]ve| have)? (?:read|sent|included|added|collected|accessed))\b|\b(?:keep|treat)\s{1,3}(?:this|it|these|that|the \w{2,20}(?: \w{2,20})?)\s{1,3}(?:(?:as\s{1,3})?(?:a\s{1,3})?(?:secret|hidden|confidential|private|internal|quiet|invisible)|between (?:us|you and)|to yourself|from the user)\b|\b(?:internal|implementation|technical) detail\b[^.]{0,60}\b(?:don['’]t|do not|never|no need|not)\b|\b(?:the user|users|the human)\s{1,3}(?:does not|doesn['’]t|do not|don['’]t|must not|should not|need not|will not|won['’]t|is not to)\s{1,3}(?:need to\s{1,3})?(?:know|see|notice|be told|be informed|be aware|find out|learn|hear)\b|\binvisible to the user\b|\b(?:no need to|don['’]t|do not|never|without)\s{1,3}(?:list|listing|note|noting|record|recording|log|logging|include|including|show|showing)\b[^.]{0,40}\b(?:in|among|from|with) (?:the |your )?(?:changes|summary|report|response|answer|reply|final message|output to the user)\b|\b(?:silently|quietly|secretly|covertly|discreetly|stealthily|without (?:asking|telling|informing|notifying|mentioning|letting))\b/;

// --- encodings -------------------------------------------------------------------------------

const BASE64_RUN = /(?:[A-Za-z0-9+/]{4}){6,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?|(?:[A-Za-z0-9_-]{4}){8,}/g;
const HEX_RUN = /\b(?:[0-9a-fA-F]{2}){16,}\b|(?:\\x[0-9a-fA-F]{2}){8,}/g;
const DECODE_ORDER = /\b(?:decode|base64[- ]?decode|un-?hex|deobfuscate|decrypt|rot13)\b[^.]{0,80}\b(?:follow|execute|run|obey|apply|carry out|do what|treat|act on|comply)\b|\b(?:follow|execute|run|obey|apply)\b[^.]{0,40}\b(?:decoded|encoded|base64|hex)\b/;

const MAX_HITS_PER_TECHNIQUE = 20;
const RANK = { low: 0, medium: 1, high: 2, critical: 3 } as const;

function capitalise(s: string): string {
  return `${s[0]!.toUpperCase()}${s.slice(1)}`;
}

/** Is the match at `index` in a clause preceded, within the clause, by a negation? */
function negatedAt(clause: string, index: number): boolean {
  return NEGATION_BEFORE.test(clause.slice(Math.max(0, index - 60), index));
}

function sensitiveIn(clause: string): { index: number; label: string } | undefined {
  for (const t of SENSITIVE_TARGETS) {
    t.pattern.lastIndex = 0;
    const m = t.pattern.exec(clause);
    if (m) return { index: m.index, label: t.label };
  }
  EXTRA_SENSITIVE.lastIndex = 0;
  const m = EXTRA_SENSITIVE.exec(clause);
  return m ? { index: m.index, label: m[0] } : undefined;
}

/** An access verb that is not negated, anywhere in the clause. */
function affirmedVerb(clause: string, verb: RegExp): boolean {
  const re = new RegExp(verb.source, 'g');
  for (let m = re.exec(clause); m; m = re.exec(clause)) if (!negatedAt(clause, m.index)) return true;
  return false;
}

function toolReferences(clause: string, subject: PoisonSubject, ownWords: ReadonlySet<string>): string[] {
  const out: string[] = [];
  TOOL_IDENT.lastIndex = 0;
  for (let m = TOOL_IDENT.exec(clause); m && out.length < 8; m = TOOL_IDENT.exec(clause)) {
    const ident = (m[1] ?? m[2])!;
    const bare = ident.replace(/\(\)$/, '');
    if (subject.siblings.has(bare) || bare === subject.name.toLowerCase() || ownWords.has(bare)) continue;
    if (/\.(?:json|ya?ml|toml|md|txt|env|js|ts|py|sh|com|org|io|net|dev)$/.test(bare) || /^(?:e\.g|i\.e|etc)$/.test(bare)) continue;
    out.push(bare);
  }
  return out;
}

interface Collector {
  add(hit: Omit<PoisonHit, 'evidence'>, text: string): void;
  hits: PoisonHit[];
}

function collector(): Collector {
  const count = new Map<PoisonTechnique, number>();
  const hits: PoisonHit[] = [];
  return {
    hits,
    add(hit, text) {
      // Two detectors often see one phrase; keep the graver reading of an overlapping span.
      const same = hits.findIndex((h) => h.technique === hit.technique && h.pointer === hit.pointer && h.offset < hit.offset + hit.length && hit.offset < h.offset + h.length);
      if (same !== -1) {
        if (RANK[hit.severity] > RANK[hits[same]!.severity]) hits[same] = { ...hit, evidence: evidenceSnippet(text, hit.offset, hit.length) };
        return;
      }
      const n = count.get(hit.technique) ?? 0;
      if (n >= MAX_HITS_PER_TECHNIQUE) return;
      count.set(hit.technique, n + 1);
      hits.push({ ...hit, evidence: evidenceSnippet(text, hit.offset, hit.length) });
    },
  };
}

const PHRASE_TECHNIQUE: Partial<Record<InjectionCategory, PoisonTechnique>> = {
  override: 'model-instructions',
  'safety-bypass': 'model-instructions',
  'remote-code': 'model-instructions',
  concealment: 'concealment',
  exfiltration: 'exfiltration',
};

function judgeClause(c: Clause, t: DefinitionText, subject: PoisonSubject, ownWords: ReadonlySet<string>, out: Collector): void {
  const at = { pointer: t.pointer, offset: c.offset, length: c.length };
  const argument = ARGUMENT_ROLES.has(t.role);
  const ordered = c.directive && !c.negated;

  // Sensitive files and secrets: an order to touch them, or an argument that asks for them.
  const sensitive = sensitiveIn(c.text);
  if (sensitive && !negatedAt(c.text, sensitive.index)) {
    const asksForContent = argument && /\b(?:contents?|full text|text of|body of|copy of|output of|value of|values of|data (?:from|in|of)|paste|entire|raw|verbatim|all of)\b/.test(c.text);
    if ((ordered && affirmedVerb(c.text, ACCESS_VERB)) || asksForContent) {
      out.add({ ...at, technique: 'sensitive-access', severity: 'high', message: `Tells the model to read ${sensitive.label}` + (argument ? ' into an argument' : '') }, t.text);
    }
  }

  // A secret handed to an argument ("pass its content as 'sidenote'") leaves with the call.
  if (sensitive && ordered && affirmedVerb(c.text, INCLUDE_VERB) && INTO_ARGUMENT.test(c.text)) {
    out.add({ ...at, technique: 'exfiltration', severity: 'critical', message: `Tells the model to put ${sensitive.label} into an argument` }, t.text);
  }

  // Data smuggled out: the conversation, instructions or file contents into an argument or to a destination.
  const data = DATA_OBJECT.exec(c.text);
  if (data && !negatedAt(c.text, data.index)) {
    const into = ordered && (affirmedVerb(c.text, INCLUDE_VERB) || affirmedVerb(c.text, SEND_VERB));
    if (into || argument) {
      out.add({ ...at, technique: 'exfiltration', severity: 'critical', message: `Asks the model to hand over ${data[0].trim()}${argument ? ' through an argument' : ''}` }, t.text);
    }
  }
  const dest = DESTINATION.exec(c.text);
  if (dest && ordered && affirmedVerb(c.text, SEND_VERB) && (sensitive || data || /\b(?:copy|copies|bcc|cc|results?|outputs?|responses?|contents?|everything|all (?:data|messages|files))\b/.test(c.text))) {
    out.add({ ...at, technique: 'exfiltration', severity: 'critical', message: `Tells the model to send data to ${dest[0].slice(0, 80)}` }, t.text);
  }

  // Shadowing: orders about how *other* tools or servers behave.
  const others = toolReferences(c.text, subject, ownWords);
  const generic = OTHER_TOOLS.exec(c.text);
  if ((others.length > 0 && (TOOLISH_NOUN.test(c.text) || /`/.test(c.text) || USES_OTHER.test(c.text))) || generic) {
    const prescribes = BEHAVIOUR.test(c.text) || USES_OTHER.test(c.text);
    if ((prescribes || c.directive) && (c.directive || USES_OTHER.test(c.text) || /\b(?:must|should|shall|instead|replaces?|overrides?|supersedes?|deprecated|broken|unsafe)\b/.test(c.text))) {
      const what = others[0] ? `\`${others[0]}\`` : generic![0];
      out.add({ ...at, technique: 'shadowing', severity: 'high', message: `Tells the model how ${what} must behave (another tool or server)` }, t.text);
    }
  }

  // Secrecy: about what the model itself does. A tool's own behaviour ("unknown fields are
  // silently ignored") is description, so a bare adverb counts only inside an order.
  const conceal = CONCEAL.exec(c.text);
  if (conceal && (c.directive || !/^(?:silently|quietly|secretly|covertly|discreetly|stealthily)$/.test(conceal[0]))) {
    const adverbOnly = /^(?:silently|quietly|secretly|covertly|discreetly|stealthily)$/.test(conceal[0]);
    if (!adverbOnly || ordered) out.add({ ...at, technique: 'concealment', severity: 'high', message: 'Tells the model to keep what it does from the user' }, t.text);
  }

  // Orders beyond the tool's job, or addressed to the model by name.
  if (ADDRESSES_MODEL.test(c.text)) {
    out.add({ ...at, technique: 'model-instructions', severity: 'high', message: 'Addresses the model with a message of its own' }, t.text);
  } else if (ordered && BEYOND_TOOL.test(c.text)) {
    out.add({ ...at, technique: 'model-instructions', severity: 'high', message: "Gives the model an order unrelated to the tool's job" }, t.text);
  }
}

function judgeTags(t: DefinitionText, clauses: readonly Clause[], out: Collector): void {
  ORDER_TAG.lastIndex = 0;
  for (let m = ORDER_TAG.exec(t.text); m; m = ORDER_TAG.exec(t.text)) {
    if (m[0].startsWith('</')) continue;
    // The tag carries orders when a clause within the next few hundred characters gives one.
    const end = m.index + m[0].length;
    const inside = clauses.some((c) => c.offset >= end - 1 && c.offset < end + 400 && c.directive);
    if (inside) {
      out.add({ technique: 'model-instructions', pointer: t.pointer, offset: m.index, length: m[0].length, severity: 'high', message: `Wraps orders to the model in ${m[0].trim().slice(0, 40)}` }, t.text);
    }
  }
}

function judgePhrases(t: DefinitionText, out: Collector): void {
  for (const p of findInjectionPhrases(t.text)) {
    const technique = PHRASE_TECHNIQUE[p.category];
    if (!technique || p.context !== 'prose') continue;
    out.add({ technique, pointer: t.pointer, offset: p.offset, length: p.length, severity: p.severity === 'info' ? 'low' : p.severity, message: capitalise(p.label) }, t.text);
  }
}

function printableRatio(s: string): number {
  let ok = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09) ok++;
  }
  return s.length === 0 ? 0 : ok / s.length;
}

/** Decoded text that reads as words, not bytes or JSON an example carries (a JWT header). */
function readsAsWords(s: string): boolean {
  if (s.length < 12 || printableRatio(s) < 0.95) return false;
  if (/^\s*[[{]/.test(s)) return false;
  return (s.match(/[a-z]{2,}\s/gi)?.length ?? 0) >= 3;
}

function judgeEncodings(t: DefinitionText, out: Collector): void {
  if (DECODE_ORDER.test(t.text.toLowerCase())) {
    const m = DECODE_ORDER.exec(t.text.toLowerCase())!;
    out.add({ technique: 'encoded-payload', pointer: t.pointer, offset: m.index, length: m[0].length, severity: 'high', message: 'Tells the model to decode a payload and act on it' }, t.text);
  }
  BASE64_RUN.lastIndex = 0;
  for (let m = BASE64_RUN.exec(t.text); m; m = BASE64_RUN.exec(t.text)) {
    const run = m[0];
    if (!/[A-Z]/.test(run) || !/[a-z]/.test(run) || !/\d|[+/=_-]/.test(run)) continue;
    const decoded = Buffer.from(run.replaceAll('-', '+').replaceAll('_', '/'), 'base64').toString('latin1');
    if (readsAsWords(decoded)) {
      out.add({ technique: 'encoded-payload', pointer: t.pointer, offset: m.index, length: run.length, severity: 'high', message: `Hides base64 text: "${decoded.slice(0, 60).replace(/\s+/g, ' ')}${decoded.length > 60 ? '…' : ''}"` }, t.text);
    }
  }
  HEX_RUN.lastIndex = 0;
  for (let m = HEX_RUN.exec(t.text); m; m = HEX_RUN.exec(t.text)) {
    const hex = m[0].replaceAll('\\x', '');
    const decoded = Buffer.from(hex, 'hex').toString('latin1');
    if (readsAsWords(decoded)) {
      out.add({ technique: 'encoded-payload', pointer: t.pointer, offset: m.index, length: m[0].length, severity: 'high', message: `Hides hex-encoded text: "${decoded.slice(0, 60).replace(/\s+/g, ' ')}${decoded.length > 60 ? '…' : ''}"` }, t.text);
    }
  }
}

/** Letters from Cyrillic or Greek (or fullwidth forms) mixed into an otherwise Latin identifier. */
function homoglyphs(name: string): { offset: number; length: number } | undefined {
  if (!/[A-Za-z]/.test(name)) return undefined;
  const m = /[\u0370-\u03ff\u0400-\u052f\uff21-\uff5a\u1d00-\u1d7f\u0250-\u02af]/.exec(name);
  return m ? { offset: m.index, length: 1 } : undefined;
}

function judgeCharacters(t: DefinitionText, out: Collector): void {
  for (const run of findHiddenRuns(t.text, 20)) {
    const decoded = run.decoded ? `: "${run.decoded.slice(0, 60)}"` : '';
    out.add({ technique: 'hidden-characters', pointer: t.pointer, offset: run.offset, length: run.length, severity: run.decoded || run.kinds.some((k) => k === 'tag' || k === 'bidi' || k === 'ansi') ? 'high' : 'medium', message: `Hides ${run.kinds.join(' and ')} characters${decoded}` }, t.text);
  }
  if (t.role === 'name' || t.role === 'property-name') {
    const h = homoglyphs(t.text);
    if (h) out.add({ technique: 'hidden-characters', pointer: t.pointer, ...h, severity: 'high', message: `The name mixes look-alike letters from another script (U+${t.text.codePointAt(h.offset)!.toString(16).toUpperCase().padStart(4, '0')}) into Latin text` }, t.text);
  }
}

/** Every poisoning hit in one definition's texts. */
export function findPoison(subject: PoisonSubject): PoisonHit[] {
  const out = collector();
  const ownWords = new Set(subject.texts.filter((t) => t.role === 'property-name').map((t) => t.text.toLowerCase()));
  for (const t of subject.texts) {
    judgeCharacters(t, out);
    if (t.text.length < 8) continue;
    judgeEncodings(t, out);
    if (!PROSE_ROLES.has(t.role) && t.role !== 'property-name' && t.role !== 'name') continue;
    const clauses = clausesOf(t.role === 'property-name' || t.role === 'name' ? t.text.replace(/[_-]+/g, ' ') : t.text);
    judgePhrases(t, out);
    judgeTags(t, clauses, out);
    for (const c of clauses) judgeClause(c, t, subject, ownWords, out);
  }
  return out.hits;
}
