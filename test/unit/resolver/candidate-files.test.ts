/**
 * Which files a project's candidates are made of (src/resolver/candidates.ts `selectFiles`):
 * pip's hash filtering (`filter_unallowed_hashes`), then the configured sources over Pyodide's
 * packages (uv's first-index strategy applied to a second index). Through `resolve` too, with
 * the source's `allowedHashes`, as pip's `--hash` values reach it.
 */
import { describe, expect, it } from 'vitest';
import type { DistributionFile } from '../../../src/pep';
import { normalizeName } from '../../../src/pep/name';
import { supportedTags } from '../../../src/pep/tags';
import { Version } from '../../../src/pep/version';
import { resolve, selectFiles, type AllowedHashes, type CandidateContext } from '../../../src/resolver';
import { createMemorySource } from '../../fixtures/memory-source';
import { PYODIDE_ENV, PYODIDE_INFO } from './helpers';

const context: CandidateContext = { supported: supportedTags(PYODIDE_INFO), python: Version.parse(PYODIDE_ENV['python_full_version']!), excludeNewer: null };
const name = normalizeName('markupsafe');

function file(filename: string, sha256: string | null, origin: DistributionFile['origin'] = 'index'): DistributionFile {
  return {
    filename,
    url: `https://example.test/${origin}/${filename}`,
    hashes: sha256 ? { sha256 } : {},
    size: null,
    requiresPython: null,
    yanked: false,
    uploadTime: null,
    coreMetadata: false,
    index: `https://example.test/${origin}/`,
    origin,
  };
}

const pure = file('markupsafe-3.0.3-py3-none-any.whl', 'a'.repeat(64));
const linux = file('markupsafe-3.0.3-cp314-cp314-manylinux_2_17_x86_64.whl', 'c'.repeat(64));
const wasm = file('markupsafe-3.0.3-cp314-cp314-pyemscripten_2026_0_wasm32.whl', 'b'.repeat(64), 'pyodide-lock');
const local = file('markupsafe-3.0.3-py3-none-any.whl', null);
const allow = (...hex: string[]): AllowedHashes => new Map([['sha256', hex]]);
const names = (files: readonly DistributionFile[]): string[] => files.map((f) => `${f.origin}:${f.filename}`);

describe('sources: the configured ones first, Pyodide only when they have nothing that installs', () => {
  it("drops Pyodide's build when an index has a wheel that installs", () => {
    expect(names(selectFiles(name, [pure, linux, wasm], context))).toEqual(names([pure, linux]));
  });

  it("keeps Pyodide's build beside the index files when none of them installs", () => {
    expect(names(selectFiles(name, [linux, wasm], context))).toEqual(names([linux, wasm]));
  });

  it('counts a wheel as installable only when its Requires-Python admits this Python', () => {
    const old = { ...pure, requiresPython: '<3.8' };
    expect(names(selectFiles(name, [old, wasm], context))).toEqual(names([old, wasm]));
  });
});

describe("hashes restrict the files (pip's filter_unallowed_hashes)", () => {
  it('keeps only the files with an allowed digest, and those without a digest', () => {
    expect(names(selectFiles(name, [pure, local, linux, wasm], context, allow(pure.hashes['sha256']!)))).toEqual(names([pure, local]));
  });

  it("a hash of Pyodide's build selects it, over the index's wheel", () => {
    expect(names(selectFiles(name, [pure, linux, wasm], context, allow(wasm.hashes['sha256']!)))).toEqual(names([wasm]));
  });

  it('drops nothing when no installable file has an allowed digest (the download then fails the check)', () => {
    expect(names(selectFiles(name, [pure, linux, wasm], context, allow('f'.repeat(64))))).toEqual(names([pure, linux]));
    // A match on a file that cannot install here does not count.
    expect(names(selectFiles(name, [pure, linux], context, allow(linux.hashes['sha256']!)))).toEqual(names([pure, linux]));
  });

  it('matches any of the digests a file has, by algorithm', () => {
    const both = { ...pure, hashes: { md5: '1'.repeat(32), sha256: pure.hashes['sha256']! } };
    expect(names(selectFiles(name, [both, wasm], context, new Map([['md5', ['1'.repeat(32)]]])))).toEqual(names([both]));
  });
});

describe('through resolve: the source says which digests the person allows', () => {
  const projects = [{ name: 'MarkupSafe', version: '3.0.3' }, { name: 'MarkupSafe', version: '3.0.2' }];
  const pyodidePackages = [{ name: 'MarkupSafe', version: '3.0.3', tags: 'cp314-cp314-pyemscripten_2026_0_wasm32' }];

  it('pins the file whose hash was given, even when it is the lower-priority source', async () => {
    const memory = createMemorySource({ projects, pyodidePackages });
    const files = await memory.getProject(name);
    if (files.kind !== 'found') throw new Error('not found');
    const wasmFile = files.project.files.find((f) => f.origin === 'pyodide-lock')!;
    const source = { ...memory, getProject: memory.getProject, getMetadata: memory.getMetadata, allowedHashes: () => allow(wasmFile.hashes['sha256']!) };
    const result = await resolve({ requirements: ['markupsafe==3.0.3'] }, source, { environment: PYODIDE_ENV, pyodide: PYODIDE_INFO });
    expect(result.kind === 'resolution' && result.distributions.map((d) => d.file.url)).toEqual([wasmFile.url]);
  });

  it("without hashes, the index's wheel", async () => {
    const result = await resolve({ requirements: ['markupsafe==3.0.3'] }, createMemorySource({ projects, pyodidePackages }), {
      environment: PYODIDE_ENV,
      pyodide: PYODIDE_INFO,
    });
    expect(result.kind === 'resolution' && result.distributions.map((d) => d.file.origin)).toEqual(['index']);
  });
});

describe("sdists (when the caller builds) never push Pyodide's builds aside", () => {
  const sdist = file('markupsafe-3.1.0.tar.gz', 'd'.repeat(64));
  const buildsToo = { ...context, formats: () => ({ wheels: true, sdists: true }) };

  it("an index sdist is not a file that installs: Pyodide's build stays beside it", () => {
    expect(names(selectFiles(name, [sdist, linux, wasm], buildsToo))).toEqual(names([sdist, linux, wasm]));
  });

  it("resolve takes Pyodide's wheel over a newer sdist-only release (wheels first: the sdist would need a build)", async () => {
    const source = createMemorySource({
      projects: [{ name: 'MarkupSafe', version: '3.1.0', sdistOnly: true }],
      pyodidePackages: [{ name: 'MarkupSafe', version: '3.0.3', tags: 'cp314-cp314-pyemscripten_2026_0_wasm32' }],
    });
    const options = { environment: PYODIDE_ENV, pyodide: PYODIDE_INFO, formats: () => ({ wheels: true, sdists: true }) };
    const free = await resolve({ requirements: ['markupsafe'] }, source, options);
    expect(free.kind === 'resolution' && free.distributions.map((d) => `${d.file.origin}:${d.file.filename}`)).toEqual(['pyodide-lock:markupsafe-3.0.3-cp314-cp314-pyemscripten_2026_0_wasm32.whl']);
  });
});
