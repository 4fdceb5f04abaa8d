/**
 * PEP 440 micro-benchmarks for the resolver's hot path. Run: `npx tsx bench/pep.bench.ts`.
 * Prints one line per measure, e.g. `pep440 parse: 1,234,567 versions/s`; takes a few seconds.
 */
import { compareVersions, SpecifierSet, Version, VersionRange } from '../src/pep';

// A deterministic, PyPI-like list of a few thousand version strings.
let seed = 42;
const rand = (n: number): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const strings: string[] = [];
for (let major = 0; major < 12; major++) {
  for (let minor = 0; minor < 25; minor++) {
    for (let patch = 0; patch < 10; patch++) {
      const base = `${major}.${minor}.${patch}`;
      const roll = rand(20);
      if (roll === 0) strings.push(`${base}rc${rand(3) + 1}`);
      else if (roll === 1) strings.push(`${base}b${rand(3)}`);
      else if (roll === 2) strings.push(`${base}.dev${rand(500)}`);
      else if (roll === 3) strings.push(`${base}.post${rand(3)}`);
      else if (roll === 4) strings.push(`${base}+cu${rand(130)}`);
      else if (roll === 5) strings.push(`v${base}-ALPHA.${rand(5)}`);
      else strings.push(base);
    }
  }
}
const versions = strings.map((s) => Version.parse(s));

/** Runs `body` (which does `opsPerCall` operations) repeatedly for about `ms` milliseconds. */
function measure(label: string, unit: string, opsPerCall: number, body: () => void, ms = 700): void {
  for (let i = 0; i < 3; i++) body(); // warm up the JIT
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    body();
    calls++;
    now = performance.now();
  }
  const rate = Math.round((calls * opsPerCall) / ((now - start) / 1000));
  console.log(`${label}: ${rate.toLocaleString('en-US')} ${unit}/s`);
}

let sink = 0;

measure('pep440 parse', 'versions', strings.length, () => {
  for (const s of strings) sink += Version.parse(s).release.length;
});

measure('pep440 Version.compare (pairwise)', 'comparisons', versions.length * 8, () => {
  const n = versions.length;
  for (let k = 1; k <= 8; k++) {
    for (let i = 0; i < n; i++) sink += versions[i]!.compare(versions[(i * 7 + k * 131) % n]!);
  }
});

{
  let comparisons = 0;
  const counting = (a: Version, b: Version): number => {
    comparisons++;
    return compareVersions(a, b);
  };
  const sortOnce = (): void => {
    const copy = versions.slice().reverse();
    copy.sort(counting);
  };
  sortOnce();
  const perSort = comparisons;
  measure(`pep440 Version.compare (sorting ${versions.length} versions)`, 'comparisons', perSort, sortOnce);
}

const sets = ['>=1.2,<3', '>=2.0.1,!=2.3.*,<9', '~=4.2', '==5.*', '>1.0,!=1.5,!=1.6,<=11.24.9', '>=0.dev0'].map((s) =>
  SpecifierSet.parse(s),
);
measure('pep440 SpecifierSet.contains', 'checks', versions.length * sets.length, () => {
  for (const set of sets) for (const v of versions) if (set.contains(v)) sink++;
});

measure('pep440 SpecifierSet.parse', 'sets', 6, () => {
  for (const s of ['>=1.2,<3', '>=2.0.1,!=2.3.*,<9', '~=4.2', '==5.*', '>1.0,!=1.5,!=1.6,<=11.24.9', '']) {
    sink += SpecifierSet.parse(s).specifiers.length;
  }
});

{
  const specs: string[] = [];
  for (let i = 0; i < 200; i++) {
    const a = versions[rand(versions.length)]!.public;
    const b = versions[rand(versions.length)]!.public;
    const [lo, hi] = Version.parse(a).compare(Version.parse(b)) <= 0 ? [a, b] : [b, a];
    specs.push([`>=${lo},<${hi}`, `>${lo},!=${hi}`, `~=${lo}`, `<=${hi}`, `==${lo.split('.').slice(0, 2).join('.')}.*`][i % 5]!);
  }
  const ranges = specs.map((s) => VersionRange.fromSpecifierSet(SpecifierSet.parse(s)));
  const n = ranges.length;
  measure('pep440 VersionRange.intersection', 'intersections', n * 4, () => {
    for (let k = 1; k <= 4; k++) {
      for (let i = 0; i < n; i++) sink += ranges[i]!.intersection(ranges[(i * 3 + k) % n]!).cuts.length;
    }
  });
  measure('pep440 VersionRange.union', 'unions', n * 4, () => {
    for (let k = 1; k <= 4; k++) {
      for (let i = 0; i < n; i++) sink += ranges[i]!.union(ranges[(i * 3 + k) % n]!).cuts.length;
    }
  });
  measure('pep440 VersionRange.contains', 'checks', versions.length * 4, () => {
    for (let k = 0; k < 4; k++) for (const v of versions) if (ranges[k]!.contains(v)) sink++;
  });
}

if (sink === 42) console.log('');
