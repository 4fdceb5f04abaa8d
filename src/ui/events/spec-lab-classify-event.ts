import type { SpecLabResult } from '../../runtime';

/**
 * "What does pip do with these versions?": the specifier lab asks whenever its project,
 * specifier or `--pre` box changes; the page answers with `respondWith(runtime.classifyVersions(...))`,
 * so the worker decides with the resolver's own policies and the lab only draws the answer
 * (as a service worker's FetchEvent is answered). Nobody answering leaves the lab's list
 * uncoloured.
 */
export interface SpecLabClassifyDetail {
  /** The project whose versions the lab shows ('' before one was asked for). */
  project: string;
  /** The specifier box's text, unparsed (the answer carries a parse error). */
  specifier: string;
  /** pip's `--pre`. */
  pre: boolean;
}

export class SpecLabClassifyEvent extends CustomEvent<SpecLabClassifyDetail> {
  static readonly eventName = 'pipette-spec-lab-classify';
  private answer: Promise<SpecLabResult> | null = null;

  constructor(detail: SpecLabClassifyDetail) {
    super(SpecLabClassifyEvent.eventName, { detail, bubbles: true, composed: true });
  }

  /** The page's answer (the first one counts); bound, so it may be passed on as it is. */
  readonly respondWith = (answer: Promise<SpecLabResult>): void => {
    this.answer ??= answer;
  };

  /** What the page answered, once the event was dispatched; null when nobody did. */
  get response(): Promise<SpecLabResult> | null {
    return this.answer;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'pipette-spec-lab-classify': SpecLabClassifyEvent;
  }
}
