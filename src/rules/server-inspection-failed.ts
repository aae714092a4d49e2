// A server Warden could not inspect: its tools were not judged, so a clean report says nothing
// about them. A server that crashes or hangs only when inspected is itself a warning sign.
import { defineRule } from './rule.js';

export const serverInspectionFailed = defineRule({
  meta: {
    id: 'server-inspection-failed',
    title: 'Server could not be inspected',
    description:
      'With `--connect`, a declared server that failed to start, did not answer within the deadline, spoke broken JSON-RPC, or failed a listing. Its tools, prompts and resources were not judged (or only partly: what it listed before failing is kept and judged). The reason is in the message.',
    severity: 'low',
    category: 'config',
    owasp: ['ASI04'],
    remediation:
      'Check that the server starts with its declared command, environment and working directory (run it by hand), then scan again; raise --connect-timeout for slow servers. Remove servers that no longer work.',
  },
  checkInspection(i) {
    if (i.status !== 'failed') return [];
    return [{ message: `Could not inspect ${i.server}: ${i.reason ?? 'unknown error'}`, key: 'failed' }];
  },
  cases: {
    valid: [{ name: 'answered', inspection: { status: 'ok' } }, { name: 'skipped by choice', inspection: { status: 'skipped', reason: 'declined at the prompt' } }],
    invalid: [{ name: 'hung', inspection: { status: 'failed', reason: 'no answer within 15000 ms' } }],
  },
});
