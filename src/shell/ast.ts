/**
 * The syntax tree of a command line: the subset of the POSIX shell grammar (XCU 2.10) that a
 * pip tutorial types. Positions are offsets into the parsed input, for carets in messages.
 *
 *   script    = and_or { (';' | '&' | newline) and_or } [';' | newline]
 *   and_or    = pipeline { ('&&' | '||') newline* pipeline }
 *   pipeline  = ['!'] command { '|' newline* command }
 *   command   = { assignment | word | redirect }+
 */

/** A piece of a word before expansion. `quoted` text is never split or globbed. */
export type WordPart =
  | { readonly kind: 'text'; readonly text: string; readonly quoted: boolean }
  /** `$NAME`, `${NAME}`, `$?`, `$#`, `$0`...: expanded from the shell's variables. */
  | { readonly kind: 'var'; readonly name: string; readonly quoted: boolean }
  /** An unquoted `~` starting a word: `$HOME`. */
  | { readonly kind: 'tilde' };

export interface Word {
  readonly parts: readonly WordPart[];
  /** The word as typed, quotes included (for completion and messages). */
  readonly raw: string;
  readonly start: number;
  readonly end: number;
}

export type RedirectMode = 'read' | 'write' | 'append';

export type Redirect =
  /** `< f`, `> f`, `>> f`, `2> f`, `2>> f`. */
  | { readonly kind: 'file'; readonly fd: number; readonly mode: RedirectMode; readonly target: Word }
  /** `&> f`, `&>> f`: stdout and stderr both. */
  | { readonly kind: 'both'; readonly mode: 'write' | 'append'; readonly target: Word }
  /** `2>&1`, `>&2`: fd becomes a copy of `to`. */
  | { readonly kind: 'dup'; readonly fd: number; readonly to: number };

/** `NAME=value` before a command (or alone: sets a shell variable). */
export interface Assignment {
  readonly name: string;
  readonly value: Word;
}

export interface SimpleCommand {
  readonly assignments: readonly Assignment[];
  readonly words: readonly Word[];
  /** In the order written: `2>&1 > f` and `> f 2>&1` differ. */
  readonly redirects: readonly Redirect[];
  readonly start: number;
  readonly end: number;
}

export interface Pipeline {
  /** `! cmd`: the status is inverted. */
  readonly negated: boolean;
  readonly commands: readonly SimpleCommand[];
}

export interface AndOr {
  readonly first: Pipeline;
  readonly rest: readonly { readonly op: '&&' | '||'; readonly pipeline: Pipeline }[];
}

export interface Script {
  readonly items: readonly AndOr[];
}
