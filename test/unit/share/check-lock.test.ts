import { describe, expect, it } from 'vitest';
import { checkLock, LockLimits, PYPI_INDEX, type LockCheck } from '../../../src/share';
import { sampleLock } from './sample-locks';

function reason(check: LockCheck): string {
  if (check.kind !== 'refused') throw new Error('expected a refusal');
  return `${check.code}: ${check.reason}`;
}

describe('checkLock', () => {
  it('returns a copy with the known fields in a fixed order', () => {
    const lock = sampleLock(3);
    const shuffled = { files: lock.files, distributions: lock.distributions, indexes: lock.indexes, platform: lock.platform, pyodide: lock.pyodide, python: lock.python, version: 1 };
    const check = checkLock(shuffled);
    expect(check.kind).toBe('ok');
    if (check.kind !== 'ok') return;
    expect(check.lock).toEqual(lock);
    expect(Object.keys(check.lock)).toEqual(['version', 'python', 'pyodide', 'platform', 'indexes', 'distributions', 'files']);
    expect(check.lock.distributions).not.toBe(lock.distributions);
  });

  it('bounds every count', () => {
    const lock = sampleLock(1);
    const indexes = Array.from({ length: LockLimits.indexes + 1 }, (_, i) => `https://i${i}.example/simple/`);
    expect(reason(checkLock({ ...lock, indexes }))).toBe('invalid: indexes has 17 entries (at most 16)');
    const files = Array.from({ length: LockLimits.files + 1 }, (_, i) => ({ path: `f${i}.py`, content: '' }));
    expect(reason(checkLock({ ...lock, files }))).toBe('invalid: files has 501 entries (at most 500)');
    const many = sampleLock(LockLimits.distributions + 1);
    expect(reason(checkLock(many))).toBe('invalid: distributions has 1001 entries (at most 1000)');
    expect(checkLock(sampleLock(LockLimits.distributions)).kind).toBe('ok');
    expect(reason(checkLock({ ...lock, files: [{ path: `${'a/'.repeat(600)}x`, content: '' }] }))).toBe('invalid: files[0].path is 1201 characters long (at most 1024)');
  });

  it('names the field at fault', () => {
    const lock = sampleLock(2);
    expect(reason(checkLock({ ...lock, indexes: [PYPI_INDEX, PYPI_INDEX] }))).toBe('invalid: indexes lists an index twice');
    expect(reason(checkLock({ ...lock, files: [{ path: 'a.py', content: '' }, { path: 'a.py', content: 'x' }] }))).toBe('invalid: files lists "a.py" twice');
    expect(reason(checkLock({ ...lock, indexes: ['/simple/'] }))).toBe('invalid: indexes[0] "/simple/" is not an absolute URL');
    expect(reason(checkLock({ ...lock, python: 3.14 }))).toBe('invalid: python must be a string, not 3.14');
    expect(reason(checkLock({ ...lock, version: 0 }))).toBe('invalid: version must be 1, not 0');
    expect(reason(checkLock({ ...lock, version: '1' }))).toBe('invalid: version must be 1, not "1"');
    expect(reason(checkLock({ ...lock, version: 2 }))).toBe('unsupported-version: it is lock format 2; this Pipette reads format 1');
    expect(reason(checkLock({ ...lock, distributions: {} }))).toBe('invalid: distributions must be a list, not an object');
    expect(reason(checkLock({ ...lock, files: [{ path: 'a\\b.py', content: '' }] }))).toContain('contains a backslash');
    expect(reason(checkLock({ ...lock, files: [{ path: 'a//b.py', content: '' }] }))).toContain("has an empty or '.' segment");
    expect(reason(checkLock({ ...lock, files: [{ path: './b.py', content: '' }] }))).toContain("has an empty or '.' segment");
    const d = lock.distributions[0]!;
    expect(reason(checkLock({ ...lock, distributions: [{ ...d, url: d.url!.replace(/[^/]+$/, 'requests-1.0.0.tar.gz') }] }))).toBe(
      'invalid: distributions[0] (requests).url does not name a wheel of requests 1.0.0 (its file is "requests-1.0.0.tar.gz"); Pipette installs wheels only, found by their file name',
    );
    expect(reason(checkLock({ ...lock, distributions: [{ ...d, url: 'javascript:alert(1)' }] }))).toContain('is a javascript: URL');
    expect(reason(checkLock({ ...lock, distributions: [{ ...d, index: 1 }] }))).toBe('invalid: distributions[0] (requests).index must be a string, not 1');
  });
});
