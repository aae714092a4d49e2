// Evidence that may hold a secret keeps its first 4 characters and its length, nothing more:
// enough for a human to recognise which key it is, useless to anyone reading the report.
export function redact(value: string): string {
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

const URL_WITH_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i;

/**
 * Redacts the credentials a URL may carry: the userinfo password becomes `****`, and the value of
 * a query parameter named like a credential (token, key, secret, password, api_key,
 * access_token, auth, ...) goes through redact(). Everything else is kept byte for byte, so the
 * result still reads as the URL the user wrote (it is for display, not for fetching).
 */
export function redactUrl(url: string): string {
  let out = url.replace(URL_WITH_USERINFO, (_m, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    if (colon === -1) return `${scheme}${userinfo}@`;
    return `${scheme}${userinfo.slice(0, colon)}:****@`;
  });
  const q = out.indexOf('?');
  if (q === -1) return out;
  const hash = out.indexOf('#', q);
  const query = out.slice(q + 1, hash === -1 ? undefined : hash);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const name = safeDecode(pair.slice(0, eq)).toLowerCase().replace(/-/g, '_');
      if (!SECRET_QUERY_PARAMS.has(name)) return pair;
      const value = pair.slice(eq + 1);
      return value === '' ? pair : `${pair.slice(0, eq)}=${redact(safeDecode(value))}`;
    })
    .join('&');
  out = out.slice(0, q + 1) + redacted + (hash === -1 ? '' : out.slice(hash));
  return out;
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
