// Over 400 lines: one Python module in a template string (the PEP 517 frontend run inside Pyodide).
/**
 * The Python half of Pipette's build frontend, written into the throwaway build folder and run
 * by the interpreter (runtime's BuildPython). A browser tab has no subprocess, so PEP 517 hooks
 * run in this process, through the real pyproject_hooks and the real `build` package with an
 * in-process runner: `runner(cmd, cwd, extra_environ)` runs pyproject_hooks' own
 * `_in_process.py` with `sys.argv = [script, hook, control_dir]`, as a subprocess would, inside
 * an isolation that gives the hook what a fresh `<env>/bin/python` would have:
 * - `sys.path`: the stdlib, then the build environment's site-packages with their `.pth` files
 *   processed (`site.addsitedir`, what a venv's python does at startup); nothing of the
 *   person's environment;
 * - `sys.modules`: only the stdlib's and Pyodide's own modules; a backend importing `packaging`
 *   gets the build environment's, not one the person imported earlier;
 * - `sys.meta_path`: the import system's own finders (an editable install's finder in the
 *   person's environment does not leak into the build);
 * and afterwards every piece of interpreter state it may touch is put back as it was
 * (`sys.path`, `sys.modules`, `sys.meta_path`, path hooks and caches, `os.environ`, the working
 * directory, `sys.argv`, warnings filters, the root logger, the standard streams).
 *
 * A hook that raises ends like a failed subprocess: its traceback on stderr and
 * `subprocess.CalledProcessError`, which is what pyproject_hooks' default runner raises.
 *
 * `run_build` runs `python -m build` (the `build` package installed in the person's
 * environment) with two things replaced: the runner above, and `DefaultIsolatedEnv`, whose
 * `install()` cannot call pip from Python (installing is asynchronous, in JavaScript). When the
 * environment lacks a requirement, `install()` raises `_NeedInstall` (a BaseException, so that
 * build's own `except Exception` does not turn it into a failure); JavaScript installs it with
 * Pipette's resolver and runs the command again; environments keep their contents across runs
 * (they are numbered in creation order), so a rerun goes further each time.
 */
export const FRONTEND_MODULE_NAME = 'pipette_build_frontend.py';

export const FRONTEND_MODULE = String.raw`
# Pipette's PEP 517 frontend, in-process half (written by src/build/frontend-module.ts).
import json, logging, os, runpy, site, subprocess, sys, traceback, warnings, importlib

_KEEP_MODULE_PREFIXES = ("pyodide", "_pyodide", "js", "pyodide_js", "__main__", "__mp_main__")


def _stdlib_paths():
    base = os.path.normpath(os.path.join(sys.base_prefix, "lib"))
    out = []
    for p in sys.path:
        if not p or "site-packages" in p.split("/"):
            continue
        n = os.path.normpath(p)
        if n == base or n.startswith(base + "/"):
            out.append(p)
    return out


def _inside(path, dirs):
    return any(path == d or path.startswith(d.rstrip("/") + "/") for d in dirs)


def _is_stdlib_module(name, module, stdlib):
    if module is None:
        return True
    if name.split(".")[0] in _KEEP_MODULE_PREFIXES:
        return True
    places = []
    f = getattr(module, "__file__", None)
    if isinstance(f, str):
        places.append(f)
    try:
        places.extend(str(p) for p in (getattr(module, "__path__", None) or []))
    except Exception:
        pass
    if not places:
        return True  # built in
    return all(_inside(p, stdlib) for p in places)


class _Isolation:
    """Saves the interpreter state a build may change, and puts it back."""

    def __enter__(self):
        self.path = sys.path[:]
        self.modules = dict(sys.modules)
        self.meta_path = sys.meta_path[:]
        self.path_hooks = sys.path_hooks[:]
        self.importer_cache = dict(sys.path_importer_cache)
        self.environ = dict(os.environ)
        self.cwd = os.getcwd()
        self.argv = sys.argv[:]
        self.filters = warnings.filters[:]
        self.showwarning = warnings.showwarning
        self.root_handlers = logging.root.handlers[:]
        self.root_level = logging.root.level
        self.streams = (sys.stdout, sys.stderr, sys.stdin)
        self.executable = sys.executable
        self.bytecode = (sys.dont_write_bytecode, sys.pycache_prefix)
        return self

    def __exit__(self, *exc):
        sys.stdout, sys.stderr, sys.stdin = self.streams
        sys.path[:] = self.path
        for name in [n for n in sys.modules if n not in self.modules]:
            del sys.modules[name]
        sys.modules.update(self.modules)
        sys.meta_path[:] = self.meta_path
        sys.path_hooks[:] = self.path_hooks
        sys.path_importer_cache.clear()
        sys.path_importer_cache.update(self.importer_cache)
        os.environ.clear()
        os.environ.update(self.environ)
        try:
            os.chdir(self.cwd)
        except OSError:
            pass
        sys.argv[:] = self.argv
        warnings.filters[:] = self.filters
        warnings.showwarning = self.showwarning
        logging.root.handlers[:] = self.root_handlers
        logging.root.setLevel(self.root_level)
        sys.executable = self.executable
        sys.dont_write_bytecode, sys.pycache_prefix = self.bytecode
        importlib.invalidate_caches()
        return False


def _fresh_interpreter(first, sites, executable):
    """What a new python with these site directories would start with (see the module text)."""
    stdlib = _stdlib_paths()
    for name, module in list(sys.modules.items()):
        if not _is_stdlib_module(name, module, stdlib):
            del sys.modules[name]
    sys.meta_path[:] = [f for f in sys.meta_path if (getattr(f, "__module__", None) or type(f).__module__).split(".")[0] in ("_frozen_importlib", "_frozen_importlib_external", "importlib", "_pyodide", "pyodide")]
    sys.path[:] = list(first) + stdlib
    sys.path_importer_cache.clear()
    for d in sites:
        site.addsitedir(d)
    sys.executable = executable
    importlib.invalidate_caches()


def _print_exception(e):
    frames = [f for f in traceback.extract_tb(e.__traceback__) if os.path.basename(f.filename) != "${FRONTEND_MODULE_NAME}" and not f.filename.endswith("/runpy.py") and f.filename != "<frozen runpy>"]
    text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames)) + "".join(traceback.format_exception_only(type(e), e))
    sys.stderr.write(text)
    sys.stderr.flush()


def _run_script(script, argv):
    sys.argv = [script, *argv]
    try:
        runpy.run_path(script, run_name="__main__")
        return 0
    except SystemExit as e:
        if e.code is None:
            return 0
        if isinstance(e.code, int):
            return e.code
        sys.stderr.write(str(e.code) + "\n")
        return 1
    except BaseException as e:
        _print_exception(e)
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def _make_runner(interpreters, quiet=False):
    """A pyproject_hooks runner that runs the hook script in this process."""

    def runner(cmd, cwd=None, extra_environ=None):
        python, script, args = cmd[0], cmd[1], list(cmd[2:])
        sites = interpreters.get(python)
        if sites is None:
            raise RuntimeError("Pipette cannot start %r: it is not a build environment's interpreter" % (python,))
        with _Isolation():
            _fresh_interpreter([os.path.dirname(os.path.abspath(script))], sites, python)
            # Each hook is a fresh interpreter: compiled modules are kept (in the environment's
            # own throwaway folder, never beside anyone's sources) so the next hook imports the
            # backend from bytecode instead of compiling it again.
            sys.pycache_prefix = os.path.join(os.path.dirname(python), "..", "pycache")
            sys.dont_write_bytecode = False
            if extra_environ:
                os.environ.update(extra_environ)
            if cwd:
                os.chdir(cwd)
            if quiet:
                import io
                sys.stdout = io.StringIO()
                sys.stderr = io.StringIO()
            status = _run_script(script, args)
        if status != 0:
            raise subprocess.CalledProcessError(status, cmd)

    return runner


# ---- pip's builds: one hook per call -----------------------------------------------------------

_HOOKS = {
    "get_requires_for_build_wheel": lambda c, r: c.get_requires_for_build_wheel(r["config_settings"]),
    "get_requires_for_build_editable": lambda c, r: c.get_requires_for_build_editable(r["config_settings"]),
    "get_requires_for_build_sdist": lambda c, r: c.get_requires_for_build_sdist(r["config_settings"]),
    "prepare_metadata_for_build_wheel": lambda c, r: c.prepare_metadata_for_build_wheel(r["directory"], r["config_settings"], _allow_fallback=True),
    "prepare_metadata_for_build_editable": lambda c, r: c.prepare_metadata_for_build_editable(r["directory"], r["config_settings"], _allow_fallback=True),
    "build_wheel": lambda c, r: c.build_wheel(r["directory"], r["config_settings"], r.get("metadata_directory")),
    "build_editable": lambda c, r: c.build_editable(r["directory"], r["config_settings"], r.get("metadata_directory")),
    "build_sdist": lambda c, r: c.build_sdist(r["directory"], r["config_settings"]),
    "_supported_features": lambda c, r: c._supported_features(),
}


def call_hook(request_json):
    r = json.loads(request_json)
    with _Isolation():
        # The frontend itself runs like a fresh python that has pyproject_hooks installed.
        _fresh_interpreter([], r["frontend_sites"], r["frontend_python"])
        import pyproject_hooks

        caller = pyproject_hooks.BuildBackendHookCaller(
            r["source_dir"],
            r["backend"],
            backend_path=r["backend_path"] or None,
            runner=_make_runner({r["python"]: r["sites"]}),
            python_executable=r["python"],
        )
        try:
            result = _HOOKS[r["hook"]](caller, r)
            return json.dumps({"ok": True, "result": result})
        except pyproject_hooks.BackendUnavailable as e:
            return json.dumps({"ok": False, "kind": "backend-unavailable", "message": e.message or str(e), "traceback": e.traceback})
        except pyproject_hooks.HookMissing as e:
            return json.dumps({"ok": False, "kind": "hook-missing", "message": str(e.hook_name), "traceback": ""})
        except pyproject_hooks.UnsupportedOperation as e:
            return json.dumps({"ok": False, "kind": "unsupported", "message": "unsupported operation", "traceback": e.traceback})
        except subprocess.CalledProcessError as e:
            return json.dumps({"ok": False, "kind": "failed", "message": "exit code: %d" % e.returncode, "traceback": ""})


# ---- file system helpers: no symbolic link is ever followed ----------------------------------------

def remove_tree(request_json):
    """Removes a throwaway folder; a link inside is removed, never what it points at."""
    import shutil
    path = json.loads(request_json)["path"]
    if os.path.islink(path):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path, ignore_errors=True)
    return json.dumps({"ok": True})


def real_paths(request_json):
    """os.path.realpath of each path: a folder about to be written must not lead elsewhere."""
    return json.dumps([os.path.realpath(p) for p in json.loads(request_json)["paths"]])


_SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "build", "dist", ".tox", ".nox", "node_modules", ".mypy_cache", ".pytest_cache", ".ruff_cache"}


def tree_digest(request_json):
    """
    A digest of a source folder for the built-wheel cache: every regular file's path, mode and
    content, in order. Build output and tool folders (build/, dist/, *.egg-info, __pycache__,
    virtual environments) are left out; links are hashed by their text, never followed.
    """
    import hashlib
    r = json.loads(request_json)
    root = r["path"]
    limit_files, limit_bytes = r["max_files"], r["max_bytes"]
    h = hashlib.sha256()
    files = total = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        keep = []
        for d in sorted(dirnames):
            full = os.path.join(dirpath, d)
            if d in _SKIP_DIRS or d.endswith(".egg-info") or os.path.islink(full) or os.path.exists(os.path.join(full, "pyvenv.cfg")):
                if os.path.islink(full):
                    h.update(b"L" + os.path.relpath(full, root).encode() + b"\0" + os.readlink(full).encode() + b"\0")
                continue
            keep.append(d)
        dirnames[:] = keep
        for f in sorted(filenames):
            full = os.path.join(dirpath, f)
            rel = os.path.relpath(full, root)
            if os.path.islink(full):
                h.update(b"L" + rel.encode() + b"\0" + os.readlink(full).encode() + b"\0")
                continue
            if f.endswith((".pyc", ".pyo")):
                continue
            files += 1
            size = os.path.getsize(full)
            total += size
            if files > limit_files or total > limit_bytes:
                return json.dumps({"digest": None, "files": files, "bytes": total})
            with open(full, "rb") as fh:
                content = fh.read()
            mode = "x" if os.access(full, os.X_OK) else "f"
            h.update(mode.encode() + rel.encode() + b"\0" + hashlib.sha256(content).digest())
    return json.dumps({"digest": h.hexdigest(), "files": files, "bytes": total})


# ---- twine check: readme_renderer's reStructuredText rule, with the real docutils ----------------

_README_RENDERER_SETTINGS = {
    # readme_renderer.rst.SETTINGS (pypa/readme_renderer): what PyPI renders with.
    "cloak_email_addresses": True,
    "doctitle_xform": True,
    "sectsubtitle_xform": True,
    "initial_header_level": 2,
    "file_insertion_enabled": False,
    "halt_level": 2,
    "math_output": "MathJax",
    "raw_enabled": False,
    "report_level": 5,
    "smart_quotes": True,
    "strip_comments": True,
    "syntax_highlight": "short",
    "field_name_limit": 0,
}


def rst_check(request_json):
    import io, re
    r = json.loads(request_json)
    # twine check's _WarningStream: docutils' reports reworded as "line N: Level: message".
    report_re = re.compile(r"^<string>:(?P<line>(?:\d+)?): \((?P<level>DEBUG|INFO|WARNING|ERROR|SEVERE)/(\d+)?\) (?P<message>.*)", re.DOTALL | re.MULTILINE)

    class WarningStream(io.StringIO):
        def write(self, text):
            m = report_re.search(text)
            if m:
                text = "line %s: %s: %s\n" % (m.group("line"), m.group("level").capitalize(), m.group("message").rstrip("\r\n"))
            return super().write(text)

    with _Isolation():
        _fresh_interpreter([], r["sites"], sys.executable)
        from docutils.core import publish_parts
        from docutils.utils import SystemMessage
        from docutils.writers.html4css1 import Writer

        stream = WarningStream()
        settings = dict(_README_RENDERER_SETTINGS, warning_stream=stream)
        try:
            parts = publish_parts(r["text"], writer=Writer(), settings_overrides=settings)
            rendered = parts.get("docinfo", "") + parts.get("fragment", "")
        except SystemMessage:
            rendered = None
        if not rendered:
            stream.write("no output rendered")
        return json.dumps({"rendered": bool(rendered), "warnings": stream.getvalue().strip()})


# ---- python -m build ------------------------------------------------------------------------------

class _NeedInstall(BaseException):
    def __init__(self, prefix, requirements, constraints):
        super().__init__(prefix)
        self.prefix = prefix
        self.requirements = list(requirements)
        self.constraints = list(constraints)


def _satisfied(text, purelib, seen=None):
    from importlib import metadata
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    try:
        req = Requirement(text)
    except InvalidRequirement:
        return False
    if req.marker is not None and not req.marker.evaluate({"extra": ""}):
        return True
    wanted = canonicalize_name(req.name)
    for dist in metadata.distributions(path=[purelib]):
        if canonicalize_name(dist.metadata["Name"] or "") != wanted:
            continue
        if dist.version not in req.specifier and not req.specifier.contains(dist.version, prereleases=True):
            return False
        seen = seen or set()
        for extra in req.extras:
            key = (wanted, extra)
            if key in seen:
                continue
            seen.add(key)
            for dep in dist.requires or []:
                d = Requirement(dep)
                if d.marker is not None and d.marker.evaluate({"extra": extra}) and not d.marker.evaluate({"extra": ""}):
                    if not _satisfied(str(d).split(";")[0], purelib, seen):
                        return False
        return True
    return False


def run_build(request_json):
    r = json.loads(request_json)
    envs_dir = r["envs_dir"]
    counter = {"next": 0}
    interpreters = {}
    with _Isolation():
        os.chdir(r["cwd"])
        import build
        import build._ctx as bctx
        import build.__main__ as bmain
        import build.env as benv
        import pyproject_hooks

        scheme_lib = r["purelib_suffix"]
        interpreters[sys.executable] = [p for p in sys.path if p and "site-packages" in p.split("/")]

        class _Backend:
            def __init__(self, path):
                self.python_executable = path + "/bin/python"
                self.purelib = path + "/" + scheme_lib
                self.scripts_dir = path + "/bin"
                self.display_name = "pipette"

        class PipetteIsolatedEnv(benv.DefaultIsolatedEnv):
            """build's isolated environment, made by Pipette (no venv, no subprocess pip)."""

            def __enter__(self):
                if self._requested_path is not None:
                    path = os.path.abspath(self._requested_path)
                    if os.path.exists(path) and not os.path.isdir(path):
                        raise build.BuildException("Build environment location is not a directory: %s" % path)
                else:
                    path = "%s/env-%d" % (envs_dir, counter["next"])
                    counter["next"] += 1
                self._path = path
                self._env_backend = _Backend(path)
                os.makedirs(self._env_backend.purelib, exist_ok=True)
                interpreters[self._env_backend.python_executable] = [self._env_backend.purelib]
                bctx.log("Creating isolated environment: %s..." % self._env_backend.display_name, kind=("step",))
                return self

            def __exit__(self, *args):
                # Pipette removes its numbered environments when the command ends.
                return None

            def install(self, requirements, constraints=(), *, _fresh=False):
                if not requirements:
                    return
                bctx.log(
                    "Installing packages in isolated environment:\n" + "\n".join("- %s" % req for req in sorted(requirements)),
                    kind=("step",),
                )
                purelib = self._env_backend.purelib
                if not all(_satisfied(req, purelib) for req in requirements):
                    raise _NeedInstall(self._path, requirements, constraints)

        runner = _make_runner(interpreters)
        quiet = _make_runner(interpreters, quiet=True)
        saved = [
            (bmain, "DefaultIsolatedEnv", bmain.DefaultIsolatedEnv),
            (benv, "DefaultIsolatedEnv", benv.DefaultIsolatedEnv),
            (pyproject_hooks, "default_subprocess_runner", pyproject_hooks.default_subprocess_runner),
            (pyproject_hooks, "quiet_subprocess_runner", pyproject_hooks.quiet_subprocess_runner),
            (bctx, "run_subprocess", bctx.run_subprocess),
        ]
        bmain.DefaultIsolatedEnv = PipetteIsolatedEnv
        benv.DefaultIsolatedEnv = PipetteIsolatedEnv
        pyproject_hooks.default_subprocess_runner = runner
        pyproject_hooks.quiet_subprocess_runner = quiet
        bctx.run_subprocess = lambda cmd, cwd=None, env=None: runner(cmd, cwd, env)
        try:
            sys.argv = ["python -m build", *r["argv"]]
            bmain.main(r["argv"], r["prog"])
            status = 0
        except _NeedInstall as need:
            return json.dumps({"need": {"prefix": need.prefix, "requirements": need.requirements, "constraints": need.constraints}})
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            if isinstance(e.code, str):
                sys.stderr.write(e.code + "\n")
        except BaseException as e:
            _print_exception(e)
            status = 1
        finally:
            for module, name, value in saved:
                setattr(module, name, value)
            sys.stdout.flush()
            sys.stderr.flush()
        return json.dumps({"status": status})
`;
