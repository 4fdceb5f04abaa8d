import { PipetteFiles } from './pipette-files';

customElements.define('pipette-files', PipetteFiles);

declare global {
  interface HTMLElementTagNameMap {
    'pipette-files': PipetteFiles;
  }
}

export { PipetteFiles };
export { checkName, fileRows, relativeName, type FileRow, type NameCheck } from './file-list';
