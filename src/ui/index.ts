// The runtime worker first (start-runtime.ts), then the components.
import './start-runtime';
export { PipetteApp } from './pipette-app';
