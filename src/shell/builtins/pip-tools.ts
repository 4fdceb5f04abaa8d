import type { Builtin, BuiltinContext } from './context';

/**
 * The tools the pip tutorials run next to pip, as commands: pip-tools' `pip-compile` and
 * `pip-sync`, and PyPA's `pip-audit`. Each is Pipette's pip command of the same purpose
 * (`pip compile`, `pip sync`, `pip audit`), which takes those tools' option names for what they
 * do (`pip-compile --upgrade-package`, `--generate-hashes`; `pip-audit -r`, `--fix`); pip-audit's
 * argparse spellings (`--desc on`, `--requirement=FILE`) are read here.
 */
export const pipCompile: Builtin = (args, ctx) => asPipCommand('pip-compile', 'compile', args, ctx);
export const pipSync: Builtin = (args, ctx) => asPipCommand('pip-sync', 'sync', args, ctx);

export const pipAudit: Builtin = async (args, ctx) => {
  const translated = translateAuditArgs(args);
  if (translated.kind === 'error') {
    ctx.stderr(`usage: pip-audit [-h] [-V] [-l] [-r REQUIREMENT] [--fix] [--dry-run] [--strict] [--desc [{on,off,auto}]] [--aliases [{on,off,auto}]] [--ignore-vuln ID] [--path PATH] [-i INDEX_URL]\npip-audit: error: ${translated.message}\n`);
    return 2;
  }
  if (translated.kind === 'special') return asPipCommand('pip-audit', 'audit', [translated.flag], ctx);
  return ctx.shell.host.pip(['audit', ...translated.argv], ctx);
};

async function asPipCommand(tool: string, command: string, args: readonly string[], ctx: BuiltinContext): Promise<number> {
  if (args.includes('--version') || (tool === 'pip-audit' && args.includes('-V'))) {
    ctx.stdout(`${tool}: Pipette's pip ${command}, in `);
    return ctx.shell.host.pip(['--version'], ctx);
  }
  if (args.includes('--help') || args.includes('-h')) ctx.stdout(`${tool} runs Pipette's pip ${command}, with these options:\n\n`);
  return ctx.shell.host.pip([command, ...args], ctx);
}

type Translated = { kind: 'argv'; argv: string[] } | { kind: 'special'; flag: '--help' | '--version' } | { kind: 'error'; message: string };

/** pip-audit's command line (argparse) -> `pip audit`'s. */
export function translateAuditArgs(args: readonly string[]): Translated {
  const argv: string[] = [];
  const CHOICES = ['on', 'off', 'auto'];
  for (let i = 0; i < args.length; i++) {
    let arg = args[i]!;
    let inline: string | undefined;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    if (eq > 0) [arg, inline] = [arg.slice(0, eq), arg.slice(eq + 1)];
    else if (/^-[rio]./.test(arg)) [arg, inline] = [arg.slice(0, 2), arg.slice(2)];
    const value = (): string | null => inline ?? args[++i] ?? null;
    switch (arg) {
      case '-h':
      case '--help':
        return { kind: 'special', flag: '--help' };
      case '-V':
      case '--version':
        return { kind: 'special', flag: '--version' };
      case '-r':
      case '--requirement':
      case '--path':
      case '--ignore-vuln':
      case '-i':
      case '--index-url':
      case '--extra-index-url':
      case '--timeout': {
        const v = value();
        if (v === null) return { kind: 'error', message: `argument ${arg}: expected one argument` };
        const name = arg === '-r' ? '--requirement' : arg === '-i' ? '--index-url' : arg;
        argv.push(name, v);
        break;
      }
      case '--fix':
      case '--dry-run':
      case '--strict':
      case '--no-deps':
      case '-v':
      case '--verbose':
        argv.push(arg === '--verbose' ? '-v' : arg);
        break;
      case '--desc':
      case '--aliases': {
        // `--desc` alone is `on`; `auto` shows descriptions in the columns format too.
        let choice = inline;
        if (choice === undefined && CHOICES.includes(args[i + 1] ?? '')) choice = args[++i];
        if (choice !== undefined && !CHOICES.includes(choice)) return { kind: 'error', message: `argument ${arg}: invalid choice: '${choice}' (choose from 'on', 'off', 'auto')` };
        if (choice !== 'off') argv.push(arg);
        break;
      }
      case '-s':
      case '--vulnerability-service': {
        const v = value();
        if (v !== 'pypi') return { kind: 'error', message: `argument ${arg}: only 'pypi' is available here (the vulnerability data of PyPI's JSON API)` };
        break;
      }
      case '-f':
      case '--format': {
        const v = value();
        if (v !== 'columns') return { kind: 'error', message: `argument ${arg}: only 'columns' is available here` };
        break;
      }
      case '-l':
      case '--local':
      case '--skip-editable':
      case '--disable-pip':
      case '--require-hashes':
        break; // what they ask is what Pipette does anyway: installed packages, wheels, hash-checked downloads
      case '--progress-spinner':
        if (inline === undefined && CHOICES.includes(args[i + 1] ?? '')) i++;
        break;
      case '--cache-dir':
        value();
        break;
      case '-o':
      case '--output':
        return { kind: 'error', message: `argument ${arg}: writing the report to a file is not available here; redirect it instead (pip-audit > report.txt)` };
      default:
        if (!arg.startsWith('-')) return { kind: 'error', message: `auditing the project in ${arg} needs its build backend; list its requirements in a file and audit that with -r FILE` };
        return { kind: 'error', message: `unrecognized arguments: ${args[i]}` };
    }
  }
  return { kind: 'argv', argv };
}
