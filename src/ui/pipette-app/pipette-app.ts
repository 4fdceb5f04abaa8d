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
  type TerminalCallbacks,
  type DownloadActivity,
  type SharedPreview,
  type LineRequest,
  formatActivity,
} from '../../runtime';
import { decodeShareLink, encodeShareLink, isShareLink, lockToPylock, lockToRequirements, pylockToLock, type EnvironmentLock } from '../../share';
import { escapeTerminalText, supportedTags } from '../../pep';
import { quoteArgv } from '../../shell';
import { downloadBytes, downloadText, pickTextFile } from './downloads';
import { loadUiState, pageStorage, saveUiState, type UiState } from './ui-state';
import type { PipetteTerminal, TerminalBackend } from '../terminal';
import type { PipetteEditor } from '../editor';
import { missingImport } from '../editor';
import '../terminal';
import '../editor';
import '../share';
import { isMachineryTab, type MachineryTab } from './pipette-machinery';
import { FileActionEvent, OpenFileEvent, PipCommandEvent, SpecLabClassifyEvent, SpecLabQueryEvent } from '../events';
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
    /* A column: the header and any notice take their height, the workspace all the rest, at every window size. */
    :host { display: flex; flex-direction: column; height: 100%; overflow: hidden; font-family: system-ui, sans-serif; }
    [part='actions'] { display: flex; gap: 0.4rem; }
    [part='actions'] button { font: 600 0.8rem system-ui; background: #2d3640; color: #e6e1cf; border: 0; border-radius: 4px; padding: 0.3rem 0.65rem; cursor: pointer; }
    [part='actions'] button[part='share'] { background: #3572a5; color: #fff; }
    [part='actions'] button:disabled { opacity: 0.5; cursor: default; }
    [part='shared'], pipette-restore-dialog { flex: none; }
    [part='shared'] { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; padding: 0.4rem 1rem; background: #14202b; color: #c5ccd3; font-size: 0.85rem; }
    [part='shared'] input { width: min(40rem, 60vw); background: #0f1419; color: #e6e1cf; border: 1px solid #2d3640; border-radius: 4px; padding: 0.2rem 0.4rem; font: 0.8rem ui-monospace, monospace; }
    [part='shared'] .note { color: #ffb454; }
    [part='shared'] [part='copied'] { color: #a6cc70; font-weight: 600; }
    [part='shared'] .dismiss { background: transparent; color: #8fa1b3; border: 0; cursor: pointer; }
    /* One row of fixed height whatever it says: downloads in progress shorten the activity text
       (an ellipsis), they never wrap the header or push the workspace down. */
    header { flex: none; display: flex; flex-wrap: nowrap; gap: 1rem; align-items: center; height: 2.75rem; box-sizing: border-box; padding: 0 1rem; background: #1a2029; border-bottom: 1px solid #2d3640; overflow: hidden; }
    header > * { white-space: nowrap; }
    h1 { flex: none; font: 600 1.1rem system-ui, sans-serif; margin: 0; color: #ffd43b; }
    [part='status'] { flex: 0 0 auto; max-width: 40%; overflow: hidden; text-overflow: ellipsis; color: #8fa1b3; font-size: 0.9rem; }
    [part='status'][data-ready] { color: #a6cc70; }
    [part='activity'] { flex: 1 1 0; min-width: 0; overflow: hidden; text-overflow: ellipsis; color: #73d0ff; font: 0.85rem ui-monospace, monospace; }
    [part='index'] { flex: 0 1 auto; min-width: 4rem; overflow: hidden; text-overflow: ellipsis; color: #8fa1b3; font-size: 0.85rem; font-family: ui-monospace, monospace; }
    [part='actions'] { flex: none; }
    .workspace { flex: 1 1 0; display: grid; grid-template-columns: 13rem minmax(0, 1fr) minmax(24rem, 40vw); min-height: 0; }
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
  private readonly storage = pageStorage();
  /** What the page remembered from before the reload (the open file, the tab, the terminal's history). */
  private readonly remembered: UiState = loadUiState(this.storage);
  private tab: MachineryTab = isMachineryTab(this.remembered.tab) ? this.remembered.tab : 'packages';
  private home = '/home/pyodide';

  /** A shared environment waiting for the person's yes (or the reason it was refused). */
  declare restore: { lock: EnvironmentLock | null; warnings: readonly { readonly message: string }[]; refusal: string | null; source: string; preview: SharedPreview | null } | null;
  /** The link the Share button made, with notes on what could not travel. */
  declare shared: { link: string; notes: string[]; copied: boolean } | null;

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
  /** What the environment's panels were last drawn from (see refresh). */
  private stamp: string | null = null;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;
  /** Number of command lines finished; tests wait on it (`data-commands`). */
  private commands = 0;

  constructor() {
    super();
    // Boot trace (bench/playground.bench.ts): the runtime worker has just been created.
    performance.mark('pipette:app-constructed');
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
    this.addEventListener(PipCommandEvent.eventName, (e) => void this.runCommand(['pip', ...(e as PipCommandEvent).detail.argv]));
    this.addEventListener(OpenFileEvent.eventName, (e) => void this.openFile((e as OpenFileEvent).detail.path));
    this.addEventListener(FileActionEvent.eventName, (e) => void this.fileAction(e as FileActionEvent));
    this.addEventListener(SpecLabQueryEvent.eventName, (e) => void this.querySpecLab((e as SpecLabQueryEvent).detail.project));
    // The lab's verdicts come from the worker, decided by the resolver's policies.
    this.addEventListener(SpecLabClassifyEvent.eventName, (e) => e.respondWith(this.runtime.classifyVersions(e.detail.project, e.detail.specifier, { pre: e.detail.pre })));
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
    performance.mark('pipette:app-boot');
    terminal.print('Starting Python…');
    try {
      const config: RuntimeConfig = {
        ...this.config,
        pageUrl: `${window.location.origin}${window.location.pathname}`,
        ...(this.interruptBuffer ? { interruptBuffer: this.interruptBuffer } : {}),
        ...(this.stdin ? { stdin: this.stdin } : {}),
        history: this.remembered.history,
      };
      this.info = await this.runtime.boot(config, proxy((p: BootProgress) => (this.progress = p)));
      performance.mark('pipette:runtime-booted');
      terminal.print(`Python ${this.info.pythonVersion} (Pyodide ${this.info.pyodideVersion}) on ${this.info.markerEnvironment['sys_platform']}. Type help for the commands.`);
      for (const problem of this.progress?.restore?.problems ?? []) terminal.print(`\x1b[33mWARNING: ${escapeTerminalText(problem)}\x1b[0m`);
      await this.openLastFile();
      performance.mark('pipette:main-file-open');
      void this.refresh();
      terminal.historyStore = { load: () => this.remembered.history, save: (lines) => void saveUiState(this.storage, { history: lines }) };
      terminal.backend = this.backend();
      await terminal.showPrompt();
      performance.mark('pipette:prompt');
      terminal.focus();
      if (isShareLink(window.location.href)) await this.openShareLink(window.location.href);
    } catch (e) {
      terminal.print(`\x1b[31mPython failed to start: ${escapeTerminalText(e instanceof Error ? e.message : String(e))}. Reload the page to try again.\x1b[0m`);
    }
  }

  /** The file that was open before the reload, when it is still there; else main.py. */
  private async openLastFile(): Promise<void> {
    const last = this.remembered.file;
    if (last && last.startsWith(`${this.home}/`)) {
      const file = await this.runtime.readFile(last);
      if (file.kind === 'ok') {
        await this.openFile(last);
        if (this.activeFile === last) return;
      }
    }
    await this.openMainFile();
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
      this.terminal.print(`\x1b[31m${escapeTerminalText(file.message)}\x1b[0m`);
      return;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(file.data);
    } catch {
      this.terminal.print(`${escapeTerminalText(relativeTo(this.home, file.path))} is not a text file, so the editor does not open it; ⤓ in the files list saves it to your computer.`);
      return;
    }
    this.activeFile = file.path;
    this.editor.setCode(text, relativeTo(this.home, file.path));
    saveUiState(this.storage, { file: file.path });
  }

  private async fileAction(event: FileActionEvent): Promise<void> {
    const { action, path, newPath } = event.detail;
    if (action === 'save') {
      const file = await this.runtime.readFile(path);
      if (file.kind === 'error') this.terminal.print(`\x1b[31m${escapeTerminalText(file.message)}\x1b[0m`);
      else downloadBytes(file.path.slice(file.path.lastIndexOf('/') + 1), file.data);
      return;
    }
    const failure =
      action === 'create'
        ? await this.runtime.writeFile(path, '').then((r) => (r.kind === 'error' ? r : null))
        : action === 'rename'
          ? await this.runtime.renamePath(path, newPath ?? path)
          : await this.runtime.removePath(path);
    if (failure) this.terminal.print(`\x1b[31m${escapeTerminalText(failure.message)}\x1b[0m`);
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

  /**
   * After every command, off its path (the prompt does not wait): the home folder's files, and
   * the environment's panels only when what they show changed (a cheap stamp of its listings), so
   * `ls` in an environment of thousands of files costs two small calls, not reading them all.
   */
  private refresh(): Promise<void> {
    // One at a time; a command that ends meanwhile gets a fresh look once this one is done.
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.refreshAgain = false;
          await this.refreshOnce();
        } while (this.refreshAgain);
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    const [stamp, files] = await Promise.all([this.runtime.environmentStamp(), this.runtime.homeEntries()]);
    if (files && JSON.stringify(files) !== JSON.stringify(this.files)) this.files = files;
    if (stamp === this.stamp) return;
    const [environment, disk] = await Promise.all([this.runtime.describeEnvironment(), this.runtime.diskEntries()]);
    this.stamp = stamp;
    this.environment = environment;
    this.disk = disk;
    if (this.tab === 'packages' || this.tab === 'graph') void this.addIndexFacts();
  }

  /** Updates and vulnerabilities need the index's JSON API: fetched after the view is up. */
  private async addIndexFacts(): Promise<void> {
    const online = await this.runtime.describeEnvironment({ online: true });
    if (online && this.environment && online.prefix === this.environment.prefix) this.environment = online;
  }

  /**
   * Runs a command the page builds (never pasting a name into shell text): `argv` goes to the
   * shell as it is, and the terminal shows the line that would run it, quoted by the shell's
   * own rules. Ex) a file `a; rm -rf ~.txt` -> `pip install -r ~/'a; rm -rf ~.txt'`, one argument.
   */
  private runCommand(argv: readonly string[]): Promise<void> {
    return this.terminal.runCommand(argv, quoteArgv(argv, { home: this.home }));
  }

  /** The terminal's line goes to the shell in the worker; Ctrl+C reaches Python and pip. */
  private backend(): TerminalBackend {
    return {
      prompt: () => this.runtime.shellPrompt(),
      complete: (line, cursor, kind) => (kind === 'python' ? this.runtime.pythonComplete(line, cursor) : this.runtime.shellComplete(line, cursor)),
      interrupt: () => {
        if (this.interruptBuffer) Atomics.store(this.interruptBuffer, 0, 2); // SIGINT: KeyboardInterrupt
        void this.runtime.interrupt();
      },
      run: (line, write) => this.onShell(write, (callbacks) => this.runtime.shellRun(line, callbacks)),
      runArgv: (argv, write) => this.onShell(write, (callbacks) => this.runtime.shellRunArgv([...argv], callbacks)),
    };
  }

  /** One shell run: output to the terminal (stderr in red), the page busy meanwhile, refreshed after. */
  private async onShell(write: (text: string, stream: 'stdout' | 'stderr') => void, run: (callbacks: TerminalCallbacks) => Promise<number>): Promise<number> {
    this.busy = true;
    this.offer = null;
    let stderr = '';
    try {
      return await run(
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
          readLine: (request: LineRequest) => this.terminal.readPromptedLine(request),
        }),
      );
    } finally {
      this.busy = false;
      this.offer = missingImport(stderr);
      void this.refresh();
      this.bumpCommands();
    }
  }

  private async onRun(event: CustomEvent<{ path: string; code: string }>): Promise<void> {
    await this.save(event.detail.path, event.detail.code);
    // Absolute, so the file runs wherever the shell has `cd`-ed to (shown as `~/...`).
    const path = event.detail.path.startsWith('/') ? event.detail.path : `${this.home}/${event.detail.path}`;
    await this.runCommand(['python', path]);
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
    if (result.kind === 'error') this.terminal.print(`\x1b[31m${escapeTerminalText(result.message)}\x1b[0m`);
  }

  /** A `#env=` link: decoded and checked here; shown to the person; installed only on their yes. */
  private async openShareLink(url: string): Promise<void> {
    const decoded = await decodeShareLink(url);
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
    this.restore = await this.restoreOffer(decoded.kind === 'ok' ? decoded : { lock: null, warnings: [], refusal: decoded.reason }, 'share link');
  }

  /** The dialog's state: with the worker's word on what lands where, or why it cannot be restored here. */
  private async restoreOffer(
    offer: { lock: EnvironmentLock | null; warnings: readonly { readonly message: string }[]; refusal?: string | null },
    source: string,
  ): Promise<NonNullable<PipetteApp['restore']>> {
    const preview = offer.lock ? await this.runtime.previewShared(offer.lock) : null;
    return { lock: offer.lock, warnings: offer.warnings, refusal: offer.refusal ?? null, source, preview };
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
        ...result.built.map((n) => `${n} is not in the link: it was built from source in this tab (your project's files travel; install it with pip install -e . there).`),
        ...result.skippedFiles.map((p) => `${p} is not in the link: not a text file, or over 256 kB.`),
        ...result.leftOut.map(({ path, reason }) => `${path} is left out of the link: ${reason}.`),
      ];
      const copied = navigator.clipboard
        ? await navigator.clipboard.writeText(link).then(
            () => true,
            () => false,
          )
        : false;
      this.shared = { link, notes, copied };
    } catch (e) {
      this.shared = { link: '', notes: [e instanceof Error ? e.message : String(e)], copied: false };
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
      this.restore = await this.restoreOffer(result.kind === 'ok' ? result : { lock: null, warnings: [], refusal: result.reason }, file.name);
      return;
    }
    // The file's name is the stranger's: it is saved under that name and handed to pip as one
    // argument (argv), never pasted into a command line.
    const saved = await this.runtime.writeFile(file.name, file.text);
    if (saved.kind === 'error') this.terminal.print(`\x1b[31m${escapeTerminalText(saved.message)}\x1b[0m`);
    else await this.runCommand(['pip', 'install', '-r', saved.path]);
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
        <span part="activity" aria-live="polite" title=${this.activity ?? ''}>${this.activity ?? ''}</span>
        <span part="index" title=${`The package index pip uses: ${this.config.indexUrl ?? 'https://pypi.org/simple/'}`}>index: ${this.config.indexUrl ?? 'https://pypi.org/simple/'}</span>
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
            ${this.shared.link
              ? this.shared.copied
                ? html`<span part="copied">Link copied</span>`
                : html`<span class="note">The browser did not let the page copy it: select the link and copy it yourself.</span>`
              : ''}
            ${this.shared.notes.map((n) => html`<span class="note">${n}</span>`)}
            <button class="dismiss" @click=${() => (this.shared = null)}>Close</button>
          </div>`
        : ''}
      ${this.restore
        ? html`<pipette-restore-dialog
            .lock=${this.restore.lock}
            .warnings=${this.restore.warnings}
            .refusal=${this.restore.refusal}
            .preview=${this.restore.preview}
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
              <button @click=${() => void this.runCommand(['pip', 'install', this.offer!.distribution])}>pip install ${this.offer.distribution}</button>
              <button class="dismiss" @click=${() => (this.offer = null)}>Dismiss</button>
            </div>`
          : html`<div></div>`}
        <pipette-terminal part="terminal"></pipette-terminal>
      </main>
      <pipette-machinery
        .tab=${this.tab}
        .environment=${this.environment}
        .disk=${this.disk}
        .versions=${this.versions}
        .project=${this.project}
        .specMessage=${this.specMessage}
        @pipette-tab=${(e: CustomEvent<{ tab: MachineryTab }>) => {
          this.tab = e.detail.tab;
          saveUiState(this.storage, { tab: this.tab });
          if (this.tab === 'packages' || this.tab === 'graph') void this.addIndexFacts();
        }}
      ></pipette-machinery>
      </div>
    `;
  }
}

function relativeTo(home: string, path: string): string {
  return path.startsWith(`${home}/`) ? path.slice(home.length + 1) : path;
}
