/**
 * Where the person's workspace is kept between page loads: the environments (each one's lock)
 * and the files of the home directory. Injected: IndexedDB in the browser (`IdbStore` on the
 * database `pipette-workspace-v1`), a MemoryStore or a folder (FsStore) in Node.
 *
 * The schema version is in the database name, as for the cache (idb-keyval's custom stores):
 * a new layout gets a new database. Layout of the keys:
 * - `state`: the environments, their locks, the active one (JSON; one key, so a reader never
 *   sees one environment's new lock beside another's old one);
 * - `file:<absolute path>`: a file of the home directory (its bytes);
 * - `dir:<absolute path>`: a directory of it (so empty directories come back too).
 * Each file is its own key, so saving after an edit writes only what changed.
 */
import { lockKey, parseLockRecord, type LockRecord } from '../install';

/** The same contract as src/index's CacheStore (atomic per key), so its stores serve here too. */
export interface WorkspaceStore {
  get(key: string): Promise<Uint8Array | undefined>;
  set(key: string, value: Uint8Array): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

export const WORKSPACE_SCHEMA_VERSION = 1;
export const WORKSPACE_DATABASE_NAME = `pipette-workspace-v${WORKSPACE_SCHEMA_VERSION}`;

export const STATE_KEY = 'state';
export const FILE_PREFIX = 'file:';
export const DIR_PREFIX = 'dir:';

/** How a virtual environment was created: enough to lay it out again (`python -m venv` options). */
export interface VenvOptions {
  readonly systemSitePackages: boolean;
  /** `--prompt`, or null for the directory's name. */
  readonly prompt: string | null;
  /** Write the `pip` launchers in bin/ (false with `--without-pip`). */
  readonly withPip: boolean;
  /** Write `.gitignore` (false with `--without-scm-ignore-files`). */
  readonly scmIgnoreFiles: boolean;
}

export interface StoredEnvironment {
  readonly kind: 'base' | 'venv';
  /** Absolute prefix; `/` for the base environment. */
  readonly prefix: string;
  /** For venvs: how to lay the directory out again when it is missing. */
  readonly options: VenvOptions | null;
  readonly lock: readonly LockRecord[];
  /**
   * The lock's distributions installed with `pip install --no-compile` (`name==version`): the
   * rebuild writes no bytecode for them, so their RECORD is again what it was. Absent: none.
   */
  readonly withoutBytecode?: readonly string[];
}

export interface WorkspaceState {
  readonly schema: typeof WORKSPACE_SCHEMA_VERSION;
  /** Prefix of the active virtual environment; null = the base environment. */
  readonly active: string | null;
  /** The base environment first, then the venvs in creation order. */
  readonly environments: readonly StoredEnvironment[];
  /** Shared libraries from Pyodide's lock (`/usr/lib`), shared by every environment. */
  readonly sharedLibraries: readonly LockRecord[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeState(state: WorkspaceState): Uint8Array {
  return encoder.encode(JSON.stringify(state));
}

/**
 * Reads a stored state, checking every field: entries that are not what they should be are
 * dropped and named in `problems` (the rest is restored), never trusted.
 */
export function decodeState(bytes: Uint8Array): { state: WorkspaceState | null; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes));
  } catch {
    return { state: null, problems: ['The saved workspace could not be read (not JSON); starting with an empty one.'] };
  }
  if (typeof raw !== 'object' || raw === null || (raw as { schema?: unknown }).schema !== WORKSPACE_SCHEMA_VERSION) {
    return { state: null, problems: ['The saved workspace has an unknown layout; starting with an empty one.'] };
  }
  const r = raw as Record<string, unknown>;
  const problems: string[] = [];
  const lockOf = (value: unknown, where: string): LockRecord[] => {
    const out: LockRecord[] = [];
    for (const entry of Array.isArray(value) ? value : []) {
      const parsed = parseLockRecord(entry);
      if (parsed) out.push(parsed);
      else problems.push(`A damaged lock entry of ${where} was dropped.`);
    }
    return out;
  };
  const environments: StoredEnvironment[] = [];
  for (const e of Array.isArray(r['environments']) ? (r['environments'] as unknown[]) : []) {
    if (typeof e !== 'object' || e === null) continue;
    const env = e as Record<string, unknown>;
    const kind = env['kind'];
    const prefix = env['prefix'];
    if ((kind !== 'base' && kind !== 'venv') || typeof prefix !== 'string' || !prefix.startsWith('/')) {
      problems.push('A damaged environment record was dropped.');
      continue;
    }
    const lock = lockOf(env['lock'], prefix);
    // Only keys of this lock's own records: anything else is dropped.
    const keys = new Set(lock.map((d) => lockKey(d.name, d.version)));
    const withoutBytecode = (Array.isArray(env['withoutBytecode']) ? (env['withoutBytecode'] as unknown[]) : []).filter((k): k is string => typeof k === 'string' && keys.has(k));
    environments.push({ kind, prefix, options: kind === 'venv' ? parseOptions(env['options']) : null, lock, ...(withoutBytecode.length > 0 ? { withoutBytecode } : {}) });
  }
  const active = typeof r['active'] === 'string' ? r['active'] : null;
  return {
    state: { schema: WORKSPACE_SCHEMA_VERSION, active, environments, sharedLibraries: lockOf(r['sharedLibraries'], 'the shared libraries') },
    problems,
  };
}

function parseOptions(value: unknown): VenvOptions {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return {
    systemSitePackages: v['systemSitePackages'] === true,
    prompt: typeof v['prompt'] === 'string' ? v['prompt'] : null,
    withPip: v['withPip'] !== false,
    scmIgnoreFiles: v['scmIgnoreFiles'] !== false,
  };
}
