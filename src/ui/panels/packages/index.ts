import { PipettePackages } from './pipette-packages';

customElements.define('pipette-packages', PipettePackages);

declare global {
  interface HTMLElementTagNameMap {
    'pipette-packages': PipettePackages;
  }
}

export { PipettePackages };
export { matchesFilter, safeLink, updateAvailable } from './update';
