import { PipetteSpecLab } from './pipette-spec-lab';

customElements.define('pipette-spec-lab', PipetteSpecLab);

declare global {
  interface HTMLElementTagNameMap {
    'pipette-spec-lab': PipetteSpecLab;
  }
}

export { PipetteSpecLab };
export { explainPrereleases } from './explain';
