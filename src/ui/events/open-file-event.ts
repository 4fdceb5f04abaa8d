/** "Open this file in the editor" (a click in the files list). */
export interface OpenFileDetail {
  /** Absolute path. */
  path: string;
}

export class OpenFileEvent extends CustomEvent<OpenFileDetail> {
  static readonly eventName = 'pipette-open-file';

  constructor(path: string) {
    super(OpenFileEvent.eventName, { detail: { path }, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'pipette-open-file': OpenFileEvent;
  }
}
