/**
 * "Fetch this project's versions": the specifier lab asks when the person has typed a project
 * name (debounced); the page answers by setting the lab's `versions` and `project`.
 */
export interface SpecLabQueryDetail {
  /** The name as typed (trimmed); the page normalizes it (PEP 503) for the index. */
  project: string;
}

export class SpecLabQueryEvent extends CustomEvent<SpecLabQueryDetail> {
  static readonly eventName = 'pipette-spec-lab-query';

  constructor(project: string) {
    super(SpecLabQueryEvent.eventName, { detail: { project }, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'pipette-spec-lab-query': SpecLabQueryEvent;
  }
}
