/**
 * Secrets kept out of every message: the one redaction rule, applied where output leaves for
 * the terminal (pip's output sink) and by whatever words a message about a URL (share links).
 *
 * What is hidden:
 * - a URL's userinfo, as pip's `redact_auth_from_url` (`utils/misc.py` `redact_netloc`) hides
 *   it: the password becomes `****` and the user name stays; a user name alone is taken for a
 *   token and becomes `****`. Ex) `https://user:pw@host/` -> `https://user:****@host/`,
 *   `https://ghp_x@host/` -> `https://****@host/`;
 * - the values of secret-looking query parameters (`?token=`, `access_token=`, `api_key=`,
 *   `X-Amz-Signature=`), which pip leaves alone but which are as secret as a password;
 * - exact values known to be secret: what `${VAR}` expanded to in a requirements file when it
 *   stood for a credential (see {@link isSecretSubstitution}).
 *
 * Lives in pep/ beside the escaping rule, for the same reason (terminal-text.ts): every folder
 * that words a message imports pep/.
 */

/** What stands where a secret was. */
export const REDACTED = '****';

// Query parameters that carry secrets: OAuth/JWT tokens, API keys, presigned-URL signatures
// (`X-Amz-Signature`, `sig`). Long words match anywhere (`accessToken`); short ones only as a
// whole part of the name (`api_key`, `sig`), so `design` or `monkey` pass.
const SECRET_NAME = /token|secret|passw|credential|signature|jwt|(?:^|[-_.])(?:key|apikey|auth|sig|pwd|pat|session|sessionid)(?:[-_.]|$)/i;

// A URL inside free text: a scheme, `://`, then everything up to whitespace or a quote. The
// scheme's length is bounded: unbounded, a line like `a.a.a.a...` (a word start every other
// character) makes every start scan to the end of the line, quadratic in a 1 MB file.
export const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s"'`<>()\\]+/gi;

/**
 * True for a name that says its value is secret: a query parameter (`access_token`) or an
 * environment variable (`PYPI_TOKEN`, `INDEX_PASSWORD`, `API_KEY`).
 */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A stand-in, not a secret: empty, `{user}` (f-string, format), `${TOKEN}`/`$TOKEN` (pip
 * expands `${VAR}` in requirements files), `<password>`, `%(pw)s`, or already `****`.
 */
export function isPlaceholder(s: string): boolean {
  return s === '' || s === REDACTED || /^(?:\{[^{}]*\}|\$\{?[A-Za-z_]\w*\}?|<[^<>]*>|%\([A-Za-z_]\w*\)s)$/.test(s);
}

/**
 * One URL with its userinfo and secret query values hidden (pip's `redact_auth_from_url`, plus
 * the query). Worked on the text as written, not through `new URL()`, so nothing else of the
 * URL changes (case, percent-encoding, a missing trailing slash).
 * Ex) `https://user:secret@host/simple/?token=abc&page=2` -> `https://user:****@host/simple/?token=****&page=2`
 */
export function redactUrl(url: string): string {
  // Everything up to the first `//` stands for the scheme, so a mangled `nonsense//u:pw@h` is
  // hidden too.
  const m = /^(.*?\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/s.exec(url);
  if (!m) return url;
  const [, scheme, netloc = '', path = '', query = '', fragment = ''] = m;
  return `${scheme}${redactNetloc(netloc)}${path}${redactQuery(query)}${fragment}`;
}

/**
 * `text` with every URL in it redacted ({@link redactUrl}) and every known secret value
 * replaced by `****`. The values are replaced longest first, so one that contains another is
 * hidden whole. Ex) `Could not fetch https://u:pw@h/x (pw)` with secrets ['pw'] -> `... https://u:****@h/x (****)`
 */
export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  // Only userinfo (`@`) and a query (`?`) are ever hidden: most lines skip the URL scan.
  let out = text.includes('://') && (text.includes('@') || text.includes('?')) ? text.replace(URL_IN_TEXT, redactUrl) : text;
  const values = [...secrets].filter((s) => s.length >= MIN_SECRET_LENGTH && out.includes(s)).sort((a, b) => b.length - a.length);
  for (const value of values) out = out.split(value).join(REDACTED);
  return out;
}

/**
 * Shorter values are not hidden as plain text: a one- or two-character "secret" would blank out
 * every occurrence of those characters in every message, and is no credential anyway.
 */
export const MIN_SECRET_LENGTH = 4;

/**
 * Whether the `${NAME}` at `[start, end)` of `line` stands for a credential: its name says so
 * (`${PYPI_TOKEN}`), or it sits in a URL's userinfo (`https://${USER}:${PASS}@host/`) or query
 * (`?key=${K}`). pip documents `${VAR}` in requirements files for exactly this, keeping
 * credentials out of the file; a `${VERSION}` in `alpha==${VERSION}` is not one.
 */
export function isSecretSubstitution(line: string, name: string, start: number, end: number): boolean {
  if (isSecretName(name)) return true;
  for (const match of line.matchAll(URL_IN_TEXT)) {
    const from = match.index;
    const to = from + match[0].length;
    if (start < from || end > to) continue;
    const url = match[0];
    const at = start - from;
    const netlocStart = url.indexOf('://') + 3;
    const netlocEnd = netlocStart + /^[^/?#]*/.exec(url.slice(netlocStart))![0].length;
    const userinfoEnd = url.lastIndexOf('@', netlocEnd - 1);
    if (at >= netlocStart && userinfoEnd >= netlocStart && at < userinfoEnd) return true;
    const query = url.indexOf('?');
    if (query >= 0 && at > query) return true;
  }
  return false;
}

/** pip's `redact_netloc`: `user:****@host`, or `****@host` for a lone user name (a token). */
function redactNetloc(netloc: string): string {
  const at = netloc.lastIndexOf('@');
  if (at < 0) return netloc;
  const userinfo = netloc.slice(0, at);
  const colon = userinfo.indexOf(':');
  const shown = colon < 0 ? REDACTED : `${userinfo.slice(0, colon)}:${REDACTED}`;
  return `${shown}${netloc.slice(at)}`;
}

function redactQuery(query: string): string {
  if (query === '') return query;
  return query.replace(/([?&;])([^=&;#]*)=([^&;#]*)/g, (whole, sep: string, name: string, value: string) =>
    isSecretName(safeDecode(name)) && !isPlaceholder(value) ? `${sep}${name}=${REDACTED}` : whole,
  );
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
