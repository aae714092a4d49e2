// The gateway's response detectors applied to what a hook sees: a tool's output after it ran
// (secrets redacted where the agent lets a hook rewrite it, instructions aimed at the model flagged,
// wrapped or withheld per the policy's `responses:`), and a prompt before it reaches the model
// (a pasted secret gives the prompt action the class `secret`, which the policy blocks or warns on).
// The detectors are loaded when there is something to look at, not before.
import { isObject } from '../core/json.js';
import { mayHoldSecret } from '../detect/secret-trigger.js';
import type { PolicySpec } from '../policy/compile.js';
import type { Verdict } from './types.js';

export interface OutputScan {
  verdict: Verdict;
  findings: string[];
  summary: string;
}

/** The text of an output in the shapes the agents use (Gemini llmContent, Copilot textResultForLlm, Bash stdout). */
function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isObject(v)) {
    for (const k of ['llmContent', 'textResultForLlm', 'stdout', 'output', 'content', 'text']) {
      const x = v[k];
      if (typeof x === 'string') return x + (typeof v['stderr'] === 'string' && v['stderr'] ? `\n${v['stderr']}` : '');
    }
  }
  return JSON.stringify(v ?? null);
}

export async function scanOutput(output: unknown, policy: PolicySpec): Promise<OutputScan> {
  const text = typeof output === 'string' ? output : JSON.stringify(output ?? null);
  const summary = `${text.length} chars of output`;
  const allow: Verdict = { effect: 'allow', rule: 'responses', reason: 'nothing to change in the output' };
  if (output === undefined || output === null) return { verdict: allow, findings: [], summary: 'no output' };
  const { injectionSummary, injectionWarning, scanToolResult } = await import('../gateway/response-scan.js');
  const scan = await scanToolResult({ value: output as never }, policy.responses, policy.mode === 'enforce');
  if (scan.findings.length === 0) return { verdict: allow, findings: [], summary };
  const what = injectionSummary(scan.findings);
  if (scan.blocked) return { verdict: { effect: 'deny', rule: 'responses.injection', reason: scan.blocked }, findings: scan.findings, summary };
  const verdict: Verdict = { ...allow, rule: scan.injection ? 'responses.injection' : 'responses.secrets', reason: scan.injection ? `the output reads as instructions to the model (${what})` : 'secrets in the output were redacted' };
  const value = (scan.result as { value?: unknown }).value;
  if (scan.findings.includes('response-secret') && value !== output && policy.mode === 'enforce' && policy.responses.secrets === 'redact') {
    verdict.updatedOutput = value;
    verdict.updatedText = textOf(value);
  }
  if (scan.injection && policy.mode === 'enforce' && policy.responses.injection === 'wrap') {
    verdict.context = injectionWarning(what, 'The last tool result');
  }
  return { verdict, findings: scan.findings, summary };
}

/** The classes of a prompt: `secret` when it holds a credential. */
export async function scanPrompt(prompt: string): Promise<string[]> {
  if (!mayHoldSecret(prompt)) return [];
  const { scanTextForSecrets } = await import('../detect/secrets.js');
  return (await scanTextForSecrets(prompt)).length > 0 ? ['secret'] : [];
}
