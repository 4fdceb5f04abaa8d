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
 */
export function formatPrompt(state: PromptState): string {
  const venv = state.venv === null ? '' : `(${state.venv}) `;
  const sign = state.user === 'root' ? '#' : '$';
  return `${venv}${state.user}@${state.hostname}:${tildePath(state.cwd, state.home)}${sign} `;
}
