/**
 * Questions pip asks the person, answered at the terminal (`ctx.prompt`): pip's own `ask`
 * (`utils/misc.py`: the answer stripped and lower-cased, asked again until it is one of the
 * options; `Proceed (Y/n)? ` takes y, n or Enter for yes) and click's `confirm`, which pip-tools'
 * `pip-sync --ask` uses (`[y/N]: `, Enter for the default).
 *
 * End of input (Ctrl+D) or Ctrl+C at a question cancels the command: `ERROR: Operation
 * cancelled by user`, as pip says when Ctrl+C stops it.
 */
import type { PipContext } from './context';
import { pyRepr } from './format';

/** Whether anyone can answer (a terminal is there); pip's --no-input / PIP_NO_INPUT say no one may. */
export function canAsk(ctx: PipContext, noInput: boolean): boolean {
  return ctx.prompt !== undefined && !noInput;
}

/** pip's `ask(message, options)`: the answer, once it is one of `options`. */
export async function ask(ctx: PipContext, message: string, options: readonly string[]): Promise<string> {
  for (;;) {
    const response = (await read(ctx, message)).trim().toLowerCase();
    if (options.includes(response)) return response;
    ctx.out.stdout(`Your response (${pyRepr(response)}) was not one of the expected responses: ${options.join(', ')}\n`);
  }
}

/** pip uninstall's `_allowed_to_proceed`: `Proceed (Y/n)? `, anything but n goes ahead. */
export async function askToProceed(ctx: PipContext): Promise<boolean> {
  return (await ask(ctx, 'Proceed (Y/n)? ', ['y', 'n', ''])) !== 'n';
}

/** click's `confirm(text, default)`: y/yes/n/no in any case, Enter for the default; `Error: invalid input` otherwise. */
export async function confirm(ctx: PipContext, text: string, defaultYes = false): Promise<boolean> {
  const message = `${text} ${defaultYes ? '[Y/n]' : '[y/N]'}: `;
  for (;;) {
    const response = (await read(ctx, message)).trim().toLowerCase();
    if (response === '') return defaultYes;
    if (response === 'y' || response === 'yes') return true;
    if (response === 'n' || response === 'no') return false;
    ctx.out.stderr('Error: invalid input\n');
  }
}

async function read(ctx: PipContext, message: string): Promise<string> {
  const line = ctx.signal?.aborted ? null : await ctx.prompt!(message);
  // pip's KeyboardInterrupt handling: the command stops with `Operation cancelled by user`.
  if (line === null) throw new DOMException('Operation cancelled by user', 'AbortError');
  return line;
}
