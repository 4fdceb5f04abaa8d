// The typed events the UI's components dispatch (one per file); all bubble and are composed.
export { PipCommandEvent, type PipCommandDetail } from './pip-command-event';
export { OpenFileEvent, type OpenFileDetail } from './open-file-event';
export { FileAction, FileActionEvent, type FileActionDetail } from './file-action-event';
export { SpecLabQueryEvent, type SpecLabQueryDetail } from './spec-lab-query-event';
export { SpecLabClassifyEvent, type SpecLabClassifyDetail } from './spec-lab-classify-event';
export { RunFileEvent, type RunFileDetail } from './run-file-event';
export { CodeChangeEvent, type CodeChangeDetail } from './code-change-event';
export { CommandEndEvent, type CommandEndDetail } from './command-end-event';
export { TabEvent, type TabDetail } from './tab-event';
export { RestoreEvent } from './restore-event';
export { DismissEvent } from './dismiss-event';
