import { PipetteSpecLab } from './pipette-spec-lab';

customElements.define('pipette-spec-lab', PipetteSpecLab);

declare global {
  interface HTMLElementTagNameMap {
    'pipette-spec-lab': PipetteSpecLab;
  }
}

export { PipetteSpecLab };
export { classifyVersions, explainPrereleases, PrereleasePolicy, spellCompatible, Verdict, type ClassifiedVersion, type SpecLabResult, type SpelledSpecifier } from './classify';
