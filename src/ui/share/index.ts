import { PipetteRestoreDialog } from './pipette-restore-dialog';

customElements.define('pipette-restore-dialog', PipetteRestoreDialog);

declare global {
  interface HTMLElementTagNameMap {
    'pipette-restore-dialog': PipetteRestoreDialog;
  }
}

export { PipetteRestoreDialog };
