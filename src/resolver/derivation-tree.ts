/**
 * The proof of a failure as data: the derivation graph of the terminal incompatibility
 * (pub `doc/solver.md` "Derivation Graph"; pubgrub-rs `src/report.rs` `DerivationTree`).
 * Leaves are external facts ("foo 1.0 depends on bar >=2", "no version of baz"), inner nodes
 * are incompatibilities derived from two causes. A node reached twice carries a `sharedId`
 * so the explanation can number it once and refer back to it.
 */
import type { ExternalCause, Incompatibility } from './incompatibility';
import type { Term } from './term';
import type { VersionSet } from './version-set';

export interface ExternalNode<P, V, S extends VersionSet<V, S>, M> {
  readonly kind: 'external';
  readonly cause: ExternalCause<P, V, S, M>;
}

export interface DerivedNode<P, V, S extends VersionSet<V, S>, M> {
  readonly kind: 'derived';
  /** The derived incompatibility's terms, in its package order. */
  readonly terms: ReadonlyArray<readonly [P, Term<V, S>]>;
  /** Set when the node is a cause of more than one derivation; unique within a tree. */
  readonly sharedId: number | null;
  readonly cause1: DerivationTree<P, V, S, M>;
  readonly cause2: DerivationTree<P, V, S, M>;
}

export type DerivationTree<P, V, S extends VersionSet<V, S>, M> = ExternalNode<P, V, S, M> | DerivedNode<P, V, S, M>;

/** The derivation tree of `root` (a terminal incompatibility). Shared nodes are shared objects. */
export function buildDerivationTree<P, V, S extends VersionSet<V, S>, M>(
  root: Incompatibility<P, V, S, M>,
): DerivationTree<P, V, S, M> {
  // Count how often each derived incompatibility is reached (pubgrub-rs `find_shared_ids`).
  const seen = new Set<number>();
  const shared = new Set<number>();
  const stack: Incompatibility<P, V, S, M>[] = [root];
  while (stack.length > 0) {
    const i = stack.pop() as Incompatibility<P, V, S, M>;
    if (i.cause.kind !== 'derived') continue;
    if (seen.has(i.id)) {
      shared.add(i.id);
      continue;
    }
    seen.add(i.id);
    stack.push(i.cause.cause1, i.cause.cause2);
  }
  // Build bottom-up without recursion: derivation chains can be thousands deep.
  const built = new Map<number, DerivationTree<P, V, S, M>>();
  const work: Array<[Incompatibility<P, V, S, M>, boolean]> = [[root, false]];
  while (work.length > 0) {
    const [i, expanded] = work.pop() as [Incompatibility<P, V, S, M>, boolean];
    if (built.has(i.id)) continue;
    const cause = i.cause;
    if (cause.kind !== 'derived') {
      built.set(i.id, { kind: 'external', cause });
      continue;
    }
    if (!expanded) {
      work.push([i, true], [cause.cause2, false], [cause.cause1, false]);
      continue;
    }
    built.set(i.id, {
      kind: 'derived',
      terms: i.packages.map((p, k) => [p, i.terms[k] as Term<V, S>] as const),
      sharedId: shared.has(i.id) ? i.id : null,
      cause1: built.get(cause.cause1.id) as DerivationTree<P, V, S, M>,
      cause2: built.get(cause.cause2.id) as DerivationTree<P, V, S, M>,
    });
  }
  return built.get(root.id) as DerivationTree<P, V, S, M>;
}

/** Every external cause in the tree, each once, depth first, cause1 before cause2. */
export function externalCauses<P, V, S extends VersionSet<V, S>, M>(
  tree: DerivationTree<P, V, S, M>,
): ExternalCause<P, V, S, M>[] {
  const out: ExternalCause<P, V, S, M>[] = [];
  const visited = new Set<DerivationTree<P, V, S, M>>();
  const stack: DerivationTree<P, V, S, M>[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop() as DerivationTree<P, V, S, M>;
    if (visited.has(node)) continue;
    visited.add(node);
    if (node.kind === 'external') out.push(node.cause);
    else stack.push(node.cause2, node.cause1);
  }
  return out;
}

/**
 * Rebuild the tree bottom-up through `mapExternal` and `mapDerived` (either may return the
 * node unchanged), keeping shared nodes shared.
 */
export function mapDerivationTree<P, V, S extends VersionSet<V, S>, M>(
  tree: DerivationTree<P, V, S, M>,
  mapExternal: (node: ExternalNode<P, V, S, M>) => DerivationTree<P, V, S, M>,
  mapDerived: (node: DerivedNode<P, V, S, M>) => DerivationTree<P, V, S, M>,
): DerivationTree<P, V, S, M> {
  const memo = new Map<DerivationTree<P, V, S, M>, DerivationTree<P, V, S, M>>();
  const visit = (node: DerivationTree<P, V, S, M>): DerivationTree<P, V, S, M> => {
    const done = memo.get(node);
    if (done) return done;
    let out: DerivationTree<P, V, S, M>;
    if (node.kind === 'external') {
      out = mapExternal(node);
    } else {
      const cause1 = visit(node.cause1);
      const cause2 = visit(node.cause2);
      out = mapDerived(cause1 === node.cause1 && cause2 === node.cause2 ? node : { ...node, cause1, cause2 });
    }
    memo.set(node, out);
    return out;
  };
  return visit(tree);
}
