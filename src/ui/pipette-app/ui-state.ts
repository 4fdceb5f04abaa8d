/**
 * What the page remembers about itself across reloads, beside the workspace the worker keeps
 * (files, environments): the file open in the editor, the machinery tab shown, and the lines
 * typed at the terminal's prompt (its history, as bash keeps ~/.bash_history). Kept in the
 * page's localStorage under one versioned key; what is read back is checked field by field, and
 * a storage that refuses (private browsing, quota) only means nothing is remembered.
 */
export interface UiState {
  /** The absolute path of the file open in the editor. */
  readonly file: string | null;
  /** The machinery tab shown (`packages`, `graph`, ...). */
  readonly tab: string | null;
  /** Lines entered at the shell's prompt, oldest first. */
  readonly history: readonly string[];
}

const KEY = 'pipette-ui-v1';
/** What is kept of the history (bash's HISTFILESIZE default). */
const HISTORY_LIMIT = 500;
const EMPTY: UiState = { file: null, tab: null, history: [] };

/** The page's localStorage, or null where it cannot be used. */
export function pageStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // a sandboxed frame or a blocked storage throws on access
  }
}

export function loadUiState(storage: Storage | null): UiState {
  let raw: unknown;
  try {
    raw = JSON.parse(storage?.getItem(KEY) ?? 'null');
  } catch {
    return EMPTY;
  }
  if (typeof raw !== 'object' || raw === null) return EMPTY;
  const v = raw as Record<string, unknown>;
  const text = (x: unknown): string | null => (typeof x === 'string' && x.length > 0 && x.length < 4096 ? x : null);
  const history = Array.isArray(v['history']) ? v['history'].filter((l): l is string => typeof l === 'string' && l.length < 64 * 1024).slice(-HISTORY_LIMIT) : [];
  return { file: text(v['file']), tab: text(v['tab']), history };
}

/** Saves `patch` over what is kept; false when the storage refused. */
export function saveUiState(storage: Storage | null, patch: Partial<UiState>): boolean {
  if (!storage) return false;
  const next = { ...loadUiState(storage), ...patch };
  try {
    storage.setItem(KEY, JSON.stringify({ ...next, history: next.history.slice(-HISTORY_LIMIT) }));
    return true;
  } catch {
    return false;
  }
}
