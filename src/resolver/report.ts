/**
 * From a derivation tree to sentences (pub `doc/solver.md` "Error Reporting"; pubgrub-rs
 * `src/report.rs` `DefaultStringReporter`; phrasing after uv
 * `crates/uv-resolver/src/pubgrub/report.rs`).
 *
 * The walk is pub's: each line explains one derived incompatibility from its two causes,
 * depth first, so the last line is the conclusion. A derived incompatibility used by more
 * than one derivation gets a line number the first time it is explained, and later lines
 * refer back to it: "And because we know from (1) that ..., we can conclude that ...".
 * What a package, a range or an external fact reads like is the formatter's business, so
 * the same walk serves the integer-range tests and the Python explanation.
 */
import type { DerivationTree, DerivedNode } from './derivation-tree';
import type { ExternalCause } from './incompatibility';
import type { Term } from './term';
import type { VersionSet } from './version-set';

/** How packages, ranges and external facts read; see {@link SentenceFormatter} for the defaults. */
export interface ReportFormatter<P, V, S extends VersionSet<V, S>, M> {
  formatExternal(external: ExternalCause<P, V, S, M>): string;
  formatTerms(terms: DerivedNode<P, V, S, M>['terms']): string;
  /** Two external facts, joined where they share a subject ("foo depends on a and b"). */
  formatBothExternal(e1: ExternalCause<P, V, S, M>, e2: ExternalCause<P, V, S, M>): string;
}

/**
 * The lines explaining `tree`, in order. An external-only tree is one line.
 *
 * A hard failure (a pigeonhole: eight packages that each need one of seven slots) has a proof
 * tens of thousands of lines long, which nobody reads and which takes seconds to format. With
 * `maxLines`, only the last lines are kept (they end in the conclusion), after one line saying
 * how many earlier ones were left out; the lines left out are never formatted.
 */
export function explainTree<P, V, S extends VersionSet<V, S>, M>(
  tree: DerivationTree<P, V, S, M>,
  formatter: ReportFormatter<P, V, S, M>,
  maxLines = Infinity,
): string[] {
  if (tree.kind === 'external') return [capitalize(formatter.formatExternal(tree.cause)) + '.'];
  const writer = new LineWriter(formatter);
  writer.build(tree);
  const lines = writer.lines;
  if (lines.length <= maxLines) return lines.map((line) => line());
  const kept = lines.slice(lines.length - maxLines);
  // Start the kept part at a paragraph when one is near, so no line hangs on an "And because".
  const blank = kept.findIndex((line, i) => i < maxLines / 2 && line === BLANK);
  const tail = blank >= 0 ? kept.slice(blank + 1) : kept;
  const omitted = lines.length - tail.length;
  return [`(${omitted} earlier lines of the derivation are left out.)`, '', ...tail.map((line) => line())];
}

/** A line, formatted only if it is shown. */
type Line = () => string;
const BLANK: Line = () => '';

type Node<P, V, S extends VersionSet<V, S>, M> = DerivedNode<P, V, S, M>;

class LineWriter<P, V, S extends VersionSet<V, S>, M> {
  readonly lines: Line[] = [];
  private refCount = 0;
  /** Line numbers of shared nodes already explained, by shared id. */
  private readonly refs = new Map<number, number>();

  constructor(private readonly f: ReportFormatter<P, V, S, M>) {}

  build(node: Node<P, V, S, M>): void {
    this.buildHelper(node);
    if (node.sharedId !== null && !this.refs.has(node.sharedId)) {
      this.addLineRef();
      this.refs.set(node.sharedId, this.refCount);
    }
  }

  private buildHelper(current: Node<P, V, S, M>): void {
    const { cause1, cause2 } = current;
    const conclusion = (): string => this.f.formatTerms(current.terms);
    if (cause1.kind === 'external' && cause2.kind === 'external') {
      // pub 3: both causes external.
      this.lines.push(() => `Because ${this.f.formatBothExternal(cause1.cause, cause2.cause)}, we can conclude that ${conclusion()}.`);
      return;
    }
    if (cause1.kind === 'derived' && cause2.kind === 'external') return this.reportOneEach(cause1, cause2.cause, conclusion);
    if (cause1.kind === 'external' && cause2.kind === 'derived') return this.reportOneEach(cause2, cause1.cause, conclusion);
    const d1 = cause1 as Node<P, V, S, M>;
    const d2 = cause2 as Node<P, V, S, M>;
    // pub 1: both causes derived.
    const ref1 = this.refOf(d1);
    const ref2 = this.refOf(d2);
    if (ref1 !== null && ref2 !== null) {
      this.lines.push(
        () =>
          `Because we know from (${ref1}) that ${this.f.formatTerms(d1.terms)} and we know from (${ref2}) that ${this.f.formatTerms(d2.terms)}, we can conclude that ${conclusion()}.`,
      );
    } else if (ref1 !== null) {
      this.build(d2);
      this.lines.push(() => `And because we know from (${ref1}) that ${this.f.formatTerms(d1.terms)}, we can conclude that ${conclusion()}.`);
    } else if (ref2 !== null) {
      this.build(d1);
      this.lines.push(() => `And because we know from (${ref2}) that ${this.f.formatTerms(d2.terms)}, we can conclude that ${conclusion()}.`);
    } else {
      this.build(d1);
      if (d1.sharedId !== null) {
        // d1 now has a number: explain the current node again, which takes the branch above.
        this.lines.push(BLANK);
        this.build(current);
      } else {
        this.addLineRef();
        const ref = this.refCount;
        this.lines.push(BLANK);
        this.build(d2);
        this.lines.push(() => `And because we know from (${ref}) that ${this.f.formatTerms(d1.terms)}, we can conclude that ${conclusion()}.`);
      }
    }
  }

  /** pub 2: one derived cause and one external cause. */
  private reportOneEach(derived: Node<P, V, S, M>, external: ExternalCause<P, V, S, M>, conclusion: Line): void {
    const ref = this.refOf(derived);
    if (ref !== null) {
      this.lines.push(
        () => `Because we know from (${ref}) that ${this.f.formatTerms(derived.terms)} and ${this.f.formatExternal(external)}, we can conclude that ${conclusion()}.`,
      );
      return;
    }
    const { cause1, cause2 } = derived;
    // The derived cause has itself one external cause: chain both externals on one line and
    // skip stating the intermediate incompatibility (pub 2.ii).
    if (cause1.kind === 'derived' && cause2.kind === 'external') {
      this.build(cause1);
      this.lines.push(() => `And because ${this.f.formatBothExternal(cause2.cause, external)}, we can conclude that ${conclusion()}.`);
    } else if (cause1.kind === 'external' && cause2.kind === 'derived') {
      this.build(cause2);
      this.lines.push(() => `And because ${this.f.formatBothExternal(cause1.cause, external)}, we can conclude that ${conclusion()}.`);
    } else {
      this.build(derived);
      this.lines.push(() => `And because ${this.f.formatExternal(external)}, we can conclude that ${conclusion()}.`);
    }
  }

  private addLineRef(): void {
    this.refCount += 1;
    const last = this.lines.length - 1;
    const line = this.lines[last];
    const n = this.refCount;
    if (line) this.lines[last] = () => `${line()} (${n})`;
  }

  private refOf(node: Node<P, V, S, M>): number | null {
    return node.sharedId === null ? null : (this.refs.get(node.sharedId) ?? null);
  }
}

function capitalize(s: string): string {
  return s.length > 0 ? s[0]?.toUpperCase() + s.slice(1) : s;
}

/**
 * The default phrasing, parameterized by how a package and a range read. Subclasses override
 * the hooks (the Python formatter names the root "you", the `Python` package "the current
 * Python version", and explains unusable versions).
 */
export abstract class SentenceFormatter<P, V, S extends VersionSet<V, S>, M> implements ReportFormatter<P, V, S, M> {
  abstract isRoot(package_: P): boolean;
  /** A range of a package's own versions. Ex) `foo>=1.0`, `all versions of foo`. */
  abstract compatibleRange(package_: P, set: S): string;
  /** A range a dependency asks for. Ex) `foo>=1.0`, `foo` for every version. */
  abstract dependencyRange(package_: P, set: S): string;
  /** The reason versions are unusable, as a predicate. Ex) `has no wheels for this platform`. */
  abstract formatReason(package_: P, set: S, reason: M, plural: boolean): string;

  /** Whether `compatibleRange` reads as plural ("all versions of foo depend on"). */
  plural(_package: P, set: S): boolean {
    return set.isFull();
  }

  formatNoVersions(package_: P, set: S): string {
    return set.isFull() ? `there are no versions of ${String(package_)}` : `there are no versions of ${this.dependencyRange(package_, set)}`;
  }

  formatRootRequires(dependencies: string): string {
    return `you require ${dependencies}`;
  }

  formatRootTerms(): string {
    return 'your requirements are unsatisfiable';
  }

  formatRootName(): string {
    return 'your requirements';
  }

  formatExternal(external: ExternalCause<P, V, S, M>): string {
    switch (external.kind) {
      case 'root':
        return `we are solving dependencies of ${String(external.package)} ${String(external.version)}`;
      case 'no-versions':
        return this.formatNoVersions(external.package, external.set);
      case 'unavailable': {
        const plural = this.plural(external.package, external.set);
        return `${this.compatibleRange(external.package, external.set)} ${this.formatReason(external.package, external.set, external.reason, plural)}`;
      }
      case 'dependency':
        if (this.isRoot(external.package)) return this.formatRootRequires(this.dependencyRange(external.dependency, external.dependencySet));
        return this.dependsOn(external.package, external.set, this.dependencyRange(external.dependency, external.dependencySet));
    }
  }

  formatBothExternal(e1: ExternalCause<P, V, S, M>, e2: ExternalCause<P, V, S, M>): string {
    if (e1.kind === 'dependency' && e2.kind === 'dependency' && e1.package === e2.package && e1.set.equals(e2.set)) {
      const both = `${this.dependencyRange(e1.dependency, e1.dependencySet)} and ${this.dependencyRange(e2.dependency, e2.dependencySet)}`;
      if (this.isRoot(e1.package)) return this.formatRootRequires(both);
      return this.dependsOn(e1.package, e1.set, both);
    }
    // The dependency first, then what is wrong with what it asks for.
    if (e2.kind === 'dependency' && e1.kind !== 'dependency') return `${this.formatExternal(e2)} and ${this.formatExternal(e1)}`;
    // A chain reads in order: "foo depends on bar and bar depends on baz".
    if (e1.kind === 'dependency' && e2.kind === 'dependency' && e1.package === e2.dependency && e2.package !== e1.dependency) {
      return `${this.formatExternal(e2)} and ${this.formatExternal(e1)}`;
    }
    return `${this.formatExternal(e1)} and ${this.formatExternal(e2)}`;
  }

  formatTerms(terms: DerivedNode<P, V, S, M>['terms']): string {
    if (terms.length === 0) return 'the requirements are unsatisfiable';
    if (terms.length === 1) {
      const [p, t] = terms[0] as readonly [P, Term<V, S>];
      if (this.isRoot(p)) return this.formatRootTerms();
      return t.positive ? `${this.compatibleRange(p, t.set)} cannot be used` : `${this.compatibleRange(p, t.set)} must be used`;
    }
    if (terms.length === 2) {
      const [a, b] = terms as readonly [readonly [P, Term<V, S>], readonly [P, Term<V, S>]];
      const pair = a[1].positive && !b[1].positive ? [a, b] : !a[1].positive && b[1].positive ? [b, a] : null;
      if (pair) {
        const [[p1, t1], [p2, t2]] = pair as [readonly [P, Term<V, S>], readonly [P, Term<V, S>]];
        return this.formatExternal({ kind: 'dependency', package: p1, set: t1.set, dependency: p2, dependencySet: t2.set });
      }
    }
    const parts = terms.map(([p, t]) => this.formatTerm(p, t));
    const joined = parts.length === 2 ? `${parts[0]} and ${parts[1]}` : parts.join(', ');
    return `${joined} are incompatible`;
  }

  /** One term inside a list: a positive term as its range, a negative one as the range it leaves. */
  formatTerm(package_: P, term: Term<V, S>): string {
    if (this.isRoot(package_)) return this.formatRootName();
    return this.compatibleRange(package_, term.positive ? term.set : term.set.complement());
  }

  dependsOn(package_: P, set: S, what: string): string {
    const verb = this.plural(package_, set) ? 'depend on' : 'depends on';
    return `${this.compatibleRange(package_, set)} ${verb} ${what}`;
  }
}
