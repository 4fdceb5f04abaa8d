/**
 * The plain data the panels draw. The runtime worker produces them (they cross Comlink as
 * structured clones: plain values, no classes, no functions), so their shapes are the runtime's
 * own (src/runtime/machinery.ts), not a copy that could drift.
 */
export type { DistributionView, EnvironmentView, DiskEntry, VersionRow } from '../../runtime';

/** An entry of the home folder, for the files list (a virtual environment's folder is marked `environment`). */
export type { HomeEntry as FileEntry } from '../../runtime';
