// Public surface of src/shell: the terminal's command language.
export { splitWords, ShellSyntaxError } from './words';
export { parseCommandLine, HELP_TEXT, type Command } from './command-line';
