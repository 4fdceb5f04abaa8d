export { PipetteApp } from './pipette-app';
