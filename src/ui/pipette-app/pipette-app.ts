import { LitElement, html, css, type PropertyValues } from 'lit';
import { startRuntime, proxy, type InterpreterInfo, type BootProgress, type OutputChunk, type RuntimeConfig } from '../../runtime';
import { parseCommandLine, HELP_TEXT } from '../../shell';

type Line = { readonly kind: 'input' | 'stdout' | 'stderr' | 'info'; readonly text: string };

/** Page settings from the URL: `?index-url=` points pip at a classroom or local index. */
export function configFromLocation(location: Location): RuntimeConfig {
  const params = new URLSearchParams(location.search);
  return { indexUrl: params.get('index-url'), pyodidePackagesUrl: params.get('pyodide-packages-url') };
}

/**
 * The playground shell: boots the runtime worker, shows boot progress, the interpreter's
 * version and the index in use, and runs pip and Python typed at its prompt.
 *
 * Parts: `status` (boot status line), `index` (the package index pip uses), `output` (the
 * transcript), `prompt` (the input line).
 */
export class PipetteApp extends LitElement {
  static override styles = css`
    :host { display: flex; flex-direction: column; height: 100%; font-family: ui-monospace, Menlo, Consolas, monospace; }
    header { display: flex; gap: 1rem; align-items: baseline; padding: 0.6rem 1rem; background: #1a2029; border-bottom: 1px solid #2d3640; flex-wrap: wrap; }
    h1 { font: 600 1.1rem system-ui, sans-serif; margin: 0; color: #ffd43b; }
    [part='status'] { color: #8fa1b3; font-size: 0.9rem; }
    [part='status'][data-ready] { color: #a6cc70; }
    [part='index'] { color: #8fa1b3; font-size: 0.85rem; margin-left: auto; }
    [part='output'] { flex: 1; overflow: auto; margin: 0; padding: 0.75rem 1rem; white-space: pre-wrap; }
    .input { color: #e6e1cf; } .stderr { color: #f07178; } .info { color: #8fa1b3; }
    form { display: flex; gap: 0.5rem; padding: 0.5rem 1rem; border-top: 1px solid #2d3640; }
    label { color: #ffd43b; }
    input { flex: 1; background: transparent; color: inherit; border: none; font: inherit; outline: none; }
  `;

  static override properties = {
    info: { state: true },
    progress: { state: true },
    lines: { state: true },
    busy: { state: true },
  };

  declare info: InterpreterInfo | null;
  declare progress: BootProgress | null;
  declare lines: readonly Line[];
  declare busy: boolean;
  private readonly runtime = startRuntime();
  private readonly config = configFromLocation(window.location);

  constructor() {
    super();
    this.info = null;
    this.progress = null;
    this.lines = [];
    this.busy = false;
  }

  protected override firstUpdated(_changed: PropertyValues): void {
    void this.boot();
  }

  protected override updated(): void {
    const output = this.renderRoot.querySelector('[part="output"]');
    if (output) output.scrollTop = output.scrollHeight;
  }

  private async boot(): Promise<void> {
    try {
      this.info = await this.runtime.boot(this.config, proxy((p: BootProgress) => (this.progress = p)));
      this.print('info', `Python ${this.info.pythonVersion} (Pyodide ${this.info.pyodideVersion}) on ${this.info.markerEnvironment['sys_platform']}. Type help for the commands.`);
    } catch (e) {
      this.print('stderr', `Python failed to start: ${e instanceof Error ? e.message : String(e)}. Reload the page to try again.`);
    }
  }

  private print(kind: Line['kind'], text: string): void {
    if (text) this.lines = [...this.lines, { kind, text: text.replace(/\n$/, '') }];
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const input = this.renderRoot.querySelector('input');
    if (!input || this.busy) return;
    const line = input.value;
    input.value = '';
    this.print('input', `$ ${line}`);
    this.busy = true;
    try {
      await this.execute(line);
    } finally {
      this.busy = false;
      await this.updateComplete;
      input.focus();
    }
  }

  private async execute(line: string): Promise<void> {
    const command = parseCommandLine(line);
    switch (command.kind) {
      case 'empty':
        return;
      case 'clear':
        this.lines = [];
        return;
      case 'help':
        this.print('info', HELP_TEXT);
        return;
      case 'error':
        this.print('stderr', command.message);
        return;
      case 'pip':
        await this.runtime.pip(command.argv, proxy((chunk: OutputChunk) => this.print(chunk.stream, chunk.text)));
        return;
      case 'python': {
        const result = await this.runtime.runPython(command.code);
        this.print('stdout', result.stdout);
        this.print('stderr', result.stderr);
        if (result.kind === 'ok' && result.value !== null && result.value !== 'None') this.print('stdout', result.value);
        if (result.kind === 'error') this.print('stderr', result.message);
      }
    }
  }

  private statusText(): string {
    if (this.info) return `Python ${this.info.pythonVersion} ready (${Math.round(this.progress?.elapsedMs ?? 0)} ms)`;
    return 'Starting Python…';
  }

  protected override render() {
    return html`
      <header>
        <h1>Pipette</h1>
        <span part="status" role="status" ?data-ready=${this.info !== null}>${this.statusText()}</span>
        <span part="index" title="The package index pip uses">index: ${this.config.indexUrl ?? 'https://pypi.org/simple/'}</span>
      </header>
      <pre part="output" aria-live="polite">${this.lines.map((l) => html`<div class=${l.kind}>${l.text}</div>`)}</pre>
      <form part="prompt" @submit=${this.onSubmit}>
        <label for="command">$</label>
        <input id="command" autocomplete="off" spellcheck="false" aria-label="Command line" ?disabled=${this.info === null || this.busy} />
      </form>
    `;
  }
}
