import { expect, test } from 'vitest';
import { loadUiState, saveUiState } from '../../../src/ui/pipette-app/ui-state';

/** A Storage with only the calls ui-state makes; `refuse` makes setItem throw as a full or blocked one does. */
function memoryStorage(refuse = false): Storage {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (refuse) throw new DOMException('full', 'QuotaExceededError');
      items.set(k, v);
    },
    removeItem: (k: string) => void items.delete(k),
    clear: () => items.clear(),
    key: () => null,
    get length() {
      return items.size;
    },
  };
}

test('the open file, the tab and the history come back as saved, patch by patch', () => {
  const storage = memoryStorage();
  expect(loadUiState(storage)).toEqual({ file: null, tab: null, history: [] });
  expect(saveUiState(storage, { file: '/home/pyodide/app.py' })).toBe(true);
  saveUiState(storage, { tab: 'disk' });
  saveUiState(storage, { history: ['pip install requests', 'python'] });
  expect(loadUiState(storage)).toEqual({ file: '/home/pyodide/app.py', tab: 'disk', history: ['pip install requests', 'python'] });
});

test('what is read back is checked: wrong types and junk are dropped; a refusing or missing storage keeps nothing', () => {
  const storage = memoryStorage();
  storage.setItem('pipette-ui-v1', JSON.stringify({ file: 42, tab: '', history: ['ok', 7, null, 'fine'] }));
  expect(loadUiState(storage)).toEqual({ file: null, tab: null, history: ['ok', 'fine'] });
  storage.setItem('pipette-ui-v1', '{not json');
  expect(loadUiState(storage)).toEqual({ file: null, tab: null, history: [] });
  expect(saveUiState(memoryStorage(true), { file: '/x' })).toBe(false);
  expect(saveUiState(null, { file: '/x' })).toBe(false);
  expect(loadUiState(null)).toEqual({ file: null, tab: null, history: [] });
  // The history keeps its last 500 lines.
  saveUiState(storage, { history: Array.from({ length: 600 }, (_, i) => `echo ${i}`) });
  const history = loadUiState(storage).history;
  expect(history).toHaveLength(500);
  expect(history[0]).toBe('echo 100');
});
