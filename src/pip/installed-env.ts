/**
 * The installed distributions a command looks at: the environment's site-packages, or the
 * directories given with `--path` (pip's `get_environment(paths)`).
 */
import { listInstalled, type InstalledDist } from '../install';
import type { CommandRun } from './command';
import { resolvePath } from './format';

export function environmentDists(run: CommandRun): InstalledDist[] {
  const paths = run.options.list('paths');
  if (paths.length === 0) return listInstalled(run.ctx.fs, run.ctx.environment.scheme.purelib);
  const seen = new Set<string>();
  const out: InstalledDist[] = [];
  for (const p of paths) {
    for (const dist of listInstalled(run.ctx.fs, resolvePath(run.ctx.cwd, p))) {
      if (seen.has(dist.name)) continue; // the first on the path wins, as on sys.path
      seen.add(dist.name);
      out.push(dist);
    }
  }
  return out;
}

/** `--path` as list and freeze accept it. */
export const pathOption = {
  flags: ['--path'],
  dest: 'paths',
  action: 'append',
  metavar: 'path',
  help: 'Restrict to the specified installation path for listing packages (can be used multiple times).',
} as const;
