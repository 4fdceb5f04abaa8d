import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VersionRange } from '../../../src/pep/range';
import { Specifier, SpecifierSet } from '../../../src/pep/specifier';
import { Version } from '../../../src/pep/version';
import { loadConformance } from '../../fixtures/conformance';

// Law tests for VersionRange against the specifiers it comes from (pubgrub's range laws, with
// SpecifierSet.contains as the slow, obviously-correct reference).

const bank = loadConformance<{ bank: string[] }>('specifiers.json').bank.map((s) => Version.parse(s));
const normalized = loadConformance<{ versions: { normalized: string }[] }>('versions.json').versions.map((r) =>
  Version.parse(r.normalized),
);
const pool: Version[] = [...bank, ...normalized];

const LOCALS = ['00a', '0a', 'a', 'abc', 'abc.0', 'abc.1', 'z', '0', '1', '1.a'];

const tryParts = (p: Parameters<typeof Version.fromParts>[0]): Version | null => {
  try {
    return Version.fromParts(p);
  } catch {
    return null;
  }
};

/**
 * Versions right at and around `v`, so that every interval a cut list over these versions can
 * bound holds one of them: V, V+locals, dev/pre/post neighbours, and releases just above V's.
 */
function neighbours(v: Version): Version[] {
  const { epoch, release, pre, post, dev } = v;
  const out: (Version | null)[] = [v];
  const pub = Version.parse(v.public);
  for (const l of LOCALS) out.push(tryParts({ epoch, release, pre, post, dev, local: v.local === null ? l : `${v.local}.${l}` }));
  for (const l of LOCALS) out.push(tryParts({ epoch, release, pre, post, dev, local: l }));
  out.push(pub, tryParts({ epoch, release, dev: 0 }), tryParts({ epoch, release }));
  out.push(tryParts({ epoch, release, pre, post, dev: (dev ?? 0) + 1 }), tryParts({ epoch, release, pre, post, dev: 0 }));
  out.push(tryParts({ epoch, release, pre, post: (post ?? 0) + 1, dev: 0 }), tryParts({ epoch, release, pre, post: (post ?? -1) + 1 }));
  out.push(tryParts({ epoch, release, pre, post: 0, dev: 0 }), tryParts({ epoch, release, pre, post: 3 }));
  if (pre !== null) out.push(tryParts({ epoch, release, pre: [pre[0], pre[1] + 1], dev: 0 }), tryParts({ epoch, release, pre: [pre[0], pre[1] + 1] }));
  for (const tag of ['a', 'b', 'rc'] as const) out.push(tryParts({ epoch, release, pre: [tag, 0], dev: 0 }));
  for (let k = 0; k <= 6; k++) {
    const up = [...release, ...Array<number>(k).fill(0), 1];
    out.push(tryParts({ epoch, release: up, dev: 0 }), tryParts({ epoch, release: up }));
  }
  const bump = [...release];
  bump[bump.length - 1]! += 1;
  out.push(tryParts({ epoch, release: bump, dev: 0 }), tryParts({ epoch, release: bump }));
  out.push(tryParts({ epoch: epoch + 1, release: [0], dev: 0 }));
  return out.filter((x): x is Version => x !== null);
}

/** The pool plus the neighbours of every boundary version of the given ranges. */
function denseSample(...ranges: VersionRange[]): Version[] {
  const out = [...pool];
  for (const r of ranges) for (const c of r.cuts) out.push(...neighbours(c.v));
  return out;
}

const smallVersion: fc.Arbitrary<Version> = fc
  .record({
    epoch: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }),
    // A tight domain, so that specifiers often share a release family (1 = 1.0 = 1.0.0) and
    // meet at family boundaries (1.0.0.1 is the next family above 1.0 in this domain).
    release: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom([0], [1], [1, 0], [1, 0, 0], [1, 0, 1], [1, 0, 0, 1], [1, 1], [2]) },
      { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }) },
    ),
    pre: fc.option(fc.tuple(fc.constantFrom('a' as const, 'b' as const, 'rc' as const), fc.integer({ min: 0, max: 2 })), { freq: 3 }),
    post: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 3 }),
    dev: fc.option(fc.integer({ min: 0, max: 2 }), { freq: 3 }),
    local: fc.option(fc.constantFrom(...LOCALS), { freq: 4 }),
  })
  .map((p) => Version.fromParts(p));

const anyVersion: fc.Arbitrary<Version> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...pool) },
  { weight: 3, arbitrary: smallVersion },
);

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '~=', '==*', '!=*'] as const;

/** A valid specifier (no `===`, which ranges only approximate) built from any version. */
const specifier: fc.Arbitrary<string> = fc.tuple(fc.constantFrom(...OPERATORS), anyVersion).map(([op, v]) => {
  const epoch = v.epoch ? `${v.epoch}!` : '';
  if (op === '==*' || op === '!=*') return `${op.slice(0, 2)}${epoch}${v.release.join('.')}.*`;
  if (op === '==' || op === '!=') return op + v.toString();
  if (op === '~=') {
    const release = v.release.length < 2 ? [...v.release, 0] : v.release;
    return op + Version.fromParts({ epoch: v.epoch, release, pre: v.pre, post: v.post, dev: v.dev }).toString();
  }
  return op + v.public;
});

const specifierSet: fc.Arbitrary<SpecifierSet> = fc
  .array(specifier, { minLength: 0, maxLength: 3 })
  .map((specs) => SpecifierSet.parse(specs.join(',')));

const range = (s: SpecifierSet): VersionRange => VersionRange.fromSpecifierSet(s);

/**
 * A slow, obviously-correct matcher written from PEP 440's text and packaging's `_ranges`
 * predicates, sharing nothing with the cut machinery: only Version.compare and the parts.
 */
function referenceMatch(spec: Specifier, v: Version): boolean {
  const V = spec.parsedVersion!;
  const cmp = v.compare(V);
  const trim = (r: readonly number[]): number[] => {
    const out = [...r];
    while (out.length > 0 && out[out.length - 1] === 0) out.pop();
    return out;
  };
  const sameRelease = (x: Version, y: Version): boolean =>
    x.epoch === y.epoch && trim(x.release).join('.') === trim(y.release).join('.');
  const samePre = (x: Version, y: Version): boolean => String(x.pre) === String(y.pre);
  // "same public version, any local label" (PEP 440: local labels are ignored unless given)
  const samePublic = (x: Version, y: Version): boolean => Version.parse(x.public).compare(Version.parse(y.public)) === 0;
  // PEP 440 prefix matching: pad the candidate's release with zeros, compare the prefix.
  const prefixMatch = (prefix: readonly number[]): boolean =>
    v.epoch === V.epoch && prefix.every((n, i) => (v.release[i] ?? 0) === n);
  switch (spec.operator) {
    case '==':
      if (spec.isWildcard) return prefixMatch(V.release);
      return spec.hasLocal ? cmp === 0 : samePublic(v, V);
    case '!=':
      if (spec.isWildcard) return !prefixMatch(V.release);
      return spec.hasLocal ? cmp !== 0 : !samePublic(v, V);
    case '>=':
      return cmp >= 0;
    case '<=':
      return cmp <= 0 || samePublic(v, V);
    case '~=':
      return cmp >= 0 && prefixMatch(V.release.slice(0, -1));
    case '<': {
      // `<V` must not allow a pre-release of V unless V is one: stop before V.dev0.
      const bound = V.isPrerelease ? V : Version.fromParts({ epoch: V.epoch, release: V.release, post: V.post, dev: 0 });
      return v.compare(bound) < 0;
    }
    case '>': {
      if (V.dev !== null) {
        return v.compare(Version.fromParts({ epoch: V.epoch, release: V.release, pre: V.pre, post: V.post, dev: V.dev + 1 })) >= 0;
      }
      if (V.post !== null) {
        return v.compare(Version.fromParts({ epoch: V.epoch, release: V.release, pre: V.pre, post: V.post + 1, dev: 0 })) >= 0;
      }
      // Not V+local, and no post-release of V.
      const family = sameRelease(v, V) && samePre(v, V) && (v.dev === V.dev || v.post !== null);
      return cmp > 0 && !family;
    }
    default:
      throw new Error(`no reference for ${spec.operator}`);
  }
}

const member = (s: SpecifierSet, v: Version): boolean => s.specifiers.every((spec) => referenceMatch(spec, v));

// PEP_PROPERTY_RUNS=20000 for a longer hunt; the default keeps the suite quick.
const RUNS = { numRuns: Number(process.env.PEP_PROPERTY_RUNS ?? 300) };

describe('VersionRange laws (fast-check)', () => {
  it('runs with invariant checks on', () => {
    expect(process.env.VITEST).toBeDefined();
  });

  it('fromSpecifierSet(A) and A.contains(v, {prereleases: true}) agree with a reference matcher', () => {
    fc.assert(
      fc.property(specifierSet, fc.array(anyVersion, { maxLength: 20 }), (a, extra) => {
        const ra = range(a);
        for (const v of [...extra, ...denseSample(ra)]) {
          const want = member(a, v);
          if (ra.contains(v) !== want) throw new Error(`${a} vs range ${ra} on ${v}`);
          if (a.contains(v, { prereleases: true }) !== want) throw new Error(`${a}.contains(${v}) disagrees with the reference`);
          if (a.contains(v.toString(), { prereleases: true }) !== want) throw new Error(`${a}.contains('${v}') disagrees`);
        }
      }),
      RUNS,
    );
  });

  it('intersection, union, complement and difference agree with membership in A and B', () => {
    fc.assert(
      fc.property(specifierSet, specifierSet, fc.array(anyVersion, { maxLength: 20 }), (a, b, extra) => {
        const ra = range(a);
        const rb = range(b);
        const and = ra.intersection(rb);
        const or = ra.union(rb);
        const not = ra.complement();
        const minus = ra.difference(rb);
        for (const v of [...extra, ...denseSample(ra, rb)]) {
          const ia = member(a, v);
          const ib = member(b, v);
          const where = `A=${a} B=${b} v=${v}`;
          if (and.contains(v) !== (ia && ib)) throw new Error(`A∩B ${where}`);
          if (or.contains(v) !== (ia || ib)) throw new Error(`A∪B ${where}`);
          if (not.contains(v) === ia) throw new Error(`¬A ${where}`);
          if (minus.contains(v) !== (ia && !ib)) throw new Error(`A∖B ${where}`);
        }
      }),
      RUNS,
    );
  });

  it('is empty exactly when no version of a dense sample satisfies both sets (slow reference)', () => {
    let nonEmpty = 0;
    let empty = 0;
    fc.assert(
      fc.property(specifierSet, specifierSet, (a, b) => {
        const ra = range(a);
        const rb = range(b);
        const sample = denseSample(ra, rb);
        const both = sample.some((v) => member(a, v) && member(b, v));
        const onlyA = sample.some((v) => member(a, v) && !member(b, v));
        expect(ra.intersection(rb).isEmpty(), `A=${a} B=${b}`).toBe(!both);
        expect(ra.isDisjoint(rb)).toBe(!both);
        expect(ra.difference(rb).isEmpty(), `A=${a} B=${b}`).toBe(!onlyA);
        expect(ra.isSubsetOf(rb)).toBe(!onlyA);
        if (both) nonEmpty++;
        else empty++;
      }),
      RUNS,
    );
    // Both outcomes must actually occur, or the property says nothing.
    expect(nonEmpty).toBeGreaterThan(10);
    expect(empty).toBeGreaterThan(10);
  });

  it('obeys the algebra as structural equality', () => {
    fc.assert(
      fc.property(specifierSet, specifierSet, specifierSet, (a, b, c) => {
        const [ra, rb, rc] = [range(a), range(b), range(c)];
        const eq = (x: VersionRange, y: VersionRange, law: string): void => {
          if (!x.equals(y)) throw new Error(`${law}: ${x} != ${y} (A=${a} B=${b} C=${c})`);
        };
        eq(ra.complement().complement(), ra, '¬¬A = A');
        eq(ra.intersection(rb), rb.intersection(ra), 'A∩B = B∩A');
        eq(ra.union(rb), rb.union(ra), 'A∪B = B∪A');
        eq(ra.intersection(rb).intersection(rc), ra.intersection(rb.intersection(rc)), '(A∩B)∩C = A∩(B∩C)');
        eq(ra.union(rb).complement(), ra.complement().intersection(rb.complement()), '¬(A∪B) = ¬A∩¬B');
        eq(ra.intersection(rb).complement(), ra.complement().union(rb.complement()), '¬(A∩B) = ¬A∪¬B');
        eq(ra.intersection(rb.union(rc)), ra.intersection(rb).union(ra.intersection(rc)), 'A∩(B∪C) = (A∩B)∪(A∩C)');
        eq(ra.union(rb.intersection(rc)), ra.union(rb).intersection(ra.union(rc)), 'A∪(B∩C) = (A∪B)∩(A∪C)');
        eq(ra.difference(rb), ra.intersection(rb.complement()), 'A∖B = A∩¬B');
        eq(ra.intersection(ra.complement()), VersionRange.empty(), 'A∩¬A = ∅');
        eq(ra.union(ra.complement()), VersionRange.full(), 'A∪¬A = full');
        eq(ra.intersection(VersionRange.full()), ra, 'A∩full = A');
        eq(ra.union(VersionRange.empty()), ra, 'A∪∅ = A');
        expect(ra.intersection(rb).isSubsetOf(ra)).toBe(true);
        expect(ra.isSubsetOf(ra.union(rb))).toBe(true);
        expect(ra.difference(rb).isDisjoint(rb)).toBe(true);
        expect(ra.isFull()).toBe(ra.equals(VersionRange.full()));
      }),
      RUNS,
    );
  });

  it('toSpecifierString parses back to the same range, and exists for every specifier set', () => {
    const roundTrip = (r: VersionRange, what: string): void => {
      const s = r.toSpecifierString();
      if (s === null) return;
      const back = VersionRange.fromSpecifierSet(SpecifierSet.parse(s));
      if (!back.equals(r)) throw new Error(`${what}: ${r} spelled ${JSON.stringify(s)} reads back as ${back}`);
    };
    let spelled = 0;
    fc.assert(
      fc.property(specifierSet, specifierSet, anyVersion, (a, b, v) => {
        const [ra, rb] = [range(a), range(b)];
        // A conjunction of specifiers always has a spelling: the set's own (normalized) text.
        const s = ra.intersection(rb).toSpecifierString();
        if (s === null) throw new Error(`no spelling for ${a.and(b)}: ${ra.intersection(rb)}`);
        spelled++;
        roundTrip(ra, 'A');
        roundTrip(ra.intersection(rb), 'A∩B');
        roundTrip(ra.union(rb), 'A∪B');
        roundTrip(ra.complement(), '¬A');
        roundTrip(ra.difference(rb), 'A∖B');
        roundTrip(VersionRange.singleton(v), 'singleton');
        roundTrip(VersionRange.singleton(v).complement(), '¬singleton');
      }),
      RUNS,
    );
    expect(spelled).toBe(RUNS.numRuns);
  });

  it('holds exactly its version for singleton(v)', () => {
    fc.assert(
      fc.property(anyVersion, fc.array(anyVersion, { maxLength: 30 }), (v, others) => {
        const s = VersionRange.singleton(v);
        for (const o of [...others, ...neighbours(v)]) expect(s.contains(o)).toBe(o.compare(v) === 0);
      }),
      RUNS,
    );
  });
});
