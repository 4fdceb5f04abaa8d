import { escapeTerminalText } from '../pep';
import { tildePath } from './path';

export interface PromptState {
  readonly user: string;
  readonly hostname: string;
  readonly cwd: string;
  readonly home: string;
  /** The active venv's prompt name, or null. */
  readonly venv: string | null;
}

/**
 * Debian's default bash prompt (`\u@\h:\w\$ `), with the `(NAME) ` that a venv's activate
 * script puts in front. Ex) (venv) user@pipette:~/project$
 * The directory and the venv's name may come from outside (a folder a wheel made, a
 * `pyvenv.cfg` prompt): their control characters are shown escaped, never sent to the terminal.
 */
export function formatPrompt(state: PromptState): string {
  const venv = state.venv === null ? '' : `(${escapeTerminalText(state.venv)}) `;
  const sign = state.user === 'root' ? '#' : '$';
  return `${venv}${state.user}@${state.hostname}:${escapeTerminalText(tildePath(state.cwd, state.home))}${sign} `;
}
