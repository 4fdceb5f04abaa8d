import type { Redirect } from './ast';
import { expandWord, type ExpandContext } from './expand';
import { describeFsError } from '../pep';
import { appendText, readTextChecked, writeText } from './fs-text';
import type { ShellFs } from './host';
import { parentOf, resolvePath } from './path';
import { shellQuote } from './quote';
import type { Io, OutStream } from './streams';

const DEV_NULL = '/dev/null';
const discard: OutStream = { write: () => undefined, terminal: false };

/** A file opened for writing by `>`/`>>`: written once when the command ends. */
export interface FileSink {
  readonly path: string;
  flush(): void;
}

export type RedirectResult = { readonly ok: true; readonly io: Io; readonly sinks: readonly FileSink[] } | { readonly ok: false; readonly message: string; readonly sinks: readonly FileSink[] };

/**
 * Applies a command's redirections left to right (XCU 2.7), so `> f 2>&1` sends both to f
 * while `2>&1 > f` keeps stderr on the terminal. `>` truncates at once, as bash opens the file
 * before the command runs (`cat a > a` leaves a empty); the text is written when the command
 * ends. A failed redirection is bash's message (`bash: x/y: No such file or directory`) and the
 * command does not run.
 */
export function applyRedirects(redirects: readonly Redirect[], io: Io, fs: ShellFs, expand: ExpandContext): RedirectResult {
  let stdin = io.stdin;
  const fds = new Map<number, OutStream>([
    [1, io.stdout],
    [2, io.stderr],
  ]);
  const sinks: FileSink[] = [];
  for (const r of redirects) {
    if (r.kind === 'dup') {
      const target = r.to === 0 ? null : fds.get(r.to);
      if (!target || r.fd === 0) return { ok: false, message: `bash: ${r.to}: Bad file descriptor`, sinks };
      fds.set(r.fd, target);
      continue;
    }
    const name = expandWord(r.target, expand);
    const path = resolvePath(expand.cwd, name);
    // bash's words, the name as bash shows it (ANSI-C quoted only when it holds a control character).
    const shown = shellQuote(name, 'unprintable');
    if (name === '') return { ok: false, message: 'bash: : No such file or directory', sinks };
    if (path === DEV_NULL) {
      // `2>/dev/null` is too common to fail for want of a device file.
      if (r.kind === 'file' && r.mode === 'read') {
        if (r.fd === 0) stdin = '';
      } else if (r.kind === 'both') {
        fds.set(1, discard);
        fds.set(2, discard);
      } else {
        fds.set(r.fd, discard);
      }
      continue;
    }
    if (r.kind === 'file' && r.mode === 'read') {
      const read = readTextChecked(fs, path);
      if (!read.ok) return { ok: false, message: `bash: ${shown}: ${read.reason}`, sinks };
      if (r.fd === 0) stdin = read.text;
      continue;
    }
    if (fs.isDirectory(path)) return { ok: false, message: `bash: ${shown}: Is a directory`, sinks };
    if (!fs.isDirectory(parentOf(path))) return { ok: false, message: `bash: ${shown}: No such file or directory`, sinks };
    try {
      if (r.mode === 'write' || !fs.exists(path)) writeText(fs, path, '');
    } catch (e) {
      return { ok: false, message: `bash: ${shown}: ${describeFsError(e)}`, sinks };
    }
    const sink = fileSink(fs, path);
    sinks.push(sink);
    if (r.kind === 'both') {
      fds.set(1, sink.stream);
      fds.set(2, sink.stream);
    } else {
      fds.set(r.fd, sink.stream);
    }
  }
  return { ok: true, io: { stdin, stdout: fds.get(1)!, stderr: fds.get(2)!, signal: io.signal }, sinks };
}

function fileSink(fs: ShellFs, path: string): FileSink & { stream: OutStream } {
  let chunks: string[] = [];
  return {
    path,
    stream: { write: (text) => void chunks.push(text), terminal: false },
    flush() {
      const text = chunks.join('');
      chunks = [];
      if (text) appendText(fs, path, text);
    },
  };
}
