import { proxy, type LockFormat, type OutputChunk, type RestoreOffer, type RuntimeFailure, type SharedPreview, type ShareLock } from '../../runtime';
import { DismissEvent, RestoreEvent } from '../events';
import { listenOnHost, printFailure, type AppHost } from './app-host';
import { downloadText, pickTextFile } from './downloads';
import { FilesController } from './files-controller';
import type { RuntimeController } from './runtime-controller';
import type { TerminalController } from './terminal-controller';

/** A shared environment waiting for the person's yes (or the reason it was refused). */
export interface RestoreState {
  readonly lock: ShareLock | null;
  readonly warnings: readonly { readonly message: string }[];
  readonly refusal: string | null;
  readonly source: string;
  readonly preview: SharedPreview | null;
}

/**
 * The environment in and out of the tab: the Share button's link, pylock.toml and
 * requirements.txt downloads, Import…, and a `#env=` link opened with the page. The worker
 * encodes, decodes and checks; the page shows what it answers and installs only on the person's yes.
 */
export class ShareController {
  restore: RestoreState | null = null;
  /** The link the Share button made, with notes on what could not travel. */
  shared: { link: string; notes: readonly string[]; copied: boolean } | null = null;

  constructor(
    private readonly host: AppHost,
    private readonly runtime: RuntimeController,
    private readonly terminal: TerminalController,
    private readonly files: FilesController,
    private readonly refresh: () => Promise<void>,
  ) {
    // The restore dialog's answer.
    listenOnHost(host, { [RestoreEvent.eventName]: this.onRestore, [DismissEvent.eventName]: this.onDismiss });
  }

  private readonly onRestore = (): void => void this.acceptRestore();
  private readonly onDismiss = (): void => this.dismissRestore();

  /** A `#env=` link: decoded and checked by the worker; shown to the person; installed only on their yes. */
  async openShareLink(url: string): Promise<void> {
    const answer = await (await this.runtime.ready).openShareLink(url);
    if (answer.kind === 'none') return;
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
    this.show(answer, 'share link');
  }

  async share(): Promise<void> {
    const answer = await (await this.runtime.ready).shareLink(`${window.location.origin}${window.location.pathname}`);
    if (answer.kind === 'error') {
      this.shared = { link: '', notes: [answer.message], copied: false };
    } else {
      const copied = navigator.clipboard
        ? await navigator.clipboard.writeText(answer.link).then(
            () => true,
            () => false,
          )
        : false;
      this.shared = { link: answer.link, notes: answer.notes, copied };
    }
    this.host.requestUpdate();
  }

  async exportLock(format: LockFormat): Promise<void> {
    const file = await (await this.runtime.ready).exportLock(format);
    if (file.kind === 'error') printFailure(this.host.terminal, file.message);
    else downloadText(file.name, file.text, file.type);
  }

  /** pylock.toml: shown like a share link, then installed exactly; requirements.txt: saved, then `pip install -r`. */
  async importLock(): Promise<void> {
    const file = await pickTextFile('.toml,.txt,.in');
    if (!file) return;
    const answer = await (await this.runtime.ready).importLock(file.name, file.text);
    if (answer.kind === 'saved') await this.terminal.runCommand(['pip', 'install', '-r', answer.path]);
    else if (answer.kind === 'error' && answer.code !== 'refused') printFailure(this.host.terminal, answer.message);
    else this.show(answer, file.name);
  }

  async acceptRestore(): Promise<void> {
    const lock = this.restore?.lock;
    this.dismissRestore();
    if (!lock) return;
    const api = await this.runtime.ready;
    this.host.showTerminal();
    await this.host.terminal.runTask(`restoring the shared environment (${lock.distributions.length} packages)`, (write) =>
      api.restoreShared(lock, proxy((chunk: OutputChunk) => write(chunk.stream === 'stderr' ? `\x1b[31m${chunk.text}\x1b[0m` : chunk.text))),
    );
    if (FilesController.touchesMainFile(lock.files)) await this.files.openMainFile();
    await this.refresh();
    this.terminal.bumpCommands();
  }

  dismissRestore(): void {
    this.restore = null;
    this.host.requestUpdate();
  }

  dismissShared(): void {
    this.shared = null;
    this.host.requestUpdate();
  }

  /** The dialog's state: the worker's offer (with its word on what lands where), or why it cannot be restored here. */
  private show(answer: RestoreOffer | RuntimeFailure, source: string): void {
    this.restore =
      answer.kind === 'offer'
        ? { lock: answer.lock, warnings: answer.warnings, refusal: null, source, preview: answer.preview }
        : { lock: null, warnings: [], refusal: answer.message, source, preview: null };
    this.host.requestUpdate();
  }
}
