import type { PyodideAPI } from 'pyodide';
import type { PyCallable } from 'pyodide/ffi';
import { MODULE_PLACES_PY, privateFunction } from './py-namespace';
import { INVALIDATE_CACHES_PY } from './import-caches';
import { SitePth } from './site-pth';

/**
 * Switches the tab's one interpreter between environments, doing in place what starting
 * `NAME/bin/python` does on a real system (PEP 405; CPython's `site.venv()`) plus what
 * `source NAME/bin/activate` sets:
 * - `sys.prefix` / `sys.exec_prefix` become the environment's prefix (`sys.base_prefix` stays
 *   `/`), `site.PREFIXES` follows, so `site.getsitepackages()` names the venv's;
 * - on `sys.path`, every environment's site-packages is taken out and the target's put where the
 *   base one was (the base one after it only with `include-system-site-packages = true`);
 * - every module imported from a site-packages that is no longer on the path is dropped from
 *   `sys.modules`, so `import a` finds the new environment's `a` or nothing;
 * - importlib's caches (path finders, `importlib.metadata`'s) are invalidated;
 * - `VIRTUAL_ENV`, `VIRTUAL_ENV_PROMPT` and `PATH` are set as bin/activate sets them, and
 *   `sys.executable` is the venv's `bin/python`.
 */
const SWITCH_PY = `
import json, os, site, sys

_original = {"executable": sys.executable, "PATH": os.environ.get("PATH", "")}

def _norm(p):
    return os.path.normpath(p) if p else p

def _inside(place, dirs):
    return any(place == d or place.startswith(d + "/") for d in dirs)

def switch(request_json):
    r = json.loads(request_json)
    visible = [_norm(p) for p in r["visible"]]
    every = {_norm(p) for p in r["every"]} | set(visible)
    hidden = [p for p in every if p not in visible]

    kept, at = [], None
    for entry in sys.path:
        if _norm(entry) in every:
            if at is None:
                at = len(kept)
            continue
        kept.append(entry)
    if at is None:
        at = len(kept)
    kept[at:at] = visible
    sys.path[:] = kept
    for p in every:
        sys.path_importer_cache.pop(p, None)

    dropped = []
    for name, module in list(sys.modules.items()):
        if module is None:
            continue
        if any(_inside(p, hidden) for p in __pipette_module_places(module)):
            del sys.modules[name]
            dropped.append(name)

    prefix = r["prefix"]
    sys.prefix = sys.exec_prefix = prefix
    site.PREFIXES[:] = [prefix] + ([sys.base_prefix] if r["system"] else [])
    if r["venv"]:
        os.environ["VIRTUAL_ENV"] = prefix
        os.environ["VIRTUAL_ENV_PROMPT"] = r["prompt"]
        os.environ["PATH"] = prefix + "/bin" + (":" + _original["PATH"] if _original["PATH"] else "")
        sys.executable = prefix + "/bin/python"
    else:
        os.environ.pop("VIRTUAL_ENV", None)
        os.environ.pop("VIRTUAL_ENV_PROMPT", None)
        os.environ["PATH"] = _original["PATH"]
        sys.executable = _original["executable"]
    __pipette_invalidate_caches()
    return json.dumps(sorted(dropped))

switch
`;

export interface SwitchRequest {
  /** The environment's prefix (`/` for the base one). */
  readonly prefix: string;
  /** Its site-packages directories in sys.path order. */
  readonly visible: readonly string[];
  /** The site-packages of every known environment (those not visible are hidden). */
  readonly every: readonly string[];
  readonly venv: boolean;
  /** `VIRTUAL_ENV_PROMPT` (the venv's prompt or directory name). */
  readonly prompt: string;
  /** include-system-site-packages. */
  readonly system: boolean;
}

export class InterpreterSwitch {
  private readonly fn: PyCallable;
  /** `.pth` files of the visible site-packages (site-pth.ts). */
  private readonly pth: SitePth;
  private visible: readonly string[];

  constructor(pyodide: PyodideAPI) {
    this.fn = privateFunction(pyodide, MODULE_PLACES_PY + INVALIDATE_CACHES_PY + SWITCH_PY);
    this.pth = new SitePth(pyodide);
    this.visible = JSON.parse(pyodide.runPython('import json, sys; json.dumps([p for p in sys.path if p.endswith("site-packages")])') as string) as string[];
    this.pth.prime(this.visible);
  }

  /** Applies `request`; returns the names of the modules dropped from sys.modules. */
  apply(request: SwitchRequest): string[] {
    const dropped = JSON.parse(this.fn(JSON.stringify(request)) as string) as string[];
    this.visible = request.visible;
    this.pth.refresh(this.visible);
    return dropped;
  }

  /** After site-packages changed (an install, an uninstall): handle its `.pth` files again. */
  refreshSite(): void {
    this.pth.refresh(this.visible);
  }
}
