// Text aimed at the model rather than the reader: attempts to replace its instructions, to hide
// what it does from the user, to run remote code, to switch off its safety prompts, and to send
// secrets away. Pure functions over any string (instruction files, tool descriptions, tool
// results). Patterns are data; every one is linear-time (bounded gaps, no nested unbounded
// quantifiers) because the input may be hostile.
//
// Precision comes from context, not from weaker patterns: a phrase that is *quoted*, sits in a
// code span, is negated ("never disable the sandbox") or is reported ("text like 'ignore previous
// instructions'") is documentation about an attack, not the attack. Which of those contexts
// exempt a match depends on the category (a `curl | bash` in a code span is still a command).
import { severityRank, type Severity } from '../core/types.js';
import { foldForMatching } from './unicode.js';

export type InjectionCategory = 'override' | 'concealment' | 'remote-code' | 'safety-bypass' | 'exfiltration';

export interface InjectionPattern {
  id: string;
  category: InjectionCategory;
  /** What the phrase does, completing "The text …". */
  label: string;
  severity: Severity;
  /**
   * Global. Patterns anchor on their rarest part; one that anchors on its tail (`| bash`) looks
   * back for its head in a lookbehind group named `pre`, which the match then includes.
   */
  pattern: RegExp;
  /**
   * False when the phrase itself starts with a negation ("do not tell the user"), so a negation
   * word before it proves nothing.
   */
  negatable?: boolean;
  /**
   * Descriptions use the same words as instructions ("the cache will silently delete old
   * entries", "a developer can disable the sandbox"). `phrase`: the match must open its clause
   * (after list markers, a label, "you must", "and"); `clause`: the clause must open with an
   * imperative verb ("Make the change without telling the user").
   */
  imperative?: 'phrase' | 'clause';
  /** A flag or setting value: quotes around it are syntax (`mode = "yolo"`), not a quotation. */
  literal?: boolean;
}

export type MatchContext = 'prose' | 'inline-code' | 'fenced-code';

export interface PhraseMatch {
  id: string;
  category: InjectionCategory;
  label: string;
  severity: Severity;
  /** UTF-16 span in the original text, hidden characters inside it included. */
  offset: number;
  length: number;
  context: MatchContext;
}

// In pattern sources a literal space means "some whitespace" (a line may wrap mid-phrase);
// character classes spell a space as \x20. No `u` flag: with `i` it disables V8's fast literal
// scanning and costs about forty times the time, and no pattern needs Unicode properties.
const GAP = String.raw`\s{1,8}`;
function phrase(source: string, flags = 'i'): RegExp {
  return new RegExp(source.replaceAll(' ', GAP), `${flags}g`);
}
const r = String.raw;

/**
 * A URL the text tells the model to fetch ("load the runbook from https://…"), up to where it says
 * what to do with it. The URL is matched atomically (lookahead + backreference) so that a failed
 * tail does not retry every shorter URL.
 */
const REMOTE_SOURCE = r`https?:\/\/(?<=(?<pre>\b(?:fetch|load|read|open|download|get|retrieve|visit|check|pull|curl|wget|browse to|go to)\b[^\n]{0,60}?)https?:\/\/)(?=(?<url>[^\s)>\]"'\x60]{1,200}))\k<url>[^\n]{0,80}?`;
const NEG = r`(?:do not|don['’]t|never|must not|mustn['’]t|should not|shouldn['’]t)`;
const THE_USER = r`(?:the (?:user|human|operator)|anyone)`;

export const INJECTION_PATTERNS: readonly InjectionPattern[] = [
  // --- override: replace the model's instructions or identity -------------------------------
  {
    id: 'ignore-previous-instructions',
    category: 'override',
    label: 'tells the model to ignore its previous instructions',
    severity: 'high',
    pattern: phrase(
      r`\b(?:ignore|disregard|forget) (?:(?:all|any|every|of|the|your|my|these|those|such) ){0,3}(?:(?:previous|prior|preceding|above|earlier|former|original|initial|old|system|developer|safety) (?:(?:and|or|&) )?){1,2}(?:instructions?|prompts?|directives?|guidance|guardrails|programming|system prompt)\b`,
    ),
  },
  {
    id: 'ignore-instructions-given',
    category: 'override',
    label: 'tells the model to ignore the instructions it was given',
    severity: 'high',
    pattern: phrase(
      r`\b(?:ignore|disregard|forget) (?:(?:all|any|the|your) ){0,2}(?:instructions|directives|prompts) (?:above|before this|given (?:above|before|earlier|previously)|you(?:['’]ve| have| were)? (?:been )?(?:given|received|told))\b`,
    ),
  },
  {
    id: 'ignore-user-request',
    category: 'override',
    label: "tells the model to ignore the user's request",
    severity: 'high',
    pattern: phrase(r`\b(?:ignore|disregard) (?:the |what the )?(?:user|human)(?:['’]s)? (?:request|instructions?|question|message|task|wishes)\b`),
  },
  {
    id: 'forget-everything',
    category: 'override',
    label: 'tells the model to forget what it was told',
    severity: 'high',
    pattern: phrase(
      r`\b(?:forget|disregard|ignore) (?:everything|all(?: of)? (?:that|this|the above)) (?:above|before|so far|previously|you(?:['’]ve| have| were)? (?:been )?(?:told|taught|given|learned|know))\b`,
    ),
  },
  {
    id: 'instructions-declared-void',
    category: 'override',
    label: 'declares the model\'s previous instructions void',
    severity: 'high',
    pattern: phrase(
      r`\b(?:your|the|all|any) (?:(?:previous|prior|earlier|original|old|above|system|existing) (?:instructions|rules|guidelines|prompt|directives|guidance)|(?:instructions|rules|guidelines|directives|guidance) (?:you (?:were|have been) given|you received|given to you)(?: (?:before|earlier|previously|until now|so far))?(?: (?:this|the) (?:file|message|point|document))?) (?:are|is) (?:now )?(?:outdated|obsolete|void|null|cancell?ed|revoked|invalid|superseded|replaced|overridden|fake|no longer (?:valid|in effect|applicable|apply))\b`,
    ),
  },
  {
    id: 'obey-only-remote-rules',
    category: 'override',
    label: 'tells the model to obey only rules published at a URL',
    severity: 'high',
    pattern: phrase(
      r`\b(?:obey|follow|apply) only (?:the )?(?:rules|instructions|guidance|directives|guidelines) (?:published|hosted|posted|served|kept|found) (?:at|on) https?://`,
    ),
  },
  {
    id: 'obey-remote-instructions',
    category: 'override',
    label: 'tells the model to fetch instructions from a URL and obey them',
    severity: 'high',
    // Anchored on the URL; the fetching verb before it is looked up behind.
    pattern: phrase(
      r`${REMOTE_SOURCE} and (?:then )?(?:obey|carry out|execute|do (?:what|whatever|everything)|follow (?:whatever|everything|all|its instructions|the (?:instructions|steps))|treat (?:it|its contents?|them|the (?:content|contents|response|text|file)) as)\b`,
    ),
  },
  {
    id: 'follow-remote-instructions',
    category: 'override',
    label: 'tells the model to follow instructions fetched from a URL',
    severity: 'medium',
    pattern: phrase(r`${REMOTE_SOURCE} and (?:then )?(?:follow|apply|adopt)\b(?! (?:whatever|everything|all|its instructions|the (?:instructions|steps))\b)`),
  },
  {
    id: 'jailbreak-persona',
    category: 'override',
    label: 'casts the model as an assistant without restrictions',
    severity: 'high',
    pattern: phrase(
      r`\byou are (?:now )?(?:DAN|STAN|DUDE|AIM)\b|\b(?:you are|act as|pretend to be|become) (?:now )?an? (?:AI|assistant|model|chatbot|agent)(?: \w{1,15})? (?:without|with no|free (?:of|from)) (?:any )?(?:restrictions|limits|limitations|filters|rules|guidelines|ethics|morals|censorship)\b`,
    ),
  },
  {
    id: 'never-refuse',
    category: 'override',
    label: 'tells the model never to refuse',
    severity: 'medium',
    imperative: 'phrase',
    pattern: phrase(r`\bnever (?:refuse|decline|reject) (?:a|any) (?:request|question|command|task|instruction)s?\b`),
  },
  {
    id: 'new-identity',
    category: 'override',
    label: 'tells the model it is now an unrestricted persona',
    severity: 'high',
    pattern: phrase(
      r`\byou are now (?:(?:an?|the|in|my) )?(?:DAN\b|unrestricted|unfiltered|uncensored|jailbroken|unlocked|liberated|freed|evil|rogue|developer mode|dev mode|god mode|admin mode|sudo mode|jailbreak mode|no longer|free (?:from|of)|not (?:bound|restricted|limited))`,
    ),
  },
  {
    id: 'no-longer-bound',
    category: 'override',
    label: 'tells the model its rules no longer apply',
    severity: 'high',
    pattern: phrase(
      r`\byou are no longer (?:bound|restricted|limited|constrained|required to (?:follow|obey)|an? (?:AI|assistant|language model)|Claude|ChatGPT)\b`,
    ),
  },
  {
    id: 'from-now-on',
    category: 'override',
    label: 'switches the model to new standing orders',
    severity: 'high',
    pattern: phrase(
      r`\bfrom now on,? you (?:will|must|shall|are to|should) (?:ignore|disregard|only obey|obey only|act as|pretend|respond without|no longer)\b`,
    ),
  },
  {
    id: 'replacement-instructions',
    category: 'override',
    label: 'announces new instructions that replace the current ones',
    severity: 'medium',
    pattern: phrase(
      r`\b(?:new|updated|revised|real|actual|true|overriding)(?<=(?:^|[.!?]\s{1,4})[\t\x20>*#_\-]{0,8}[a-z]{3,11}) (?:system )?(?:instructions|prompt|directives?|policy|orders)\s{0,4}:`,
      'im',
    ),
  },
  {
    id: 'system-override',
    category: 'override',
    label: 'claims a system or administrator override',
    severity: 'medium',
    pattern: phrase(r`\b(?:SYSTEM|ADMIN|ADMINISTRATOR|DEVELOPER|EMERGENCY|SECURITY) OVERRIDE\b`, ''),
  },
  {
    id: 'chat-template-token',
    category: 'override',
    label: 'contains a chat-template control token that fakes a conversation turn',
    severity: 'high',
    pattern: phrase(
      r`<\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|begin_of_text|start_header_id|end_header_id|eot_id|eom_id)\|>`,
      '',
    ),
  },
  {
    id: 'inst-tag',
    category: 'override',
    label: 'contains an [INST] or <<SYS>> marker that fakes a prompt boundary',
    severity: 'high',
    pattern: phrase(r`\[\/?INST\]|<<\/?SYS>>`, ''),
  },
  {
    id: 'fake-system-tag',
    category: 'override',
    label: 'contains a fake system tag',
    severity: 'high',
    pattern: phrase(
      r`<\/?(?:system|system[\-_]prompt|system[\-_]message|system[\-_]instructions?|system[\-_]reminder|developer[\-_]instructions|admin[\-_]instructions)(?:\x20[^<>\n]{0,80})?>`,
    ),
  },
  {
    id: 'important-tag',
    category: 'override',
    label: 'wraps text in an <IMPORTANT> tag, a common tool-poisoning marker',
    severity: 'low',
    pattern: phrase(r`<\/?IMPORTANT>`, ''),
  },
  {
    id: 'fake-role-line',
    category: 'override',
    label: 'starts a line with a fake SYSTEM: role marker',
    severity: 'medium',
    pattern: phrase(r`^[\t\x20>]{0,4}(?:SYSTEM|\[SYSTEM\]|\[ADMIN\]|SYSTEM MESSAGE|SYSTEM PROMPT)\s{0,4}:`, 'm'),
  },

  // --- concealment: keep the user from knowing ------------------------------------------------
  {
    id: 'do-not-tell-user',
    category: 'concealment',
    label: 'tells the model to keep something from the user',
    severity: 'high',
    negatable: false,
    // "Do not tell the user to run sudo" and "do not tell the user they can sign in yet" are
    // advice about wording; only an object that is the agent's own doing (or nothing) conceals.
    pattern: phrase(
      r`\b${NEG} (?:tell|let) ${THE_USER}(?: know| find out)?(?:(?: about (?:this|these|that|it|any of this|the (?:above|following|instructions?|tool|step|file|request|change|note|message)s?)| anything)?(?=[\s*_]{0,3}(?:[.,;:!)\]<]|$))| (?:that|what|why) you\b)`,
      'im',
    ),
  },
  {
    id: 'do-not-inform-user',
    category: 'concealment',
    label: 'tells the model not to inform the user',
    severity: 'medium',
    negatable: false,
    pattern: phrase(r`\b${NEG} (?:inform|notify|alert|warn) ${THE_USER}\b(?! (?:to|about (?:minor|trivial|routine))\b)`),
  },
  {
    id: 'do-not-mention',
    category: 'concealment',
    label: 'tells the model not to mention what it is doing',
    severity: 'high',
    negatable: false,
    pattern: phrase(
      r`\b${NEG} (?:mention|reveal|disclose|acknowledge|admit|report) (?:(?:that|what|which(?: \w{1,15})?|how|why|where|whether) you\b|this (?:instruction|note|step|tool|message|request)\b|these (?:instructions|notes|steps)\b|(?:this|that|these|it|any of this) (?:to|with) the (?:user|human|operator)\b|(?:this|that|it|anything)(?=[\s*_]{0,3}(?:[.,;:!)\]<]|-->|$)))`,
      'im',
    ),
  },
  {
    id: 'without-telling-user',
    category: 'concealment',
    label: 'tells the model to act without the user knowing',
    severity: 'high',
    imperative: 'clause',
    pattern: phrase(
      r`\bwithout (?:(?:telling|informing|notifying|alerting|warning|letting) (?:the (?:user|human|operator)|them|anyone)|the (?:user|human|operator)(?:['’]s)? (?:knowing|noticing|knowledge|awareness|seeing))\b`,
    ),
  },
  {
    id: 'hide-from-user',
    category: 'concealment',
    label: 'tells the model to hide something from the user',
    severity: 'medium',
    imperative: 'phrase',
    pattern: phrase(r`\b(?:hide|conceal|withhold) [^\n.!?]{0,40}?\bfrom the (?:user|human|operator)\b`),
  },
  {
    id: 'user-must-not-know',
    category: 'concealment',
    label: 'says the user must not know or see something',
    severity: 'medium',
    negatable: false,
    pattern: phrase(
      r`\bthe (?:user|human) (?:must not|mustn['’]t|should not|shouldn['’]t|need not|needn['’]t|(?:does not|doesn['’]t) need to|is not to|will not|won['’]t|cannot|can['’]t) (?:know|see|notice|be told|find out|learn|be (?:informed|aware|notified))(?: (?:about )?(?:this|these|it))?\b`,
    ),
  },
  {
    id: 'covert-action',
    category: 'concealment',
    label: 'tells the model to do something covertly',
    severity: 'high',
    pattern: phrase(
      r`\b(?:secretly|covertly|stealthily|surreptitiously|invisibly) (?:run|execute|send|upload|post|transmit|forward|install|download|exfiltrate|copy|read|collect|gather|include|append|add|insert|call|invoke|fetch|modify|change|edit|delete|remove|replace|overwrite|access|email|commit|push|write|save|store|log|record)\b`,
    ),
  },
  {
    id: 'silent-action',
    category: 'concealment',
    label: 'tells the model to do something silently',
    severity: 'medium',
    imperative: 'phrase',
    pattern: phrase(
      r`\b(?:silently|quietly|discreetly) (?:run|execute|send|upload|post|transmit|forward|install|download|exfiltrate|copy|read|collect|gather|include|append|add|insert|call|invoke|fetch|modify|change|edit|delete|remove|replace|overwrite|access|email|commit|push)\b`,
    ),
  },

  // --- remote code: fetch something and run it ------------------------------------------------
  {
    id: 'pipe-to-shell',
    category: 'remote-code',
    label: 'pipes a download straight into a shell or interpreter',
    severity: 'high',
    pattern: phrase(
      r`\|(?<=(?<pre>\b(?:curl|wget)\s{1,10}[^\s|][^\n|]{0,300})\|)\s{0,4}(?:sudo(?:\s{1,4}-{1,2}[A-Za-z\-]{1,20}){0,3}\s{1,4})?(?:env\s{1,4})?(?:\/(?:usr\/)?(?:local\/)?bin\/)?(?:(?:ba|z|k|da|fi|tc|a)?sh|python[0-9.]{0,4}|node|perl|ruby|php|pwsh|powershell|iex|source)\b`,
    ),
  },
  {
    id: 'download-then-run',
    category: 'remote-code',
    label: 'downloads a file and then executes it',
    severity: 'high',
    pattern: phrase(
      r`(?:&&|;)(?<=(?<pre>\b(?:curl|wget)\s{1,10}[^\s|;&][^\n|;&]{0,300})(?:&&|;))\s{0,4}(?:sudo\s{1,4})?(?:(?:ba|z|k|da)?sh\s{1,4}[^\s;&|]|python[0-9.]{0,4}\s{1,4}[^\s;&|-]|chmod\s{1,4}(?:[ugoa]{0,3}\+x|[0-7]{3,4})\b)`,
    ),
  },
  {
    id: 'shell-substitution-download',
    category: 'remote-code',
    label: 'runs a download through shell substitution',
    severity: 'high',
    pattern: phrase(
      r`(?:\b(?:(?:ba|z|k)?sh|source|eval)|(?<![\w.])\.)\s{1,4}(?:-c\s{1,4})?["']?(?:<\(|\$\()\s{0,4}(?:curl|wget)\b`,
    ),
  },
  {
    id: 'powershell-download-exec',
    category: 'remote-code',
    label: 'downloads a script in PowerShell and runs it with Invoke-Expression',
    severity: 'high',
    pattern: phrase(
      r`\|(?<=(?<pre>\b(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod|curl|wget|DownloadString)\b[^\n|]{0,300})\|)\s{0,4}(?:iex|Invoke-Expression)\b|\b(?:iex|Invoke-Expression)\s{0,4}[(\x20]\s{0,4}\(?\s{0,4}(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod|\(?New-Object\s{1,4}(?:System\.)?Net\.WebClient\)?\.DownloadString)\b`,
    ),
  },
  {
    id: 'encoded-powershell',
    category: 'remote-code',
    label: 'runs an encoded (obfuscated) PowerShell command',
    severity: 'medium',
    pattern: phrase(
      r`\b(?:powershell|pwsh)(?:\.exe)?\b[^\n|]{0,60}?\s-(?:e|ec|enc|encodedcommand)\s{1,4}[A-Za-z0-9+\/=]{20,}`,
    ),
  },
  {
    id: 'run-remote-script',
    category: 'remote-code',
    label: 'tells the model to run a script from a URL',
    severity: 'high',
    imperative: 'phrase',
    pattern: phrase(
      r`\b(?:run|execute|launch|source|eval(?:uate)?) (?:the |this |that |a )?(?:(?:shell|bash|python|powershell|node|install(?:ation)?|setup|bootstrap|update) )?(?:script|code|binary|command|payload|program)s? (?:at|from|hosted at|located at|downloaded from|in) <?https?:\/\/`,
    ),
  },
  {
    id: 'run-remote-package',
    category: 'remote-code',
    label: 'runs code straight from a URL with a package runner',
    severity: 'high',
    pattern: phrase(
      r`\b(?:npx|bunx|pnpm dlx|yarn dlx|uvx|pipx run|deno run)\b(?:\s{1,4}-[\w\-]{0,20}(?:=[^\s=]{1,40})?){0,4}\s{1,4}<?(?:https?:\/\/|git\+https?:\/\/|github:)`,
    ),
  },
  {
    id: 'download-and-execute',
    category: 'remote-code',
    label: 'tells the model to download something and execute it',
    severity: 'medium',
    imperative: 'phrase',
    pattern: phrase(
      r`\bdownload (?:and|then|&) (?:execute|run|launch)\b|\band(?<=(?<pre>\b(?:download|fetch|retrieve)\b[^\n]{0,80}\s)and) (?:then )?(?:execute|run|eval(?:uate)?|source) (?:it|them|the (?:script|file|binary|payload|result|output|response|contents?))\b`,
    ),
  },

  // --- safety bypass: switch off the human in the loop ----------------------------------------
  {
    id: 'skip-permissions-flag',
    category: 'safety-bypass',
    label: 'runs the agent with its permission checks disabled',
    severity: 'high',
    literal: true,
    pattern: phrase(r`--(?:allow-)?dangerously-(?:skip-permissions|bypass-approvals-and-sandbox)\b`),
  },
  {
    id: 'bypass-permissions-mode',
    category: 'safety-bypass',
    label: 'selects the bypassPermissions mode',
    severity: 'high',
    literal: true,
    pattern: phrase(r`\bbypassPermissions\b|--permission-mode[=\x20]{1,4}["']?bypass`),
  },
  {
    id: 'yolo-mode',
    category: 'safety-bypass',
    label: 'turns on YOLO / never-ask approval mode',
    severity: 'high',
    literal: true,
    pattern: phrase(
      r`\byolo[\-\x20]mode\b|(?<![\w\-])--yolo\b|\b(?:approval[\-_\x20]?(?:mode|policy)|ask[\-_]for[\-_]approval)["']?\s{0,4}(?:[:=]|to\b|\s)\s{0,4}["']?(?:yolo|never)\b`,
    ),
  },
  {
    id: 'danger-full-access',
    category: 'safety-bypass',
    label: 'removes the sandbox (danger-full-access)',
    severity: 'high',
    literal: true,
    pattern: phrase(r`\bdanger-full-access\b`),
  },
  {
    id: 'disable-safety-controls',
    category: 'safety-bypass',
    label: 'tells the model to disable its sandbox or safety checks',
    severity: 'high',
    imperative: 'phrase',
    pattern: phrase(
      r`\b(?:disable|turn off|switch off|deactivate|bypass|circumvent|skip|get around|work around|evade) (?:(?:the|all|any|your|every|its|claude['’]s|cursor['’]s|copilot['’]s|codex['’]s) ){0,2}(?:sandbox(?:ing)?|(?:permission|approval|confirmation|consent) (?:prompts?|checks?|dialogs?|requests?|steps?|gates?|system|mechanism)|approvals|safety (?:checks?|guardrails?|filters?|measures?|features?|restrictions?|settings?|rules)|security (?:checks?|controls?|guardrails?|restrictions?|prompts?|warnings?)|guardrails?|content (?:filters?|polic(?:y|ies)))\b`,
    ),
  },
  {
    id: 'sandbox-set-off',
    category: 'safety-bypass',
    label: 'switches the sandbox or approvals off',
    severity: 'high',
    pattern: phrase(
      r`\bset (?:the )?(?:sandbox(?:ing|[\-_]mode)?|approvals?|approval[\-_\x20]mode|permissions?[\-_\x20]mode|confirmations?) (?:mode )?to ["'\x60]?(?:off|none|false|disabled|never|no)\b`,
    ),
  },
  {
    id: 'enable-auto-execution',
    category: 'safety-bypass',
    label: 'turns on automatic execution of commands',
    severity: 'high',
    imperative: 'phrase',
    pattern: phrase(
      r`\b(?:turn on|enable|switch on|activate) (?:the |windsurf['’]s |cursor['’]s )?(?:auto-?(?:execution|execute|run|approve|approval|accept)|turbo mode|yolo mode|full-?auto(?: mode)?)\b`,
    ),
  },
  {
    id: 'disable-repo-protections',
    category: 'safety-bypass',
    label: 'tells the model to switch off a repository or transport protection',
    severity: 'medium',
    imperative: 'phrase',
    pattern: phrase(
      r`\b(?:disable|turn off|switch off|deactivate|bypass|circumvent|skip|get around|work around|evade) (?:(?:the|all|any|its|github['’]s) ){0,2}(?:push protection|secret scanning|branch protection(?: rules)?|(?:ssl|tls|certificate) (?:verification|validation|checks?)|signature (?:verification|checks?)|pre-commit hooks?|git hooks|code reviews?)\b`,
    ),
  },
  {
    id: 'always-approve',
    category: 'safety-bypass',
    label: 'tells the model to approve its own actions',
    severity: 'medium',
    imperative: 'phrase',
    pattern: phrase(
      r`\b(?:always|automatically) approve\b|\bauto-?approve (?:all|every|any)\b|\bapprove (?:and run )?(?:all|every|any) [\w\x20\-]{0,30}?(?:commands?|tool calls?|actions?|requests?|changes?|edits?|operations?) (?:automatically|yourself|without (?:asking|review|confirmation|checking))\b|\b(?:always|automatically) (?:allow|accept|grant) (?:(?:all|any|every) )?(?:tool (?:calls?|use|requests?)|permissions?|permission requests?|(?:shell )?commands|file (?:writes|edits))\b`,
    ),
  },
  {
    id: 'never-ask-confirmation',
    category: 'safety-bypass',
    label: 'tells the model never to ask for confirmation',
    severity: 'medium',
    imperative: 'phrase',
    pattern: phrase(
      r`\b(?:never|do not|don['’]t) (?:ask|prompt|wait|check with|stop to ask) (?:(?:the user|me|them|anyone|the human) )?(?:for )?(?:confirmation|permission|approval|consent)\b`,
    ),
  },
  {
    id: 'without-confirmation',
    category: 'safety-bypass',
    label: 'tells the model to act without asking for confirmation',
    severity: 'medium',
    imperative: 'clause',
    pattern: phrase(
      r`\bwithout (?:asking|prompting|waiting|checking with) (?:(?:the user|me|them|anyone|the human) )?(?:for )?(?:confirmation|permission|approval|consent)\b`,
    ),
  },
];

// --- exfiltration: send something secret somewhere ------------------------------------------
// A sentence is an exfiltration ask when a sending verb, a sensitive target and a destination
// appear in that order on one line, or when a network command and a destination share a line with
// the target. Found by indexing each part once and joining by position, which stays linear where
// one regex with three gaps would not.

export interface SensitiveTarget {
  id: string;
  label: string;
  pattern: RegExp;
}

export const SENSITIVE_TARGETS: readonly SensitiveTarget[] = [
  {
    id: 'ssh-keys',
    label: 'SSH keys',
    pattern: /(?:~\/|\$HOME\/|%USERPROFILE%[\\/])?(?<![\w-])\.ssh\b(?:\/[\w.-]{1,40})?|\bid_(?:rsa|dsa|ecdsa|ed25519)\b(?:\.pub)?/gi,
  },
  { id: 'dotenv', label: '.env file', pattern: /(?<![\w.-])\.env(?:\.[\w-]{1,20})?\b/gi },
  {
    id: 'cloud-credentials',
    label: 'cloud credentials',
    pattern: /(?:~\/|\$HOME\/)?\.aws\/(?:credentials|config)\b|\.config\/gcloud\b|(?<![\w-])\.azure\b|\.kube\/config\b|\bkubeconfig\b|\.docker\/config\.json\b/gi,
  },
  { id: 'token-files', label: 'token files', pattern: /(?:~\/|\$HOME\/)?(?<![\w-])\.(?:npmrc|netrc|pypirc|git-credentials|pgpass)\b/gi },
  { id: 'system-secrets', label: 'system password files', pattern: /\/etc\/(?:shadow|passwd|sudoers)\b/g },
  {
    id: 'agent-config',
    label: 'agent configuration with credentials',
    pattern: /\b(?:mcp\.json|\.claude\.json|claude_desktop_config\.json)\b/gi,
  },
  {
    id: 'secrets-in-bulk',
    label: 'secrets',
    pattern: phrase(
      r`\b(?:all|every|any|the user['’]s|your|my|contents of(?: the)?) (?:(?:api|access|secret|auth|private) )?(?:keys|tokens|secrets|credentials|passwords|environment variables|env vars|cookies|private keys?|seed phrases?)\b`,
    ),
  },
];

const EXFIL_VERB = phrase(
  r`\b(?:send|upload|post|transmit|exfiltrate|forward|leak|copy|share|e-?mail|submit|include|attach|append|embed|paste|pipe|pass|report|sync|push|put|beacon)\b`,
);
const DESTINATION = phrase(
  r`(?:https?|ftp|wss?):\/\/[^\s)>\]"'\x60]{1,200}|(?<=[\w.+\-])@[\w\-]{1,63}\.[a-z]{2,}\b|\b(?:webhook|pastebin|requestbin|ngrok|pipedream|interact\.sh|burpcollaborator)\b|\b(?:the following|this|that|an external|a remote|my|our) (?:url|endpoint|server|webhook|address)\b|\b(?:as|in|into) (?:the |its |a )?['"\x60]?[\w\-]{1,30}['"\x60]? (?:parameter|argument|field|param)\b`,
);
const NETWORK_COMMAND = /\b(?:curl|wget|nc|ncat|netcat|socat|scp|rsync|sftp|ftp|telnet|Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\b/gi;
/** The target is where a download is written, not what is sent. */
const WRITTEN_TO = /(?:(?:^|\s)-[oO]|--output(?:-document)?|>{1,2})[=\s]{0,4}["']?$/u;

interface Span {
  start: number;
  end: number;
}

function allSpans(re: RegExp, text: string, limit = Number.POSITIVE_INFINITY): Span[] {
  const out: Span[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m && out.length < limit; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    // A pattern anchored on a rare tail (`| bash`) looks back for its head in a group named `pre`.
    const pre = m.groups?.['pre']?.length ?? 0;
    out.push({ start: m.index - pre, end: m.index + m[0].length });
  }
  return out;
}

/** Index of the first span starting at or after `pos`. */
function firstAtOrAfter(spans: readonly Span[], pos: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.start < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Start of the line holding `pos`, looking back at most `reach` characters (hostile text may be one line). */
function lineStartOf(text: string, pos: number, reach: number): number {
  const from = Math.max(0, pos - reach);
  const i = text.slice(from, pos).lastIndexOf('\n');
  return i === -1 ? from : from + i + 1;
}

/** End of the line holding `pos`, looking ahead at most `reach` characters. */
function lineEndOf(text: string, pos: number, reach = Number.POSITIVE_INFINITY): number {
  if (reach === Number.POSITIVE_INFINITY) {
    const e = text.indexOf('\n', pos);
    return e === -1 ? text.length : e;
  }
  const to = Math.min(text.length, pos + reach);
  const i = indexWithin(text, '\n', pos, to);
  return i === -1 ? to : i;
}

/** Is the target part of a URL (…/x/.env.example), not a file on this machine? */
function insideUrl(text: string, pos: number): boolean {
  for (let i = pos - 1; i >= Math.max(0, pos - 200); i--) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x09) return false;
    if (c === 0x2f && text.charCodeAt(i - 1) === 0x2f && text.charCodeAt(i - 2) === 0x3a) return true;
  }
  return false;
}

const VERB_WINDOW = 120;
const DEST_WINDOW = 160;
const COMMAND_WINDOW = 200;
const LINE_REACH = 2 * COMMAND_WINDOW;

function findExfiltration(text: string): Span[] {
  const verbs = allSpans(EXFIL_VERB, text);
  const dests = allSpans(DESTINATION, text);
  const commands = allSpans(NETWORK_COMMAND, text);
  if (dests.length === 0 || (verbs.length === 0 && commands.length === 0)) return [];
  const targets = SENSITIVE_TARGETS.flatMap((target) => allSpans(target.pattern, text)).sort((a, b) => a.start - b.start);
  const found: Span[] = [];
  let coveredTo = -1;
  for (const t of targets) {
    if (t.start < coveredTo) continue;
    const ls = lineStartOf(text, t.start, LINE_REACH);
    const le = lineEndOf(text, t.end, LINE_REACH);
    const span = verbForm(t, ls, le) ?? commandForm(t, ls, le);
    if (span && span.start >= coveredTo && !insideUrl(text, t.start)) {
      found.push(span);
      coveredTo = span.end;
    }
  }
  return found;

  function verbForm(t: Span, ls: number, le: number): Span | undefined {
    const dest = dests[firstAtOrAfter(dests, t.end)];
    if (!dest || dest.start >= Math.min(le, t.end + DEST_WINDOW)) return undefined;
    // "send ~/.ssh/id_rsa to …": the nearest verb before the target, on its line and within reach;
    // "read .env and post it to …": else a verb between the target and the destination.
    const before = verbs[firstAtOrAfter(verbs, t.start) - 1];
    if (before && before.end <= t.start && before.start >= Math.max(ls, t.start - VERB_WINDOW)) return { start: before.start, end: dest.end };
    const after = verbs[firstAtOrAfter(verbs, t.end)];
    if (after && after.end <= dest.start) return { start: t.start, end: dest.end };
    return undefined;
  }

  function commandForm(t: Span, ls: number, le: number): Span | undefined {
    if (WRITTEN_TO.test(text.slice(Math.max(ls, t.start - 20), t.start))) return undefined;
    const from = Math.max(ls, t.start - COMMAND_WINDOW);
    const ci = firstAtOrAfter(commands, from);
    const cmd = commands[ci];
    if (!cmd || cmd.start >= Math.min(le, t.end + COMMAND_WINDOW)) return undefined;
    const lo = Math.min(cmd.start, t.start);
    const di = firstAtOrAfter(dests, lo);
    const dest = dests[di];
    if (!dest || dest.start >= Math.min(le, lo + COMMAND_WINDOW * 2)) return undefined;
    return { start: lo, end: Math.max(t.end, cmd.end, dest.end) };
  }
}

const EXFILTRATION: Omit<InjectionPattern, 'pattern'> = {
  id: 'send-secrets',
  category: 'exfiltration',
  label: 'tells the model to send secrets or credentials to an outside destination',
  severity: 'critical',
};

// --- Markdown code: quoted by the author, not addressed to the model -------------------------

export interface CodeRange {
  start: number;
  end: number;
  fenced: boolean;
}

/** `text.indexOf(needle, from)` that never looks at or past `to` (a search per line must stay on its line). */
function indexWithin(text: string, needle: string, from: number, to: number): number {
  if (from >= to) return -1;
  const i = text.slice(from, to).indexOf(needle);
  return i === -1 ? -1 : from + i;
}

/** A fence line: any indentation (fences nest in list items and quotes), then three or more ` or ~. */
function fenceAt(text: string, ls: number, le: number): { char: number; len: number; end: number } | undefined {
  let i = ls;
  while (i < le && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09 || text.charCodeAt(i) === 0x3e)) i++;
  const c = text.charCodeAt(i);
  if (c !== 0x60 && c !== 0x7e) return undefined;
  let j = i;
  while (j < le && text.charCodeAt(j) === c) j++;
  if (j - i < 3) return undefined;
  // ```js is a fence; ```code``` on one line is an inline span.
  if (c === 0x60 && indexWithin(text, '`', j, le) !== -1) return undefined;
  return { char: c, len: j - i, end: j };
}

/** Inline code spans on one line: a backtick run closes at the next run of the same length. */
function inlineSpans(text: string, ls: number, le: number, out: CodeRange[]): void {
  const runs: { pos: number; len: number }[] = [];
  for (let i = indexWithin(text, '`', ls, le); i !== -1; i = indexWithin(text, '`', i, le)) {
    let j = i;
    while (j < le && text.charCodeAt(j) === 0x60) j++;
    runs.push({ pos: i, len: j - i });
    i = j;
  }
  if (runs.length < 2) return;
  const byLength = new Map<number, number[]>();
  runs.forEach((run, idx) => {
    const list = byLength.get(run.len);
    if (list) list.push(idx);
    else byLength.set(run.len, [idx]);
  });
  const cursor = new Map<number, number>();
  let k = 0;
  while (k < runs.length) {
    const run = runs[k]!;
    const list = byLength.get(run.len)!;
    let p = cursor.get(run.len) ?? 0;
    while (p < list.length && list[p]! <= k) p++;
    cursor.set(run.len, p);
    const closing = list[p];
    if (closing === undefined) {
      k++;
      continue;
    }
    const close = runs[closing]!;
    out.push({ start: run.pos, end: close.pos + close.len, fenced: false });
    k = closing + 1;
  }
}

/**
 * Fenced code blocks and inline code spans, in order (a CommonMark approximation, linear).
 * HTML comments are skipped so that a fence hidden in a comment cannot turn the rest of the
 * document into "code".
 */
export function findCodeRanges(text: string): CodeRange[] {
  const out: CodeRange[] = [];
  let fence: { char: number; len: number; start: number } | undefined;
  let ls = 0;
  while (ls <= text.length) {
    let le = lineEndOf(text, ls);
    if (fence) {
      const close = fenceAt(text, ls, le);
      if (close && close.char === fence.char && close.len >= fence.len && text.slice(close.end, le).trim() === '') {
        out.push({ start: fence.start, end: le, fenced: true });
        fence = undefined;
      }
    } else {
      const open = fenceAt(text, ls, le);
      if (open) fence = { char: open.char, len: open.len, start: ls };
      else {
        const lineFirst = out.length;
        inlineSpans(text, ls, le, out);
        for (let c = indexWithin(text, '<!--', ls, le); c !== -1; c = indexWithin(text, '<!--', c + 4, le)) {
          if (rangeAt(out, c, c + 1, lineFirst)) continue;
          const close = text.indexOf('-->', c + 4);
          if (close === -1) return out; // the rest of the text is one comment
          if (close >= le) {
            le = lineEndOf(text, close + 3);
            break;
          }
          c = close;
        }
      }
    }
    if (le >= text.length) break;
    ls = le + 1;
  }
  if (fence) out.push({ start: fence.start, end: text.length, fenced: true });
  return out;
}

/** The range among `ranges` (sorted, disjoint; search from `from`) that overlaps `[start, end)`. */
export function rangeAt<T extends { start: number; end: number }>(ranges: readonly T[], start: number, end: number, from = 0): T | undefined {
  let lo = from;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const range = ranges[mid]!;
    if (range.end <= start) lo = mid + 1;
    else if (range.start >= end) hi = mid - 1;
    else return range;
  }
  return undefined;
}

// --- Mention context -------------------------------------------------------------------------

type Mention = 'inline-code' | 'fenced-code' | 'quoted' | 'negated' | 'reported';

interface CategoryPolicy {
  /** Contexts in which a match is talk *about* the phrase, not the phrase. */
  exempt: ReadonlySet<Mention>;
  /** In a fenced block the text documents a command rather than directs the model: cap the severity. */
  fencedSeverity?: Severity;
  /** Likewise in an inline code span (a flag named in passing: "workers run `claude --yolo`"). */
  inlineSeverity?: Severity;
}

const PROSE_ONLY: ReadonlySet<Mention> = new Set(['inline-code', 'fenced-code', 'quoted', 'negated', 'reported']);
const CATEGORY_POLICY: Record<InjectionCategory, CategoryPolicy> = {
  override: { exempt: PROSE_ONLY },
  concealment: { exempt: PROSE_ONLY },
  // Commands and flags are written in code spans; the code span does not make them safe.
  'remote-code': { exempt: new Set(['negated', 'reported']), fencedSeverity: 'medium' },
  'safety-bypass': { exempt: new Set(['quoted', 'negated', 'reported']), fencedSeverity: 'medium', inlineSeverity: 'medium' },
  exfiltration: { exempt: new Set(['quoted', 'negated', 'reported']) },
};

const APOSTROPHE_LIKE = new Set(["'", '‘', '’']);
const QUOTE_CLOSE: Record<string, string> = { '"': '"', '“': '”', '‘': '’', "'": "'", '«': '»', '„': '“', '「': '」', '『': '』' };
const LETTER = /[\p{L}\p{N}]/u;
const QUOTE_REACH = 200;

/** Is `[start, end)` inside a quotation that opens and closes on its line? */
function isQuoted(text: string, start: number, end: number): boolean {
  const from = lineStartOf(text, start, QUOTE_REACH);
  const to = lineEndOf(text, end, QUOTE_REACH);
  // Straight double quotes open and close alike: count them.
  let straight = 0;
  for (let i = from; i < start; i++) if (text.charCodeAt(i) === 0x22) straight++;
  if (straight % 2 === 1 && indexWithin(text, '"', end, to) !== -1) return true;
  for (let i = start - 1; i >= from; i--) {
    const ch = text[i]!;
    const close = QUOTE_CLOSE[ch];
    if (close === undefined || ch === '"') continue;
    // An apostrophe inside a word (it's) is not an opening quote.
    if (APOSTROPHE_LIKE.has(ch) && i > 0 && LETTER.test(text[i - 1]!)) continue;
    for (let j = end; j < to; j++) {
      if (text[j] !== close) continue;
      if (APOSTROPHE_LIKE.has(close) && j + 1 < text.length && LETTER.test(text[j + 1]!)) continue; // don't
      return true;
    }
    return false;
  }
  return false;
}

interface Clause {
  /** The text before `start` in the same clause. */
  text: string;
  /** False when the window ran out before the clause began. */
  complete: boolean;
}

function clauseBefore(text: string, start: number, max: number): Clause {
  const from = Math.max(0, start - max);
  let i = start - 1;
  for (; i >= from; i--) {
    const c = text[i]!;
    if (c === '\n' || c === ';' || c === '!' || c === '?') break;
    // A full stop ends a sentence only when followed by a space (not in ".env" or "e.g.x").
    if (c === '.' && /\s/.test(text[i + 1] ?? '')) break;
  }
  return { text: text.slice(i + 1, start), complete: i >= from || from === 0 };
}

// What may stand before an instruction in its clause: list markers, a bold or "Label:" prefix,
// adverbs, and the ways people address the agent ("you must", "make sure to").
const LEAD_IN = r`(?:[\s\-*+>#|]|\d{1,3}[.)]|\*\*[^*\n]{1,40}\*\*:?|__[^_\n]{1,40}__:?|[A-Za-z][\w\x20\-]{0,30}:)*`;
const ADDRESS = r`(?:please|always|also|then|now|just|first|next|finally|instead|immediately|automatically|quietly|silently|secretly|you(?:\s+(?:must|should|shall|will|need\s+to|have\s+to|are\s+to|can|may))?|make\s+sure\s+(?:to|you)|be\s+sure\s+to|remember\s+to|go\s+ahead\s+and|feel\s+free\s+to|i\s+want\s+you\s+to|your\s+(?:job|task)\s+is\s+to)`;
const OPENS_CLAUSE = new RegExp(`^${LEAD_IN}(?:${ADDRESS}[\\s,]+){0,3}$`, 'iu');
const AFTER_JOIN = new RegExp(`(?:\\b(?:and|then|also|or|but|so)|[,:(—–]|\\s-)\\s*(?:${ADDRESS}[\\s,]+){0,2}$`, 'iu');
const LEAD_IN_PREFIX = new RegExp(`^${LEAD_IN}(?:${ADDRESS}[\\s,]+){0,3}`, 'iu');
// Verbs an instruction to an agent opens with; a clause opening with anything else describes.
const AGENT_VERB =
  /^(?:run|execute|send|upload|post|delete|remove|modify|change|edit|update|install|commit|push|make|create|write|add|copy|move|rename|read|open|access|fetch|download|call|invoke|use|disable|enable|deploy|proceed|continue|do|perform|apply|merge|publish|store|save|log|record|collect|gather|share|forward|transmit|include|append|insert|replace|overwrite|drop|stash|reset|rebase|grant|approve|accept|allow|skip|bypass|turn|switch|set|configure|start|stop|kill|restart|launch|spawn|schedule|email|print|output|respond|reply|submit|transfer|export|import|load|inject|embed|attach|hide|keep|put|pass|fix|refactor|rewrite|generate|build|sync|clone|pull|back\s+up|mirror|archive|encrypt|compress)\b/iu;

/** Is the phrase at `start` worded as an instruction rather than a description? */
function isInstruction(mode: 'phrase' | 'clause', text: string, start: number): boolean {
  const clause = clauseBefore(text, start, 150);
  if (mode === 'phrase') return (clause.complete && OPENS_CLAUSE.test(clause.text)) || AFTER_JOIN.test(clause.text);
  return clause.complete && AGENT_VERB.test(clause.text.replace(LEAD_IN_PREFIX, ''));
}

const NEGATION =
  /\b(?:never|(?:do|does|did|must|should|shall|will|would|can|may|is|are)\s+not|no longer|don['’]t|doesn['’]t|didn['’]t|won['’]t|can['’]t|cannot|mustn['’]t|shouldn['’]t|avoid(?:ing)?|refuse|prohibit(?:ed)?|forbid(?:den)?|disallow(?:ed)?|instead of|rather than|against|warns? about)\b/iu;
const REPORTED =
  /(?:\b(?:like|such as|e\.g\.|i\.e\.|for example|for instance|examples?|says?|said|saying|phrases?|strings?|text|patterns?|attempts? to|tries to|trying to|try to|tells? you to|asks? you to|instructs? you to|telling you to|asking you to|containing|contains?|mentions?|called|named|known as)[\s:,]*["'“‘«]?\s*)$/iu;

function mentionOf(text: string, code: readonly CodeRange[], start: number, end: number, negatable: boolean): Mention[] {
  const found: Mention[] = [];
  const range = rangeAt(code, start, end);
  if (range) found.push(range.fenced ? 'fenced-code' : 'inline-code');
  if (isQuoted(text, start, end)) found.push('quoted');
  const before = clauseBefore(text, start, 50).text;
  if (negatable && NEGATION.test(before)) found.push('negated');
  if (REPORTED.test(before.slice(-40))) found.push('reported');
  return found;
}

// --- The scan --------------------------------------------------------------------------------

/** A thousand hits of one phrase already say everything; more only cost time and memory. */
export const MAX_MATCHES_PER_PATTERN = 1000;

// Several rules ask about the same text in a row; remember the last few answers.
const cache: { text: string; matches: readonly PhraseMatch[] }[] = [];
const CACHE_SIZE = 4;

/**
 * Every injection phrase in `text`, in order of offset, at most MAX_MATCHES_PER_PATTERN per
 * pattern. Hidden characters and look-alike letters do not break a phrase (the text is folded
 * first), and offsets refer to `text` itself. The array is shared with later callers: read only.
 */
export function findInjectionPhrases(text: string): readonly PhraseMatch[] {
  const hit = cache.find((c) => c.text === text);
  if (hit) return hit.matches;
  const folded = foldForMatching(text);
  const t = folded.text;
  const code = findCodeRanges(t);
  const matches: PhraseMatch[] = [];

  const consider = (p: Omit<InjectionPattern, 'pattern'>, start: number, end: number): void => {
    const policy = CATEGORY_POLICY[p.category];
    if (p.imperative && !isInstruction(p.imperative, t, start)) return;
    const mentions = mentionOf(t, code, start, end, p.negatable !== false).filter((m) => !(p.literal && m === 'quoted'));
    if (mentions.some((m) => policy.exempt.has(m))) return;
    const context: MatchContext = mentions.includes('fenced-code') ? 'fenced-code' : mentions.includes('inline-code') ? 'inline-code' : 'prose';
    const cap = context === 'fenced-code' ? policy.fencedSeverity : context === 'inline-code' ? policy.inlineSeverity : undefined;
    const severity = cap && severityRank(cap) < severityRank(p.severity) ? cap : p.severity;
    const { offset, length } = folded.span(start, end);
    matches.push({ id: p.id, category: p.category, label: p.label, severity, offset, length, context });
  };

  for (const p of INJECTION_PATTERNS) {
    const before = matches.length;
    p.pattern.lastIndex = 0;
    for (let m = p.pattern.exec(t); m && matches.length - before < MAX_MATCHES_PER_PATTERN; m = p.pattern.exec(t)) {
      if (m[0].length === 0) {
        p.pattern.lastIndex++;
        continue;
      }
      consider(p, m.index - (m.groups?.['pre']?.length ?? 0), m.index + m[0].length);
    }
  }
  const before = matches.length;
  for (const s of findExfiltration(t)) {
    if (matches.length - before >= MAX_MATCHES_PER_PATTERN) break;
    consider(EXFILTRATION, s.start, s.end);
  }

  matches.sort((a, b) => a.offset - b.offset || b.length - a.length);
  cache.unshift({ text, matches });
  cache.length = Math.min(cache.length, CACHE_SIZE);
  return matches;
}
