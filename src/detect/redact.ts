// Evidence that may hold a secret keeps its first 4 characters and its length, nothing more:
// enough for a human to recognise which key it is, useless to anyone reading the report.
export function redact(value: string): string {
  // Idempotent: a value redacted once (by a rule, then by a renderer) keeps its true length.
  if (value === '****' || /^[^\n]{0,4}…\(\d+ chars\)$/.test(value)) return value;
  if (value.length <= 4) return '****';
  return `${value.slice(0, 4)}…(${value.length} chars)`;
}

/** Query parameters whose value is a credential, compared lower-cased with `-` read as `_`. */
const SECRET_QUERY_PARAMS = new Set([
  'token',
  'key',
  'secret',
  'password',
  'api_key',
  'apikey',
  'access_token',
  'auth',
  'auth_token',
  'client_secret',
  'refresh_token',
]);

/** Scheme, then the authority up to the path: userinfo ends at the authority's last `@`. */
const URL_AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i;

/**
 * Redacts the credentials a URL may carry: the userinfo password becomes `****` (a username that
 * is itself a token, `https://ghp_…@host`, is redacted), and the value of a query or fragment
 * parameter named like a credential (token, key, secret, password, api_key, access_token, auth,
 * ...) goes through redact(). Everything else is kept byte for byte, so the result still reads as
 * the URL the user wrote (it is for display, not for fetching).
 */
export function redactUrl(url: string): string {
  const out = url.replace(URL_AUTHORITY, (_m, scheme: string, authority: string) => {
    const at = authority.lastIndexOf('@');
    if (at === -1) return scheme + authority;
    const userinfo = authority.slice(0, at);
    const host = authority.slice(at);
    const colon = userinfo.indexOf(':');
    if (colon !== -1) return `${scheme}${userinfo.slice(0, colon)}:****${host}`;
    return `${scheme}${userinfo.length >= 16 ? redact(userinfo) : userinfo}${host}`;
  });
  return out.replace(/([?#])([^#]*)/g, (_m, sep: string, params: string) => sep + redactParams(params));
}

function redactParams(params: string): string {
  return params
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const name = safeDecode(pair.slice(0, eq)).toLowerCase().replace(/-/g, '_');
      if (!SECRET_QUERY_PARAMS.has(name)) return pair;
      const value = pair.slice(eq + 1);
      // A URL found in text ends at a space, so an earlier redaction reaches here cut short
      // (`abcd…(12`, its ` chars)` left behind): it is redacted already.
      if (value === '' || /…\(\d+$/.test(value)) return pair;
      return `${pair.slice(0, eq)}=${redact(safeDecode(value))}`;
    })
    .join('&');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

/** Redacts credentials in every URL inside a piece of text (an argument, a message, evidence). */
export function redactUrlsIn(arg: string): string {
  return arg.includes('://') ? arg.replace(URL_IN_TEXT, (u) => redactUrl(u)) : arg;
}

/** `--token`, `--api-key`, `--client-secret`, `--password`, `--auth`, ...: the flag's last word names a credential. */
const SECRET_FLAG = /^--?(?:[a-z0-9]+[-_])*(?:token|key|apikey|secret|password|passwd|auth|credentials?|pat)$/i;
/** Flags whose next argument is `NAME=VALUE` for the child's environment (docker/podman `-e`). */
const ENV_FLAG = /^(?:-e|--env)$/;
/** Flags whose next argument is an HTTP header `Name: value` (mcp-remote, curl-style). */
const HEADER_FLAG = /^(?:-H|--header)$/;

/**
 * Redacts credentials passed on a command line: `--token=VALUE` and `--api-key VALUE` (the value
 * through redact()), `-e NAME=VALUE` / `--env NAME=VALUE` (an environment value, like `env`),
 * `--header "Name: value"`, and credentials inside URL arguments. Other arguments are unchanged.
 */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const eq = arg.indexOf('=');
    if (arg.startsWith('-') && eq > 0) {
      const flag = arg.slice(0, eq);
      const value = arg.slice(eq + 1);
      if (SECRET_FLAG.test(flag) && value !== '') out.push(`${flag}=${redact(value)}`);
      else if (ENV_FLAG.test(flag)) out.push(`${flag}=${redactEnvAssignment(value)}`);
      else if (HEADER_FLAG.test(flag)) out.push(`${flag}=${redactHeaderLine(value)}`);
      else out.push(redactUrlsIn(arg));
      continue;
    }
    out.push(redactUrlsIn(arg));
    const next = args[i + 1];
    if (next === undefined || next.startsWith('-')) continue;
    if (SECRET_FLAG.test(arg)) {
      out.push(redact(next));
      i++;
    } else if (ENV_FLAG.test(arg)) {
      out.push(redactEnvAssignment(next));
      i++;
    } else if (HEADER_FLAG.test(arg)) {
      out.push(redactHeaderLine(next));
      i++;
    }
  }
  return out;
}

/** `NAME=VALUE` → `NAME=<redacted>`; a bare `NAME` (inherit from the parent) stays. */
function redactEnvAssignment(s: string): string {
  const eq = s.indexOf('=');
  if (eq <= 0 || eq === s.length - 1) return s;
  return `${s.slice(0, eq)}=${redact(s.slice(eq + 1))}`;
}

/** `Authorization: Bearer x` → `Authorization: <redacted>`. */
function redactHeaderLine(s: string): string {
  const colon = s.indexOf(':');
  if (colon <= 0) return redact(s);
  const value = s.slice(colon + 1).trim();
  return value === '' ? s : `${s.slice(0, colon)}: ${redact(value)}`;
}
