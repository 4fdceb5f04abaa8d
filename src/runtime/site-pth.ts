import type { PyodideAPI } from 'pyodide';
import type { PyCallable } from 'pyodide/ffi';
import { INVALIDATE_CACHES_PY } from './import-caches';
import { privateFunction } from './py-namespace';

/**
 * `.pth` files of the active environment, as `site` handles them when Python starts (CPython
 * `site.addpackage`): each path line appended to `sys.path`, each `import` line run. Python
 * starts once per tab here, so they are handled when they change instead: after an install or
 * uninstall, and when another environment becomes active.
 *
 * What an editable install puts there (PEP 660: setuptools' `__editable__.x.pth` with the
 * project's folder, or an `import` line installing its finder; hatchling's and flit's `_x.pth`)
 * then takes effect at once, and the project's files are imported from where the person edits
 * them. What a `.pth` added is taken back when the file goes (uninstall, another environment):
 * its `sys.path` entries, the finders it put on `sys.meta_path`, the modules it imported.
 */
const SITE_PTH_PY = `
import json, os, sys

_state = {}

def _undo(path):
    record = _state.pop(path)
    for p in record["paths"]:
        while p in sys.path:
            sys.path.remove(p)
        sys.path_importer_cache.pop(p, None)
    for finder in record["finders"]:
        sys.meta_path[:] = [m for m in sys.meta_path if m is not finder]
    for name in record["modules"]:
        sys.modules.pop(name, None)

def _process(sitedir, path, content):
    before_path = list(sys.path)
    before_meta = list(sys.meta_path)
    before_modules = set(sys.modules)
    for n, line in enumerate(content.splitlines(), 1):
        if line.startswith("#") or not line.strip():
            continue
        try:
            if line.startswith(("import ", "import\\t")):
                exec(line)
                continue
            entry = os.path.join(sitedir, line.rstrip())
            if os.path.exists(entry) and entry not in sys.path:
                sys.path.append(entry)
        except Exception as e:
            print("Error processing line %d of %s:\\n  %s: %s\\nRemainder of file ignored" % (n, path, type(e).__name__, e), file=sys.stderr)
            break
    return {
        "content": content,
        "paths": [p for p in sys.path if p not in before_path],
        "finders": [m for m in sys.meta_path if not any(m is b for b in before_meta)],
        "modules": [m for m in sys.modules if m not in before_modules],
    }

def refresh(request):
    r = json.loads(request)
    present = {}
    for d in r["sitedirs"]:
        try:
            names = sorted(n for n in os.listdir(d) if n.endswith(".pth") and not n.startswith("."))
        except OSError:
            continue
        for n in names:
            present[os.path.join(d, n)] = d
    for path in list(_state):
        if path not in present:
            _undo(path)
    for path, sitedir in present.items():
        try:
            with open(path, encoding="utf-8-sig") as f:
                content = f.read()
        except (OSError, UnicodeDecodeError):
            continue
        record = _state.get(path)
        if record is not None and record["content"] == content:
            continue
        if record is not None:
            _undo(path)
        if r["prime"]:
            _state[path] = {"content": content, "paths": [], "finders": [], "modules": []}
        else:
            _state[path] = _process(sitedir, path, content)
    # Priming changes nothing on sys.path, so there is no import cache to invalidate.
    if not r["prime"]:
        __pipette_invalidate_caches()

refresh
`;

export class SitePth {
  private readonly fn: PyCallable;

  constructor(pyodide: PyodideAPI) {
    this.fn = privateFunction(pyodide, INVALIDATE_CACHES_PY + SITE_PTH_PY);
  }

  /** Takes the `.pth` files already in `sitedirs` as handled (Python's own `site` ran them at boot). */
  prime(sitedirs: readonly string[]): void {
    this.fn(JSON.stringify({ sitedirs, prime: true }));
  }

  /** Handles new and changed `.pth` files of `sitedirs`, and undoes those gone or elsewhere. */
  refresh(sitedirs: readonly string[]): void {
    this.fn(JSON.stringify({ sitedirs, prime: false }));
  }
}
