import { escapeTerminalText } from '../../pep';
import { CodeChangeEvent, FileActionEvent, OpenFileEvent, RunFileEvent } from '../events';
import { HOME, listenOnHost, printFailure, relativeTo, type AppHost } from './app-host';
import { downloadBytes } from './downloads';
import type { RuntimeController } from './runtime-controller';
import { saveUiState } from './ui-state';

const MAIN_FILE = 'main.py';
const STARTER = `# Install a package in the terminal below (pip install NAME), then import it here.
# Run this file with the Run button or Ctrl+Enter.
import sys

print("Hello from Python", sys.version.split()[0])
`;

/**
 * The home directory's files in the editor and the side list: which file is open, its edits
 * saved (debounced), Run, and the list's create / rename / delete / save-to-disk.
 */
export class FilesController {
  /** The absolute path of the file open in the editor. */
  activeFile: string | null = null;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly host: AppHost,
    private readonly runtime: RuntimeController,
    private readonly storage: Storage | null,
    private readonly run: (argv: readonly string[]) => Promise<void>,
    private readonly refresh: () => Promise<void>,
  ) {
    // The files list's and the editor's events.
    listenOnHost(host, { [OpenFileEvent.eventName]: this.onOpenFile, [FileActionEvent.eventName]: this.onFileAction, [RunFileEvent.eventName]: this.onRun, [CodeChangeEvent.eventName]: this.onChange });
  }

  private readonly onOpenFile = (event: OpenFileEvent): void => void this.openFile(event.detail.path);
  private readonly onFileAction = (event: FileActionEvent): void => void this.fileAction(event);

  /** The file that was open before the reload (`last`), when it is still there; else main.py. */
  async openLastFile(last: string | null): Promise<void> {
    if (last && last.startsWith(`${HOME}/`)) {
      const file = await (await this.runtime.ready).readFile(last);
      if (file.kind === 'ok') {
        await this.openFile(last);
        if (this.activeFile === last) return;
      }
    }
    await this.openMainFile();
  }

  /** main.py, made with the starter text when there is none. */
  async openMainFile(): Promise<void> {
    const api = await this.runtime.ready;
    const existing = await api.readFile(MAIN_FILE);
    if (existing.kind === 'ok') return this.openFile(`${HOME}/${MAIN_FILE}`);
    // A first visit: the editor shows the starter text while the worker writes it and saves the
    // workspace. The save (IndexedDB's first write, ~20 ms) is not on the way to the prompt, and a
    // read back would only return the text given. The worker writes the file as the message
    // arrives, before any later one (a command) is handled.
    const written = api.writeFile(MAIN_FILE, STARTER);
    if (this.saveTimer) await this.save(this.host.editor.path, this.host.editor.code);
    this.show(`${HOME}/${MAIN_FILE}`, STARTER);
    void written.then((done) => {
      if (done.kind === 'error') printFailure(this.host.terminal, done.message);
    });
  }

  /** Whether restoring a lock's `files` changed the main file (then it is opened again). */
  static touchesMainFile(files: readonly { readonly path: string }[]): boolean {
    return files.some((f) => f.path === MAIN_FILE);
  }

  /** Opens a file of the home directory in the editor (saving the one open first). */
  async openFile(path: string): Promise<void> {
    const editor = this.host.editor;
    if (this.saveTimer) await this.save(editor.path, editor.code);
    const file = await (await this.runtime.ready).readFile(path);
    if (file.kind === 'error') return printFailure(this.host.terminal, file.message);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(file.data);
    } catch {
      this.host.terminal.print(`${escapeTerminalText(relativeTo(HOME, file.path))} is not a text file, so the editor does not open it; ⤓ in the files list saves it to your computer.`);
      return;
    }
    this.show(file.path, text);
  }

  /** `text` in the editor as the file at `path` (absolute). */
  private show(path: string, text: string): void {
    this.activeFile = path;
    this.host.requestUpdate();
    this.host.editor.setCode(text, relativeTo(HOME, path));
    saveUiState(this.storage, { file: path });
  }

  private async fileAction(event: FileActionEvent): Promise<void> {
    const { action, path, newPath } = event.detail;
    const api = await this.runtime.ready;
    if (action === 'save') {
      const file = await api.readFile(path);
      if (file.kind === 'error') printFailure(this.host.terminal, file.message);
      else downloadBytes(file.path.slice(file.path.lastIndexOf('/') + 1), file.data);
      return;
    }
    const done = action === 'create' ? await api.writeFile(path, '') : action === 'rename' ? await api.renamePath(path, newPath ?? path) : await api.removePath(path);
    if (done.kind === 'error') printFailure(this.host.terminal, done.message);
    await this.refresh();
    if (done.kind === 'error') return;
    if (action === 'create') await this.openFile(path);
    if (action === 'rename' && path === this.activeFile) await this.openFile(newPath!);
    if (action === 'delete' && path === this.activeFile) await this.openMainFile();
  }

  private readonly onRun = (event: RunFileEvent): void => void this.runFile(event.detail.path, event.detail.code);

  private async runFile(path: string, code: string): Promise<void> {
    await this.save(path, code);
    // Absolute, so the file runs wherever the shell has `cd`-ed to (shown as `~/...`).
    await this.run(['python', path.startsWith('/') ? path : `${HOME}/${path}`]);
  }

  /** Edits are saved 400 ms after the last one (and before another file opens). */
  private readonly onChange = (event: CodeChangeEvent): void => {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    const { path, code } = event.detail;
    this.saveTimer = setTimeout(() => void this.save(path, code), 400);
  };

  private async save(path: string, code: string): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const result = await (await this.runtime.ready).writeFile(path, code);
    if (result.kind === 'error') printFailure(this.host.terminal, result.message);
  }
}
