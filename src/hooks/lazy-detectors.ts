// The secret and injection detectors, as one file of the hook bundle (dist/hook-detectors.cjs),
// loaded when a call has something for them: a tool result, a prompt, or arguments the keyword
// pass says may hold a credential. scripts/build.mjs sends the hook's dynamic imports of the
// modules below here, so they share one copy of secretlint.
export { injectionSummary, injectionWarning, scanToolResult } from '../gateway/response-scan.js';
export { redactedCopy } from '../gateway/audit-recorder.js';
export { scanTextForSecrets } from '../detect/secrets.js';
