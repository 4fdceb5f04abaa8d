/**
 * Finding credentials before they travel: a share link or an export is read by whoever it is
 * sent to, so a password or token in it is a leaked secret. Pipette never writes one, and a
 * link that holds one was made by hand or by another tool, so it is refused rather than used.
 *
 * What counts (pip's own habits decide: pip takes index credentials from the URL's userinfo,
 * `https://user:pass@host/simple/` or `https://TOKEN@host/simple/`):
 * - a URL with any userinfo (user name, password, or a token in the user-name place);
 * - a URL whose query carries a secret-looking parameter (`?token=...`, `X-Amz-Signature=...`);
 * - in a file's text: an http(s) URL (or `git+https`, ...) with userinfo, any URL with `user:password@` or a
 *   secret-looking query, and a PyPI API token (`pypi-AgE...`). `ssh://git@github.com/` (a user
 *   name alone, no password, not http) is an address, not a secret, and passes; so does a
 *   template whose userinfo is placeholders only (`https://{user}:${TOKEN}@host`).
 *
 * Messages never repeat the secret: pep's redactUrl (the one redaction rule) hides it.
 */
import { isPlaceholder, isSecretName, redactUrl, URL_IN_TEXT } from '../pep';

// PyPI API tokens are macaroons serialized as `pypi-AgE...` (PyPI's "API tokens" help).
const PYPI_TOKEN = /\bpypi-AgE[A-Za-z0-9_-]{16,}/;
// Other secrets by their published shapes: the first match on a line names the line.
const TOKEN_SHAPES: readonly (readonly [RegExp, string])[] = [
  [/-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/, 'a private key'],
  // GitHub: classic tokens `ghp_`, OAuth `gho_`, app `ghu_`/`ghs_`, refresh `ghr_` (36 characters), fine-grained `github_pat_`.
  [/\bgh[pousr]_[A-Za-z0-9]{36,}/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{22,}/, 'a GitHub token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  // AWS access key IDs: AKIA (long-term) and ASIA (temporary), 16 more upper-case letters or digits.
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}/, 'an API secret key (sk-...)'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
];
// A secret-looking variable given a literal value (`.env`, settings files): the whole value a
// token of 8+ characters with a digit in it, so `password = getpass()` or
// `API_KEY = os.environ["API_KEY"]` (code, not a secret) pass.
const SECRET_ASSIGNMENT =
  /^\s*(?:export\s+)?[A-Za-z_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_KEY|ACCESS_KEY)[A-Za-z_]*\s*[=:]\s*(['"]?)(?=[A-Za-z0-9_\-+/=.~]*\d)[A-Za-z0-9_\-+/=.~]{8,}\1\s*,?\s*$/i;
/** The secret-looking query parameters of `url` that have a value. */
function secretParams(url: URL): string[] {
  const names: string[] = [];
  for (const [name, value] of url.searchParams) if (!isPlaceholder(value) && isSecretName(name)) names.push(name);
  return names;
}

/**
 * What secret `url` carries, in words, or null. Unparseable URLs carry none (the caller
 * rejects them for what they are).
 * Ex) `https://user:pass@example.com/simple/` -> 'a user name and password'
 */
export function urlCredentials(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.password !== '') return 'a user name and password';
  if (u.username !== '') return 'a user name or token before the host';
  const params = secretParams(u);
  if (params.length > 0) return `a secret-looking query parameter (${params.join(', ')})`;
  return null;
}

/** A secret found in a file's text: the 1-based line and what it is (already redacted). */
export interface TextCredential {
  readonly line: number;
  readonly what: string;
}

/** The first secret in `text`, or null. Ex) `index-url = https://u:p@host/simple/` in pip.conf. */
export function textCredentials(text: string): TextCredential | null {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (PYPI_TOKEN.test(line)) return { line: i + 1, what: 'a PyPI API token (pypi-AgE...)' };
    for (const [shape, what] of TOKEN_SHAPES) if (shape.test(line)) return { line: i + 1, what };
    if (SECRET_ASSIGNMENT.test(line)) return { line: i + 1, what: 'a secret assigned to a variable' };
    for (const match of line.matchAll(URL_IN_TEXT)) {
      const found = textUrlCredentials(match[0]);
      if (found) return { line: i + 1, what: `${found}: ${redactUrl(match[0])}` };
    }
  }
  return null;
}

function textUrlCredentials(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  // Userinfo as written (the URL parser percent-encodes braces); placeholders only is a template.
  const userinfo = /^[^:]+:\/\/([^/?#]*)@/.exec(url)?.[1];
  const template = userinfo === undefined || userinfo.split(':').every(isPlaceholder);
  // http(s), also as pip's VCS schemes spell it (`git+https://TOKEN@github.com/...`).
  const web = /^(?:[a-z]+\+)?https?:$/.test(u.protocol);
  if (!template && u.password !== '') return 'a URL with a user name and password';
  if (!template && u.username !== '' && web) return 'a URL with a user name or token before the host';
  const params = secretParams(u);
  if (params.length > 0) return `a URL with a secret-looking query parameter (${params.join(', ')})`;
  return null;
}

/**
 * Why a file should never travel by its name alone, or null: files whose job is to hold
 * credentials (`.env`, `.netrc`, `.pypirc`, `.git-credentials`, SSH and TLS keys).
 * Ex) `deploy/id_ed25519` -> 'an SSH private key'.
 */
export function secretFileName(path: string): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === '.env' || name.startsWith('.env.') || name.endsWith('.env')) return 'an environment file (.env)';
  if (name === '.netrc' || name === '_netrc') return 'a .netrc (logins and passwords)';
  if (name === '.pypirc') return 'a .pypirc (PyPI credentials)';
  if (name === '.git-credentials') return 'git credentials';
  if (/^id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?$/.test(name)) return 'an SSH private key';
  if (/\.(?:pem|key|p12|pfx|keystore|jks)$/i.test(name)) return 'a key or certificate store';
  return null;
}
