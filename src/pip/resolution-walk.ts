/**
 * The order and the words pip uses for a resolution: every pinned distribution is reached from
 * the root requirements, breadth first, through the Requires-Dist lines that brought it in, so
 * each can be printed as pip does: `Collecting idna<4,>=2.5 (from requests)`, with pip's
 * `comes_from` chain (`(from Jinja2>=3.1.2->flask)`, `(from -r requirements.txt (line 1))`).
 */
import type { DistributionMetadata, MarkerEnvironment, NormalizedName, Requirement } from '../pep';
import type { PinnedDistribution, Resolution } from '../resolver';
import type { RootRequirement } from './requirements';

export interface WalkNode {
  readonly pin: PinnedDistribution;
  readonly metadata: DistributionMetadata | null;
  /** The name as the requirement that brought it in spells it (pip's display name). */
  readonly displayName: string;
  /** That requirement as pip prints it (`idna<4,>=2.5`, `x==1.0` for a wheel path). */
  readonly requirementText: string;
  /** pip's `(from ...)` text, or null for a command-line requirement. */
  readonly comesFrom: string | null;
  /** This node's `from_path()`, what its own dependencies print after `from`. */
  readonly fromPath: string;
  /** The root requirement, when the person asked for it. */
  readonly root: RootRequirement | null;
}

/**
 * Breadth first from the roots, in the order given. `metadataOf` gives each pin's metadata
 * (already fetched by the resolver, so answered from memory).
 */
export async function walkResolution(
  resolution: Resolution,
  roots: readonly RootRequirement[],
  metadataOf: (pin: PinnedDistribution) => Promise<DistributionMetadata | null>,
  env: MarkerEnvironment,
): Promise<WalkNode[]> {
  const pins = new Map<NormalizedName, PinnedDistribution>(resolution.distributions.map((d) => [d.name, d]));
  const metadata = new Map<NormalizedName, DistributionMetadata | null>();
  await Promise.all(resolution.distributions.map(async (d) => metadata.set(d.name, await metadataOf(d))));

  const nodes: WalkNode[] = [];
  const seen = new Set<NormalizedName>();
  for (const root of roots) {
    const name = root.requirement.normalizedName;
    const pin = pins.get(name);
    if (!pin || seen.has(name)) continue;
    seen.add(name);
    const text = root.display;
    nodes.push({
      pin,
      metadata: metadata.get(name) ?? null,
      displayName: root.requirement.name,
      requirementText: text,
      comesFrom: root.comesFrom,
      fromPath: root.comesFrom ? `${text}->${root.comesFrom}` : text,
      root,
    });
  }
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    for (const req of dependenciesOf(node, env)) {
      const name = req.normalizedName;
      const pin = pins.get(name);
      if (!pin || seen.has(name) || !node.pin.dependencies.includes(name)) continue;
      seen.add(name);
      const text = req.toString();
      nodes.push({
        pin,
        metadata: metadata.get(name) ?? null,
        displayName: req.name,
        requirementText: text,
        comesFrom: node.fromPath,
        fromPath: `${text}->${node.fromPath}`,
        root: null,
      });
    }
  }
  // Anything the walk did not reach (it should not happen) still gets listed.
  for (const pin of resolution.distributions) {
    if (seen.has(pin.name)) continue;
    nodes.push({ pin, metadata: metadata.get(pin.name) ?? null, displayName: pin.name, requirementText: pin.name, comesFrom: null, fromPath: pin.name, root: null });
  }
  return nodes;
}

/** The Requires-Dist lines that apply: markers true here, for no extra or a selected one. */
export function dependenciesOf(node: Pick<WalkNode, 'pin' | 'metadata'>, env: MarkerEnvironment): Requirement[] {
  const out: Requirement[] = [];
  for (const req of node.metadata?.requiresDist ?? []) {
    if (req.marker === null) {
      out.push(req);
      continue;
    }
    const extras = ['', ...node.pin.extras];
    if (extras.some((extra) => safeEvaluate(req, env, extra))) out.push(req);
  }
  return out;
}

function safeEvaluate(req: Requirement, env: MarkerEnvironment, extra: string): boolean {
  try {
    return req.marker!.evaluate(env, extra);
  } catch {
    return false;
  }
}

/**
 * pip's installation order (`get_installation_order`): dependencies before what needs them,
 * by weight = the longest path from the roots, heaviest first, ties by name descending.
 */
export function installationOrder<T extends { readonly pin: PinnedDistribution }>(nodes: readonly T[], nameOf: (n: T) => string): T[] {
  const byName = new Map(nodes.map((n) => [n.pin.name, n] as const));
  const weight = new Map<NormalizedName, number>();
  const visiting = new Set<NormalizedName>();
  const visit = (name: NormalizedName, depth: number): void => {
    if (visiting.has(name)) return; // a cycle: pip breaks it the same way, at the back edge
    if ((weight.get(name) ?? -1) >= depth) return;
    weight.set(name, depth);
    visiting.add(name);
    for (const dep of byName.get(name)?.pin.dependencies ?? []) if (byName.has(dep)) visit(dep, depth + 1);
    visiting.delete(name);
  };
  const required = new Set(nodes.flatMap((n) => n.pin.dependencies));
  for (const n of nodes) if (n.pin.requested || !required.has(n.pin.name)) visit(n.pin.name, 1);
  for (const n of nodes) if (!weight.has(n.pin.name)) visit(n.pin.name, 1);
  return [...nodes].sort((a, b) => {
    const w = (weight.get(b.pin.name) ?? 0) - (weight.get(a.pin.name) ?? 0);
    if (w !== 0) return w;
    const x = nameOf(a);
    const y = nameOf(b);
    return x < y ? 1 : x > y ? -1 : 0;
  });
}
