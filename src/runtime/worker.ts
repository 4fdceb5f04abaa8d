/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import type { PyodideAPI } from 'pyodide';
import { bootPyodide } from './boot';
import { readInterpreterInfo, type InterpreterInfo } from './interpreter';
import type { BootProgress, RunResult, RuntimeApi } from './api';
import { trimTraceback } from './traceback';

// The runtime worker: owns the one Pyodide of this tab, so the page never blocks on Python.
let pyodide: PyodideAPI | null = null;
let booting: Promise<InterpreterInfo> | null = null;
let out: string[] = [];
let err: string[] = [];

const api: RuntimeApi = {
  boot(onProgress?: (p: BootProgress) => void): Promise<InterpreterInfo> {
    booting ??= (async () => {
      const started = performance.now();
      onProgress?.({ phase: 'loading', elapsedMs: 0 });
      pyodide = await bootPyodide({
        indexURL: new URL(`${import.meta.env.BASE_URL}pyodide/`, self.location.origin).href,
        stdout: (line) => out.push(line),
        stderr: (line) => err.push(line),
      });
      const info = readInterpreterInfo(pyodide);
      onProgress?.({ phase: 'ready', elapsedMs: performance.now() - started });
      return info;
    })();
    return booting;
  },

  async runPython(code: string): Promise<RunResult> {
    if (!pyodide) {
      return { kind: 'error', code: 'not-booted', message: 'Python is still starting; wait for the prompt.', stdout: '', stderr: '' };
    }
    out = [];
    err = [];
    try {
      const value: unknown = await pyodide.runPythonAsync(code);
      return { kind: 'ok', stdout: out.join('\n'), stderr: err.join('\n'), value: value === undefined ? null : String(value) };
    } catch (e) {
      return { kind: 'error', code: 'python-exception', message: trimTraceback(e instanceof Error ? e.message : String(e)).trimEnd(), stdout: out.join('\n'), stderr: err.join('\n') };
    }
  },
};

Comlink.expose(api);
