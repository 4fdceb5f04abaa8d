// The shell's second public entry, for the page (src/runtime/index.ts passes it on): the pure
// pieces both sides of Comlink share — the line history with its arrow-key navigation and the
// quoting of an argv as the line that would run it — without the interpreter, its builtins and
// the installer's filesystem they bring (design.md: the page never loads the installer).
export { History, historyUp, historyDown, notBrowsing, type HistoryCursor, type HistoryMove } from './history';
export { quoteArgv, shellQuote, type QuoteWhen } from './quote';
