// Judging a value without knowing its format: is it random enough to be a credential, or is it a
// stand-in (placeholder, variable reference) that a user wrote on purpose instead of a secret?
// Used for name-based detection (`API_TOKEN=...`), where the name says "secret" but the value
// decides, and to drop provider-format matches that are documentation examples.

/** Shannon entropy in bits per character. Random base62 tokens score about 5; English words about 3. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = s.length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

// References that a client or shell expands at launch: the value names a secret kept elsewhere.
// `${VAR}`, `${env:VAR}`, `${input:id}`, `${{ secrets.X }}`; `$VAR` (upper case, as secretlint
// does, so a password with a `$` in it still counts); PowerShell `$env:VAR`; `{env:VAR}`;
// `{{VAR}}`; Windows `%VAR%`; `$(command)`; 1Password `op://` references.
const REFERENCE_PATTERNS: readonly RegExp[] = [
  /\$\{[^}\n]{1,200}\}/,
  /\$[A-Z_][A-Z0-9_]{0,100}(?![a-z])/,
  /^\$[A-Za-z_]\w{0,100}$/,
  /\$env:[A-Za-z_]\w*/i,
  /\{env:[^}\n]{1,200}\}/i,
  /\{\{[^}\n]{1,200}\}\}/,
  /%[A-Za-z_][A-Za-z0-9_]{0,100}%/,
  /\$\([^)\n]{1,200}\)/,
  /^op:\/\//,
];

export function isVariableReference(value: string): boolean {
  return REFERENCE_PATTERNS.some((re) => re.test(value));
}

// Words that documentation and templates put where a secret goes. Long markers match anywhere
// (`sk-proj-YOURKEYHERE`); short ones only as a whole word, so a random token that happens to
// contain "here" is not excused.
const PLACEHOLDER_MARKERS =
  /your|example|placeholder|change[-_ ]?me|replace|redacted|dummy|sample|insert[-_ ]?|fixme|lorem|1234567|abcdefg|qwerty|<[^>]*>|\*\*\*|\.\.\.|…|xxxx|••/i;
const PLACEHOLDER_WORDS = /(?:^|[^a-z])(?:here|todo|tbd|fake|none|null|secret|password|passwd|token|apikey|api[-_]key|key|pass|test|demo)(?:$|[^a-z])/i;
const GENERIC_WHOLE_VALUES = new Set([
  'secret',
  'password',
  'passwd',
  'token',
  'apikey',
  'api_key',
  'api-key',
  'key',
  'pass',
  'test',
  'none',
  'null',
  'undefined',
  'changeit',
  'default',
]);

/**
 * True for stand-ins: `<your-key>`, `sk-...`, `xxxx`, `YOUR_API_KEY`, `changeme`,
 * `your-token-here`, `***`, `REPLACE_ME`, `example`, and strings of one repeated character.
 * `strictWords` also excuses short marker words (`here`, `test`, `token`...) anywhere as whole
 * words; provider-format matches use it off, since their random bodies may contain them.
 */
export function isPlaceholder(value: string, strictWords = true): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (/^(.)\1*$/s.test(v)) return true;
  if (GENERIC_WHOLE_VALUES.has(v.toLowerCase())) return true;
  if (PLACEHOLDER_MARKERS.test(v)) return true;
  // Long runs of one character are typed by hand ("ghp_000000000000..."), never generated.
  if (/(.)\1{7,}/.test(v)) return true;
  return strictWords && PLACEHOLDER_WORDS.test(v);
}

export interface RandomnessThreshold {
  minLength: number;
  /** Bits per character. */
  minEntropy: number;
}

/** Identifiers and prose: letters with separators and few case changes (`formatDocument`, `us-east`). */
function looksLikeWords(v: string): boolean {
  if (!/^[A-Za-z]+(?:[-_. ][A-Za-z]+)*$/.test(v)) return false;
  let switches = 0;
  for (let i = 1; i < v.length; i++) {
    const a = v.charCodeAt(i - 1);
    const b = v.charCodeAt(i);
    const aUpper = a >= 65 && a <= 90;
    const bUpper = b >= 65 && b <= 90;
    if (aUpper !== bUpper) switches++;
  }
  // camelCase has a case change every word; random mixed case about every other character.
  return switches / v.length < 0.25;
}

/** Values that are obviously configuration, not credentials, whatever their name. */
const ORDINARY_VALUE: readonly RegExp[] = [
  /^(?:true|false|yes|no|on|off|enabled?|disabled?|null|none|undefined|auto|info|debug|warn|error)$/i,
  /^-?\d+(?:\.\d+)?$/, // numbers and ports
  /^v?\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?$/, // versions, IPv4 addresses
  /^[a-z]{2,}(?:-[a-z]+){1,3}-?\d{1,2}(?:-?[a-z])?$/, // cloud regions and zones: us-east-1, us-east-1a, europe-west4-a
  /^(?:~|\.{1,2})?[\\/]/, // POSIX paths, ./relative, ~/home
  /^[A-Za-z]:[\\/]/, // Windows paths
  /^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i, // URLs without userinfo (credentials in URLs are their own detector)
  /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i, // e-mail addresses
  /^(?:(?:ctrl|cmd|alt|shift|meta|super|option|opt|win)[+-])+\S{1,12}$/i, // key bindings
];

/**
 * Whether a value written under a credential-like name is a literal secret: not empty, not a
 * reference or placeholder, not an ordinary setting, and random enough for its length.
 */
export function looksLikeSecretValue(value: string, threshold: RandomnessThreshold): boolean {
  const v = value.trim();
  if (v.length < threshold.minLength) return false;
  if (/\s/.test(v)) return false; // sentences and lists, not credentials
  if (isVariableReference(v) || isPlaceholder(v)) return false;
  if (ORDINARY_VALUE.some((re) => re.test(v))) return false;
  if (looksLikeWords(v)) return false;
  return shannonEntropy(v) >= threshold.minEntropy;
}
