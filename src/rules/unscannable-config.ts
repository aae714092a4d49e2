// A config file that exists but could not be read or parsed is a blind spot: the client may still
// load it (JSON.parse accepts what a stricter parser refuses, a 50 MB file is still a file), and
// an attacker who can pad or break a repository's config would otherwise hide its servers from
// the scan and from --fail-on. Binary and permission problems on the user's own files are warnings
// too, but only project-scope files (which arrive with a repository) are findings.
import { defineRule } from './rule.js';

export const unscannableConfig = defineRule({
  meta: {
    id: 'unscannable-config',
    title: 'Agent config that Warden could not read',
    description:
      'A client config file in a repository exists but could not be parsed or read (malformed, too large, too deeply nested, not a regular file). Its servers and settings were not judged, yet the agent may still load them.',
    severity: 'medium',
    category: 'config',
    owasp: ['ASI04'],
    remediation:
      'Open the file and fix or remove it. If the agent loads it, its servers run unreviewed; if it does not, it should not be in the repository. Re-run the scan afterwards.',
  },
  checkCoverage(entry) {
    if (entry.scope !== 'project' || (entry.status !== 'parse-error' && entry.status !== 'unreadable')) return [];
    return [{ message: `${entry.client} config could not be ${entry.status === 'parse-error' ? 'parsed' : 'read'} (${entry.detail ?? 'unknown reason'}); its servers and settings were not checked`, key: entry.status }];
  },
  cases: {
    valid: [
      { name: 'found', coverage: { status: 'found' } },
      { name: 'absent', coverage: { status: 'not-present' } },
      { name: 'user-scope parse error is a warning, not a finding', coverage: { scope: 'user', status: 'parse-error', detail: 'line 2, column 3: invalid JSON' } },
    ],
    invalid: [
      { name: 'malformed project config', coverage: { status: 'parse-error', detail: 'line 4, column 5: invalid JSON: value expected' } },
      { name: 'oversized project config', coverage: { status: 'unreadable', detail: 'file is 11.0 MB, over the 10.0 MB limit; skipped' } },
    ],
  },
});
