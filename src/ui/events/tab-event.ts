/** The person switched the machinery's tab (`packages`, `graph`, `disk`, `spec-lab`). */
export interface TabDetail {
  tab: string;
}

export class TabEvent<Tab extends string = string> extends CustomEvent<TabDetail & { tab: Tab }> {
  static readonly eventName = 'pipette-tab';

  constructor(tab: Tab) {
    super(TabEvent.eventName, { detail: { tab }, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'pipette-tab': TabEvent;
  }
}
