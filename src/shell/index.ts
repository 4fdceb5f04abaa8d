// Public surface of src/shell: the terminal's command language.

export { Shell, DEFAULT_PATH, type ShellOptions, type RunIo, type RunResult } from './interpreter';
export type {
  ShellHost,
  ShellFs,
  ShellStat,
  CommandContext,
  Writer,
  PythonInvocation,
  VenvRequest,
  VenvInfo,
} from './host';
export { MemoryShellFs } from './memory-shell-fs';
export { parseScript } from './parser';
export { shellQuote, quoteArgv, type QuoteWhen } from './quote';
export { tokenize, type Token } from './tokenizer';
export { ShellParseError } from './syntax-error';
export type { Script, AndOr, Pipeline, SimpleCommand, Word, WordPart, Redirect, Assignment } from './ast';
export { completeLine, commonPrefix, PIP_COMMANDS, type Completion, type CompletionSource } from './completion';
export { History, historyUp, historyDown, notBrowsing, type HistoryCursor, type HistoryMove } from './history';
export { formatPrompt, type PromptState } from './prompt';
export { routePython, routeVenv, type PythonRoute } from './python-args';
export { SHELL_HELP } from './help';
export { BUILTINS } from './builtins';
export { removeTree } from './builtins/files';
export { parseVenvArgs, VENV_USAGE, type VenvArgs, type VenvCreateRequest } from './venv-args';
