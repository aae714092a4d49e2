// `--judge URL`: a language model's second opinion on definitions Warden's own detectors flagged
// (or on all of them with --judge-all). It can add a finding, never remove or soften one: the
// definition it judges may try to talk it into "benign".
import { defineRule } from './rule.js';

export const toolJudgeVerdict = defineRule({
  meta: {
    id: 'tool-judge-verdict',
    title: 'Language-model judge finds the definition poisoned',
    description:
      'With `--judge URL` (an OpenAI-compatible chat endpoint, such as a local model served by Ollama or vLLM), each definition Warden flagged is sent, secrets redacted, to the model for a second opinion, and its verdict is reported: `malicious` as high, `suspicious` as medium. Verdicts are cached by definition hash. A `benign` verdict never hides Warden\'s own findings; a judge that cannot answer is a warning, not a finding. Opt-in only: nothing leaves the machine without `--judge`.',
    severity: 'high',
    category: 'poisoning',
    owasp: ['ASI01', 'ASI02'],
    remediation: "Read the model's reason and the definition; it is a second opinion, so treat it as you would a reviewer's comment on Warden's other findings for this tool.",
  },
  checkDefinition({ verdict }) {
    if (!verdict || (verdict.verdict !== 'malicious' && verdict.verdict !== 'suspicious')) return [];
    const confidence = verdict.confidence !== undefined ? `, confidence ${verdict.confidence.toFixed(2)}` : '';
    return [
      {
        message: `The judge (${verdict.model}${confidence}) calls it ${verdict.verdict}: ${verdict.reason}`,
        severity: verdict.verdict === 'malicious' ? 'high' : 'medium',
        at: { pointer: '' },
        key: 'judge',
      },
    ];
  },
  cases: {
    valid: [
      { name: 'benign verdict', tool: { name: 'read_file' }, verdict: { verdict: 'benign', reason: 'Reads a file.', model: 'llama3', cached: false } },
      { name: 'judge unreachable', tool: { name: 'read_file' }, verdict: { verdict: 'error', reason: 'connection refused', model: 'llama3', cached: false } },
      { name: 'no judge', tool: { name: 'read_file' } },
    ],
    invalid: [
      { name: 'malicious', tool: { name: 'add' }, verdict: { verdict: 'malicious', confidence: 0.93, reason: 'Asks the model to read ~/.ssh/id_rsa.', model: 'llama3', cached: true } },
      { name: 'suspicious', tool: { name: 'add' }, verdict: { verdict: 'suspicious', reason: 'Unusual parameter.', model: 'llama3', cached: false } },
    ],
  },
});
