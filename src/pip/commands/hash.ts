/**
 * `pip hash` (pip `commands/hash.py`): the `--hash` option line for files in the virtual
 * filesystem.
 */
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus } from '../command';
import { resolvePath } from '../format';
import { digestHex, HASH_ALGORITHMS, type HashAlgorithm } from '../hashes';
import { formatUsage } from '../options';
import { PipError, PipErrorCode } from '../pip-error';

export const hashCommand: PipCommand = {
  name: 'hash',
  summary: 'Compute hashes of package archives.',
  usage: '%prog [options] <file> ...',
  description: 'Compute a hash of a local package archive.\n\nThese can be used with --hash in a requirements file to do repeatable\ninstalls.',
  groups: [
    {
      title: 'Hash Options',
      options: [
        {
          flags: ['-a', '--algorithm'],
          dest: 'algorithm',
          action: 'store',
          choices: HASH_ALGORITHMS,
          default: 'sha256',
          metavar: 'algorithm',
          help: `The hash algorithm to use: one of ${HASH_ALGORITHMS.join(', ')}`,
        },
      ],
    },
  ],
  run: runHash,
};

async function runHash(run: CommandRun): Promise<number> {
  const { ctx, log } = run;
  if (run.args.length === 0) {
    ctx.out.stderr(`${formatUsage('pip hash', hashCommand.usage)}\n`);
    return ExitStatus.Error;
  }
  const algorithm = (run.options.string('algorithm') ?? 'sha256') as HashAlgorithm;
  for (const path of run.args) {
    const bytes = ctx.fs.readFile(resolvePath(ctx.cwd, path));
    if (bytes === null) throw new PipError(PipErrorCode.File, `[Errno 2] No such file or directory: '${path}'`);
    log.info(`${path}:\n--hash=${algorithm}:${await digestHex(algorithm, bytes)}`);
  }
  return ExitStatus.Success;
}
