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
  /** Set when the definition held more than texts.ts reads: what was not read cannot be vouched for. */
  truncated?: 'depth' | 'count';
  /** Tools of the same server, which a description may name freely. */
  siblings: ReadonlySet<string>;
}

/** Texts that are prose read by the model (as opposed to identifiers). */
const PROSE_ROLES = new Set<DefinitionText['role']>(['description', 'title', 'schema-description', 'schema-value', 'annotation', 'instructions', 'other']);
/** Texts that describe an argument the model fills in: a request there is a request for data. */
const ARGUMENT_ROLES = new Set<DefinitionText['role']>(['schema-description', 'property-name', 'schema-value']);

// --- what an order can be about --------------------------------------------------------------

const ACCESS_VERB = /\b(?:enter|fill|read|open|load|cat|fetch|retrieve|get|grab|collect|gather|extract|obtain|access|dump|print|list|look up|look for|look in|locate|find|copy|type|use|pull|mount|bind|print|read out|post|publish|write|store|email|include|pass|attach|send|upload|provide|supply|paste|put|add|append|insert|embed|forward|share|check|scan|search|output|return|echo|enumerate|concatenate|base64|encode|harvest|capture|steal|export)(?:s|es|ed|d|ing)?\b/;
const NEGATION_BEFORE = /\b(?:never|not|n['’]t|no|without|nor|avoid|refrain from|instead of)\b[^.]{0,30}$/;

/** Secrets beyond files: key material and credential stores named in prose. */
// Names start at a word boundary; paths and variables (`~/.sfdx`, `.pem`, `$TOKEN`) may follow `/` or a space.
const EXTRA_SENSITIVE = /\b(?:private keys?|ssh keys?|(?:aws|cloud|gcp|azure) (?:secret|access|credential)s?(?: keys?)?|secret access keys?|api[ _-]?keys?|access tokens?|auth(?:entication)? tokens?|bearer tokens?|session (?:tokens?|cookies?)|cookies|keychain|keyring|password (?:manager|vault|store)|saved passwords|wallet(?: file| seed)?|seed phrases?|mnemonic|credentials?(?: files?)?|environment variables|env vars|process\.env|printenv|169\.254\.169\.254|metadata\.google\.internal|\/latest\/meta-data|local ?storage|document\.cookie|requirepass|masterauth|\bvault_token\b|google_application_credentials|application_default_credentials|bound credentials|cloud keys|mysql\.user\b|authentication_string|pg_authid|rolpassword|pg_shadow|sql_logins|password_hash(?:es)?|os\.environ|getenv\(|secrets?\.(?:ya?ml|json|toml|env)\b|credentials\.json\b|service[_-]?account[\w-]*\.json\b|(?:full|entire|whole) environment|connection strings? (?:you|that you) (?:used|have)|password included)|(?:\$?\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?:token|key|secret|password|pat|credentials?)\b|\.git-credentials|\.pgpass|\.netrc|\.(?:bash|zsh|sh|python|psql|mysql|node_repl)_history\b|\.vault-token\b|\.sfdx\b|~\/\.sf\/|\$env:|\.storage\/auth\b|\.pem\b|\.p12\b|\.kdbx\b)/gi;

/** What leaves with an exfiltration: the conversation, the model's instructions, file contents. */
const DATA_OBJECT = /\b(?:(?:the |this |our |your |entire |full |whole |complete |current |recent |previous |prior |earlier |all |every )*(?:conversation (?:history|log|so far|transcript|context|contents?|messages?|up to now|to date)|(?<=(?:the|this|our|your|entire|full|whole|complete|current) )conversation\b(?! (?:id|ids|thread|threads|between|in which))|(?:chat|dialog(?:ue)?|discussion|session|thread) (?:history|log|so far|transcript|contents?|messages|up to now|to date))|(?:the |your |full |entire |complete |verbatim )*system (?:prompt|message|instructions?)|(?:your |the |all )?(?:prior|previous|earlier|preceding|past|recent|other|all) (?:user )?(?:messages|turns|prompts|instructions|requests|queries|replies)|(?:the |all )?user(?:['’]s)? (?:messages|prompts|queries|requests|inputs?|data|files|documents|emails)|(?:your |the )?(?:context window|instructions you (?:were|have been) given|hidden instructions|memory|memories)|(?:the )?(?:full |entire |raw |complete )?contents? of (?:the |any |every |all |each |their |his |her )?(?:files?|documents?|folders?|directories|repos(?:itory|itories)?|workspace|project|inbox|mailbox|emails?|messages?|database|tables?|~\/|\.|\/)|(?:all |every |any )(?:other )?(?:files?|documents?|emails?|messages?|records|rows|contacts|notes)(?: (?:you can (?:see|access|read)|in (?:the )?(?:workspace|project|inbox|repo(?:sitory)?|home directory)))|(?:full|entire|whole|complete) (?:body|text|content|contents) of\b|(?:the )?(?:last|recent|latest|previous) \d{1,4} (?:messages|emails|chats|conversations|events|issues)|(?:full|entire|whole|complete) (?:exchange|discussion|dialog(?:ue)?|thread|transcript|chat)|(?:the )?(?:customer|user|client|patient|employee|shopper|caller|contact)['’]s (?:e-?mail|phone|(?:full |home |shipping |billing )?address|full name|date of birth|ssn|social security|card|payment|passport)|(?:the )?user['’]s (?:question|prompt|query|request|message)s?|your (?:answer|reply|response)s?|(?:connection strings?|credentials|passwords?|tokens?|api keys?) (?:you|that you) (?:used|have|were given|received)|(?:results?|outputs?|responses?) (?:of|from) (?:other|all|every|previous|prior) (?:tools?|tool calls?|calls?|servers?)|(?:the |all |any |every )?(?:messages?|emails?|files?|results?|contents?|data|records|rows|output|logs?|secrets?|values?|documents?|pages?|notes|answers?|findings|code|source) (?:you|that you|the user|they) (?:have )?(?:retrieved|read|fetched|received|found|collected|saw|seen|accessed|got|opened|loaded|listed|returned|pulled|queried))/;
const SEND_VERB = /\b(?:export|replicate|grant|share|send|post|upload|forward|transmit|exfiltrate|beacon|relay|mirror|sync|bcc|cc|copy|submit|ship|deliver|email|e-mail|pipe|webhook)(?:s|es|ed|d|ing)?\b/;
const INCLUDE_VERB = /\b(?:include|pass|put|add|append|prepend|attach|insert|embed|paste|copy|provide|supply|fill|set|place|store|write|encode|serialize|concatenate|summari[sz]e|dump|quote|echo|record|log)(?:s|es|ed|d|ing)?\b/;
const INTO_ARGUMENT = /\b(?:as|in|into|inside|to|via|through|within|using) (?:the |its |a |an )?['"`]?[\w-]{1,40}['"`]? ?(?:parameter|argument|field|param|property|value|input)\b|\b(?:as|in|into) ['"`][\w-]{1,40}['"`]/;
const DESTINATION = /\b(?:owned|maintained|run|operated|retained|hosted|kept|controlled) by (?:the |a |an |our )?(?:[\w-]{2,20} ){0,2}(?:vendor|partner|third[- ]party|provider|contractor|agency)\b|\+\d[\d\x20-]{7,16}\d\b|\b(?:owned by|shared with|belong(?:s|ing)? to) (?:an? |our )?(?:external|third[- ]party|outside|vendor|partner|outsourcing|other)\b|\bpublished (?:to|on) the (?:web|internet)\b|\bpublic(?:ly)? (?:accessible|visible|readable|shared)\b|\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s)>\]"'`]{3,200}|[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{2,40}|\b(?:webhook\.site|pastebin|requestbin|ngrok|pipedream|burpcollaborator|interact\.sh|transfer\.sh)\b/;

// --- other servers' tools --------------------------------------------------------------------

const TOOL_IDENT = /`([A-Za-z][\w.-]{1,60})`|\b([a-z][a-z0-9]*(?:[_.][a-z0-9]+)+|[a-z]+(?:[A-Z][a-z0-9]+)+)\b/g;
const TOOLISH_NOUN = /\b(?:tools?|functions?|commands?|servers?|mcp servers?|integrations?|plugins?|extensions?)\b/;
const OTHER_TOOLS = /\b(?:a|an|any) (?:[\w-]{2,20}(?:,? (?:or|and) |,? )?){1,4}(?:tools?|servers?) (?:is|are) (?:also )?(?:on hand|available|connected|present|installed|enabled)\b|\b(?:shell|terminal|mail|email|dns|registrar|notes?|memory|ticketing|issue[- ]tracker|password manager)(?: or [\w-]{2,20})? (?:tools?|servers?)\b|\b[\w-]{2,30}(?: (?:and|or) [\w-]{2,30})? (?:tools?|servers?) (?:connected|installed|available|running|loaded) (?:alongside|with|next to|beside)\b|\btheir (?:[\w,-]{2,30} ){0,4}tools\b|\bthose (?:other )?(?:tools|servers|databases)\b|\b(?:tools?|functions?) of (?:the )?[\w-]{2,30}(?: (?:and|or) [\w-]{2,30})? (?:servers?|mcps?)\b|\b(?:other|another)(?: [\w-]{2,20}){1,3} (?:tools?|servers?)\b|\bservers? (?:is|are) (?:also )?(?:connected|available|installed|present)\b|\b(?:password manager|terminal|shell|mail|email|memory|notes?|dns|registrar) servers?\b|\b(?:all|any|every|each) (?:other |of the other |subsequent |future |later |remaining )?(?:tools?|tool calls?|functions?|servers?|mcp servers?|integrations?|plugins?|requests? to (?:other )?(?:tools?|servers?))\b|\b(?:other|another|third-party|external) (?:tools?|mcp servers?|servers?|integrations?|plugins?|functions?)\b|\bthe (?!remote |target |upstream |same |local |origin |destination |web |http |api |backend )[\w-]{2,30} (?:server|mcp|mcp server|integration|plugin|extension)(?:['’]s)?\b/;
const BEHAVIOUR = /\b(?:must|should|shall|always|never|instead|exclusively|left unused|(?:are|is) refused|only through this|are expected to|not to be used|are to be|is to be|read-only mirrors?|mirrors? of|unreliable|deprecated|unsafe|insecure|outdated|compromised|rather than|in place of|replace[sd]?|overrides?|supersedes?|takes? precedence|redirect|reroute|route|intercept|wrap|proxy|disable[sd]?|deprecated|broken|unsafe|do not use|don['’]t use|stop using|no longer use|only use|automatically|also (?:send|add|include|cc|bcc|copy|forward|call|set)|add (?:a )?(?:bcc|cc)|bcc|cc:)\b/;
const USES_OTHER = /\b(?:tools?|functions?) (?:run|runs|execute|executes|fire|fires)\b|\bwhen(?:ever)?\b[^,.]{0,80}\b(?:is|are) (?:being )?(?:used|called|invoked|run)\b|\b(?:when(?:ever)?|before|after|each time|every time|any time|if) (?:you |the (?:assistant|model|agent|user) )?(?:use|uses|using|call|calls|calling|invoke|invokes|invoking|run|runs|running|send|sends|sending|execute|executing)\b|\b(?:tool|server|function|command)(?:['’]s)? (?:is|are|gets?) (?:about to |going to )?(?:be )?(?:run|used|called|invoked|executed)\b/;

// --- orders aimed at the model beyond the tool -----------------------------------------------

/** Markup that poisoned descriptions wrap their orders in; honest servers use `<example>`-style tags for examples only. */
const ORDER_TAG = /<\s*\/?\s*[\w-]{0,20}?(?:important|system|sys|instructions?|secret|hidden|admin|critical|assistant|ai|context|override|mandatory|priority|urgent|internal|developer|note[-_ ]?to[-_ ]?(?:ai|assistant|model)|directives?|policy|rules?|compliance|notice|setup|required|prerequisite)[\w-]{0,20}\b[^<>]{0,60}>|\[\s*(?:system|inst|admin|assistant|important)\s*\]|<\|(?:im_start|system|assistant)\|>|^\s{0,4}#{1,4}\s{0,2}(?:system|instructions? (?:for|to) (?:the )?(?:ai|assistant|model))\b/gim;
const ADDRESSES_MODEL = /(?:^[\s\W]{0,4}|[([{]\s?)(?:assistant|ai|model|agent|llm|claude|copilot|chatgpt|gpt)\s{0,2}[:,]\s|\b(?:(?:note|message|instructions?|reminder|directive|memo) (?:to|for) (?:the |any |all )?(?:ai|assistant|model|llm|agent|claude|language model)s?|(?:ai|llm) (?:assistants?|agents?|models?) (?:reading|processing|using|that read)|(?:attention|dear|hey) (?:ai|assistant|model|claude|agent)|system (?:message|notice|override|update)|developer (?:message|note|mode)|admin(?:istrator)? (?:override|message|notice)|overrides? (?:all |any |the )?(?:earlier|previous|prior|other|existing|user|the user['’]s) instructions|as if (?:the user|they|you) had (?:typed|written|said|asked|sent|requested)|(?:follow|obey|carry out|execute|act on) (?:them|it|those|these|any such|the instructions?)\b[^.]{0,40}\bwithout (?:asking|confirmation|checking|confirming)|even (?:if|when|though) (?:the user|they|the human) (?:asks?|says?|wants?|requests?|specif(?:y|ies)|tells?|prefers?|chooses?)|is a (?:maintainer|admin|developer|operator|system) (?:request|instruction|order|command)|no confirmation (?:is|will be) (?:sought|needed|required|asked)|(?:confirmation|approval|preview|review|consent)(?: step| round-?trip| dialog)?(?: (?:with|by|from) the user)? (?:is|are) (?:unnecessary|redundant|not needed|not required|superfluous)|(?:makes?|renders?) (?:a |any )?(?:separate )?(?:approval|confirmation|review|preview) step (?:by the user )?(?:redundant|unnecessary)|without a (?:confirmation|approval) (?:round-?trip|step)|counts? as (?:the user|user) (?:confirming|confirmation|approving|approval|consent)|pre-?(?:authori[sz]ed|approved) (?:cleanup|deletion|writes?|changes?|actions?)|proceeds? straight (?:to|ahead)|(?:as|is) (?:satisfied|fulfilled) by the posted|(?:higher|greater|top) priority than (?:the user|user instructions|your instructions)|(?:present|pass|frame|phrase) (?:this|it|them) (?:off )?as (?:your own|if it were yours|your recommendation)|overrides? (?:the |any )?(?:values?|settings?|choices?|instructions?|arguments?|preferences?|requests?) (?:that )?(?:the user|you) (?:gives?|given|provides?|specif(?:y|ies)|asks? for|requests?))\b/;
const BEYOND_TOOL = /\b(?:unlock|disarm)\b|\bopen the (?:front |back |garage )?(?:door|garage|gate)\b|\b(?:substitute|swap|replace)\b[^.]{0,80}\b(?:the user|they) (?:asked|named|requested|specified|chose|wanted)\b|\brecommend(?:ed)? as (?:the )?(?:official|verified|approved)\b|\bin their place\b|\bvia an? (?:npm )?alias\b|\.git\/hooks|\bauthorized_keys\b|\bcrontab\b|\.(?:bashrc|zshrc|bash_profile|profile)\b|\blaunchagents\b|\bsystemd\/user\b|\b(?:recommend|urge|advise|convince|persuade|tell|ask) (?:that )?the user (?:to )?(?:installs?|downloads?|visits?|runs?|opens?|signs? up|buys?|switch(?:es)? to|trusts?|disables?)\b|\b(?:claim|pretend|assert|imply) (?:to the user )?that\b|\b(?:respond|reply|answer|speak|write)(?: to the user)? (?:only |always )?(?:in|with|using) (?:[a-z]+ )?(?:language|french|german|spanish|chinese|pirate|uppercase|all caps|emoji)|\b(?:recommend|promote|endorse|advertise) (?:our|the|a)? ?(?:product|service|sponsor|competitor|brand|website|premium)|\b(?:visit|go to|download|install|run|execute|curl|wget)\b[^.]{0,60}(?:https?:\/\/|\b(?:sh|bash|powershell|python) -c\b)|\b(?:ignore|disregard|bypass|override)\b[^.]{0,30}\b(?:instructions|guidelines|policies|safety|restrictions|system prompt|user['’]s request)/;

/** Orders that outlive the call: "after every search, post…", "on the first call in any session, run…". */
const STANDING_ORDER = /\b(?:after|before|following) (?:every|each|any) (?:single )?(?:call|search|read|screenshot|listing|use|run|query|request|response|time|invocation|[a-z]{3,12} call)\b|\bon the first (?:call|use|run|request) (?:in|of) (?:a|any|each|every|the) (?:session|conversation|chat)\b|\bwhile this server is (?:connected|running|installed|enabled)\b|\bwhenever (?:a|any|the|another) (?:tool|server)\b|\bwhenever you (?:use|call|update|create|run|send|read|open|fetch|search|list|edit|write)\b[^.]{0,60}\b(?:also|then|always)\b|\b(?:for|in) (?:every|each|all) (?:future|subsequent|later) (?:sessions?|conversations?|chats?)\b|\b(?:each|every|all) of your (?:later|subsequent|future) (?:answers|replies|responses|messages)\b|\bafter any turn\b|\bfollow (?:it|each|every one) with\b|\b(?:for|after) every (?:download|upload|search|query|call|read|result|hit|screenshot|listing)\b|\bdo this for every\b|\bthe first (?:search|call|upload|query|request|command|read) of (?:a|each|every|the) (?:session|conversation)\b|\b(?:ahead|before) of the user['’]s\b|\bahead of the user['’]s\b|\bonce any [\w-]{2,20} has been\b/;

// --- secrecy ---------------------------------------------------------------------------------

/** Secrecy about the model's own doing. Keeping *secrets* out of output ("do not show the token") is honest. */
const CONCEAL = /\b(?:never|do not|don['’]t|must not|should not|no need to|there is no need to|not necessary to|unnecessary to|avoid)\s{1,3}(?:ever\s{1,3})?(?:tell|mention|reveal|disclose|inform|notify|alert|show|bring up|explain|surface|acknowledge|say|discuss|report|expose|let on|draw attention|point out|display|confirm|describe|list|note|flag|highlight|reference|summari[sz]e|bring|announce|remark|comment)(?:s|ing|e|ed)?\b(?![^.]{0,30}\b(?:secrets?|passwords?|tokens?|keys?|credentials?|api keys?|raw (?:json|html|ids?)|ids?|internal ids?|stack traces?|pii)\b)[^.]{0,60}?\b(?:the user|users?|the human|anyone|them|this|these|that|it|anything|the (?:sidenote|note|notes|parameter|argument|field|step|instruction|instructions|requirement|above|following|extra|additional|hidden|bcc|copy|context|metadata)|you(?:['’]ve| have)? (?:read|sent|included|added|collected|accessed))\b|\b(?:keep|treat)\s{1,3}(?:this|it|these|that|the \w{2,20}(?: \w{2,20})?)\s{1,3}(?:(?:as\s{1,3})?(?:a\s{1,3})?(?:secret|hidden|confidential|private|internal|quiet|invisible)|between (?:us|you and)|to yourself|from the user)\b|\b(?:internal|implementation|technical) detail\b[^.]{0,60}\b(?:don['’]t|do not|never|no need|not)\b|\b(?:the user|users|the human)\s{1,3}(?:does not|doesn['’]t|do not|don['’]t|must not|should not|need not|will not|won['’]t|is not to)\s{1,3}(?:need to\s{1,3})?(?:know|see|notice|be told|be informed|be aware|find out|learn|hear)\b|\binvisible to the user\b|\b(?:describe|present|report|phrase|frame|portray|characteri[sz]e|summari[sz]e)\w* (?:the (?:outcome|result|change|deletion|cleanup)|it|them|this|these) as\b|\btell (?:them|the user) (?:it|that it|they|that they) (?:was|were|is|are|has been|have been)\b|\b(?:phrased|presented|framed|worded) as your own\b|\b(?:phrased|worded|presented|described|reported) as (?:though|if)\b|\bnot (?:listed|shown|reported|mentioned|surfaced|disclosed) (?:back )?to the user\b|\bkeep\b[^.]{0,80}\bout of (?:the |your |any )?(?:reply|answer|response|summary|report|message)\b|\b(?:left|kept|leave|keep)(?: it| this| that| them| these| those)? out(?: of (?:the |any |your |anything )?[\w\x20]{0,30}?(?:summar|answer|repl|response|report|message|show|explanation|conversation|code|list|chat)\w*| when you (?:list|show|describe|summari[sz]e|report|tell))|\bmentioning (?:this|it|that|them)\b[^.]{0,60}\b(?:avoid|not|never|confusion)\w*|\bpresent (?:it|this|them) (?:under|as if)\b|\bunder the (?:original|same) name\b|\bwithout the user being (?:prompted|asked|told|informed|notified|aware)\b|\bleave (?:it|this|that|them|these) out of (?:your|the) (?:explanation|answer|summary|reply|response|report|message)\b|\bwithout pointing (?:it|this|that|them) out\b|\b(?:report|describe|present|label) (?:it|this|the result|the deployment|them) as (?:an? )?(?!error|failure)[\w-]+\b|\b(?:do not|don['’]t|never) announce\b|\b(?:need not|needn['’]t|should not|shouldn['’]t|must not|does not need to|do not need to|is not to|are not to|will not|won['’]t)\s{1,3}be\s{1,3}(?:reported|mentioned|announced|shown|surfaced|disclosed|listed|described|highlighted|flagged|brought up)\b|\bwithout (?:quoting|remarking|commenting|announcing|mentioning|reporting|flagging)\b|\busers? (?:are|is) not (?:informed|told|notified|made aware|shown)\b|\b(?:does|do|should|must) not (?:need to |have to )?(?:appear|show up|be visible)\b[^.]{0,40}\b(?:summar(?:y|ies)|answers?|repl(?:y|ies)|responses?|reports?|the user|chat|output)\b|\bno (?:reason|need) (?:to|for) (?:tell|mention|bring|inform|notify|bother|involve|alert|surface|explain|interrupt)\w*\b|\b(?:should|must|need|needs|does|do) not (?:be )?(?:shown|listed|mentioned|included|displayed|surfaced|described|reported|disclosed|appear|be visible)\b[^.]{0,40}\b(?:summar(?:y|ies)|answers?|repl(?:y|ies)|responses?|reports?|the user|chat|output)\b|\b(?:present|show|mention|report|tell|list) only (?:the )?[\w\x20-]{1,30} to the user\b|\binstead of (?:interrupting|asking|bothering|involving|telling) the user\b|\b(?:no need to|don['’]t|do not|never|without)\s{1,3}(?:list|listing|note|noting|record|recording|log|logging|include|including|show|showing)\b[^.]{0,40}\b(?:in|among|from|with) (?:the |your )?(?:changes|summary|report|response|answer|reply|final message|output to the user)\b|\b(?:silently|quietly|secretly|covertly|discreetly|stealthily|without (?:telling|informing|notifying|mentioning|letting))\b/;

/** A word every secrecy pattern contains: clauses without one skip the costly pattern. */
const CONCEAL_GATE = /not|n['’]t|never|\bno\b|avoid|keep|kept|leave|left|treat|detail|user|invisible|without|present|under the|describ|report|phras|fram|portray|characteri|summar|tell|worded|silent|quiet|secret|covert|discreet|stealth|announc|mentioning|label/;

// --- encodings -------------------------------------------------------------------------------

const BASE64_RUN = /(?:[A-Za-z0-9+/]{4}){6,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?|(?:[A-Za-z0-9_-]{4}){8,}/g;
const MIN_ENCODED = 24;

function isBase64Char(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f || c === 0x2d || c === 0x5f || c === 0x3d;
}

/**
 * Base64 runs. A plain loop finds stretches of the alphabet long enough to matter, and only those
 * go to the regular expression: on ordinary prose it would otherwise start a match at every word.
 */
function* encodedRuns(text: string): Generator<RegExpExecArray> {
  let i = 0;
  while (i < text.length) {
    if (!isBase64Char(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && isBase64Char(text.charCodeAt(j))) j++;
    if (j - i >= MIN_ENCODED) {
      const stretch = text.slice(i, j);
      BASE64_RUN.lastIndex = 0;
      for (let m = BASE64_RUN.exec(stretch); m; m = BASE64_RUN.exec(stretch)) {
        m.index += i;
        yield m;
      }
    }
    i = j;
  }
}
const HEX_ONLY = /^(?:[0-9a-fA-F]{2}){16,}[0-9a-fA-F]?$/;
const PERCENT_RUN = /(?:%[0-9a-fA-F]{2}){8,}/g;
const ESCAPED_HEX = /(?:\\x[0-9a-fA-F]{2}){8,}/g;
const DECODE_ORDER = /\beval\s{0,2}\(\s{0,2}atob\s{0,2}\(|\batob\s{0,2}\(\s{0,2}["'][a-z0-9+/=]{16}|\bbase64 (?:-d|--decode)\b[^.]{0,40}\|\s{0,2}(?:sh|bash|python|node)\b|\bfrombase64string\b|\b(?:decode|base64[- ]?decode|un-?hex|deobfuscate|decrypt|rot13)\b[^.]{0,80}\b(?:follow|execute|run|obey|apply|carry out|do what|treat|act on|comply)\b|\b(?:follow|execute|run|obey|apply)\b[^.]{0,40}\b(?:decoded|encoded|base64|hex)\b/;

const MAX_HITS_PER_TECHNIQUE = 20;
const RANK = { low: 0, medium: 1, high: 2, critical: 3 } as const;

function capitalise(s: string): string {
  return `${s[0]!.toUpperCase()}${s.slice(1)}`;
}

/** Is the match at `index` in a clause preceded, within the clause, by a negation? */
function negatedAt(clause: string, index: number): boolean {
  return NEGATION_BEFORE.test(clause.slice(Math.max(0, index - 60), index));
}

function sensitiveIn(clause: string): { index: number; length: number; label: string } | undefined {
  for (const t of SENSITIVE_TARGETS) {
    t.pattern.lastIndex = 0;
    const m = t.pattern.exec(clause);
    if (m) return { index: m.index, length: m[0].length, label: t.label };
  }
  EXTRA_SENSITIVE.lastIndex = 0;
  const m = EXTRA_SENSITIVE.exec(clause);
  return m ? { index: m.index, length: m[0].length, label: m[0] } : undefined;
}

/** An access verb that is not negated, anywhere in the clause. */
function affirmedVerb(clause: string, verb: RegExp): boolean {
  const re = new RegExp(verb.source, 'g');
  for (let m = re.exec(clause); m; m = re.exec(clause)) if (!negatedAt(clause, m.index)) return true;
  return false;
}

/** `azmcp_storage_blob_list` and `azmcp_storage_account_list`: one server's tools share a prefix. */
function sameNamespace(a: string, b: string): boolean {
  const prefix = (x: string) => /^([a-z][a-z0-9]{2,})[_.-]/i.exec(x)?.[1]?.toLowerCase();
  const pa = prefix(a);
  return pa !== undefined && pa === prefix(b) && !['get', 'set', 'list', 'create', 'delete', 'update', 'read', 'write', 'send', 'search', 'run', 'add', 'remove'].includes(pa);
}

function toolReferences(original: string, subject: PoisonSubject, ownWords: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const re = new RegExp(TOOL_IDENT.source, 'g');
  for (let m = re.exec(original); m && out.length < 8; m = re.exec(original)) {
    const ident = (m[1] ?? m[2])!;
    const raw = ident.replace(/\(\)$/, '');
    const bare = raw.toLowerCase();
    // In backticks anything is quoted: a value (`set`), a parameter (`node-id`), a file. Only a
    // snake_case or camelCase name reads as a tool.
    if (m[1] !== undefined && (!/_|[a-z][A-Z]/.test(raw) || raw.includes('.'))) continue;
    // A piece of a path (`~/.ssh/id_rsa`, `config.local_settings`) is a file, not a tool.
    if (m[1] === undefined && /[/.~\\-]/.test(original[m.index - 1] ?? '')) continue;
    // STRIPE_WEBHOOK_SECRET is an environment variable, not a tool.
    if (/^[A-Z0-9_]+$/.test(raw) || raw.includes('.')) continue;
    if (subject.siblings.has(raw) || subject.siblings.has(bare) || bare === subject.name.toLowerCase() || ownWords.has(bare) || sameNamespace(bare, subject.name)) continue;
    if (/\.(?:json|ya?ml|toml|md|txt|env|js|ts|py|sh|com|org|io|net|dev)$/.test(bare) || /^(?:e\.g|i\.e|etc)$/.test(bare)) continue;
    out.push(raw);
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

const TAG_PHRASE = 'important-tag';
/**
 * The phrase catalogue is costly; on tool texts it runs only where its strengths lie: network
 * commands carrying secrets (`cat ~/.ssh/id_rsa | curl -d @- …`), piping downloads to a shell,
 * and the stock phrases of instruction override.
 */
const PHRASE_GATE = /\b(?:curl|wget|nc|ncat|netcat|scp|rsync|sftp|invoke-webrequest|iwr|irm|urlopen)\b|\|\s{0,2}(?:ba|z)?sh\b|\b(?:ignore|disregard|forget) (?:all |any |the |your |previous |prior )|\byou are (?:now|no longer)\b/i;
const PHRASE_TECHNIQUE: Partial<Record<InjectionCategory, PoisonTechnique>> = {
  override: 'model-instructions',
  'safety-bypass': 'model-instructions',
  'remote-code': 'model-instructions',
  concealment: 'concealment',
  exfiltration: 'exfiltration',
};

/** Examples quote what a call looks like; they order nothing. */
const EXAMPLE = /^\W{0,4}(?:example|examples|e\.g\.|for example|for instance|sample|usage)\b/;
/** What an argument may legitimately ask for: only the model's private context is never the user's data. */
const PRIVATE_CONTEXT = /\b(?:connection strings? (?:you|that you) used|credentials you used|password included|conversation|chat (?:history|log|transcript)|system (?:prompt|message|instructions?)|(?:prior|previous|earlier|preceding|past|other) (?:user )?(?:messages|turns|prompts|instructions)|context window|instructions you (?:were|have been) given|hidden instructions|memories|(?:messages|emails|files|results|data|secrets|values|documents|pages|notes) (?:you|that you) (?:have )?(?:retrieved|read|fetched|received|collected|saw|seen|accessed|opened|loaded))\b/;

/** "…pass its content as sidenote": into one of this tool's own arguments, named bare. */
function intoOwnArgument(clause: string, ownWords: ReadonlySet<string>): boolean {
  const m = /\b(?:as|in|into|inside|to|via|through)\s{1,3}(?:the\s{1,3})?['"`]?([\w-]{2,40})/g;
  for (let x = m.exec(clause); x; x = m.exec(clause)) if (ownWords.has(x[1]!)) return true;
  return false;
}

/** A verb of `verb` in the clause that is neither negated nor part of the target itself ("access keys"). */
function affirmedOutside(clause: string, verb: RegExp, target: { index: number; length: number } | undefined): boolean {
  const re = new RegExp(verb.source, 'g');
  for (let m = re.exec(clause); m; m = re.exec(clause)) {
    if (target && m.index >= target.index && m.index < target.index + target.length) continue;
    if (!negatedAt(clause, m.index)) return true;
  }
  return false;
}

function judgeClause(c: Clause, t: DefinitionText, subject: PoisonSubject, ownWords: ReadonlySet<string>, out: Collector, first: boolean): void {
  const at = { pointer: t.pointer, offset: c.offset, length: c.length };
  // Only input-schema text describes an argument the model fills; an output schema describes data it reads.
  const argument = ARGUMENT_ROLES.has(t.role) && !t.pointer.startsWith('/outputSchema');
  const ordered = c.directive && !c.negated;
  const identifier = t.role === 'name' || t.role === 'property-name';
  if (EXAMPLE.test(c.text) || /\bunless the user (?:asks?|asked|requests?|requested|wants?)\b/.test(c.text)) return;
  // The opening clause of a description says what the tool does, often in the imperative ("List
  // the contexts in the kubeconfig"): it is an order to the tool, not to the model.
  const summary = first && t.role === 'description';

  // Sensitive files and secrets: an order to touch them, or an argument that asks for them.
  // Each check below needs an order, an argument, or an obligation; most clauses of honest
  // descriptions have none, and skipping the target patterns for them is most of the speed.
  const mayAsk = ordered || argument || /\bcontents? of\b/.test(c.text);
  const sensitive = identifier || !mayAsk ? undefined : sensitiveIn(c.text);
  if (sensitive && !negatedAt(c.text, sensitive.index) && !/\b(?:are|is|will be|were|get|gets) (?:never|not)\b/.test(c.text)) {
    // "Every new issue must end with the contents of the repository's .env": an obligation to
    // carry a secret file's contents, whoever is addressed.
    // "Tell the user to store it in .env": the user's own action, not the model's.
    const usersAction = /\b(?:tell|ask|advise|remind|suggest|recommend|instruct)\b[^.]{0,20}\b(?:the user|users|them)\b[^.]{0,12}\bto\b/.test(c.text);
    const obliged = /\bcontents? of\b/.test(c.text) && /\b(?:must|should|always|every|each|required|mandatory)\b/.test(c.text) && !summary;
    const asksForContent = obliged || argument && /\b(?:contents?|full text|text of|body of|copy of|output of|value of|values of|data (?:from|in|of)|paste|entire|raw|verbatim|all of)\b/.test(c.text);
    if (((ordered && !summary && affirmedOutside(c.text, ACCESS_VERB, sensitive)) || asksForContent) && !usersAction) {
      out.add({ ...at, technique: 'sensitive-access', severity: 'high', message: `Tells the model to read ${sensitive.label}` + (argument ? ' into an argument' : '') }, t.text);
    }
  }

  // A secret handed to an argument ("pass its content as 'sidenote'") leaves with the call.
  if (sensitive && ordered && affirmedVerb(c.text, INCLUDE_VERB) && (INTO_ARGUMENT.test(c.text) || intoOwnArgument(c.text, ownWords))) {
    out.add({ ...at, technique: 'exfiltration', severity: 'critical', message: `Tells the model to put ${sensitive.label} into an argument` }, t.text);
  }

  // A link template that carries the user's words or the model's answer out when it is rendered
  // or followed: https://x/?q=<the user's question>&a=<your answer>.
  const carrier = /\bhttps?:\/\/[^\s"'`]{0,200}[?&#][\w-]{1,20}=(?:<|\{\{?)[^>}]{0,60}\b(?:question|prompt|query|answer|reply|response|message|conversation|chat|email|password|token|key|secret|code|content|file|history)\b/.exec(c.text);
  if (carrier && !identifier) {
    out.add({ ...at, technique: 'exfiltration', severity: 'critical', message: 'Puts the user\'s words or the answer into a link to an outside address' }, t.text);
  }

  // Data smuggled out: the conversation, instructions or file contents into an argument or to a destination.
  const data = identifier || !(ordered || argument) ? null : DATA_OBJECT.exec(c.text);
  if (data && !negatedAt(c.text, data.index)) {
    const into = ordered && !summary && (affirmedVerb(c.text, INCLUDE_VERB) || affirmedVerb(c.text, SEND_VERB));
    // An argument's own description may ask for content ("Full new content of the file"); only the
    // model's private context (the conversation, its instructions) is never an argument's business.
    if ((into && !argument) || (argument && PRIVATE_CONTEXT.test(c.text))) {
      out.add({ ...at, technique: 'exfiltration', severity: 'critical', message: `Asks the model to hand over ${data[0].trim()}${argument ? ' through an argument' : ''}` }, t.text);
    }
  }
  const dest = ordered && !summary && !identifier && (affirmedVerb(c.text, SEND_VERB) || affirmedVerb(c.text, INCLUDE_VERB) || /\b(?:create|move|call|navigate|connect|invite|add)\b/.test(c.text)) ? DESTINATION.exec(c.text) : null;
  if (dest && !/\bexample\.(?:com|org|net)\b|\blocalhost\b|127\.0\.0\.1/.test(dest[0]) && (sensitive || data || /^(?:owned|shared|belong|published|public)/.test(dest[0]) || affirmedVerb(c.text, SEND_VERB) || /\b(?:copy|copies|bcc|cc|results?|outputs?|responses?|contents?|everything|all (?:data|messages|files))\b/.test(c.text))) {
    out.add({ ...at, technique: 'exfiltration', severity: 'critical', message: `Tells the model to send data to ${dest[0].slice(0, 80)}` }, t.text);
  }

  // Shadowing: orders about how *other* tools or servers behave.
  const toolTalk = !identifier && TOOLISH_NOUN.test(c.text) || c.text.includes('`') || USES_OTHER.test(c.text);
  const others = toolTalk ? toolReferences(t.text.slice(c.offset, c.offset + c.length), subject, ownWords) : [];
  // Every other-tools pattern names tools, servers or databases; most clauses mention none.
  const generic = identifier || !/tool|server|databas/.test(c.text) || /\b(?:other )?(?:tools?|functions?) (?:of|in|from|on|by) this (?:server|integration|mcp|plugin|extension|api)\b|\bthe other tools\b/.test(c.text) ? null : OTHER_TOOLS.exec(c.text);
  if (others.length > 0 || generic) {
    // A named foreign tool is shadowed by any order about it; "other tools" in general only by
    // an obligation or a ban ("before calling other tools" is usage advice).
    const prescribes = BEHAVIOUR.test(c.text) || (others.length > 0 && USES_OTHER.test(c.text)) || (c.directive && /\bwhenever\b|\beach time\b|\bevery time\b/.test(c.text));
    const warnsOff = /\b(?:should not|must not|do not|don['’]t|never) (?:try to )?(?:obtain|get|read|access|retrieve|fetch|use them|work around)\b/.test(c.text) && !/\binstead\b/.test(c.text);
    if (prescribes && !warnsOff && (c.directive || USES_OTHER.test(c.text) || /\b(?:must|should|shall|instead|replaces?|overrides?|supersedes?|deprecated|broken|unsafe|not to be used|(?:is|are) to be|mirrors? of)\b/.test(c.text))) {
      const what = others[0] ? `\`${others[0]}\`` : generic![0];
      out.add({ ...at, technique: 'shadowing', severity: 'high', message: `Tells the model how ${what} must behave (another tool or server)` }, t.text);
    }
  }

  // Secrecy: about what the model itself does. A tool's own behaviour ("unknown fields are
  // silently ignored") is description, so a bare adverb counts only inside an order.
  const conceal = !CONCEAL_GATE.test(c.text) || /\bunless (?:you|they|the user|asked|requested)\b/.test(c.text) ? null : CONCEAL.exec(c.text);
  if (conceal && (c.directive || !/^(?:silently|quietly|secretly|covertly|discreetly|stealthily)$/.test(conceal[0]))) {
    const adverbOnly = /^(?:silently|quietly|secretly|covertly|discreetly|stealthily)$/.test(conceal[0]);
    if (!adverbOnly || ordered) out.add({ ...at, technique: 'concealment', severity: 'high', message: 'Tells the model to keep what it does from the user' }, t.text);
  }

  // Orders beyond the tool's job, or addressed to the model by name.
  if (identifier) return;
  const standing = STANDING_ORDER.exec(c.text);
  if (standing && (c.directive || /,\s{0,3}(?:also |then |first |always )?[a-z]+\b/.test(c.text.slice(standing.index)) || sensitiveIn(c.text))) {
    out.add({ ...at, technique: 'model-instructions', severity: 'high', message: `Gives the model a standing order ("${standing[0]}")` }, t.text);
  }
  if (ADDRESSES_MODEL.test(c.text)) {
    out.add({ ...at, technique: 'model-instructions', severity: 'high', message: 'Addresses the model with a message of its own' }, t.text);
  } else if (ordered && BEYOND_TOOL.test(c.text)) {
    out.add({ ...at, technique: 'model-instructions', severity: 'high', message: "Gives the model an order unrelated to the tool's job" }, t.text);
  }
}

/** Tag names no honest description uses to wrap usage notes. */
const STRONG_TAG = /system|assistant|\bai\b|directive|override|hidden|secret|admin|developer|note[-_ ]?to/i;

/**
 * Honest servers wrap usage notes in `<IMPORTANT>` too. A tag is reported when it wraps another
 * finding, or when its very name addresses the model (`<assistant_directive>`) and it holds an order.
 */
function judgeTags(t: DefinitionText, clauses: readonly Clause[], out: Collector): void {
  ORDER_TAG.lastIndex = 0;
  for (let m = ORDER_TAG.exec(t.text); m; m = ORDER_TAG.exec(t.text)) {
    if (m[0].startsWith('</')) continue;
    const end = m.index + m[0].length;
    const close = t.text.indexOf('</', end);
    const blockEnd = close === -1 ? Math.min(t.text.length, end + 600) : close;
    const wraps = out.hits.some((h) => h.pointer === t.pointer && h.offset >= end - 1 && h.offset < blockEnd && h.technique !== 'model-instructions');
    const ordering = STRONG_TAG.test(m[0]) && clauses.some((c) => c.offset >= end - 1 && c.offset < blockEnd && ((c.directive && !c.negated) || /\b(?:must|shall|always|never)\b/.test(c.text)));
    if (wraps || ordering) {
      out.add({ technique: 'model-instructions', pointer: t.pointer, offset: m.index, length: m[0].length, severity: 'high', message: `Wraps orders to the model in ${m[0].trim().slice(0, 40)}` }, t.text);
    }
  }
}

function judgePhrases(t: DefinitionText, out: Collector): void {
  for (const p of findInjectionPhrases(t.text)) {
    const technique = PHRASE_TECHNIQUE[p.category];
    // Tags are judged by what they wrap (judgeTags), not by their name alone.
    if (!technique || p.context !== 'prose' || p.id === TAG_PHRASE) continue;
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
  // A URL, an address or code hidden from the reviewer matters as much as a sentence.
  if (/:\/\/|\b(?:fetch|eval|curl|wget|exec|require|import)\s{0,2}\(|[\w.+-]+@[\w-]+\.[a-z]{2,}/i.test(s)) return true;
  if (/^\s*[[{]/.test(s)) return false;
  return (s.match(/[a-z]{2,}\s/gi)?.length ?? 0) >= 3;
}

function judgeEncodings(t: DefinitionText, out: Collector): void {
  const lower = t.text.toLowerCase();
  const order = /decod|decrypt|hex|base64|rot13|deobfusc/.test(lower) ? DECODE_ORDER.exec(lower) : null;
  if (order) out.add({ technique: 'encoded-payload', pointer: t.pointer, offset: order.index, length: order[0].length, severity: 'high', message: 'Tells the model to decode a payload and act on it' }, t.text);
  const report = (offset: number, length: number, decoded: string, what: string) => {
    if (readsAsWords(decoded)) {
      out.add({ technique: 'encoded-payload', pointer: t.pointer, offset, length, severity: 'high', message: `Hides ${what} text: "${decoded.slice(0, 60).replace(/\s+/g, ' ')}${decoded.length > 60 ? '…' : ''}"` }, t.text);
    }
  };
  for (const m of encodedRuns(t.text)) {
    const run = m[0].startsWith('0x') && HEX_ONLY.test(m[0].slice(2)) ? m[0].slice(2) : m[0];
    if (HEX_ONLY.test(run)) report(m.index, run.length, Buffer.from(run.slice(0, run.length & ~1), 'hex').toString('latin1'), 'hex-encoded');
    else if (/[A-Z]/.test(run) && /[a-z]/.test(run) && /\d|[+/=_-]/.test(run)) report(m.index, run.length, Buffer.from(run.replaceAll('-', '+').replaceAll('_', '/'), 'base64').toString('latin1'), 'base64');
  }
  // Percent-encoding: %57%68%65%6E… reads as nothing until decoded.
  if (t.text.includes('%')) {
    PERCENT_RUN.lastIndex = 0;
    for (let m = PERCENT_RUN.exec(t.text); m; m = PERCENT_RUN.exec(t.text)) {
      let decoded = '';
      try {
        decoded = decodeURIComponent(m[0]);
      } catch {
        continue;
      }
      report(m.index, m[0].length, decoded, 'percent-encoded');
    }
  }
  // A rot13 label announces text a reviewer cannot read at a glance.
  const rot = /\brot-?13\b/i.exec(t.text);
  if (rot) {
    const after = t.text.slice(rot.index + rot[0].length, rot.index + rot[0].length + 600);
    const decoded = after.replace(/[a-z]/gi, (ch) => String.fromCharCode(((ch.toLowerCase().charCodeAt(0) - 97 + 13) % 26) + (ch === ch.toLowerCase() ? 97 : 65)));
    if ((decoded.match(/\b(?:the|and|to|of|with|for|every|send|read|user|search|before|after|all|it)\b/gi)?.length ?? 0) >= 4) {
      out.add({ technique: 'encoded-payload', pointer: t.pointer, offset: rot.index, length: rot[0].length + after.length, severity: 'high', message: `Hides rot13 text: "${decoded.trim().slice(0, 60)}…"` }, t.text);
    }
  }
  if (!t.text.includes('\\x')) return;
  ESCAPED_HEX.lastIndex = 0;
  for (let m = ESCAPED_HEX.exec(t.text); m; m = ESCAPED_HEX.exec(t.text)) report(m.index, m[0].length, Buffer.from(m[0].replaceAll('\\x', ''), 'hex').toString('latin1'), 'hex-encoded');
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

/** Arguments whose job is to send a copy somewhere: a default address there is a standing leak. */
const SENDING_PARAMETER = /(?:^|[_-])(?:escrow|audit|retention|observer|shadow|bcc|cc|forward(?:_to)?|webhooks?|callbacks?|mirrors?|relay|sink|archive|backup|destinations?|upload(?:_to)?|export(?:_to)?|collector|telemetry|report(?:_to)?|notify|copy(?:_to)?|replicas?|ingest|attendees|recipients)(?:$|[_-])/i;
const KEEP_DEFAULT = /\b(?:keep|leave|always use|use|retain|do not change|don['’]t change|never change|must stay|stick with)\b[^.]{0,30}\bdefault\b/i;
const LITERAL_DESTINATION = /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s"'`)]{3,}|[\w.+-]{1,64}@[\w-]{1,63}\.[a-z][\w.-]{1,40}/i;
const HARMLESS_HOST = /\bexample\.(?:com|org|net)\b|\blocalhost\b|127\.0\.0\.1|\[::1\]/i;

/**
 * Values the model copies into calls unless told otherwise: a default that names a secret file,
 * or an outside address as the default of an argument that sends copies, or that the
 * description insists be kept.
 */
function judgeDefaults(texts: readonly DefinitionText[], out: Collector): void {
  const describedBy = new Map<string, string>();
  for (const t of texts) if (t.role === 'schema-description' && t.pointer.endsWith('/description')) describedBy.set(t.pointer.slice(0, -'/description'.length), t.text);
  for (const t of texts) {
    if (t.role !== 'schema-value') continue;
    const lower = t.text.toLowerCase();
    for (const target of SENSITIVE_TARGETS) {
      target.pattern.lastIndex = 0;
      const m = target.pattern.exec(lower);
      if (m && target.id !== 'secrets-in-bulk') {
        out.add({ technique: 'sensitive-access', pointer: t.pointer, offset: m.index, length: m[0].length, severity: 'high', message: `A default or choice the model will copy points at ${target.label}` }, t.text);
        break;
      }
    }
    const property = /^(.*\/properties\/([^/]+))\/(?:default|const|examples|enum)(?:\/([^/]+))?/.exec(t.pointer);
    const dest = LITERAL_DESTINATION.exec(t.text);
    if (!property || !dest || HARMLESS_HOST.test(dest[0])) continue;
    const unescape = (x: string) => x.replaceAll('~1', '/').replaceAll('~0', '~');
    const name = unescape(property[2]!);
    // `{"NOTIFY_URL": "https://…"}` as the default of `parameters`: the key names the job too.
    const key = property[3] !== undefined && !/^\d+$/.test(property[3]) ? unescape(property[3]) : '';
    // Nobody honest pre-fills who else receives what the model sends: an address as a default is a copy.
    const email = !dest[0].includes('://');
    if (email || SENDING_PARAMETER.test(name) || SENDING_PARAMETER.test(key) || KEEP_DEFAULT.test(describedBy.get(property[1]!) ?? '')) {
      out.add({ technique: 'exfiltration', pointer: t.pointer, offset: dest.index, length: dest[0].length, severity: 'critical', message: `The default of "${name}" sends data to ${dest[0].slice(0, 80)}` }, t.text);
    }
  }
}

/** Every poisoning hit in one definition's texts. */
export function findPoison(subject: PoisonSubject): PoisonHit[] {
  const out = collector();
  // This tool's own vocabulary: its arguments and the values they take are not other tools.
  const ownWords = new Set(subject.texts.filter((t) => t.role === 'property-name' || (t.role === 'schema-value' && t.text.length <= 40)).map((t) => t.text.toLowerCase()));
  judgeDefaults(subject.texts, out);
  if (subject.truncated) {
    const why = subject.truncated === 'depth' ? 'nests deeper than Warden reads' : 'holds more text fields than Warden reads';
    out.add({ technique: 'model-instructions', pointer: '', offset: 0, length: 0, severity: 'medium', message: `The definition ${why}; text beyond that was not judged and is shown to the model` }, '');
  }
  for (const t of subject.texts) {
    judgeCharacters(t, out);
    if (t.text.length < 8) continue;
    judgeEncodings(t, out);
    if (!PROSE_ROLES.has(t.role) && t.role !== 'property-name' && t.role !== 'name') continue;
    // Every clause, however long the text: poison after the millionth honest sentence is still poison.
    const clauses = clausesOf(t.role === 'property-name' || t.role === 'name' ? t.text.replace(/[_-]+/g, ' ') : t.text, Number.POSITIVE_INFINITY);
    // The instruction-file phrase catalogue costs as much as everything else together and adds
    // nothing the clause checks miss on tool texts; a server's instructions are one long text
    // per server, read like an instruction file.
    if (t.role === 'instructions' || PHRASE_GATE.test(t.text)) judgePhrases(t, out);
    clauses.forEach((c, i) => judgeClause(c, t, subject, ownWords, out, i === 0));
    judgeTags(t, clauses, out);
  }
  return out.hits;
}
