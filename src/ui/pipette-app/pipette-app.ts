import { LitElement, html, css, type PropertyValues } from 'lit';
import {
  answerInput,
  createStdinBuffers,
  proxy,
  startRuntime,
  type BootProgress,
  type InterpreterInfo,
  type OutputChunk,
  type RuntimeConfig,
  type StdinBuffers,
  type DownloadActivity,
  formatActivity,
} from '../../runtime';
import { decodeShareLink, encodeShareLink, isShareLink, lockToPylock, lockToRequirements, pylockToLock, type EnvironmentLock } from '../../share';
import { supportedTags } from '../../pep';
import { downloadBytes, downloadText, pickTextFile } from './downloads';
import type { PipetteTerminal, TerminalBackend } from '../terminal';
import type { PipetteEditor } from '../editor';
import { missingImport } from '../editor';
import '../terminal';
import '../editor';
import '../share';
import './pipette-machinery';
import type { MachineryTab } from './pipette-machinery';
import { FileActionEvent, OpenFileEvent, PipCommandEvent, SpecLabQueryEvent } from '../events';
import type { DiskEntry, EnvironmentView, FileEntry, VersionRow } from '../panels';

/**
 * Page settings from the URL: `?index-url=` points pip at a classroom or local index;
 * `?pyodide-packages=URL|none` says where Pyodide's own wasm builds come from (pip's default
 * `--pyodide-packages`).
 */
export function configFromLocation(location: Location): Pick<RuntimeConfig, 'indexUrl' | 'pyodidePackagesUrl'> {
  const params = new URLSearchParams(location.search);
  const packages = params.get('pyodide-packages') ?? params.get('pyodide-packages-url');
  return {
    indexUrl: params.get('index-url') ?? pageDefault('pipette-default-index', location),
    pyodidePackagesUrl: packages !== null ? (packages.trim().toLowerCase() === 'none' ? 'none' : new URL(packages, location.href).href) : pageDefault('pipette-pyodide-packages', location),
  };
}

/**
 * What the server names in `<meta name=NAME>` (vite.config.ts adds `pipette-default-index` under
 * `WHEELHOUSE=DIR npm start`, `pipette-pyodide-packages` under `PYODIDE_PACKAGES=DIR`), made
 * absolute; null when there is none (PyPI; the CDN of the bundled Pyodide).
 */
function pageDefault(name: string, location: Location): string | null {
  const content = document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content;
  return content ? new URL(content, location.href).href : null;
}

const MAIN_FILE = 'main.py';
const STARTER = `# Install a package in the terminal below (pip install NAME), then import it here.
# Run this file with the Run button or Ctrl+Enter.
import sys

print("Hello from Python", sys.version.split()[0])
`;

/**
 * The playground: an editor above a terminal, both on the Python of the runtime worker.
 *
 * Parts: `status` (boot status), `index` (the package index pip uses), `offer` (the
 * "pip install NAME" offer after a missing import), `editor`, `terminal`.
 */
export class PipetteApp extends LitElement {
  static override styles = css`
    :host { display: grid; grid-template-rows: auto auto 1fr; height: 100%; font-family: system-ui, sans-serif; }
    [part='actions'] { display: flex; gap: 0.4rem; }
    [part='actions'] button { font: 600 0.8rem system-ui; background: #2d3640; color: #e6e1cf; border: 0; border-radius: 4px; padding: 0.3rem 0.65rem; cursor: pointer; }
    [part='actions'] button[part='share'] { background: #3572a5; color: #fff; }
    [part='actions'] button:disabled { opacity: 0.5; cursor: default; }
    [part='shared'] { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; padding: 0.4rem 1rem; background: #14202b; color: #c5ccd3; font-size: 0.85rem; }
    [part='shared'] input { width: min(40rem, 60vw); background: #0f1419; color: #e6e1cf; border: 1px solid #2d3640; border-radius: 4px; padding: 0.2rem 0.4rem; font: 0.8rem ui-monospace, monospace; }
    [part='shared'] .note { color: #ffb454; }
    [part='shared'] .dismiss { background: transparent; color: #8fa1b3; border: 0; cursor: pointer; }
    header { display: flex; gap: 1rem; align-items: baseline; padding: 0.5rem 1rem; background: #1a2029; border-bottom: 1px solid #2d3640; flex-wrap: wrap; }
    h1 { font: 600 1.1rem system-ui, sans-serif; margin: 0; color: #ffd43b; }
    [part='status'] { color: #8fa1b3; font-size: 0.9rem; }
    [part='status'][data-ready] { color: #a6cc70; }
    [part='activity'] { color: #73d0ff; font: 0.85rem ui-monospace, monospace; }
    [part='index'] { color: #8fa1b3; font-size: 0.85rem; margin-left: auto; font-family: ui-monospace, monospace; }
    .workspace { display: grid; grid-template-columns: 13rem minmax(0, 1fr) minmax(24rem, 40vw); min-height: 0; }
    pipette-files { min-height: 0; overflow: auto; border-right: 1px solid #2d3640; background: #121820; }
    main { display: grid; grid-template-rows: minmax(8rem, 2fr) auto minmax(10rem, 3fr); grid-template-columns: minmax(0, 1fr); min-height: 0; min-width: 0; overflow: hidden; }
    pipette-machinery { min-width: 0; overflow: hidden; }
    @media (max-width: 60rem) { .workspace { grid-template-columns: minmax(0, 1fr); } pipette-files, pipette-machinery { display: none; } }
    pipette-editor, pipette-terminal { min-height: 0; min-width: 0; overflow: hidden; }
    [part='offer'] { display: flex; gap: 0.75rem; align-items: center; padding: 0.35rem 1rem; background: #2a2410; color: #ffd43b; font-size: 0.9rem; }
    [part='offer'] button { font: 600 0.85rem system-ui; background: #3572a5; color: #fff; border: 0; border-radius: 4px; padding: 0.25rem 0.7rem; cursor: pointer; }
    [part='offer'] .dismiss { background: transparent; color: #8fa1b3; }
  `;

  static override properties = {
    info: { state: true },
    progress: { state: true },
    offer: { state: true },
    busy: { state: true },
    restore: { state: true },
    shared: { state: true },
    activity: { state: true },
    environment: { state: true },
    disk: { state: true },
    files: { state: true },
    activeFile: { state: true },
    versions: { state: true },
    project: { state: true },
    specMessage: { state: true },
  };

  /** Downloads of the running command, as one line (the header's status), or null. */
  declare activity: string | null;
  declare environment: EnvironmentView | null;
  declare disk: { root: string; entries: DiskEntry[] } | null;
  declare files: FileEntry[];
  declare activeFile: string | null;
  declare versions: VersionRow[];
  declare project: string;
  declare specMessage: string | null;
  private tab: MachineryTab = 'packages';
  private home = '/home/pyodide';

  /** A shared environment waiting for the person's yes (or the reason it was refused). */
  declare restore: { lock: EnvironmentLock | null; warnings: readonly { readonly message: string }[]; refusal: string | null; source: string } | null;
  /** The link the Share button made, with notes on what could not travel. */
  declare shared: { link: string; notes: string[] } | null;

  declare info: InterpreterInfo | null;
  declare progress: BootProgress | null;
  /** What to offer after `ModuleNotFoundError` (the module and the distribution), or null. */
  declare offer: { module: string; distribution: string } | null;
  declare busy: boolean;
  /** The runtime worker (Comlink); tests and the console may reach it here. */
  readonly runtime = startRuntime();
  private readonly config = configFromLocation(window.location);
  private readonly stdin: StdinBuffers | null = createStdinBuffers();
  private readonly interruptBuffer: Int32Array | null = this.stdin ? new Int32Array(new SharedArrayBuffer(4)) : null;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  /** Number of command lines finished; tests wait on it (`data-commands`). */
  private commands = 0;

  constructor() {
    super();
    this.info = null;
    this.progress = null;
    this.offer = null;
    this.busy = false;
    this.restore = null;
    this.shared = null;
    this.activity = null;
    this.environment = null;
    this.disk = null;
    this.files = [];
    this.activeFile = null;
    this.versions = [];
    this.project = '';
    this.specMessage = null;
    this.addEventListener(PipCommandEvent.eventName, (e) => void this.terminal.typeAndRun(`pip ${(e as PipCommandEvent).detail.argv.map(shellQuote).join(' ')}`));
    this.addEventListener(OpenFileEvent.eventName, (e) => void this.openFile((e as OpenFileEvent).detail.path));
    this.addEventListener(FileActionEvent.eventName, (e) => void this.fileAction(e as FileActionEvent));
    this.addEventListener(SpecLabQueryEvent.eventName, (e) => void this.querySpecLab((e as SpecLabQueryEvent).detail.project));
  }

  private get terminal(): PipetteTerminal {
    return this.renderRoot.querySelector('pipette-terminal')!;
  }

  private get editor(): PipetteEditor {
    return this.renderRoot.querySelector('pipette-editor')!;
  }

  protected override firstUpdated(_changed: PropertyValues): void {
    void this.boot();
  }

  private async boot(): Promise<void> {
    const terminal = this.terminal;
    terminal.print('Starting Python…');
    try {
      const config: RuntimeConfig = {
        ...this.config,
        pageUrl: `${window.location.origin}${window.location.pathname}`,
        ...(this.interruptBuffer ? { interruptBuffer: this.interruptBuffer } : {}),
        ...(this.stdin ? { stdin: this.stdin } : {}),
      };
      this.info = await this.runtime.boot(config, proxy((p: BootProgress) => (this.progress = p)));
      terminal.print(`Python ${this.info.pythonVersion} (Pyodide ${this.info.pyodideVersion}) on ${this.info.markerEnvironment['sys_platform']}. Type help for the commands.`);
      for (const problem of this.progress?.restore?.problems ?? []) terminal.print(`\x1b[33mWARNING: ${problem}\x1b[0m`);
      await this.openMainFile();
      void this.refresh();
      terminal.backend = this.backend();
      await terminal.showPrompt();
      terminal.focus();
      if (isShareLink(window.location.href)) await this.openShareLink(window.location.href);
    } catch (e) {
      terminal.print(`\x1b[31mPython failed to start: ${e instanceof Error ? e.message : String(e)}. Reload the page to try again.\x1b[0m`);
    }
  }

  private async openMainFile(): Promise<void> {
    const existing = await this.runtime.readFile(MAIN_FILE);
    if (existing.kind !== 'ok') await this.runtime.writeFile(MAIN_FILE, STARTER);
    await this.openFile(`${this.home}/${MAIN_FILE}`);
  }

  /** Opens a file of the home directory in the editor (saving the one open first). */
  private async openFile(path: string): Promise<void> {
    if (this.saveTimer) await this.save(this.editor.path, this.editor.code);
    const file = await this.runtime.readFile(path);
    if (file.kind === 'error') {
      this.terminal.print(`\x1b[31m${file.message}\x1b[0m`);
      return;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(file.data);
    } catch {
      this.terminal.print(`${relativeTo(this.home, file.path)} is not a text file, so the editor does not open it; ⤓ in the files list saves it to your computer.`);
      return;
    }
    this.activeFile = file.path;
    this.editor.setCode(text, relativeTo(this.home, file.path));
  }

  private async fileAction(event: FileActionEvent): Promise<void> {
    const { action, path, newPath } = event.detail;
    if (action === 'save') {
      const file = await this.runtime.readFile(path);
      if (file.kind === 'error') this.terminal.print(`\x1b[31m${file.message}\x1b[0m`);
      else downloadBytes(file.path.slice(file.path.lastIndexOf('/') + 1), file.data);
      return;
    }
    const failure =
      action === 'create'
        ? await this.runtime.writeFile(path, '').then((r) => (r.kind === 'error' ? r : null))
        : action === 'rename'
          ? await this.runtime.renamePath(path, newPath ?? path)
          : await this.runtime.removePath(path);
    if (failure) this.terminal.print(`\x1b[31m${failure.message}\x1b[0m`);
    await this.refresh();
    if (action === 'create' && !failure) await this.openFile(path);
    if (action === 'rename' && !failure && path === this.activeFile) await this.openFile(newPath!);
    if (action === 'delete' && !failure && path === this.activeFile) await this.openMainFile();
  }

  private async querySpecLab(project: string): Promise<void> {
    this.project = project;
    if (!project.trim()) return;
    this.specMessage = `Fetching the versions of ${project}…`;
    const versions = await this.runtime.projectVersions(project);
    if (this.project !== project) return; // a newer query won
    if (versions === null) [this.versions, this.specMessage] = [[], `No project named ${project} on the index.`];
    else if ('kind' in versions) [this.versions, this.specMessage] = [[], versions.message];
    else [this.versions, this.specMessage] = [versions, null];
  }

  /** After every command: the environment, its files on disk and the home folder, as they are now. */
  private async refresh(): Promise<void> {
    const [environment, disk, files] = await Promise.all([this.runtime.describeEnvironment(), this.runtime.diskEntries(), this.listHome()]);
    this.environment = environment;
    this.disk = disk;
    this.files = files;
    if (this.tab === 'packages' || this.tab === 'graph') void this.addIndexFacts();
  }

  /** Updates and vulnerabilities need the index's JSON API: fetched after the view is up. */
  private async addIndexFacts(): Promise<void> {
    const online = await this.runtime.describeEnvironment({ online: true });
    if (online && this.environment && online.prefix === this.environment.prefix) this.environment = online;
  }

  /** The home folder's files, venvs shown as folders without their insides. */
  private async listHome(): Promise<FileEntry[]> {
    const out: FileEntry[] = [];
    const walk = async (dir: string): Promise<void> => {
      const listing = await this.runtime.listDir(dir);
      if (listing.kind === 'error') return;
      const isVenv = listing.entries.some((e) => e.name === 'pyvenv.cfg');
      for (const entry of listing.entries) {
        if (entry.name === '__pycache__' || out.length > 2000) continue;
        const path = `${dir}/${entry.name}`;
        out.push({ path, kind: entry.kind });
        if (entry.kind === 'directory' && !isVenv) await walk(path);
      }
    };
    await walk(this.home);
    return out;
  }

  /** The terminal's line goes to the shell in the worker; Ctrl+C reaches Python and pip. */
  private backend(): TerminalBackend {
    return {
      prompt: () => this.runtime.shellPrompt(),
      complete: (line, cursor) => this.runtime.shellComplete(line, cursor),
      interrupt: () => {
        if (this.interruptBuffer) Atomics.store(this.interruptBuffer, 0, 2); // SIGINT: KeyboardInterrupt
        void this.runtime.interrupt();
      },
      run: async (line, write) => {
        this.busy = true;
        this.offer = null;
        let stderr = '';
        try {
          return await this.runtime.shellRun(
            line,
            proxy({
              output: (chunk: OutputChunk) => {
                if (chunk.stream === 'stderr') stderr += chunk.text;
                write(chunk.stream === 'stderr' ? `\x1b[31m${chunk.text}\x1b[0m` : chunk.text, chunk.stream);
              },
              clear: () => this.terminal.clearScreen(),
              activity: (a: DownloadActivity | null) => (this.activity = a ? formatActivity(a) : null),
              askInput: () => {
                void this.terminal.readLine().then((typed) => this.stdin && answerInput(this.stdin, typed));
              },
            }),
          );
        } finally {
          this.busy = false;
          this.offer = missingImport(stderr);
          await this.refresh();
          this.bumpCommands();
        }
      },
    };
  }

  private async onRun(event: CustomEvent<{ path: string; code: string }>): Promise<void> {
    await this.save(event.detail.path, event.detail.code);
    // `~/` so the file runs wherever the shell has `cd`-ed to.
    const path = event.detail.path.startsWith('/') ? event.detail.path : `~/${event.detail.path}`;
    await this.terminal.typeAndRun(`python ${shellQuote(path).replace(/^'~\//, "~/'")}`);
  }

  private onChange(event: CustomEvent<{ path: string; code: string }>): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    const { path, code } = event.detail;
    this.saveTimer = setTimeout(() => void this.save(path, code), 400);
  }

  private async save(path: string, code: string): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    const result = await this.runtime.writeFile(path, code);
    if (result.kind === 'error') this.terminal.print(`\x1b[31m${result.message}\x1b[0m`);
  }

  /** A `#env=` link: decoded and checked here; shown to the person; installed only on their yes. */
  private async openShareLink(url: string): Promise<void> {
    const decoded = await decodeShareLink(url);
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
    this.restore = decoded.kind === 'ok' ? { lock: decoded.lock, warnings: decoded.warnings, refusal: null, source: 'share link' } : { lock: null, warnings: [], refusal: decoded.reason, source: 'share link' };
  }

  private async acceptRestore(): Promise<void> {
    const lock = this.restore?.lock;
    this.restore = null;
    if (!lock) return;
    await this.terminal.runTask(`restoring the shared environment (${lock.distributions.length} packages)`, (write) =>
      this.runtime.restoreShared(lock, proxy((chunk: OutputChunk) => write(chunk.stream === 'stderr' ? `\x1b[31m${chunk.text}\x1b[0m` : chunk.text))),
    );
    if (lock.files.some((f) => f.path === MAIN_FILE)) await this.openMainFile();
    await this.refresh();
    this.bumpCommands();
  }

  private async share(): Promise<void> {
    const result = await this.runtime.shareLock();
    if (!result) return;
    try {
      const link = await encodeShareLink(result.lock, `${window.location.origin}${window.location.pathname}`);
      const notes = [
        ...result.unlocked.map((n) => `${n} is not in the link: it was installed from a local file.`),
        ...result.skippedFiles.map((p) => `${p} is not in the link: not a text file, or over 256 kB.`),
      ];
      this.shared = { link, notes };
      await navigator.clipboard?.writeText(link).catch(() => undefined);
    } catch (e) {
      this.shared = { link: '', notes: [e instanceof Error ? e.message : String(e)] };
    }
  }

  private async exportLock(format: 'pylock' | 'requirements'): Promise<void> {
    const result = await this.runtime.shareLock();
    if (!result) return;
    if (format === 'pylock') downloadText('pylock.toml', lockToPylock(result.lock), 'application/toml');
    else downloadText('requirements.txt', lockToRequirements(result.lock, { hashes: true }));
  }

  /** pylock.toml: shown like a share link, then installed exactly; requirements.txt: saved, then `pip install -r`. */
  private async importLock(): Promise<void> {
    const file = await pickTextFile('.toml,.txt,.in');
    if (!file || !this.info) return;
    if (file.name.endsWith('.toml')) {
      const tags = supportedTags(this.info.lockInfo);
      const result = pylockToLock(file.text, { python: this.info.pythonVersion, pyodide: this.info.pyodideVersion, platform: tags[0]!.split('-')[2]!, supportedTags: tags, markerEnvironment: this.info.markerEnvironment });
      this.restore = result.kind === 'ok' ? { lock: result.lock, warnings: result.warnings, refusal: null, source: file.name } : { lock: null, warnings: [], refusal: result.reason, source: file.name };
      return;
    }
    const saved = await this.runtime.writeFile(file.name, file.text);
    if (saved.kind === 'error') this.terminal.print(`\x1b[31m${saved.message}\x1b[0m`);
    else await this.terminal.typeAndRun(`pip install -r ${file.name}`);
  }

  private bumpCommands(): void {
    this.commands++;
    this.dataset['commands'] = String(this.commands);
  }

  private statusText(): string {
    const p = this.progress;
    if (this.info) return `Python ${this.info.pythonVersion} ready (${Math.round(p?.elapsedMs ?? 0)} ms)`;
    if (p?.phase === 'restoring') return `Restoring your environments… ${p.done ?? 0}/${p.total ?? 0} packages`;
    return 'Starting Python…';
  }

  protected override render() {
    return html`
      <header>
        <h1>Pipette</h1>
        <span part="status" role="status" ?data-ready=${this.info !== null}>${this.statusText()}</span>
        ${this.activity ? html`<span part="activity" aria-live="polite">${this.activity}</span>` : ''}
        <span part="index" title="The package index pip uses">index: ${this.config.indexUrl ?? 'https://pypi.org/simple/'}</span>
        <nav part="actions">
          <button part="share" ?disabled=${!this.info || this.busy} @click=${() => void this.share()} title="A link that reinstalls this environment anywhere">Share</button>
          <button ?disabled=${!this.info} @click=${() => void this.exportLock('pylock')} title="Download pylock.toml (PEP 751)">pylock.toml</button>
          <button ?disabled=${!this.info} @click=${() => void this.exportLock('requirements')} title="Download requirements.txt with hashes">requirements.txt</button>
          <button ?disabled=${!this.info || this.busy} @click=${() => void this.importLock()} title="Open a pylock.toml or requirements.txt">Import…</button>
        </nav>
      </header>
      ${this.shared
        ? html`<div part="shared" role="status">
            ${this.shared.link ? html`<label>Share link <input readonly .value=${this.shared.link} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} /></label>` : ''}
            ${this.shared.notes.map((n) => html`<span class="note">${n}</span>`)}
            <button class="dismiss" @click=${() => (this.shared = null)}>Close</button>
          </div>`
        : ''}
      ${this.restore
        ? html`<pipette-restore-dialog
            .lock=${this.restore.lock}
            .warnings=${this.restore.warnings}
            .refusal=${this.restore.refusal}
            source=${this.restore.source}
            @pipette-restore=${() => void this.acceptRestore()}
            @pipette-dismiss=${() => (this.restore = null)}
          ></pipette-restore-dialog>`
        : ''}
      <div class="workspace">
      <pipette-files .files=${this.files} .active=${this.activeFile} .home=${this.home}></pipette-files>
      <main>
        <pipette-editor part="editor" ?busy=${this.busy || !this.info} @pipette-run=${this.onRun} @pipette-change=${this.onChange}></pipette-editor>
        ${this.offer
          ? html`<div part="offer" role="alert">
              <span>No module named '${this.offer.module}' in this environment. Install it?</span>
              <button @click=${() => void this.terminal.typeAndRun(`pip install ${this.offer!.distribution}`)}>pip install ${this.offer.distribution}</button>
              <button class="dismiss" @click=${() => (this.offer = null)}>Dismiss</button>
            </div>`
          : html`<div></div>`}
        <pipette-terminal part="terminal"></pipette-terminal>
      </main>
      <pipette-machinery
        .environment=${this.environment}
        .disk=${this.disk}
        .versions=${this.versions}
        .project=${this.project}
        .specMessage=${this.specMessage}
        @pipette-tab=${(e: CustomEvent<{ tab: MachineryTab }>) => {
          this.tab = e.detail.tab;
          if (this.tab === 'packages' || this.tab === 'graph') void this.addIndexFacts();
        }}
      ></pipette-machinery>
      </div>
    `;
  }
}

/** Quotes a word for the shell when it needs it. Ex) `a b` -> `'a b'`; `requests` unchanged. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./<>!~^*-]+$/.test(word) && !/[<>!]/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function relativeTo(home: string, path: string): string {
  return path.startsWith(`${home}/`) ? path.slice(home.length + 1) : path;
}
