/**
 * "Create, rename, delete or save this file": the files list asks (save = offer it to the
 * person's own disk, e.g. the wheels `pip download -d dist` wrote), the page does it in the worker's
 * filesystem and sends the new list back. The list has already checked the name (not empty, no
 * `..`, not taken), so a refusal here is the filesystem's.
 *
 * Ex) `{ action: 'rename', path: '/home/pyodide/main.py', newPath: '/home/pyodide/app.py' }`.
 */
export const FileAction = { create: 'create', rename: 'rename', delete: 'delete', save: 'save' } as const;
export type FileAction = (typeof FileAction)[keyof typeof FileAction];

export interface FileActionDetail {
  action: FileAction;
  path: string;
  /** The new path of a rename. */
  newPath?: string;
}

export class FileActionEvent extends CustomEvent<FileActionDetail> {
  static readonly eventName = 'pipette-file-action';

  constructor(detail: FileActionDetail) {
    super(FileActionEvent.eventName, { detail: { ...detail }, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'pipette-file-action': FileActionEvent;
  }
}
