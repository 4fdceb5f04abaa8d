import { answerInput, formatActivity, proxy, quoteArgv, type DownloadActivity, type LineRequest, type OutputChunk, type Remote, type RuntimeApi, type TerminalCallbacks } from '../../runtime';
import { missingImport } from '../editor';
import { PipCommandEvent } from '../events';
import type { TerminalBackend } from '../terminal';
import { HOME, listenOnHost, type AppHost } from './app-host';
import type { RuntimeController } from './runtime-controller';

/**
 * The terminal's backend: its lines go to the shell in the worker, their output comes back to
 * it (stderr in red), Ctrl+C reaches Python and pip; the page is busy meanwhile, shows the
 * downloads' progress, offers `pip install` after a missing import, and refreshes after.
 */
export class TerminalController {
  busy = false;
  /** What to offer after `ModuleNotFoundError` (the module and the distribution), or null. */
  offer: { module: string; distribution: string } | null = null;
  private activityText: string | null = null;
  /** Number of command lines finished; tests wait on it (`data-commands`). */
  private commands = 0;

  constructor(
    private readonly host: AppHost,
    private readonly runtime: RuntimeController,
    private readonly refresh: () => Promise<void>,
  ) {
    // A panel's pip command (Uninstall, Upgrade, ...) runs in the terminal, where the person sees it.
    listenOnHost(host, { [PipCommandEvent.eventName]: this.onPipCommand });
  }

  private readonly onPipCommand = (event: PipCommandEvent): void => void this.runCommand(['pip', ...event.detail.argv]);

  /** Downloads of the running command, as one line (the header's status), or null. */
  get activity(): string | null {
    return this.activityText;
  }

  set activity(text: string | null) {
    this.activityText = text;
    this.host.requestUpdate();
  }

  /**
   * Runs a command the page builds (never pasting a name into shell text): `argv` goes to the
   * shell as it is, and the terminal shows the line that would run it, quoted by the shell's
   * own rules. Ex) a file `a; rm -rf ~.txt` -> `pip install -r ~/'a; rm -rf ~.txt'`, one argument.
   */
  runCommand(argv: readonly string[]): Promise<void> {
    this.host.showTerminal();
    return this.host.terminal.runCommand(argv, quoteArgv(argv, { home: HOME }));
  }

  /** The terminal's line goes to the shell in the worker; Ctrl+C reaches Python and pip. */
  backend(api: Remote<RuntimeApi>): TerminalBackend {
    return {
      prompt: () => api.shellPrompt(),
      complete: (line, cursor, kind) => (kind === 'python' ? api.pythonComplete(line, cursor) : api.shellComplete(line, cursor)),
      typing: (line) => void api.shellTyping(line),
      interrupt: () => {
        // SIGINT: KeyboardInterrupt. Through the relay where the page shares no memory with the worker.
        if (this.runtime.interruptBuffer) Atomics.store(this.runtime.interruptBuffer, 0, 2);
        else void this.runtime.relay?.signal(2);
        void api.interrupt();
      },
      run: (line, write) => this.onShell(write, (callbacks) => api.shellRun(line, callbacks)),
      runArgv: (argv, write) => this.onShell(write, (callbacks) => api.shellRunArgv([...argv], callbacks)),
    };
  }

  dismissOffer(): void {
    this.offer = null;
    this.host.requestUpdate();
  }

  /** A task the page runs in the terminal (a restore) counts as a command: tests wait on the count. */
  bumpCommands(): void {
    this.commands++;
    this.host.dataset['commands'] = String(this.commands);
  }

  /**
   * No Ctrl+C pending: stored at once in shared memory; through the relay, acknowledged by the
   * server before the line goes to the worker, so the worker cannot read the old one first.
   */
  private async noInterruptPending(): Promise<void> {
    if (this.runtime.interruptBuffer) Atomics.store(this.runtime.interruptBuffer, 0, 0);
    else await this.runtime.relay?.signal(0);
  }

  /** One shell run: output to the terminal (stderr in red), the page busy meanwhile, refreshed after. */
  private async onShell(write: (text: string, stream: 'stdout' | 'stderr') => void, run: (callbacks: TerminalCallbacks) => Promise<number>): Promise<number> {
    this.busy = true;
    this.offer = null;
    this.host.requestUpdate();
    let stderr = '';
    const terminal = this.host.terminal;
    // A Ctrl+C from before this line is not this line's; one pressed from now on is, even if the
    // worker has not started the line yet (it clears the buffer only once the line has ended).
    await this.noInterruptPending();
    try {
      return await run(
        proxy({
          output: (chunk: OutputChunk) => {
            if (chunk.stream === 'stderr') stderr += chunk.text;
            write(chunk.stream === 'stderr' ? `\x1b[31m${chunk.text}\x1b[0m` : chunk.text, chunk.stream);
          },
          clear: () => terminal.clearScreen(),
          activity: (a: DownloadActivity | null) => (this.activity = a ? formatActivity(a) : null),
          askInput: () => {
            void terminal.readLine().then((answer) => (this.runtime.stdin ? answerInput(this.runtime.stdin, answer) : this.runtime.relay?.answer(answer)));
          },
          readLine: async (request: LineRequest) => {
            const answer = await terminal.readPromptedLine(request);
            // The REPL's statement starts now: a Ctrl+C from before it (one that ended the last
            // statement, or one at this prompt) is not its; one pressed from here on is, even
            // before the worker has the line. Cleared here, in the tick of the Enter, because the
            // worker would clear it only when the line arrives, wiping a Ctrl+C pressed meanwhile.
            await this.noInterruptPending();
            return answer;
          },
        }),
      );
    } finally {
      this.busy = false;
      this.offer = missingImport(stderr);
      this.host.requestUpdate();
      void this.refresh();
      this.bumpCommands();
    }
  }
}
