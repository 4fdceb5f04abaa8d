/** A line at the terminal's prompt (or a task the page ran there) has ended. */
export interface CommandEndDetail {
  /** The line as typed, or `# LABEL` for a task. */
  line: string;
  exitCode: number;
}

export class CommandEndEvent extends CustomEvent<CommandEndDetail> {
  static readonly eventName = 'pipette-command';

  constructor(line: string, exitCode: number) {
    super(CommandEndEvent.eventName, { detail: { line, exitCode }, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'pipette-command': CommandEndEvent;
  }
}
