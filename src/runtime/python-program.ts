/**
 * What every way of running Python here ends the same way as CPython's main does: a SystemExit
 * becomes the exit status (`sys.exit("message")` prints the message, status 1), and an uncaught
 * exception is printed as a traceback of the person's frames only: the runner's (compiled as
 * `<pipette>`) and runpy's are left out. A module runpy cannot find (`python -m build`) is
 * CPython's one line, `python: No module named build`, not a traceback with no frames.
 * Shared by the program runner and the REPL's `python -i` (Python source, defined in each
 * namespace that runs programs).
 */
export const PROGRAM_HELPERS_PY = `
import os as _os, sys as _sys, traceback as _traceback

def _exit_status(e):
    if e.code is None:
        return 0
    if isinstance(e.code, int):
        return e.code
    print(e.code, file=_sys.stderr)
    return 1

def _show_exception(e, kind):
    frames = [f for f in _traceback.extract_tb(e.__traceback__) if f.filename not in ("<pipette>", "<frozen runpy>") and not f.filename.endswith("/runpy.py")]
    if kind == "module" and isinstance(e, ImportError) and not frames:
        print(f"{_os.path.basename(_sys.executable) or 'python'}: {e}", file=_sys.stderr)
        return 1
    text = "".join(_traceback.format_list(frames))
    print("Traceback (most recent call last):\\n" + text + "".join(_traceback.format_exception_only(type(e), e)), end="", file=_sys.stderr)
    return 1
`;
