/**
 * `pip why NAME` (Pipette's): the chains of requirements through which NAME came to be
 * installed, each starting at a distribution the person asked for (it has a REQUESTED file):
 *
 *     webreq==2.0 -> idnax>=2.5,<4 (3.7)
 *     flaskish==3.0 -> jinjaish>=3.1.2 (3.1.4) -> markupish>=2.0 (2.1.5)
 *
 * A chain stops at the first requested distribution going up (that one is reason enough). A
 * distribution nothing requires that was not requested either (left behind when what needed it
 * went) starts a chain too, marked `(not requested)`. It says so when NAME itself was requested,
 * when nothing requested needs it, and when it is not installed. Requirements are read as
 * `pip show` reads them: Requires-Dist whose markers hold here, without extras.
 */
import type { InstalledDist } from '../../install';
import { normalizeName, type NormalizedName, type Requirement } from '../../pep';
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus } from '../command';
import { PipError, PipErrorCode } from '../pip-error';
import { rawVersion } from './install';
import { installedGraph, pinOf, versionSpec } from './tree';

/** More chains than this are counted, not listed (a diamond-heavy tree has very many). */
const MAX_CHAINS = 50;

export const whyCommand: PipCommand = {
  name: 'why',
  summary: 'Show why a package is installed.',
  usage: '%prog [options] <package>',
  description:
    'Show the chains of requirements that brought a package in, each from a\n' +
    'package that was requested (installed by name, not as a dependency). Says\n' +
    'when the package was requested itself, and when nothing requested needs it.',
  groups: [],
  run: runWhy,
};

interface Edge {
  readonly dist: InstalledDist;
  readonly req: Requirement;
}

async function runWhy(run: CommandRun): Promise<number> {
  const { log } = run;
  if (run.args.length !== 1) throw new PipError(PipErrorCode.Command, 'Give one package name: pip why <package> (see "pip help why")');
  const query = run.args[0]!;
  const graph = installedGraph(run);
  const target = graph.dists.get(normalizeName(query));
  if (!target) {
    log.error(`${query} is not installed.`);
    return ExitStatus.Error;
  }

  const requiredBy = new Map<NormalizedName, Edge[]>();
  for (const [name, reqs] of graph.requires) {
    const dist = graph.dists.get(name)!;
    for (const req of reqs) {
      if (!graph.dists.has(req.normalizedName)) continue;
      const list = requiredBy.get(req.normalizedName) ?? [];
      list.push({ dist, req });
      requiredBy.set(req.normalizedName, list);
    }
  }

  // Up from the target, depth first; `path` is the edges from the current node down to the target.
  const chains: string[] = [];
  const walk = (node: InstalledDist, path: readonly Edge[], onPath: ReadonlySet<NormalizedName>): void => {
    for (const edge of requiredBy.get(node.name) ?? []) {
      const parent = edge.dist;
      if (onPath.has(parent.name)) continue; // a cycle
      const steps = [edge, ...path];
      const above = requiredBy.get(parent.name) ?? [];
      if (parent.requested || above.length === 0) chains.push(formatChain(parent, steps, graph.dists));
      else walk(parent, steps, new Set([...onPath, parent.name]));
    }
  };
  walk(target, [], new Set([target.name]));
  chains.sort();

  if (target.requested) log.info(`${pinOf(target)} was requested directly.`);
  for (const chain of chains.slice(0, MAX_CHAINS)) log.info(chain);
  if (chains.length > MAX_CHAINS) log.info(`... and ${chains.length - MAX_CHAINS} more chains`);
  if (!target.requested && chains.length === 0) {
    log.info(`${pinOf(target)} was not requested, and no requested distribution requires it.`);
  }
  return ExitStatus.Success;
}

/** `root==1.0 -> dep>=1 (1.2) -> leaf<3,>=2 (2.5)`: each step the requirement, then what is installed. */
function formatChain(root: InstalledDist, steps: readonly Edge[], dists: ReadonlyMap<NormalizedName, InstalledDist>): string {
  const parts = [`${pinOf(root)}${root.requested ? '' : ' (not requested)'}`];
  for (const { req } of steps) {
    const dist = dists.get(req.normalizedName)!;
    const extras = req.extras.length > 0 ? `[${req.extras.join(',')}]` : '';
    parts.push(`${req.name}${extras}${versionSpec(req)} (${rawVersion(dist)})`);
  }
  return parts.join(' -> ');
}
