import { splitWords } from './words';

/**
 * What one line typed at the prompt asks for. The full shell (pipes, redirects, cd, venvs)
 * grows from here; for now: pip, `python -m pip`, `python -c CODE`, clear, help.
 */
export type Command =
  | { readonly kind: 'pip'; readonly argv: string[] }
  | { readonly kind: 'python'; readonly code: string }
  | { readonly kind: 'clear' }
  | { readonly kind: 'help' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'error'; readonly message: string };

export const HELP_TEXT = [
  'Commands:',
  '  pip COMMAND [OPTIONS]     pip itself: install, uninstall, list, show, freeze, download, ...',
  '  python -m pip ...         the same pip',
  "  python -c 'CODE'          run Python code",
  '  clear                     clear the screen',
  '  help                      this text',
].join('\n');

export function parseCommandLine(line: string): Command {
  let words: string[];
  try {
    words = splitWords(line);
  } catch (e) {
    return { kind: 'error', message: `pipette: syntax error: ${e instanceof Error ? e.message : String(e)}` };
  }
  const [head, ...rest] = words;
  if (head === undefined) return { kind: 'empty' };
  if (head === 'pip' || head === 'pip3') return { kind: 'pip', argv: rest };
  if (head === 'python' || head === 'python3') {
    if (rest[0] === '-m' && rest[1] === 'pip') return { kind: 'pip', argv: rest.slice(2) };
    if (rest[0] === '-c' && rest.length >= 2) return { kind: 'python', code: rest[1]! };
    return { kind: 'error', message: "python: this prompt runs `python -c 'CODE'` and `python -m pip ...`; an interactive interpreter and scripts arrive with the editor." };
  }
  if (head === 'clear') return { kind: 'clear' };
  if (head === 'help') return { kind: 'help' };
  return { kind: 'error', message: `pipette: command not found: ${head}\nType help to see the commands.` };
}
