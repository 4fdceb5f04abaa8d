/**
 * Environment locks shaped like real ones: PyPI file URLs (`/packages/ab/cd/<60 hex>/<wheel>`,
 * whose path is a blake2b digest, as incompressible as the sha256 beside it), real project
 * names, a requested package or two, one code file. Deterministic (seeded), so sizes printed by
 * the tests and bench/share.bench.ts are comparable between runs.
 */
import type { EnvironmentLock, LockedWheel } from '../../../src/share';
import { PYPI_INDEX } from '../../../src/share';

const NAMES = [
  'requests', 'urllib3', 'idna', 'certifi', 'charset-normalizer', 'six', 'attrs', 'packaging',
  'python-dateutil', 'pytz', 'Jinja2', 'MarkupSafe', 'click', 'typing_extensions', 'rich',
  'pygments', 'markdown-it-py', 'mdurl', 'pydantic', 'annotated-types',
];

/** A seeded linear congruential generator: the same hex for the same seed. */
export function hexStream(seed: number): (digits: number) => string {
  let x = seed >>> 0 || 1;
  return (digits) => {
    let out = '';
    while (out.length < digits) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      out += x.toString(16).padStart(8, '0');
    }
    return out.slice(0, digits);
  };
}

/** PyPI's wheel URL for `name` `version`: `/packages/<2>/<2>/<60>/<name>-<version>-py3-none-any.whl`. */
export function pypiWheelUrl(name: string, version: string, hex: (digits: number) => string): string {
  const h = hex(64);
  const stem = name.replace(/[-_.]+/g, '_');
  return `https://files.pythonhosted.org/packages/${h.slice(0, 2)}/${h.slice(2, 4)}/${h.slice(4)}/${stem}-${version}-py3-none-any.whl`;
}

/** A lock of `n` PyPI distributions (names past the 20 real ones are `project-<i>`). */
export function sampleLock(n: number, seed = 1): EnvironmentLock {
  const hex = hexStream(seed);
  const distributions: LockedWheel[] = [];
  for (let i = 0; i < n; i++) {
    const name = NAMES[i] ?? `project-${i}`;
    const version = `${1 + (i % 7)}.${(i * 3) % 20}.${i % 4}`;
    const url = pypiWheelUrl(name, version, hex);
    distributions.push({
      name,
      version,
      filename: url.slice(url.lastIndexOf('/') + 1),
      url,
      sha256: hex(64),
      index: PYPI_INDEX,
      requested: i % 5 === 0,
    });
  }
  return {
    version: 1,
    python: '3.14.2',
    pyodide: '314.0.7',
    platform: 'pyemscripten_2026_0_wasm32',
    indexes: [PYPI_INDEX],
    distributions,
    files: [{ path: 'main.py', content: 'import requests\n\nprint(requests.get("https://example.org").status_code)\n' }],
  };
}
