import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { bestPlatform, InvalidTag, parseTag, pyodidePlatforms, supportedTags, tagToString, type PyodideLockInfo } from '../../../src/pep/tags';

const require = createRequire(import.meta.url);
const lockInfo = (JSON.parse(readFileSync(require.resolve('pyodide/pyodide-lock.json'), 'utf8')) as { info: PyodideLockInfo }).info;

describe('parseTag', () => {
  it('parses a single tag', () => {
    expect(parseTag('py3-none-any')).toEqual([{ interpreter: 'py3', abi: 'none', platform: 'any' }]);
  });

  it('expands a compressed tag set to every combination', () => {
    expect(parseTag('py2.py3-none-any').map(tagToString)).toEqual(['py2-none-any', 'py3-none-any']);
    expect(parseTag('cp312.cp313-abi3.none-linux_x86_64.macosx_11_0_arm64').map(tagToString)).toEqual([
      'cp312-abi3-linux_x86_64',
      'cp312-abi3-macosx_11_0_arm64',
      'cp312-none-linux_x86_64',
      'cp312-none-macosx_11_0_arm64',
      'cp313-abi3-linux_x86_64',
      'cp313-abi3-macosx_11_0_arm64',
      'cp313-none-linux_x86_64',
      'cp313-none-macosx_11_0_arm64',
    ]);
  });

  it('lower-cases components and drops duplicates, as packaging Tag does', () => {
    expect(parseTag('PY3.py3-NONE-Any').map(tagToString)).toEqual(['py3-none-any']);
  });

  it.each([
    ['py3--any', /empty component: ''/],
    ['py3.-none-any', /empty component: 'py3\.'/],
    ['py3-none-', /empty component/],
    ['py3-none', /exactly three components/],
    ['py3-none-any-x', /exactly three components/],
    ['2.7-none-any', /invalid interpreter: '2'/],
  ])('rejects %j', (input, message) => {
    expect(() => parseTag(input)).toThrow(InvalidTag);
    expect(() => parseTag(input)).toThrow(message);
  });

  it('renders a caret under the faulty component', () => {
    try {
      parseTag('py3.-none-any');
      expect.unreachable();
    } catch (e) {
      expect((e as InvalidTag).message).toBe("Tag 'py3.-none-any' has an empty component: 'py3.'\n    py3.-none-any\n    ^^^^");
    }
  });
});

describe('supportedTags', () => {
  it('reads the platforms from the lock info', () => {
    expect(pyodidePlatforms(lockInfo)).toEqual([
      `pyemscripten_${lockInfo.abi_version}_wasm32`,
      `pyodide_${lockInfo.abi_version}_wasm32`,
      `${lockInfo.platform}_wasm32`,
    ]);
  });

  it('names the best platform: the one of the best tag, PEP 783 spelling first', () => {
    expect(bestPlatform(lockInfo)).toBe(`pyemscripten_${lockInfo.abi_version}_wasm32`);
    expect(bestPlatform(lockInfo)).toBe(supportedTags(lockInfo)[0]!.split('-')[2]);
    expect(bestPlatform({ abi_version: '', platform: 'emscripten_4_0_9', python: '3.13.1' })).toBe('emscripten_4_0_9_wasm32');
  });

  it('computes a ranked list for a made-up Pyodide (3.13, abi 2025_0, emscripten 4.0.9)', () => {
    const tags = supportedTags({ abi_version: '2025_0', arch: 'wasm32', platform: 'emscripten_4_0_9', python: '3.13.1' });
    const P = ['pyemscripten_2025_0_wasm32', 'pyodide_2025_0_wasm32', 'emscripten_4_0_9_wasm32'];
    const expected = [
      ...P.map((p) => `cp313-cp313-${p}`),
      ...P.map((p) => `cp313-abi3-${p}`),
      ...P.map((p) => `cp313-none-${p}`),
      ...[12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2].flatMap((m) => P.map((p) => `cp3${m}-abi3-${p}`)),
      ...['py313', 'py3', ...Array.from({ length: 13 }, (_, i) => `py3${12 - i}`)].flatMap((py) => P.map((p) => `${py}-none-${p}`)),
      'cp313-none-any',
      'py313-none-any',
      'py3-none-any',
      ...Array.from({ length: 13 }, (_, i) => `py3${12 - i}-none-any`),
    ];
    expect(tags).toEqual(expected);
    expect(tags).toHaveLength(3 * (3 + 11) + 3 * 15 + 1 + 15);
    expect(tags.some((t) => t.includes('314'))).toBe(false);
    expect(new Set(tags).size).toBe(tags.length);
    // The older spelling always ranks right after the PEP 783 one.
    tags.forEach((t, i) => {
      if (t.endsWith('pyemscripten_2025_0_wasm32')) expect(tags[i + 1]).toBe(t.replace('pyemscripten_', 'pyodide_'));
    });
  });

  it('copes with an old lock without abi_version and a platform that already names the arch', () => {
    const tags = supportedTags({ abi_version: '', platform: 'emscripten_3_1_58_wasm32', python: '3.12.7' });
    expect(tags.slice(0, 3)).toEqual(['cp312-cp312-emscripten_3_1_58_wasm32', 'cp312-abi3-emscripten_3_1_58_wasm32', 'cp312-none-emscripten_3_1_58_wasm32']);
    expect(tags.some((t) => t.includes('pyodide_') || t.includes('pyemscripten_'))).toBe(false);
  });

  it('rejects an unreadable Python version', () => {
    expect(() => supportedTags({ ...lockInfo, python: 'three' })).toThrow(InvalidTag);
  });

  it('derives the real lock file list from the lock info (first and last entries)', () => {
    const [major, minor] = lockInfo.python.split('.');
    const tags = supportedTags(lockInfo);
    expect(tags[0]).toBe(`cp${major}${minor}-cp${major}${minor}-pyemscripten_${lockInfo.abi_version}_wasm32`);
    expect(tags.at(-1)).toBe(`py${major}0-none-any`);
  });
});
