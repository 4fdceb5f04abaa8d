/**
 * `pip tree` (Pipette's, after pipdeptree): installed distributions as a dependency tree.
 *
 *     webreq==2.0
 *     ├── certx [required: >=1, installed: 1.0]
 *     └── idnax [required: >=2.5,<4, installed: 3.7]
 *
 * Roots are the distributions nothing installed requires (`--all`: every one; unlike
 * pipdeptree, a group held only by a dependency cycle gets its first member as a root); `--reverse`
 * turns it round, from what is required down to what requires it
 * (`certx==1.0` / `└── webreq==2.0 [requires: certx>=1]`). Requirements are the Requires-Dist
 * lines whose markers hold here without extras, as `pip show` and `pip check` read them; a
 * missing one shows `installed: ?`. Rendering follows pipdeptree's `render_text` (unicode):
 * children sorted by name, a cycle cut where a name would repeat on its own chain.
 */
import type { InstalledDist } from '../../install';
import { normalizeName, type NormalizedName, type Requirement } from '../../pep';
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus } from '../command';
import { installedDependencies } from '../conflicts';
import { fnmatchPattern } from '../format';
import { environmentDists } from '../installed-env';
import { PipError, PipErrorCode } from '../pip-error';
import { rawVersion } from './install';

export const treeCommand: PipCommand = {
  name: 'tree',
  summary: 'Show installed packages as a dependency tree.',
  usage: '%prog [options]',
  description:
    'Show the installed distributions as a tree of their requirements, like\n' +
    'pipdeptree. Roots are the distributions nothing else requires; each\n' +
    'requirement shows what is required and what is installed. With --reverse,\n' +
    'the tree shows what requires each one.',
  groups: [
    {
      title: 'Tree Options',
      options: [
        { flags: ['-r', '--reverse'], dest: 'reverse', action: 'store_true', help: 'Show the tree reversed: each distribution, then what requires it.' },
        {
          flags: ['-p', '--packages'],
          dest: 'packages',
          action: 'append',
          metavar: 'packages',
          help: 'Only these packages (comma-separated, wildcards allowed) and what is under them.',
        },
        { flags: ['-a', '--all'], dest: 'all', action: 'store_true', help: 'List every distribution at the top level, not only the roots.' },
        { flags: ['-d', '--depth'], dest: 'depth', action: 'store', type: 'int', metavar: 'depth', help: 'Limit the depth of the tree (0 = the top level only).' },
      ],
    },
  ],
  run: runTree,
};

/** The installed distributions and the requirements between them (markers evaluated here). */
export interface InstalledGraph {
  readonly dists: ReadonlyMap<NormalizedName, InstalledDist>;
  /** Each distribution's requirements that apply here, sorted by name (pipdeptree's `sort()`). */
  readonly requires: ReadonlyMap<NormalizedName, readonly Requirement[]>;
}

export function installedGraph(run: CommandRun): InstalledGraph {
  const env = run.ctx.environment.markerEnvironment;
  const dists = new Map<NormalizedName, InstalledDist>();
  for (const d of environmentDists(run)) dists.set(d.name, d);
  const requires = new Map<NormalizedName, Requirement[]>();
  for (const d of dists.values()) requires.set(d.name, [...installedDependencies(d, env)].sort((a, b) => compare(a.normalizedName, b.normalizedName)));
  return { dists, requires };
}

/**
 * pipdeptree's `version_spec`: the specifiers sorted in reverse, so `>` comes before `<`.
 * Ex) `urllib3<3,>=1.21.1` -> `>=1.21.1,<3`; no specifier -> ''.
 */
export function versionSpec(req: Requirement): string {
  return req.specifier.specifiers
    .map((s) => s.toString())
    .sort((a, b) => compare(b, a))
    .join(',');
}

/** `name==version` as the distribution spells itself. */
export function pinOf(dist: InstalledDist): string {
  return `${dist.metadata.name}==${rawVersion(dist)}`;
}

interface TreeNode {
  readonly key: NormalizedName;
  readonly line: string;
  children(): TreeNode[];
}

async function runTree(run: CommandRun): Promise<number> {
  const o = run.options;
  const graph = installedGraph(run);
  const reverse = o.flag('reverse');
  const depth = o.number('depth');
  if (depth !== null && depth < 0) throw new PipError(PipErrorCode.Command, `Invalid depth ${depth}: give 0 or more.`);
  const maxDepth = depth ?? Number.POSITIVE_INFINITY;

  const nodes = reverse ? reverseNodes(graph) : forwardNodes(graph);
  let roots: TreeNode[];
  const patterns = o.list('packages').flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean);
  if (patterns.length > 0) {
    // pipdeptree matches patterns (fnmatch) against the normalized names.
    const regexps = patterns.map((p) => fnmatchPattern(normalizeName(p)));
    const matched = [...nodes.all.values()].filter((n) => regexps.some((r) => r.test(n.key)));
    if (matched.length === 0) throw new PipError(PipErrorCode.Command, `No packages matched using the following patterns: ${patterns.join(', ')}`);
    // A matched package already shown under another matched one is not repeated at the top.
    roots = matched.filter((m) => !matched.some((other) => other !== m && reaches(other, m.key) && !reaches(m, other.key)));
  } else if (o.flag('all')) {
    roots = [...nodes.all.values()];
  } else {
    roots = [...nodes.roots];
    // Distributions only a cycle holds (a needs b, b needs a, nothing else needs either) are no
    // root and hang below none: pipdeptree leaves them out; here the first of each is a root.
    const shown = new Set<NormalizedName>(roots.map((r) => r.key));
    for (const r of roots) collectBelow(r, shown, new Set());
    for (const node of [...nodes.all.values()].sort((a, b) => compare(a.key, b.key))) {
      if (shown.has(node.key)) continue;
      roots.push(node);
      shown.add(node.key);
      collectBelow(node, shown, new Set());
    }
  }
  roots.sort((a, b) => compare(a.key, b.key));
  for (const line of render(roots, maxDepth)) run.log.info(line);
  return ExitStatus.Success;
}

/** Forward: a distribution, then the requirements it has, each with its own below it. */
function forwardNodes(graph: InstalledGraph): { all: Map<NormalizedName, TreeNode>; roots: TreeNode[] } {
  const reqNode = (req: Requirement): TreeNode => {
    const dist = graph.dists.get(req.normalizedName);
    const spec = versionSpec(req) || 'Any';
    return {
      key: req.normalizedName,
      line: `${req.name} [required: ${spec}, installed: ${dist ? rawVersion(dist) : '?'}]`,
      children: () => (dist ? (graph.requires.get(dist.name) ?? []).map(reqNode) : []),
    };
  };
  const all = new Map<NormalizedName, TreeNode>();
  for (const dist of graph.dists.values()) {
    all.set(dist.name, { key: dist.name, line: pinOf(dist), children: () => (graph.requires.get(dist.name) ?? []).map(reqNode) });
  }
  const required = new Set([...graph.requires.values()].flat().map((r) => r.normalizedName));
  return { all, roots: [...all.values()].filter((n) => !required.has(n.key)) };
}

/**
 * Reverse (pipdeptree's `PackageDAG.reverse()`): every required name (installed or not) and
 * every distribution nothing requires is a node; under each, what requires it.
 */
function reverseNodes(graph: InstalledGraph): { all: Map<NormalizedName, TreeNode>; roots: TreeNode[] } {
  const dependents = new Map<NormalizedName, { dist: InstalledDist; req: Requirement }[]>();
  const spelled = new Map<NormalizedName, string>();
  for (const [name, reqs] of graph.requires) {
    for (const req of reqs) {
      const list = dependents.get(req.normalizedName) ?? [];
      list.push({ dist: graph.dists.get(name)!, req });
      dependents.set(req.normalizedName, list);
      if (!spelled.has(req.normalizedName)) spelled.set(req.normalizedName, req.name);
    }
  }
  for (const list of dependents.values()) list.sort((a, b) => compare(a.dist.name, b.dist.name));
  const childrenOf = (key: NormalizedName): TreeNode[] =>
    (dependents.get(key) ?? []).map(({ dist, req }) => ({
      key: dist.name,
      line: `${pinOf(dist)} [requires: ${req.name}${versionSpec(req)}]`,
      children: () => childrenOf(dist.name),
    }));
  const all = new Map<NormalizedName, TreeNode>();
  for (const key of new Set([...dependents.keys(), ...graph.dists.keys()])) {
    const dist = graph.dists.get(key);
    all.set(key, { key, line: dist ? pinOf(dist) : `${spelled.get(key) ?? key}==?`, children: () => childrenOf(key) });
  }
  const requiresSomething = new Set([...graph.requires].filter(([, reqs]) => reqs.length > 0).map(([name]) => name));
  return { all, roots: [...all.values()].filter((n) => !requiresSomething.has(n.key)) };
}

/**
 * pipdeptree's `_render_text_with_unicode`: `├── ` / `└── ` before each child, `│   ` or four
 * spaces carried down; a child whose name is already on its chain is left out (a cycle).
 */
function render(roots: readonly TreeNode[], maxDepth: number): string[] {
  const out: string[] = [];
  const walk = (node: TreeNode, prefix: string, child: { last: boolean } | null, chain: readonly NormalizedName[], depth: number): void => {
    out.push(child ? `${prefix}${child.last ? '└── ' : '├── '}${node.line}` : node.line);
    const nextPrefix = child ? `${prefix}${child.last ? '    ' : '│   '}` : '';
    const children = node.children();
    // pipdeptree decides "last" before leaving out cycles, so a cut last child keeps `├── ` above it.
    children.forEach((c, i) => {
      if (chain.includes(c.key) || depth + 1 > maxDepth) return;
      walk(c, nextPrefix, { last: i === children.length - 1 }, [...chain, c.key], depth + 1);
    });
  };
  for (const root of roots) walk(root, '', null, [], 0);
  return out;
}

function collectBelow(node: TreeNode, into: Set<NormalizedName>, seen: Set<NormalizedName>): void {
  for (const c of node.children()) {
    if (seen.has(c.key)) continue;
    seen.add(c.key);
    into.add(c.key);
    collectBelow(c, into, seen);
  }
}

function reaches(from: TreeNode, key: NormalizedName): boolean {
  const below = new Set<NormalizedName>();
  collectBelow(from, below, new Set([from.key]));
  return below.has(key);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
