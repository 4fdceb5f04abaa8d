import { PipetteDisk } from './pipette-disk';

customElements.define('pipette-disk', PipetteDisk);

declare global {
  interface HTMLElementTagNameMap {
    'pipette-disk': PipetteDisk;
  }
}

export { PipetteDisk };
export { buildDiskTree, formatSize, openByDefault, visibleRows, type DiskNode } from './tree';
