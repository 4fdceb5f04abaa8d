/** The person closed the restore dialog (Cancel, Close): nothing is installed. */
export class DismissEvent extends CustomEvent<null> {
  static readonly eventName = 'pipette-dismiss';

  constructor() {
    super(DismissEvent.eventName, { detail: null, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'pipette-dismiss': DismissEvent;
  }
}
