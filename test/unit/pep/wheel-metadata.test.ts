/**
 * The one wheel-METADATA reader (pep/wheel-metadata.ts), pip's `wheel_dist_info_dir` rules on
 * member names: what the index (downloaded and range-read wheels) and the installer share.
 */
import { describe, expect, test } from 'vitest';
import { isDistInfoMetadata, locateWheelMetadata, normalizeName, wheelMetadataProblem } from '../../../src/pep';

const demo = normalizeName('demo');

describe('locateWheelMetadata', () => {
  test('the one .dist-info, its METADATA', () => {
    expect(locateWheelMetadata(['demo/__init__.py', 'Demo-1.0.dist-info/', 'Demo-1.0.dist-info/METADATA'], demo)).toEqual({ kind: 'found', distInfo: 'Demo-1.0.dist-info', path: 'Demo-1.0.dist-info/METADATA' });
  });

  test.each([
    [['demo/__init__.py'], { kind: 'no-dist-info' }, 'no .dist-info directory found'],
    [['b-1.0.dist-info/METADATA', 'demo-1.0.dist-info/METADATA', 'a.dist-info'], { kind: 'multiple', found: ['a.dist-info', 'b-1.0.dist-info', 'demo-1.0.dist-info'] }, 'multiple .dist-info directories found: a.dist-info, b-1.0.dist-info, demo-1.0.dist-info'],
    [['other-1.0.dist-info/METADATA'], { kind: 'misnamed', distInfo: 'other-1.0.dist-info', project: 'demo' }, 'the .dist-info directory other-1.0.dist-info does not start with demo'],
    [['demo-1.0.dist-info/RECORD', 'demo-1.0.dist-info/sub/METADATA'], { kind: 'no-metadata', distInfo: 'demo-1.0.dist-info', path: 'demo-1.0.dist-info/METADATA' }, 'demo-1.0.dist-info/METADATA is missing'],
  ] as const)('%j: %j', (names, location, problem) => {
    const got = locateWheelMetadata(names, demo);
    expect(got).toEqual(location);
    if (got.kind !== 'found') expect(wheelMetadataProblem(got)).toBe(problem);
  });

  test('no project: the name is not checked', () => {
    expect(locateWheelMetadata(['other-1.0.dist-info/METADATA'], null).kind).toBe('found');
  });

  test('isDistInfoMetadata: only a top-level .dist-info folder\'s METADATA', () => {
    expect(['a-1.dist-info/METADATA', 'x/a-1.dist-info/METADATA', 'a-1.dist-info/METADATA.bak', 'a-1.dist-info/sub/METADATA'].map(isDistInfoMetadata)).toEqual([true, false, false, false]);
  });
});
