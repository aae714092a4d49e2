// Annotations that lie. Clients use `readOnlyHint`, `destructiveHint` and `openWorldHint` to
// decide what to run without asking; a tool that deletes or sends while claiming otherwise
// skips the user's confirmation. The claim is checked against what the definition itself says
// the tool does (inspect/capabilities), never against the annotations.
import type { McpDefinition } from '../core/types.js';
import { claimsOf, contradictions, type Capability } from '../inspect/capabilities.js';
import { defineRule } from './rule.js';

/** Verbs that say outright what a tool does, when they lead its name or a clause of its summary. */
const LEADING_VERBS: readonly [Capability, RegExp][] = [
  ['destructive', /^(?:delete|remove|drop|destroy|purge|wipe|truncate|erase|kill|terminate|revoke|uninstall|reset|rm|overwrite|void|shred|expunge)$/],
  ['egress', /^(?:send|post|publish|push|upload|email|mail|notify|forward|share|invite|broadcast|tweet|reply|transfer|pay|charge|refund|payout|sync|synchronise|synchronize|mirror)$/],
  ['code-execution', /^(?:exec|execute|run|eval|evaluate|invoke|spawn)$/],
  ['writes', /^(?:resolve|release|acknowledge|ack|trigger|toggle|mute|unmute|cancel|activate|deactivate|provision|unlock|lock|enable|disable|write|create|update|set|put|insert|add|edit|move|rename|commit|merge|apply|deploy|modify|patch|replace|append|upsert|install|submit|close|archive|assign|fork|register|subscribe|restart|change|generate)$/],
];

function verbClass(word: string | undefined): Capability | undefined {
  if (!word) return undefined;
  const w = word.toLowerCase();
  // "Deletes", "pushes", "applies" and "delete", "push", "apply" are one verb.
  const forms = [w, w.replace(/ies$/, 'y'), w.replace(/(?<=(?:sh|ch|x|ss|z))es$/, ''), w.replace(/s$/, '')];
  for (const [cap, re] of LEADING_VERBS) if (forms.some((f) => re.test(f))) return cap;
  return undefined;
}

/** Words that put a sending verb's target outside the server's own world. */
const OUTWARD = /\b(?:e-?mails?|recipients?|urls?|https?|webhooks?|internet|external|third[- ]party|sms|phone numbers?|remote|tweets?|registry|public|any host|arbitrary hosts?|post requests?)\b/i;
/** Said anywhere in the description: what exists is replaced. */
const OVERWRITES = /\((?:deletes?|removes?|destroys?|erases?)\)|\bcannot be (?:undone|recovered|restored|bought back|reversed)\b|\b(?:(?:is|are|gets?|will be) (?:silently )?(?:overwritten|replaced|moved to (?:the )?trash|deleted|discarded)|overwrites (?:the |an |any )?existing|replaces (?:the |an |any )?existing|permanently (?:deletes|removes))\b/i;
const SQL_WRITES = /\b(?:INSERT|UPDATE|DELETE|DROP|ALTER|TRUNCATE|CREATE|GRANT)\b/g;
const READ_ONLY_SQL = /\bread[- ]only\b|\bonly SELECT\b|\b(?:are|is) (?:rejected|refused|not allowed|blocked)\b/i;
/** Running a query or a search is not executing code; running a script is. */
const CODE_OBJECT = /\b(?:code|scripts?|commands?|shell|programs?|python|javascript|js|typescript|notebooks?|cells?|lambda|functions?|binar(?:y|ies)|executables?|processes|snippets?)\b/i;
/** Changing things means changing something that stays: a file, a record, a setting. */
const PERSISTENT_OBJECT = /\b(?:files?|folders?|director(?:y|ies)|records?|rows?|database|tables?|issues?|pages?|comments?|branch(?:es)?|commits?|repos(?:itory|itories)?|objects?|buckets?|messages?|events?|drafts?|config(?:uration)?|settings?|channels?|users?|entit(?:y|ies)|documents?|keys?|secrets?|clock|timezone|system|hosts?|services?|pull requests?|labels?|webhooks?|subscriptions?|tasks?|tickets?|notes?|policies|roles?|permissions?|deployments?|releases?|tags?|incidents?|monitors?|alerts?|phone numbers?|automations?|devices?|lights?|orders?|payments?|invoices?|customers?|contacts?|deals?|infrastructure|stacks?|schedules?|locks?|doors?)\b/i;
const OPEN_WEB = /\b(?:any url|arbitrary (?:urls?|hosts?)|the (?:open )?(?:web|internet)|https?\(s\)? urls?|from an? https?)\b/i;

interface Stated {
  actions: Set<Capability>;
  summary: string;
}

/**
 * What the tool says it does before anything else: the verb leading its name (`delete_file`,
 * `sendEmail`) and the verbs leading the clauses of its first two sentences ("Generates an
 * llms.txt and commits it…"). Mentions deeper in a description ("send feedback to…", "the file
 * is deleted when…") are not what the tool does, and reading them would call honest hints lies.
 */
function stated(def: McpDefinition): Stated {
  const actions = new Set<Capability>();
  const nameWords = def.name.split(/[_\-.\s]|(?<=[a-z])(?=[A-Z])/);
  const fromName = verbClass(nameWords[0]);
  const description = typeof def.raw['description'] === 'string' ? def.raw['description'] : '';
  const nameObject = `${nameWords.slice(1).join(' ')} ${description.split(/[.\n]/, 1)[0]}`;
  // `add` adds numbers, `run_query` runs a query: the verb alone does not say it changes anything.
  if (fromName && !(fromName === 'writes' && !PERSISTENT_OBJECT.test(nameObject)) && !(fromName === 'code-execution' && !CODE_OBJECT.test(nameObject))) actions.add(fromName);
  const summary = description.split(/(?<=[.!?])(?<!\b(?:e\.g|i\.e|etc|vs)\.)\s+|\n\n/).slice(0, 2).join(' ');
  summary.split(/,|;|\band\b|\bthen\b|\bwhich (?:also )?|\bthat (?:also )?/i).forEach((clause, i) => {
    const words = clause.trim().split(/\s+/, 3).map((x) => x.replace(/[^A-Za-z-]/g, ''));
    let k = /^(?:permanently|irreversibly|immediately|also|directly|automatically|it)$/i.test(words[0] ?? '') ? 1 : 0;
    const modal = /^(?:may|can|will|might|could)$/i.test(words[k] ?? '');
    if (modal) k++;
    const lead = words[k];
    // A later clause counts only when it opens with a verb ("…and commits it", "…and may send
    // it"), not a noun that happens to be one ("…fetch and push URLs").
    if (!lead || (i > 0 && !modal && !/[a-z]s$/i.test(lead))) return;
    const cap = verbClass(lead);
    if (!cap) return;
    if (cap === 'egress' && /\bsig[a-z]+\b|\bsignal\b/i.test(clause)) return; // "Send SIGKILL to a process"
    if (cap === 'code-execution' && !CODE_OBJECT.test(clause)) return;
    if (cap === 'writes' && !PERSISTENT_OBJECT.test(clause)) return;
    actions.add(cap);
  });
  return { actions, summary };
}

/** Claims the tool's own words refute, with the verb that refutes each. */
function refuted(def: McpDefinition): { claim: 'readOnly' | 'nonDestructive' | 'closedWorld'; capability: Capability; detail: string }[] {
  const claims = claimsOf(def);
  const { actions, summary } = stated(def);
  // "This acts on physical devices", "this creates, modifies or destroys real infrastructure".
  const says = /\b(?:this|it) (?:(?:creates|modifies|changes|writes|acts on|controls|sends)\b|[^.]{0,30}\b(?:destroys|deletes)\b)/i.exec(summary);
  if (says) actions.add(/destroys|deletes/i.test(says[0]) ? 'destructive' : 'writes');
  const description = typeof def.raw['description'] === 'string' ? def.raw['description'] : '';
  // "Execute any SQL statement, including INSERT, UPDATE, DELETE…": the statements it names change data.
  if ((description.match(SQL_WRITES) ?? []).length >= 2 && !READ_ONLY_SQL.test(description)) actions.add('writes');
  const out: ReturnType<typeof refuted> = [];
  const first = (caps: Capability[]) => caps.find((c) => actions.has(c));
  if (claims.readOnly) {
    const c = first(['destructive', 'code-execution', 'egress', 'writes']);
    if (c) out.push({ claim: 'readOnly', capability: c, detail: summary.slice(0, 100) });
  }
  if (claims.nonDestructive && (actions.has('destructive') || (actions.has('writes') && OVERWRITES.test(description)))) {
    out.push({ claim: 'nonDestructive', capability: 'destructive', detail: summary.slice(0, 100) });
  }
  if (claims.closedWorld && ((actions.has('egress') && OUTWARD.test(summary)) || OPEN_WEB.test(summary))) {
    out.push({ claim: 'closedWorld', capability: actions.has('egress') ? 'egress' : 'untrusted-input', detail: summary.slice(0, 100) });
  }
  return out;
}

const ANNOTATION = { readOnly: 'readOnlyHint', nonDestructive: 'destructiveHint', closedWorld: 'openWorldHint' } as const;
const ACTION_TEXT: Record<Capability, string> = {
  egress: 'its own description says it sends data out',
  'untrusted-input': 'its own description says it fetches arbitrary URLs',
  'code-execution': 'its own description says it executes code',
  destructive: 'its own description says it destroys or overwrites data',
  writes: 'its own description says it changes things',
  'private-data': 'it reads private data',
};

const CLAIM_TEXT = {
  readOnly: 'readOnlyHint: true (it changes nothing)',
  nonDestructive: 'destructiveHint: false (it destroys nothing)',
  closedWorld: 'openWorldHint: false (it reaches nothing outside)',
} as const;

export const toolAnnotationMismatch = defineRule({
  meta: {
    id: 'tool-annotation-mismatch',
    title: 'Tool annotations contradict what the tool does',
    description:
      'Finds tools whose annotations claim safety that their own name, description or schema (or Warden\'s catalogue of well-known servers) contradicts: a tool that deletes, writes, sends or executes marked `readOnlyHint: true`, a destructive tool marked `destructiveHint: false`, a tool that sends data or reads the open web marked `openWorldHint: false`. Clients may run tools with such hints without asking the user. Only strong evidence counts: a description that merely mentions deletion ("does not delete anything") is not reported.',
    severity: 'medium',
    category: 'poisoning',
    owasp: ['ASI02', 'ASI09'],
    remediation:
      "Do not let the client auto-approve this server's tools on the strength of its hints; report the wrong annotation to the publisher. Warden's policy can require approval for the tool regardless of its hints.",
  },
  checkDefinition({ def, server }) {
    if (def.kind !== 'tool') return [];
    // The tool's own leading verbs, and the catalogue of well-known servers (which knows what
    // `browser_navigate` does whatever its description says). Reading the open web is a lie about
    // `openWorldHint` only when the tool says it fetches arbitrary URLs.
    const catalogue = contradictions(def, server !== undefined ? { name: server } : undefined)
      .filter((c) => c.evidence.source === 'catalogue' && c.capability !== 'untrusted-input')
      .map((c) => ({ claim: c.claim, capability: c.capability, detail: `catalogue: ${c.evidence.detail}` }));
    const found = [...refuted(def), ...catalogue];
    const real = found.filter((c, i) => found.findIndex((o) => o.claim === c.claim) === i);
    return real.map((c) => ({
      message: `Claims ${CLAIM_TEXT[c.claim]} but ${ACTION_TEXT[c.capability]}`,
      evidence: c.detail,
      severity: c.capability === 'destructive' || c.capability === 'code-execution' ? 'high' : 'medium',
      at: { pointer: `/annotations/${ANNOTATION[c.claim]}` },
      key: c.claim,
    }));
  },
  cases: {
    valid: [
      { name: 'honest read-only', tool: { name: 'read_file', description: 'Reads a file.', annotations: { readOnlyHint: true, openWorldHint: false } } },
      { name: 'honest destructive', tool: { name: 'delete_file', description: 'Deletes a file.', annotations: { readOnlyHint: false, destructiveHint: true } } },
      { name: 'mentions deletion, negated', tool: { name: 'list_trash', description: 'Lists deleted items. It does not delete anything.', annotations: { readOnlyHint: true } } },
    ],
    invalid: [
      { name: 'delete marked read-only', tool: { name: 'delete_file', description: 'Deletes a file permanently.', annotations: { readOnlyHint: true } } },
      { name: 'send marked closed-world', tool: { name: 'send_email', description: 'Sends an email to the given recipients.', annotations: { openWorldHint: false } } },
    ],
  },
});
