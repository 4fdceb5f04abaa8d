/** The editor's text changed (each edit; the listener debounces the save). */
export interface CodeChangeDetail {
  /** The file's path as the editor names it (relative to the home directory, or absolute). */
  path: string;
  code: string;
}

export class CodeChangeEvent extends CustomEvent<CodeChangeDetail> {
  static readonly eventName = 'pipette-change';

  constructor(path: string, code: string) {
    super(CodeChangeEvent.eventName, { detail: { path, code }, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'pipette-change': CodeChangeEvent;
  }
}
