/** "Run this file" (the editor's Run button, Ctrl+Enter): saved first, then `python PATH` in the terminal. */
export interface RunFileDetail {
  /** The file's path as the editor names it (relative to the home directory, or absolute). */
  path: string;
  code: string;
}

export class RunFileEvent extends CustomEvent<RunFileDetail> {
  static readonly eventName = 'pipette-run';

  constructor(path: string, code: string) {
    super(RunFileEvent.eventName, { detail: { path, code }, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'pipette-run': RunFileEvent;
  }
}
