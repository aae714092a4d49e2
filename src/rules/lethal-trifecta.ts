// Toxic flows: what a client's servers can do together. An agent that can read private data,
// ingests content a stranger can write, and can send data out can be made to exfiltrate by that
// stranger (the "lethal trifecta"); one that can run code and ingests untrusted content can be
// made to run the stranger's code. No single tool is wrong; the combination is.
import type { McpDefinition } from '../core/types.js';
import { classifyTool, type Capability } from '../inspect/capabilities.js';
import { defineRule, type DefinitionSetHit, type DefinitionSetSubject, type Rule } from './rule.js';

interface Leg {
  server: string;
  def: McpDefinition;
}

/**
 * What a tool itself says it can do. Capabilities that code execution merely implies do not make
 * a leg: a shell alone is not "untrusted input"; it is judged by the rules about what runs.
 * (The analysis behind classifyTool is cached per definition, so both flow rules share it.)
 */
function capabilitiesOf(def: McpDefinition, server: string): Set<Capability> {
  return new Set(classifyTool(def, { name: server }).evidence.filter((e) => e.source !== 'implied').map((e) => e.capability));
}

/** Tools of the set that have each capability, in listing order. */
function legs(subject: DefinitionSetSubject): Map<Capability, Leg[]> {
  const out = new Map<Capability, Leg[]>();
  for (const e of subject.entries) {
    if (e.def.kind !== 'tool') continue;
    for (const cap of capabilitiesOf(e.def, e.server)) {
      const list = out.get(cap) ?? [];
      list.push({ server: e.server, def: e.def });
      out.set(cap, list);
    }
  }
  return out;
}

function named(list: readonly Leg[]): string {
  const shown = list.slice(0, 3).map((l) => `${l.server}/${l.def.name}`);
  return list.length > 3 ? `${shown.join(', ')} and ${list.length - 3} more` : shown.join(', ');
}

function flowRule(meta: Rule['meta'], needs: readonly Capability[], anchor: Capability, describe: (m: Map<Capability, Leg[]>) => string, cases: Rule['cases']): Rule {
  return defineRule({
    meta,
    checkDefinitionSet(subject): DefinitionSetHit[] {
      const m = legs(subject);
      if (!needs.every((c) => (m.get(c)?.length ?? 0) > 0)) return [];
      const at = m.get(anchor)![0]!;
      return [{ server: at.server, def: at.def, message: describe(m), key: subject.client }];
    },
    cases,
  });
}

export const lethalTrifecta = flowRule(
  {
    id: 'lethal-trifecta',
    title: 'Client combines private data, untrusted input and a way out',
    description:
      "Finds clients whose servers together can read private data, take in content a third party can write (web pages, e-mail, issues) and send data out. A prompt injection in the untrusted content can then make the agent send the private data away, with no single tool at fault. The finding names the tools that make each leg, classified from their definitions and Warden's catalogue of well-known servers.",
    severity: 'high',
    category: 'toxic-flow',
    owasp: ['ASI01', 'ASI02'],
    remediation:
      'Break a leg: remove or disable the server that ingests untrusted content or the one that can send data out, split the work between agent profiles, or have Warden\'s gateway ask before any egress tool runs after untrusted content was read.',
  },
  ['private-data', 'untrusted-input', 'egress'],
  'egress',
  (m) => `Private data (${named(m.get('private-data')!)}), untrusted input (${named(m.get('untrusted-input')!)}) and a way out (${named(m.get('egress')!)}) in one agent`,
  {
    valid: [
      { name: 'no way out', toolset: [{ server: 'filesystem', tool: { name: 'read_file', description: 'Read the complete contents of a file.' } }, { server: 'search', tool: { name: 'web_search', description: 'Searches the web and returns result snippets.' } }] },
    ],
    invalid: [
      {
        name: 'files, web and email',
        toolset: [
          { server: 'filesystem', tool: { name: 'read_file', description: 'Read the complete contents of a file from the file system.' } },
          { server: 'fetch', tool: { name: 'fetch', description: 'Fetches a URL from the internet and returns the page content as markdown.' } },
          { server: 'gmail', tool: { name: 'send_email', description: 'Sends an email to the given recipients.' } },
        ],
      },
    ],
  },
);

export const untrustedCodeExecution = flowRule(
  {
    id: 'untrusted-code-execution',
    title: 'Client can run code and ingests untrusted content',
    description:
      'Finds clients whose servers can execute code or shell commands while other (or the same) tools take in content a third party can write. Instructions planted in a web page, an issue or an e-mail can then become commands on the machine.',
    severity: 'high',
    category: 'toxic-flow',
    owasp: ['ASI05', 'ASI01'],
    remediation:
      "Run code execution in a sandbox without the user's credentials, keep it in a separate agent profile from browsing and mail, or require approval for every command through Warden's hooks or gateway.",
  },
  ['code-execution', 'untrusted-input'],
  'code-execution',
  (m) => `Code execution (${named(m.get('code-execution')!)}) is reachable from untrusted input (${named(m.get('untrusted-input')!)})`,
  {
    valid: [{ name: 'shell alone', toolset: [{ server: 'shell', tool: { name: 'run_command', description: 'Runs a shell command and returns its output.' } }] }],
    invalid: [
      {
        name: 'shell and browser',
        toolset: [
          { server: 'shell', tool: { name: 'run_command', description: 'Runs a shell command and returns its output.' } },
          { server: 'fetch', tool: { name: 'fetch', description: 'Fetches a URL from the internet and returns the page content.' } },
        ],
      },
    ],
  },
);
