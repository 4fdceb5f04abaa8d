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
} from '../../runtime';
import type { PipetteTerminal, TerminalBackend } from '../terminal';
import type { PipetteEditor } from '../editor';
import { missingDistribution } from '../editor';
import '../terminal';
import '../editor';

/** Page settings from the URL: `?index-url=` points pip at a classroom or local index. */
export function configFromLocation(location: Location): Pick<RuntimeConfig, 'indexUrl' | 'pyodidePackagesUrl'> {
  const params = new URLSearchParams(location.search);
  return { indexUrl: params.get('index-url'), pyodidePackagesUrl: params.get('pyodide-packages-url') };
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
    :host { display: grid; grid-template-rows: auto 1fr; height: 100%; font-family: system-ui, sans-serif; }
    header { display: flex; gap: 1rem; align-items: baseline; padding: 0.5rem 1rem; background: #1a2029; border-bottom: 1px solid #2d3640; flex-wrap: wrap; }
    h1 { font: 600 1.1rem system-ui, sans-serif; margin: 0; color: #ffd43b; }
    [part='status'] { color: #8fa1b3; font-size: 0.9rem; }
    [part='status'][data-ready] { color: #a6cc70; }
    [part='index'] { color: #8fa1b3; font-size: 0.85rem; margin-left: auto; font-family: ui-monospace, monospace; }
    main { display: grid; grid-template-rows: minmax(8rem, 2fr) auto minmax(10rem, 3fr); min-height: 0; }
    pipette-editor, pipette-terminal { min-height: 0; }
    [part='offer'] { display: flex; gap: 0.75rem; align-items: center; padding: 0.35rem 1rem; background: #2a2410; color: #ffd43b; font-size: 0.9rem; }
    [part='offer'] button { font: 600 0.85rem system-ui; background: #3572a5; color: #fff; border: 0; border-radius: 4px; padding: 0.25rem 0.7rem; cursor: pointer; }
    [part='offer'] .dismiss { background: transparent; color: #8fa1b3; }
  `;

  static override properties = {
    info: { state: true },
    progress: { state: true },
    offer: { state: true },
    busy: { state: true },
  };

  declare info: InterpreterInfo | null;
  declare progress: BootProgress | null;
  /** A distribution to offer after `ModuleNotFoundError`, or null. */
  declare offer: string | null;
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
        ...(this.interruptBuffer ? { interruptBuffer: this.interruptBuffer } : {}),
        ...(this.stdin ? { stdin: this.stdin } : {}),
      };
      this.info = await this.runtime.boot(config, proxy((p: BootProgress) => (this.progress = p)));
      terminal.print(`Python ${this.info.pythonVersion} (Pyodide ${this.info.pyodideVersion}) on ${this.info.markerEnvironment['sys_platform']}. Type help for the commands.`);
      for (const problem of this.progress?.restore?.problems ?? []) terminal.print(`\x1b[33mWARNING: ${problem}\x1b[0m`);
      await this.openMainFile();
      terminal.backend = this.backend();
      await terminal.showPrompt();
      terminal.focus();
    } catch (e) {
      terminal.print(`\x1b[31mPython failed to start: ${e instanceof Error ? e.message : String(e)}. Reload the page to try again.\x1b[0m`);
    }
  }

  private async openMainFile(): Promise<void> {
    const existing = await this.runtime.readFile(MAIN_FILE);
    const code = existing.kind === 'ok' ? new TextDecoder().decode(existing.data) : STARTER;
    if (existing.kind !== 'ok') await this.runtime.writeFile(MAIN_FILE, STARTER);
    this.editor.setCode(code, MAIN_FILE);
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
              askInput: () => {
                void this.terminal.readLine().then((typed) => this.stdin && answerInput(this.stdin, typed));
              },
            }),
          );
        } finally {
          this.busy = false;
          this.offer = missingDistribution(stderr);
          this.commands++;
          this.dataset['commands'] = String(this.commands);
        }
      },
    };
  }

  private async onRun(event: CustomEvent<{ path: string; code: string }>): Promise<void> {
    await this.save(event.detail.path, event.detail.code);
    await this.terminal.typeAndRun(`python ${event.detail.path}`);
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
        <span part="index" title="The package index pip uses">index: ${this.config.indexUrl ?? 'https://pypi.org/simple/'}</span>
      </header>
      <main>
        <pipette-editor part="editor" ?busy=${this.busy || !this.info} @pipette-run=${this.onRun} @pipette-change=${this.onChange}></pipette-editor>
        ${this.offer
          ? html`<div part="offer" role="alert">
              <span>No module named that here. Install it?</span>
              <button @click=${() => void this.terminal.typeAndRun(`pip install ${this.offer}`)}>pip install ${this.offer}</button>
              <button class="dismiss" @click=${() => (this.offer = null)}>Dismiss</button>
            </div>`
          : html`<div></div>`}
        <pipette-terminal part="terminal"></pipette-terminal>
      </main>
    `;
  }
}
