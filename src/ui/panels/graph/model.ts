/**
 * The dependency graph of an environment, from its distributions' Requires-Dist: one node per
 * installed distribution, one edge per requirement that names an installed one. A requirement
 * whose marker did not apply here (`; sys_platform == "win32"`) is usually not installed, so it
 * has no node to point at and is listed as `missing` instead of drawn.
 */
import { normalizeName } from '../../../pep';
import type { EnvironmentView } from '../types';

export const NodeKind = { requested: 'requested', dependency: 'dependency', vulnerable: 'vulnerable' } as const;
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];

export interface GraphNode {
  /** PEP 503 normalized name: the key edges use. */
  readonly id: string;
  /** The name as the distribution spells it. */
  readonly name: string;
  readonly version: string;
  readonly kind: NodeKind;
  readonly requested: boolean;
  readonly vulnerabilities: number;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** `requests -> urllib3 <3,>=1.21.1`, with the marker after `;` when there is one. */
  readonly label: string;
}

export interface DependencyGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Requirements naming a distribution that is not installed: `name -> requirement`. */
  readonly missing: readonly { readonly from: string; readonly requirement: string }[];
}

export function dependencyGraph(environment: EnvironmentView): DependencyGraph {
  const nodes = new Map<string, GraphNode>();
  for (const d of environment.distributions) {
    const id = normalizeName(d.name);
    if (nodes.has(id)) continue;
    const vulnerabilities = d.vulnerabilities?.length ?? 0;
    const kind = vulnerabilities > 0 ? NodeKind.vulnerable : d.requested ? NodeKind.requested : NodeKind.dependency;
    nodes.set(id, { id, name: d.name, version: d.version, kind, requested: d.requested, vulnerabilities });
  }
  const edges: GraphEdge[] = [];
  const missing: { from: string; requirement: string }[] = [];
  const seen = new Set<string>();
  for (const d of environment.distributions) {
    const from = normalizeName(d.name);
    for (const r of d.requires) {
      const to = normalizeName(r.name);
      const requirement = `${r.name}${r.specifier ? ` ${r.specifier}` : ''}${r.marker ? `; ${r.marker}` : ''}`;
      if (!nodes.has(to)) {
        missing.push({ from: d.name, requirement });
        continue;
      }
      const key = `${from}\n${to}`;
      if (seen.has(key) || from === to) continue;
      seen.add(key);
      edges.push({ from, to, label: `${d.name} → ${requirement}` });
    }
  }
  return { nodes: [...nodes.values()], edges, missing };
}
