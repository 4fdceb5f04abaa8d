/**
 * An environment lock as a link: `<page>#env=v2.<payload>.<checksum>`.
 *
 * - payload: base64url (unpadded) of raw DEFLATE, started from the v2 dictionary
 *   (link-dictionary.ts), of the lock packed as bytes (packed-lock.ts): hashes as 32 raw bytes,
 *   common index URLs and tag sets by number, and no URL the index gives back for the file name
 *   (the restore asks the index for the file by that name and checks the sha256). Twenty
 *   packages from PyPI fit in well under 2,000 characters (bench/share.bench.ts);
 * - checksum: the first 16 hex digits of sha256 over the compressed payload bytes.
 *
 * Links of format v1 (`#env=v1.`: raw DEFLATE of the lock's JSON, no dictionary) still open,
 * checked by the same rules; new links are v2.
 * The lock rides in the fragment, which browsers never send to a server: opening a link tells
 * no server what it holds.
 *
 * What the checksum is for, and what it is not: it catches damage on the way (a link cut by a
 * chat app, a character changed by hand), so a broken link is refused with "ask for it again"
 * instead of restoring something else. It proves nothing about who made the link: anyone can
 * write a link with any hashes and a matching checksum. Tamper protection is elsewhere: the
 * restore downloads every wheel and checks it against the sha256 the link gives, refusing on
 * mismatch (the runtime's installer does that), and every index or file host other than PyPI
 * is shown to the person as a warning before anything is installed (trust.ts).
 *
 * Decoding is for data from anyone: each step is bounded (256 kB compressed, 2 MB unpacked,
 * streamed so a deflate bomb stops at the budget), then the lock is validated field by field
 * (check-lock.ts). Refusals are data with a reason a person can act on, never exceptions.
 */
import { PipetteError, sha256Hex } from '../pep';
import { decodeBase64Url, encodeBase64Url } from './base64url';
import { checkLock, pickLockFields, type LockRefusalCode } from './check-lock';
import { deflateRawWithDictionary, inflateRaw, inflateRawWithDictionary, type InflateResult } from './deflate';
import { LockLimits, type EnvironmentLock } from './environment-lock';
import { DEFLATE_DICTIONARY } from './link-dictionary';
import { packLock, unpackLock } from './packed-lock';
import { lockWarnings, type ShareWarning, type TrustOptions } from './trust';

/** Why a link was refused (or, for encoding, why no link was made). */
export const ShareRefusal = {
  /** Cut short on the way. */
  truncated: 'truncated',
  /** Changed on the way: checksum mismatch, a character outside base64url, unpacking failed. */
  damaged: 'damaged',
  /** Over 256 kB compressed or 2 MB unpacked. */
  oversized: 'oversized',
  /** Made by a newer Pipette. */
  unsupportedVersion: 'unsupported-version',
  /** Intact, but not a valid lock (a field of the wrong type, a bad name, version, hash, URL or path). */
  invalid: 'invalid',
  /** Holds a password or token. */
  credentials: 'credentials',
} as const;
export type ShareRefusalCode = (typeof ShareRefusal)[keyof typeof ShareRefusal];

export type DecodeResult =
  | { readonly kind: 'ok'; readonly lock: EnvironmentLock; readonly warnings: readonly ShareWarning[] }
  | { readonly kind: 'refused'; readonly code: ShareRefusalCode; readonly reason: string };

/** Why `encodeShareLink` made no link; `code` is one of the refusal codes. */
export class ShareLinkError extends PipetteError<ShareRefusalCode> {
  override readonly name = 'ShareLinkError';
  constructor(code: ShareRefusalCode, reason: string) {
    // No input kept: it would be the lock, secrets and all.
    super(code, reason);
  }
}

/** The link format written; v1 is still read. */
const LINK_FORMAT = 2;
const FORMAT = `v${LINK_FORMAT}`;
const READS = 'v1 and v2';
const PARAM = 'env=';
const CHECKSUM_DIGITS = 16;

/** Ex) 262144 -> `256 kB`, 2097152 -> `2 MB`, 3000000 -> `2.9 MB`. */
function kB(n: number): string {
  const MB = 1024 * 1024;
  if (n >= MB) return `${(n / MB).toFixed(n % MB === 0 ? 0 : 1)} MB`;
  return `${Math.ceil(n / 1024)} kB`;
}

async function checksum(bytes: Uint8Array): Promise<string> {
  return (await sha256Hex(bytes)).slice(0, CHECKSUM_DIGITS);
}

// --- encoding ----------------------------------------------------------------------------

function cannotShare(code: LockRefusalCode | 'oversized', detail: string): ShareLinkError {
  switch (code) {
    case 'credentials':
      return new ShareLinkError(
        code,
        `Cannot share this environment: ${detail}. Pipette never puts credentials in a link, since whoever gets the link ` +
          'gets them too. Configure the index without a user name, password or token (or take the secret out of the file), then share again.',
      );
    case 'oversized':
      return new ShareLinkError(code, `Cannot share this environment: ${detail}. Export it as a pylock.toml file instead.`);
    default:
      return new ShareLinkError('invalid', `Cannot share this environment: ${detail}.`);
  }
}

/**
 * The share link of `lock` on the page at `baseUrl` (any fragment of it is replaced).
 * Throws ShareLinkError (code `credentials`, `invalid` or `oversized`) rather than write a link
 * that would be refused on opening, and never writes credentials. The same lock always gives
 * the same link; fields beyond the lock's own (a runtime's `filename`) are not written.
 * Ex) `https://pipette.example/#env=v2.Y2IOqjfSM7IwBwA...AA.3f9a0c2be41d7788`
 */
export async function encodeShareLink(lock: EnvironmentLock, baseUrl: string): Promise<string> {
  const checked = checkLock(pickLockFields(lock));
  if (checked.kind === 'refused') throw cannotShare(checked.code, checked.reason);
  const packed = packLock(checked.lock);
  if (packed.byteLength > LockLimits.jsonBytes) {
    throw cannotShare('oversized', `its lock is ${kB(packed.byteLength)} (a link holds at most ${kB(LockLimits.jsonBytes)})`);
  }
  const payload = deflateRawWithDictionary(packed, DEFLATE_DICTIONARY);
  if (payload.byteLength > LockLimits.compressedBytes) {
    throw cannotShare('oversized', `it is ${kB(payload.byteLength)} compressed (a link holds at most ${kB(LockLimits.compressedBytes)})`);
  }
  const base = baseUrl.split('#')[0] ?? '';
  return `${base}#${PARAM}${FORMAT}.${encodeBase64Url(payload)}.${await checksum(payload)}`;
}

// --- decoding ----------------------------------------------------------------------------

function refused(code: ShareRefusalCode, detail: string): DecodeResult {
  const again = 'Ask the person who sent it for the link again, and copy all of it';
  const reasons: Record<ShareRefusalCode, string> = {
    truncated: `This share link is incomplete: ${detail}. Long links get cut on the way (chat apps, e-mail, a partial copy). ${again}.`,
    damaged: `This share link was changed on the way: ${detail}. ${again}, without editing it.`,
    oversized: `This share link holds more than Pipette opens: ${detail}. Ask the sender for a pylock.toml or requirements.txt export instead.`,
    'unsupported-version': `This share link was made by a newer Pipette: ${detail}. Reload the page to get the newest Pipette, then open the link again.`,
    invalid: `This share link does not hold a valid environment: ${detail}. It was not written this way by Pipette; nothing was installed. Ask the sender for a new link.`,
    credentials:
      `This share link contains a password or token: ${detail}. Pipette never puts credentials in a link, so this one was made or edited by hand; ` +
      'it is refused so the secret is neither used nor passed on. Ask the sender for a link without it.',
  };
  return { kind: 'refused', code, reason: reasons[code] };
}

/**
 * The `env=` value of a link, a fragment (`#env=...`) or the value itself; whitespace is
 * dropped (mail clients wrap long links). Null when there is none.
 */
function envValue(urlOrFragment: string): string | null {
  const text = urlOrFragment.replace(/\s+/g, '');
  const hash = text.indexOf('#');
  const fragment = hash >= 0 ? text.slice(hash + 1) : text;
  for (const part of fragment.split('&')) {
    if (!part.startsWith(PARAM)) continue;
    const value = part.slice(PARAM.length);
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return hash < 0 && /^v\d/.test(text) ? text : null;
}

/** True when `url` carries an environment (`#env=...`): the page then calls decodeShareLink. */
export function isShareLink(url: string): boolean {
  const hash = url.indexOf('#');
  return hash >= 0 && url.slice(hash + 1).split('&').some((p) => p.startsWith(PARAM));
}

/**
 * The lock in a share link (a whole URL, its `#env=...` fragment, or the `env` value), with
 * the warnings the person must see before anything is installed; or a refusal saying why and
 * what to do. Never throws for bad input.
 */
export async function decodeShareLink(urlOrFragment: string, options: TrustOptions = {}): Promise<DecodeResult> {
  const value = envValue(urlOrFragment);
  if (value === null || value === '') return refused('truncated', 'there is nothing after #env=');
  const format = /^v(\d*)(\.|$)/.exec(value);
  if (!format) return refused('damaged', `it starts with ${JSON.stringify(value.slice(0, 8))} where a share link starts with ${FORMAT}`);
  if (format[2] === '' || format[1] === '') return refused('truncated', 'it ends right after its format number');
  const linkFormat = format[1] === '1' ? 1 : format[1] === '2' ? 2 : null;
  if (linkFormat === null) {
    return refused('unsupported-version', `its format is v${format[1]}, and this page reads ${READS}`);
  }

  const rest = value.slice(format[0].length);
  const dot = rest.lastIndexOf('.');
  if (dot < 0) return refused('truncated', 'it ends before its checksum');
  const body = rest.slice(0, dot);
  const sum = rest.slice(dot + 1);
  if (sum.length < CHECKSUM_DIGITS && /^[0-9a-f]*$/.test(sum)) {
    return refused('truncated', `its checksum has ${sum.length} of its ${CHECKSUM_DIGITS} characters`);
  }
  if (!/^[0-9a-f]{16}$/.test(sum) || body.includes('.')) return refused('damaged', 'its checksum is not in the form a share link has');

  // Bound the work before doing any: 4 base64 characters per 3 bytes.
  if (body.length > Math.ceil((LockLimits.compressedBytes * 4) / 3)) {
    return refused('oversized', `it is ${kB((body.length * 3) / 4)} compressed, and a link holds at most ${kB(LockLimits.compressedBytes)}`);
  }
  const payload = decodeBase64Url(body);
  if (payload === null) return refused('damaged', 'it holds characters (or a length) a share link never has');
  if (payload.byteLength > LockLimits.compressedBytes) {
    return refused('oversized', `it is ${kB(payload.byteLength)} compressed, and a link holds at most ${kB(LockLimits.compressedBytes)}`);
  }
  if ((await checksum(payload)) !== sum) return refused('damaged', 'its checksum does not match its content');

  const unpacked: InflateResult = linkFormat === 1 ? await inflateRaw(payload, LockLimits.jsonBytes) : inflateRawWithDictionary(payload, DEFLATE_DICTIONARY, LockLimits.jsonBytes);
  if (unpacked.kind === 'over-budget') {
    return refused('oversized', `it unpacks to more than ${kB(LockLimits.jsonBytes)} (unpacking was stopped there)`);
  }
  if (unpacked.kind === 'corrupt') return refused('damaged', 'its content could not be unpacked');

  let data: unknown;
  if (linkFormat === 1) {
    try {
      data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(unpacked.bytes));
    } catch {
      return refused('invalid', 'its content is not JSON text');
    }
  } else {
    const lock = unpackLock(unpacked.bytes);
    if (lock.kind === 'invalid') return refused('invalid', lock.reason);
    data = lock.lock;
  }
  const checked = checkLock(data);
  if (checked.kind === 'refused') return refused(checked.code, checked.reason);
  return { kind: 'ok', lock: checked.lock, warnings: lockWarnings(checked.lock, options) };
}
