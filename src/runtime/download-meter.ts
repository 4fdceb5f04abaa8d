/**
 * One progress line for the downloads of a running command, drawn at the bottom of the
 * terminal as pip draws its bars (only when output goes to the terminal, not a pipe or a file),
 * and the same figures as plain data for the page's status line.
 *
 * Ex) `Downloading 3 of 20 files ━━━━━━━━━━╸━━━━━━━━━ 1.2/2.4 MB`
 */
export interface DownloadActivity {
  readonly files: number;
  readonly done: number;
  readonly loaded: number;
  /** Sum of the known sizes; null while some are unknown. */
  readonly total: number | null;
}

const BAR = 20;

export class DownloadMeter {
  private readonly files = new Map<string, { loaded: number; total: number | null; done: boolean }>();
  private shown = false;
  private lastDraw = 0;
  /** After finish(): late events (prefetches still landing after a failed resolution) are ignored. */
  private finished = false;

  constructor(
    /** Writes to the terminal; null when output is not the terminal (no bar drawn). */
    private readonly write: ((text: string) => void) | null,
    private readonly report: (activity: DownloadActivity | null) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  update(event: { readonly filename: string; readonly loaded: number; readonly total: number | null; readonly done: boolean; readonly dropped?: boolean }): void {
    if (this.finished) return;
    // A download that stopped (cancelled by backtracking, or broken before a retry) counts no more.
    if (event.dropped) this.files.delete(event.filename);
    else this.files.set(event.filename, { loaded: event.loaded, total: event.total, done: event.done });
    // At most ~10 redraws a second: each crosses from the worker to the page.
    if (!event.done && this.now() - this.lastDraw < 100) return;
    this.lastDraw = this.now();
    const activity = this.activity();
    this.report(activity);
    if (this.write) {
      // Drawn with the terminal's line wrap off (DECAWM, `ESC[?7l`): on a terminal narrower than
      // the line (a phone: ~44 columns) it is cut at the edge, as pip's bars are, instead of
      // wrapping onto a row that the next `\r ESC[K` would not clear.
      this.write(`\r\x1b[K\x1b[?7l${formatActivity(activity)}\x1b[?7h`);
      this.shown = true;
    }
  }

  /** Clears the line before other output is written (so it never ends up in the middle of it). */
  clear(): void {
    if (this.shown && this.write) this.write('\r\x1b[K');
    this.shown = false;
  }

  /** The command ended: the line goes, the status line empties. */
  finish(): void {
    this.clear();
    this.report(null);
    this.finished = true;
  }

  activity(): DownloadActivity {
    let loaded = 0;
    let total: number | null = 0;
    let done = 0;
    for (const f of this.files.values()) {
      loaded += f.loaded;
      total = total === null || f.total === null ? null : total + f.total;
      if (f.done) done++;
    }
    return { files: this.files.size, done, loaded, total };
  }
}

export function formatActivity(a: DownloadActivity): string {
  const fraction = a.total ? Math.min(1, a.loaded / a.total) : a.files ? a.done / a.files : 0;
  const full = Math.floor(fraction * BAR);
  const bar = `${'━'.repeat(full)}${full < BAR ? '╸' : ''}${' '.repeat(Math.max(0, BAR - full - 1))}`;
  const size = a.total ? `${mb(a.loaded)}/${mb(a.total)} MB` : `${mb(a.loaded)} MB`;
  return `Downloading ${a.done} of ${a.files} file${a.files === 1 ? '' : 's'} ${bar} ${size}`;
}

function mb(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1);
}
