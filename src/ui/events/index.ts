// The typed events the UI's components dispatch (one per file); all bubble and are composed.
export { PipCommandEvent, type PipCommandDetail } from './pip-command-event';
export { OpenFileEvent, type OpenFileDetail } from './open-file-event';
export { FileAction, FileActionEvent, type FileActionDetail } from './file-action-event';
export { SpecLabQueryEvent, type SpecLabQueryDetail } from './spec-lab-query-event';
export { SpecLabClassifyEvent, type SpecLabClassifyDetail } from './spec-lab-classify-event';
