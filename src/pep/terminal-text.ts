/**
 * Text from outside made safe to write to a terminal: the one rule every message that quotes
 * an index, a wheel, a link, a file name or a network error passes through before it reaches
 * xterm.
 *
 * A terminal reads some characters as commands, not text: ESC and CSI (`\x1b[2J` clears the
 * screen, `\x1b[H` moves the cursor home, so a package Summary could wipe the screen and draw
 * its own "Successfully installed" line), the other C0 and C1 controls (BEL, backspace, carriage
 * return, which overwrite what was printed), DEL; and the Unicode bidirectional controls
 * (Bidi_Control, UAX #9), which reorder what is displayed so that text reads other than it is
 * (CVE-2021-42574, "Trojan Source"). Each is shown as Python's `repr()` shows it (`\x1b`,
 * `\r`, `\x9b`, `\u202e`); newline and tab stay, so messages keep their lines. pip prints
 * such text with `%r` or as is and leaves it to the terminal; a browser playground fed by
 * strangers can't, so it is stricter.
 *
 * Lives in pep/ because every folder that words a message (index, install, share, pip, shell,
 * runtime, ui) imports pep/ and nothing lower exists: share/ and install/ import pep/ alone.
 */
import { pyReprEscape } from './python-repr';

/** C0 controls but TAB and LF, DEL, C1 controls (CSI `\x9b` among them), and Bidi_Control. */
export const TERMINAL_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const TERMINAL_CONTROLS = new RegExp(TERMINAL_CONTROL.source, 'g');

/** True when `text` holds a character a terminal would act on (see {@link escapeTerminalText}). */
export function hasTerminalControls(text: string): boolean {
  return TERMINAL_CONTROL.test(text);
}

/**
 * `text` with every control character shown as Python's repr shows it; TAB and LF kept.
 * Ex) 'a\x1b[2Jb' -> 'a\\x1b[2Jb'; 'x\ry' -> 'x\\ry'; 'abc\u202edef' -> 'abc\\u202edef'
 */
export function escapeTerminalText(text: string): string {
  return TERMINAL_CONTROL.test(text) ? text.replace(TERMINAL_CONTROLS, pyReprEscape) : text;
}

/**
 * `JSON.stringify(value, null, indent)` with the same characters written as JSON escapes
 * (`\u001b`, `\u009b`, `\u202e`), so JSON output stays JSON and still reaches the terminal
 * without a control character (JSON.stringify escapes only C0 itself).
 */
export function terminalSafeJson(value: unknown, indent?: number): string {
  const json = JSON.stringify(value, null, indent) ?? 'null';
  return TERMINAL_CONTROL.test(json) ? json.replace(TERMINAL_CONTROLS, (c) => `\\u${hex(c.charCodeAt(0), 4)}`) : json;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}
