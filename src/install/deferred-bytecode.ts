/**
 * Bytecode compiled after the install (bytecode.ts `later`): the `.pyc` files of one wheel,
 * committed once compiled, all or nothing, through a journal and under the same containment
 * rules as the install, with RECORD rewritten to what an install that compiled would have
 * written (pip lists each `.pyc` in RECORD).
 *
 * The commit is synchronous once prepared, so nothing else writes to the environment halfway;
 * and it happens only when the distribution is still the one installed: its RECORD on disk is
 * byte for byte the one the install wrote (an uninstall, a reinstall or a rolled-back plan in
 * between drops the work). A module whose source on disk is no longer what was compiled (the
 * person edited it) gets no `.pyc`: an unchecked hash-based file would hide the edit.
 */
import { sha256 } from '../pep';
import type { ModuleSource, PendingBytecode } from './bytecode';
import { containmentError, linkViolation } from './containment';
import type { FileSystem } from './fs';
import { compiledFiles, relativeTo, type PlannedFile } from './installer';
import { JournalFs } from './journal-fs';
import { dirname } from './posix-path';
import { recordHash, writeRecord, type RecordEntry } from './record';

/** A wheel's compiled files ready to commit (hashes computed: committing is synchronous). */
export interface BytecodeCommit {
  readonly pending: PendingBytecode;
  readonly files: readonly { readonly file: PlannedFile; readonly module: ModuleSource; readonly row: RecordEntry }[];
}

/** Plans the commit of `output` (`.pyc` bytes by module entry); throws InstallError on a containment violation. */
export async function prepareBytecodeCommit(pending: PendingBytecode, output: ReadonlyMap<string, Uint8Array>): Promise<BytecodeCommit> {
  const archive = { filename: pending.wheel.filename, distInfo: pending.distInfo };
  const planned = pending.modules.flatMap((module) => compiledFiles(archive, pending.scheme, pending.cacheTag, [module], output).map((file) => ({ file, module })));
  // RECORD hashes the very bytes written, never a hash handed in with them: the bytes may come
  // from a cache entry anyone on the origin could have rewritten. One digest per file, all in
  // flight at once (WebCrypto works off the thread; awaited one by one, sympy's 1,533 files
  // spend more time waiting than hashing).
  const hashes = await Promise.all(planned.map(({ file }) => sha256(file.data)));
  const files = planned.map(({ file, module }, i) => ({ file, module, row: { path: relativeTo(pending.root, file.target), hash: recordHash(hashes[i]!), size: file.data.length } }));
  return { pending, files };
}

/**
 * Writes the compiled files and the new RECORD, or nothing: false when the distribution is no
 * longer the one installed. A failed write puts back everything and rethrows.
 */
export function commitBytecode(fs: FileSystem, commit: BytecodeCommit): boolean {
  const { pending } = commit;
  const recordPath = `${pending.distInfoPath}/RECORD`;
  if (!sameBytes(fs.readFile(recordPath), pending.record)) return false;
  const files = commit.files.filter(({ module }) => sameBytes(fs.readFile(module.path), module.source));
  const journal = new JournalFs(fs, (path) => path.startsWith(`${pending.scheme.scripts}/`));
  const links = new Map<string, string | null>();
  try {
    for (const { file } of files) {
      const escape = linkViolation(fs, pending.scheme, file.target, { cache: links });
      if (escape) throw containmentError(pending.wheel.filename, file.entry, escape);
      journal.mkdirp(dirname(file.target));
      journal.writeFile(file.target, file.data, { executable: false });
    }
    // As installWheel orders RECORD: the wheel's files (less those a compiled file replaces),
    // the compiled files, INSTALLER/REQUESTED/direct_url.json, RECORD itself.
    const replaced = new Set(files.map(({ row }) => row.path));
    const rows: RecordEntry[] = [
      ...pending.fileRows.filter((r) => !replaced.has(r.path)),
      ...files.map(({ row }) => row),
      ...pending.extraRows,
      { path: relativeTo(pending.root, recordPath), hash: '', size: null },
    ];
    journal.writeFile(recordPath, new TextEncoder().encode(writeRecord(rows)), { executable: false });
    journal.commit();
  } catch (error) {
    journal.rollback();
    throw error;
  }
  return true;
}

function sameBytes(a: Uint8Array | null, b: Uint8Array): boolean {
  if (a === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
