/** The person said yes to the shared environment the restore dialog shows: install it. */
export class RestoreEvent extends CustomEvent<null> {
  static readonly eventName = 'pipette-restore';

  constructor() {
    super(RestoreEvent.eventName, { detail: null, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'pipette-restore': RestoreEvent;
  }
}
