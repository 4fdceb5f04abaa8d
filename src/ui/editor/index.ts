import { PipetteEditor } from './pipette-editor';

customElements.define('pipette-editor', PipetteEditor);

declare global {
  interface HTMLElementTagNameMap {
    'pipette-editor': PipetteEditor;
  }
}

export { PipetteEditor };
export { missingDistribution, missingImport } from './missing-import';
