/**
 * The active environment in and out of the tab: share links (src/share's codec), pylock.toml
 * (PEP 751) and requirements files. Done here, in the worker, so the page only shows what comes
 * back: it never decodes a stranger's link or parses a stranger's lock itself.
 */
import { bestPlatform, supportedTags } from '../pep';
import { decodeShareLink, encodeShareLink, isShareLink, lockToPylock, lockToRequirements, pylockToLock, type EnvironmentLock as ShareLock } from '../share';
import type { LockFormat, RestoreOffer, RuntimeApi } from './api';
import { runtimeFailure } from './failure';
import type { RuntimeSession } from './session';

type Answer<K extends keyof RuntimeApi> = RuntimeApi[K] extends (...args: never[]) => Promise<infer R> ? R : never;

/** A share link of the active environment, and a sentence for each thing that cannot travel in it. */
export async function shareLink(session: RuntimeSession, pageUrl: string): Promise<Answer<'shareLink'>> {
  const result = session.shareLock();
  const notes = [
    ...result.unlocked.map((n) => `${n} is not in the link: it was installed from a local file.`),
    ...result.built.map((n) => `${n} is not in the link: it was built from a folder outside your home folder (a link carries only the home folder's files).`),
    ...result.skippedFiles.map((p) => `${p} is not in the link: not a text file, or over 256 kB.`),
    ...result.leftOut.map(({ path, reason }) => `${path} is left out of the link: ${reason}.`),
  ];
  try {
    return { kind: 'ok', link: await encodeShareLink(result.lock, pageUrl), notes };
  } catch (e) {
    // ShareLinkError: the lock holds what a link must not (credentials), or is too big.
    return runtimeFailure('refused', e instanceof Error ? e.message : String(e));
  }
}

/** The environment `url` carries (`#env=...`), decoded, checked and previewed; never installed here. */
export async function openShareLink(session: RuntimeSession, url: string): Promise<Answer<'openShareLink'>> {
  if (!isShareLink(url)) return { kind: 'none' };
  const decoded = await decodeShareLink(url);
  if (decoded.kind === 'refused') return runtimeFailure('refused', decoded.reason);
  return offer(session, decoded.lock, decoded.warnings);
}

/** A pylock.toml is offered like a link; any other file (requirements) is saved under its name for `pip install -r`. */
export async function importLock(session: RuntimeSession, name: string, text: string): Promise<Answer<'importLock'>> {
  if (name.endsWith('.toml')) {
    const info = session.info;
    const target = { python: info.pythonVersion, pyodide: info.pyodideVersion, platform: bestPlatform(info.lockInfo), supportedTags: supportedTags(info.lockInfo), markerEnvironment: info.markerEnvironment };
    const result = pylockToLock(text, target);
    if (result.kind === 'refused') return runtimeFailure('refused', result.reason);
    return offer(session, result.lock, result.warnings);
  }
  // The file's name is the stranger's: it is saved under that name and handed to pip as one
  // argument (argv) by the page, never pasted into a command line.
  const saved = await session.writeFile(name, text);
  return saved.kind === 'ok' ? { kind: 'saved', path: saved.path } : saved;
}

/**
 * The active environment's lock as a file: pylock.toml, or requirements.txt with `--hash`
 * (pip's hash-checking mode). What cannot be in it (installed from a local file, built from a
 * folder outside the home folder) is named in comments at the top, never silently left out.
 */
export function exportLock(session: RuntimeSession, format: LockFormat): Answer<'exportLock'> {
  const result = session.shareLock();
  const missing = [
    ...result.unlocked.map((n) => `# ${n} is not in this file: it was installed from a local file.`),
    ...result.built.map((n) => `# ${n} is not in this file: it was built from a folder outside the home folder.`),
  ];
  // Names come from installed records (checked on the way in); a comment still takes no control
  // character, so nothing in a name can start a line of the file.
  const head = missing.length > 0 ? `${missing.map((l) => l.replace(/[\u0000-\u001f\u007f]/g, '?')).join('\n')}\n` : '';
  try {
    return format === 'pylock'
      ? { kind: 'ok', name: 'pylock.toml', text: head + lockToPylock(result.lock, { sdistUrls: result.sdistUrls }), type: 'application/toml' }
      : { kind: 'ok', name: 'requirements.txt', text: head + lockToRequirements(result.lock, { hashes: true }), type: 'text/plain' };
  } catch (e) {
    // LockExportError: the lock holds credentials, or is not a valid lock.
    return runtimeFailure('refused', e instanceof Error ? e.message : String(e));
  }
}

/** What the dialog shows: the lock, its warnings as plain sentences, and the worker's word on what lands where. */
async function offer(session: RuntimeSession, lock: ShareLock, warnings: readonly { readonly message: string }[]): Promise<RestoreOffer> {
  return { kind: 'offer', lock, warnings: warnings.map((w) => ({ message: w.message })), preview: await session.previewShared(lock) };
}
