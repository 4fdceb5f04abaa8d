/**
 * `pip cache dir|info|list|remove|purge` (pip `commands/cache.py`) over Pipette's cache: index
 * pages, metadata files and downloaded wheels (pip's HTTP cache and wheel cache in one store).
 * `list` and `remove` work on the wheels, with pip's pattern rule (`name` -> `name-*.whl`,
 * `name-1.0` -> `name-1.0*.whl`); `remove '*'` and `purge` also drop index pages.
 */
import type { CacheEntryInfo } from '../../index';
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus, sourceOptionsFrom } from '../command';
import { formatSize, fnmatchPattern } from '../format';
import { PipError, PipErrorCode } from '../pip-error';

export const cacheCommand: PipCommand = {
  name: 'cache',
  summary: "Inspect and manage pip's wheel cache.",
  usage: ['%prog dir', '%prog info', '%prog list [<pattern>] [--format=[human, abspath]]', '%prog remove <pattern>', '%prog purge'].join('\n'),
  description:
    "Inspect and manage pip's wheel cache.\n\nSubcommands:\n\n- dir: Show the cache directory.\n- info: Show information about the cache.\n- list: List filenames of packages stored in the cache.\n- remove: Remove one or more package from the cache.\n- purge: Remove all items from the cache.\n\n``<pattern>`` can be a glob expression or a package name.",
  groups: [
    {
      title: 'Cache Options',
      options: [
        {
          flags: ['--format'],
          dest: 'listFormat',
          action: 'store',
          default: 'human',
          choices: ['human', 'abspath'],
          metavar: 'list_format',
          help: 'Select the output format among: human (default) or abspath',
        },
      ],
    },
  ],
  run: runCache,
};

const ACTIONS = ['dir', 'info', 'list', 'purge', 'remove'] as const;

async function runCache(run: CommandRun): Promise<number> {
  const { ctx, log } = run;
  if (run.options.flag('noCacheDir')) {
    log.error('pip cache commands can not function since cache is disabled.');
    return ExitStatus.Error;
  }
  const [action, ...args] = run.args;
  if (action === undefined || !(ACTIONS as readonly string[]).includes(action)) {
    log.error(`Need an action (${ACTIONS.join(', ')}) to perform.`);
    return ExitStatus.Error;
  }
  const cache = ctx.source(sourceOptionsFrom(run)).cache;
  const location = ctx.cacheLocation ?? 'memory (this session only)';
  try {
    switch (action) {
      case 'dir':
        noArgs(args);
        log.info(location);
        break;
      case 'info': {
        noArgs(args);
        const entries = await cache.list();
        // A wheel's compiled modules are kept beside it and counted with the wheels.
        const files = entries.filter((e) => e.kind === 'file');
        const http = entries.filter((e) => e.kind !== 'file' && e.kind !== 'bytecode' && e.kind !== 'built');
        const beside = entries.filter((e) => e.kind === 'bytecode');
        log.info(
          [
            `Package index page cache location: ${location}`,
            `Package index page cache size: ${formatSize(sum(http))}`,
            `Number of HTTP files: ${http.length}`,
            `Wheels location: ${location}`,
            `Wheels size: ${formatSize(sum(files) + sum(beside))}`,
            `Number of wheels: ${files.length}`,
          ].join('\n'),
        );
        break;
      }
      case 'list': {
        if (args.length > 1) throw new PipError(PipErrorCode.Command, 'Too many arguments');
        const files = wheels(await cache.list(), args[0] ?? '*');
        if (run.options.string('listFormat') === 'abspath') {
          if (files.length > 0) log.info(files.map((f) => `${location}/${f.key}`).sort().join('\n'));
        } else if (files.length === 0) {
          log.info('No wheels cached.');
        } else {
          log.info('Cache contents:\n');
          log.info(files.map((f) => ` - ${f.name} (${formatSize(f.size ?? 0)})`).sort().join('\n'));
        }
        break;
      }
      case 'remove':
      case 'purge': {
        if (action === 'purge' && args.length > 0) throw new PipError(PipErrorCode.Command, 'Too many arguments');
        if (args.length > 1) throw new PipError(PipErrorCode.Command, 'Too many arguments');
        const pattern = action === 'purge' ? '*' : args[0];
        if (pattern === undefined) throw new PipError(PipErrorCode.Command, 'Please provide a pattern');
        const entries = await cache.list();
        const chosen = wheels(entries, pattern);
        const names = new Set(chosen.map((f) => f.name));
        // A wheel's metadata and compiled modules go with it; `*` empties the cache (pages too), as pip's does.
        const doomed =
          pattern === '*'
            ? entries
            : entries.filter((e) => (e.kind === 'file' || e.kind === 'bytecode' ? names.has(e.name) : e.kind === 'metadata' && names.has(e.name.replace(/\.metadata$/, ''))));
        if (chosen.length === 0 && doomed.length === 0) {
          log.warning(pattern === '*' ? 'No matching packages' : `No matching packages for pattern "${pattern}"`);
        }
        const keys = new Set(doomed.map((e) => e.key));
        await cache.purge((e) => keys.has(e.key));
        for (const e of doomed) log.verbose(`Removed ${e.name}`);
        log.info(`Files removed: ${doomed.length} (${formatSize(sum(doomed))})`);
        break;
      }
    }
  } catch (error) {
    if (error instanceof PipError) {
      log.error(error.message);
      return ExitStatus.Error;
    }
    throw error;
  }
  return ExitStatus.Success;
}

function noArgs(args: readonly string[]): void {
  if (args.length > 0) throw new PipError(PipErrorCode.Command, 'Too many arguments');
}

function sum(entries: readonly CacheEntryInfo[]): number {
  return entries.reduce((n, e) => n + (e.size ?? 0), 0);
}

/** pip's `_find_wheels`: `pattern-*.whl`, or `pattern*.whl` when it names a version too. */
function wheels(entries: readonly CacheEntryInfo[], pattern: string): CacheEntryInfo[] {
  const re = fnmatchPattern(pattern + (pattern.includes('-') ? '*.whl' : '-*.whl'));
  return entries.filter((e) => e.kind === 'file' && re.test(e.name));
}
