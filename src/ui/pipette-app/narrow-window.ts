import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The window width below which the page is laid out for a phone or a narrow split screen: the
 * workspace shows its columns one at a time under a tab bar (workspace-views.ts), and the
 * header keeps only Share in its row, the other actions and the index going into its "More"
 * menu. One query for both, so the header and the workspace change together. 60rem = 960 px at the default font size: the whole
 * header (status, index, four buttons) needs about 900 px.
 */
export const NARROW_WINDOW = '(max-width: 60rem)';

/** Whether the window is narrow (NARROW_WINDOW), kept current: the host re-renders when it changes. */
export class NarrowWindowController implements ReactiveController {
  matches = false;
  private list: MediaQueryList | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.list = window.matchMedia(NARROW_WINDOW);
    this.matches = this.list.matches;
    this.list.addEventListener('change', this.onChange);
  }

  hostDisconnected(): void {
    this.list?.removeEventListener('change', this.onChange);
    this.list = null;
  }

  private readonly onChange = (event: MediaQueryListEvent): void => {
    this.matches = event.matches;
    this.host.requestUpdate();
  };
}
