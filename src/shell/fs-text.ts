import { describeFsError } from '../pep';
import type { ShellFs, ShellStat } from './host';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Files are bytes; the shell's commands read and write UTF-8 text (invalid bytes become U+FFFD). */
export function decodeText(data: Uint8Array): string {
  return decoder.decode(data);
}

export function encodeText(text: string): Uint8Array {
  return encoder.encode(text);
}

/** A file's bytes, or why it could not be read in strerror's words (`Is a directory`, `Operation not supported`). */
export type ReadOutcome = { readonly ok: true; readonly data: Uint8Array } | { readonly ok: false; readonly reason: string };

/**
 * Reads a file for a command: never throws, and never says `[object Object]`: a filesystem
 * error (a device that cannot be read as a file, say) becomes its errno text.
 */
export function readFileChecked(fs: ShellFs, path: string): ReadOutcome {
  try {
    if (fs.isDirectory(path)) return { ok: false, reason: 'Is a directory' };
    const data = fs.readFile(path);
    return data === null ? { ok: false, reason: 'No such file or directory' } : { ok: true, data };
  } catch (error) {
    return { ok: false, reason: describeFsError(error) };
  }
}

/** The file's text, or why not (see readFileChecked). */
export function readTextChecked(fs: ShellFs, path: string): { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string } {
  const read = readFileChecked(fs, path);
  return read.ok ? { ok: true, text: decodeText(read.data) } : read;
}

export function writeText(fs: ShellFs, path: string, text: string): void {
  fs.writeFile(path, encodeText(text));
}

/** Appends by rewriting: the filesystem interface has no append, and these files are small. */
export function appendText(fs: ShellFs, path: string, text: string): void {
  const old = fs.readFile(path);
  const add = encodeText(text);
  if (old === null) {
    fs.writeFile(path, add);
    return;
  }
  const joined = new Uint8Array(old.length + add.length);
  joined.set(old);
  joined.set(add, old.length);
  fs.writeFile(path, joined);
}

/** `fs.stat` when the filesystem has it; otherwise what exists/isDirectory/readFile tell. */
export function statOf(fs: ShellFs, path: string): ShellStat | null {
  if (fs.stat) return fs.stat(path);
  if (!fs.exists(path)) return null;
  if (fs.isDirectory(path)) return { kind: 'directory', size: 4096, mtimeMs: null, executable: true };
  return { kind: 'file', size: fs.readFile(path)?.length ?? 0, mtimeMs: null, executable: false };
}
