import { describe, expect, test } from 'vitest';
import { classifyVersions } from '../../../src/runtime/classify-versions';
import { PrereleaseRule as PrereleasePolicy, Verdict, type SpecLabResult } from '../../../src/runtime/spec-lab';
import { explainPrereleases } from '../../../src/ui/panels/spec-lab/explain';
import type { VersionRow } from '../../../src/ui/panels/types';

const rows = (versions: string[], yanked: string[] = []): VersionRow[] => versions.map((version) => ({ version, yanked: yanked.includes(version), prerelease: /[abc]|rc|dev/.test(version) }));
const versions = rows(['1.3.0', '1.4.0', '1.4.2', '1.4.3', '1.4.5', '1.5.0rc1', '1.5.0', '2.0.0b1', '2.0.0', '2.1.0rc1'], ['1.4.5']);

function ok(result: SpecLabResult): Extract<SpecLabResult, { kind: 'ok' }> {
  if (result.kind !== 'ok') throw new Error(result.message);
  return result;
}
/** `version:verdict` for every version that is not a plain no-match, newest first. */
function verdicts(result: SpecLabResult): string[] {
  return ok(result).versions.filter((v) => v.verdict !== Verdict.noMatch).map((v) => `${v.version}:${v.verdict}`);
}

describe('classifyVersions', () => {
  test('~= is spelled out as PEP 440 defines it, and as a range', () => {
    const r = ok(classifyVersions('~=1.4.2', versions));
    expect(r.compatible).toEqual([{ specifier: '~=1.4.2', meaning: '>=1.4.2, ==1.4.*', range: '>=1.4.2, <1.5', series: '1.4.*' }]);
    expect(r.range).toBe('>=1.4.2, <1.5');
    // 1.4.5 is yanked and nothing pins it; 1.5.0rc1 is below 1.5 but not in 1.4.*.
    expect(verdicts(r)).toEqual(['1.4.5:yanked-skipped', '1.4.3:chosen', '1.4.2:match']);
    expect(r.chosen).toBe('1.4.3');
  });

  test('~= with two parts, a suffix, an epoch', () => {
    expect(ok(classifyVersions('~=2.2', [])).compatible[0]).toEqual({ specifier: '~=2.2', meaning: '>=2.2, ==2.*', range: '>=2.2, <3', series: '2.*' });
    expect(ok(classifyVersions('~=2.2.post3', [])).compatible[0]!.meaning).toBe('>=2.2.post3, ==2.*');
    expect(ok(classifyVersions('~=1!1.4.2', [])).compatible[0]!.meaning).toBe('>=1!1.4.2, ==1!1.4.*');
  });

  test('pre-releases are skipped when a final release matches (pip rule)', () => {
    const r = ok(classifyVersions('>=1.5', versions));
    expect(verdicts(r)).toEqual(['2.1.0rc1:prerelease-skipped', '2.0.0:chosen', '2.0.0b1:prerelease-skipped', '1.5.0:match']);
    expect(r.prereleases).toBe(PrereleasePolicy.skipped);
    expect(r.skippedPrereleases).toBe(2);
    expect(explainPrereleases(r)).toMatch(/^2 matching pre-releases are skipped: pip ignores pre-releases when a final release matches/);
  });

  test('--pre makes them candidates', () => {
    const r = ok(classifyVersions('>=1.5', versions, { pre: true }));
    expect(verdicts(r)).toEqual(['2.1.0rc1:chosen', '2.0.0:match', '2.0.0b1:match', '1.5.0:match']);
    expect(r.prereleases).toBe(PrereleasePolicy.flag);
  });

  test('a specifier naming a pre-release allows them', () => {
    const r = ok(classifyVersions('>=2.0.0b1', versions));
    expect(r.prereleases).toBe(PrereleasePolicy.named);
    expect(r.chosen).toBe('2.1.0rc1');
  });

  // The lab answers with the resolver's pre-release policy (src/resolver/prerelease.ts), pip
  // 25.3's: it falls back to pre-releases only for a bare requirement of a project without a
  // final release. (Before the lab asked the worker it applied packaging 26's filter here and
  // said pip would install 2.1.0rc1, which `pip install 'x>2.0.0'` in the same tab refused.)
  test('when only pre-releases match a specifier naming none, pip 25.3 finds none', () => {
    const r = ok(classifyVersions('>2.0.0', versions));
    expect(verdicts(r)).toEqual(['2.1.0rc1:prerelease-skipped']);
    expect(r.chosen).toBeNull();
    expect(r.prereleases).toBe(PrereleasePolicy.finalsOnly);
    expect(explainPrereleases(r)).toMatch(/^Only pre-releases match, and the specifier names none: pip keeps final releases only then/);
  });

  test('a project with no final release at all: pip falls back to its pre-releases', () => {
    const r = ok(classifyVersions('', rows(['1.0a1', '1.0b2'])));
    expect(r.versions.map((v) => `${v.version}:${v.verdict}`)).toEqual(['1.0b2:chosen', '1.0a1:match']);
    expect(r.prereleases).toBe(PrereleasePolicy.fallback);
    expect(explainPrereleases(r)).toBe('No final release matches, so pip falls back to the matching pre-releases.');
  });

  test('no pre-release in play', () => {
    const r = ok(classifyVersions('<1.4', versions));
    expect(r.prereleases).toBe(PrereleasePolicy.none);
    expect(verdicts(r)).toEqual(['1.3.0:chosen']);
  });

  test('a yanked version is a candidate when == pins it (PEP 592), not through a wildcard', () => {
    expect(verdicts(classifyVersions('==1.4.5', versions))).toEqual(['1.4.5:chosen']);
    expect(verdicts(classifyVersions('==1.4.*', versions))).toEqual(['1.4.5:yanked-skipped', '1.4.3:chosen', '1.4.2:match', '1.4.0:match']);
  });

  test('an empty specifier matches everything final; a contradiction matches nothing', () => {
    const any = ok(classifyVersions('', versions));
    expect(any.range).toBe('');
    expect(any.chosen).toBe('2.0.0');
    const none = ok(classifyVersions('>=2,<1', versions));
    expect(none.matchesNothing).toBe(true);
    expect(none.chosen).toBeNull();
    expect(verdicts(none)).toEqual([]);
  });

  test('versions come out newest first whatever the input order; invalid ones last', () => {
    const r = ok(classifyVersions('>=1', [...rows(['1.0', 'not-a-version', '1.10', '1.9'])].reverse()));
    expect(r.versions.map((v) => `${v.version}:${v.verdict}`)).toEqual(['1.10:chosen', '1.9:match', '1.0:match', 'not-a-version:invalid']);
  });

  test('an invalid specifier gives packaging’s message with a caret under the fault', () => {
    const r = classifyVersions('>=1.0.*', versions);
    expect(r.kind).toBe('error');
    if (r.kind !== 'error') return;
    expect(r.message.split('\n')).toEqual([
      "Invalid specifier: '>=1.0.*': wildcards are only allowed with == and != (write '==1.0.*', or '>=1.0' without the wildcard)",
      '    >=1.0.*',
      '         ^^',
    ]);
    expect([r.start, r.end]).toEqual([5, 7]);
  });
});
