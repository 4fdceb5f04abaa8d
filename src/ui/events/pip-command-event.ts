/**
 * "Run this pip command in the terminal": a panel asks, the page runs it where the person can
 * see it (the command is echoed at the prompt, so clicking teaches the command line).
 *
 * Ex) the Uninstall button of `requests` -> `{ argv: ['uninstall', '-y', 'requests'] }`.
 */
export interface PipCommandDetail {
  /** pip's arguments, without `pip` itself. */
  argv: string[];
}

export class PipCommandEvent extends CustomEvent<PipCommandDetail> {
  static readonly eventName = 'pipette-pip-command';

  constructor(argv: readonly string[]) {
    super(PipCommandEvent.eventName, { detail: { argv: [...argv] }, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'pipette-pip-command': PipCommandEvent;
  }
}
