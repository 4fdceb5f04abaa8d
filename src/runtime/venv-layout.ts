/**
 * A virtual environment's directory, laid out as CPython's `venv` lays it out (PEP 405;
 * `Lib/venv/__init__.py` of CPython 3.14), so that what a person reads in it is what they would
 * read on their own machine:
 *
 *   NAME/pyvenv.cfg                       home, include-system-site-packages, version, executable, command
 *   NAME/bin/python, python3, python3.14  (launchers: text here, symlinks on a real system)
 *   NAME/bin/pip, pip3, pip3.14           (unless --without-pip)
 *   NAME/bin/activate                     the bash activate script, from CPython's template
 *   NAME/include/
 *   NAME/lib/python3.14/site-packages/    with pip-25.3.dist-info (unless --without-pip)
 *   NAME/.gitignore                       `*` (unless --without-scm-ignore-files)
 *
 * There is one interpreter per tab, so `bin/python` cannot be a copy or a link of a binary; it is
 * a short text saying so. What activation does is done by the runtime (python-switch.ts).
 */
import type { FileSystem } from '../install';
import { pyRepr } from '../pep';
import { writePipPackage } from '../pip';
import { basename, dirname } from './paths';
import type { VenvOptions } from './workspace-store';

/** What the layout needs to know about the interpreter it is made for. */
export interface BaseInterpreter {
  /** `3.14.2` (sys.version_info[:3]). */
  readonly pythonVersion: string;
  readonly pyodideVersion: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `3.14` of `3.14.2`. */
export function shortVersion(pythonVersion: string): string {
  return pythonVersion.split('.').slice(0, 2).join('.');
}

/** The site-packages of a prefix (`PREFIX/lib/python3.14/site-packages`, posix_prefix scheme). */
export function sitePackagesOf(prefix: string, pythonVersion: string): string {
  return `${prefix === '/' ? '' : prefix}/lib/python${shortVersion(pythonVersion)}/site-packages`;
}

/** Where the base interpreter "lives" (pyvenv.cfg `home`, `executable`): Pyodide's prefix `/`. */
function baseExecutable(base: BaseInterpreter): string {
  return `/bin/python${shortVersion(base.pythonVersion)}`;
}

export interface LayoutFlags {
  /** venv's `--upgrade`: only the configuration and the python launchers are rewritten. */
  readonly upgrade?: boolean;
  /** venv's `--clear` (recorded in pyvenv.cfg's `command`). */
  readonly clear?: boolean;
  /** Write only the files that are missing (a restored venv keeps its own pyvenv.cfg). */
  readonly onlyMissing?: boolean;
}

/**
 * Creates or refreshes the layout at `prefix`. With `upgrade` (venv's `--upgrade`), only the
 * configuration and the python launchers are rewritten, as CPython does.
 */
export function writeVenvLayout(fs: FileSystem, prefix: string, base: BaseInterpreter, options: VenvOptions, flags: LayoutFlags = {}): void {
  const short = shortVersion(base.pythonVersion);
  const bin = `${prefix}/bin`;
  const writeText = (path: string, text: string, executable = false): void => {
    if (flags.onlyMissing && fs.exists(path)) return;
    fs.writeFile(path, encoder.encode(text), { executable });
  };
  fs.mkdirp(`${prefix}/include`);
  fs.mkdirp(sitePackagesOf(prefix, base.pythonVersion));
  fs.mkdirp(bin);
  writeText(`${prefix}/pyvenv.cfg`, pyvenvCfg(prefix, base, options, flags));
  for (const name of ['python', 'python3', `python${short}`]) writeText(`${bin}/${name}`, pythonLauncher(prefix, base), true);
  if (flags.upgrade) return;
  if (options.withPip) {
    for (const name of ['pip', 'pip3', `pip${short}`]) writeText(`${bin}/${name}`, pipLauncher(prefix), true);
    // ensurepip's part: pip as a package of the environment (pip list shows it, as in a real venv).
    writePipPackage(fs, sitePackagesOf(prefix, base.pythonVersion), { force: !flags.onlyMissing });
  }
  writeText(`${bin}/activate`, activateScript(prefix, options.prompt ?? basename(prefix)));
  // `create_git_ignore_file`: the whole environment is ignored by git.
  if (options.scmIgnoreFiles) writeText(`${prefix}/.gitignore`, '# Created by venv; see https://docs.python.org/3/library/venv.html\n*\n');
}

/** pyvenv.cfg as `EnvBuilder.create_configuration` writes it. */
export function pyvenvCfg(prefix: string, base: BaseInterpreter, options: VenvOptions, flags: LayoutFlags = {}): string {
  const executable = baseExecutable(base);
  const lines = [
    `home = ${dirname(executable)}`,
    `include-system-site-packages = ${options.systemSitePackages ? 'true' : 'false'}`,
    `version = ${base.pythonVersion}`,
  ];
  if (options.prompt !== null) lines.push(`prompt = ${pyRepr(options.prompt)}`);
  lines.push(`executable = ${executable}`);
  const args: string[] = [];
  if (!options.withPip) args.push('--without-pip');
  if (options.systemSitePackages) args.push('--system-site-packages');
  if (flags.clear) args.push('--clear');
  if (flags.upgrade) args.push('--upgrade');
  if (options.prompt !== null) args.push(`--prompt="${options.prompt}"`);
  if (!options.scmIgnoreFiles) args.push('--without-scm-ignore-files');
  args.push(prefix);
  lines.push(`command = ${executable} -m venv ${args.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/** The keys of a pyvenv.cfg (`key = value` lines; site.py's `venv()` reads it the same way). */
export function readPyvenvCfg(fs: FileSystem, prefix: string): Map<string, string> | null {
  const data = fs.readFile(`${prefix}/pyvenv.cfg`);
  if (data === null) return null;
  const out = new Map<string, string>();
  for (const line of decoder.decode(data).split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    out.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return out;
}

/** Whether `prefix` holds a virtual environment: PEP 405's marker is `pyvenv.cfg`. */
export function isVenv(fs: FileSystem, prefix: string): boolean {
  return fs.exists(`${prefix}/pyvenv.cfg`) && !fs.isDirectory(`${prefix}/pyvenv.cfg`);
}

function pythonLauncher(prefix: string, base: BaseInterpreter): string {
  return [
    '#!/bin/sh',
    `# The Python of the virtual environment ${prefix}.`,
    `# On your own machine this is a link to ${baseExecutable(base)}. In Pipette there is one Python`,
    `# per tab (CPython ${base.pythonVersion} in WebAssembly, Pyodide ${base.pyodideVersion}); \`source ${prefix}/bin/activate\``,
    '# points it at this environment: sys.prefix, sys.path and what pip installs.',
    '',
  ].join('\n');
}

/** pip's console-script launcher, as a venv's `bin/pip` reads. */
function pipLauncher(prefix: string): string {
  return [
    `#!${prefix}/bin/python`,
    '# -*- coding: utf-8 -*-',
    "# In Pipette, pip is Pipette's own (TypeScript) pip; run from this file, it acts on this environment.",
    'import re',
    'import sys',
    'from pip._internal.cli.main import main',
    "if __name__ == '__main__':",
    "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])",
    '    sys.exit(main())',
    '',
  ].join('\n');
}

/** CPython 3.14's `Lib/venv/scripts/common/activate`, with its placeholders filled in (shlex-quoted). */
export function activateScript(prefix: string, prompt: string): string {
  const dir = shellQuote(prefix);
  const p = shellQuote(prompt);
  return `# This file must be used with "source bin/activate" *from bash*
# You cannot run it directly

deactivate () {
    # reset old environment variables
    if [ -n "\${_OLD_VIRTUAL_PATH:-}" ] ; then
        PATH="\${_OLD_VIRTUAL_PATH:-}"
        export PATH
        unset _OLD_VIRTUAL_PATH
    fi
    if [ -n "\${_OLD_VIRTUAL_PYTHONHOME:-}" ] ; then
        PYTHONHOME="\${_OLD_VIRTUAL_PYTHONHOME:-}"
        export PYTHONHOME
        unset _OLD_VIRTUAL_PYTHONHOME
    fi

    # Call hash to forget past locations. Without forgetting
    # past locations the $PATH changes we made may not be respected.
    # See "man bash" for more details. hash is usually a builtin of your shell
    hash -r 2> /dev/null || true

    if [ -n "\${_OLD_VIRTUAL_PS1:-}" ] ; then
        PS1="\${_OLD_VIRTUAL_PS1:-}"
        unset _OLD_VIRTUAL_PS1
    fi

    unset VIRTUAL_ENV
    unset VIRTUAL_ENV_PROMPT
    if [ ! "\${1:-}" = "nondestructive" ] ; then
    # Self destruct!
        unset -f deactivate
    fi
}

# unset irrelevant variables
deactivate nondestructive

# on Windows, a path can contain colons and backslashes and has to be converted:
case "$(uname)" in
    CYGWIN*|MSYS*|MINGW*)
        # transform D:\\path\\to\\venv to /d/path/to/venv on MSYS and MINGW
        # and to /cygdrive/d/path/to/venv on Cygwin
        VIRTUAL_ENV=$(cygpath ${dir})
        export VIRTUAL_ENV
        ;;
    *)
        case "$(uname -r)" in
            *Microsoft*|*WSL*)
                # convert path to /mnt/d/path/to/venv on WSL
                VIRTUAL_ENV=$(wslpath ${dir})
                export VIRTUAL_ENV
                ;;
            *)
                # use the path as-is
                export VIRTUAL_ENV=${dir}
                ;;
        esac
        ;;
esac

_OLD_VIRTUAL_PATH="$PATH"
PATH="$VIRTUAL_ENV/"bin":$PATH"
export PATH

VIRTUAL_ENV_PROMPT=${p}
export VIRTUAL_ENV_PROMPT

# unset PYTHONHOME if set
# this will fail if PYTHONHOME is set to the empty string (which is bad anyway)
# could use \`if (set -u; : $PYTHONHOME) ;\` in bash
if [ -n "\${PYTHONHOME:-}" ] ; then
    _OLD_VIRTUAL_PYTHONHOME="\${PYTHONHOME:-}"
    unset PYTHONHOME
fi

if [ -z "\${VIRTUAL_ENV_DISABLE_PROMPT:-}" ] ; then
    _OLD_VIRTUAL_PS1="\${PS1:-}"
    PS1="("${p}") \${PS1:-}"
fi

# Call hash to forget past commands. Without forgetting
# past commands the $PATH changes we made may not be respected
hash -r 2> /dev/null || true
`;
}


/** Python's `shlex.quote`. Ex) `venv` -> `venv`; `my env` -> `'my env'`; `it's` -> `'it'"'"'s'`. */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (!/[^\w@%+=:,./-]/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}
