import { PipetteApp } from './pipette-app';

customElements.define('pipette-app', PipetteApp);

declare global {
  interface HTMLElementTagNameMap {
    'pipette-app': PipetteApp;
  }
}

export { PipetteApp };
