/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { IdbStore } from '../index';
import { runPip } from '../pip';
import type { BootProgress, OutputChunk, RunResult, RuntimeApi, RuntimeConfig } from './api';
import { bootPyodide } from './boot';
import { readInterpreterInfo, type InterpreterInfo } from './interpreter';
import { RuntimeSession } from './session';
import { trimTraceback } from './traceback';

// The runtime worker: owns the one Pyodide of this tab, so the page never blocks on Python.
let session: RuntimeSession | null = null;
let booting: Promise<InterpreterInfo> | null = null;
let out: string[] = [];
let err: string[] = [];

const api: RuntimeApi = {
  boot(config: RuntimeConfig, onProgress?: (p: BootProgress) => void): Promise<InterpreterInfo> {
    booting ??= (async () => {
      const started = performance.now();
      onProgress?.({ phase: 'loading', elapsedMs: 0 });
      const pyodide = await bootPyodide({
        indexURL: new URL(`${import.meta.env.BASE_URL}pyodide/`, self.location.origin).href,
        stdout: (line) => out.push(line),
        stderr: (line) => err.push(line),
      });
      const info = readInterpreterInfo(pyodide);
      session = new RuntimeSession(pyodide, info, config, new IdbStore(), (input, init) => fetch(input, init));
      onProgress?.({ phase: 'ready', elapsedMs: performance.now() - started });
      return info;
    })();
    return booting;
  },

  async runPython(code: string): Promise<RunResult> {
    if (!session) {
      return { kind: 'error', code: 'not-booted', message: 'Python is still starting; wait for the prompt.', stdout: '', stderr: '' };
    }
    out = [];
    err = [];
    try {
      const value: unknown = await session.pyodide.runPythonAsync(code);
      return { kind: 'ok', stdout: out.join('\n'), stderr: err.join('\n'), value: value === undefined ? null : String(value) };
    } catch (e) {
      return { kind: 'error', code: 'python-exception', message: trimTraceback(e instanceof Error ? e.message : String(e)).trimEnd(), stdout: out.join('\n'), stderr: err.join('\n') };
    }
  },

  async pip(argv: string[], onOutput: (chunk: OutputChunk) => void): Promise<number> {
    if (!session) {
      onOutput({ stream: 'stderr', text: 'ERROR: Python is still starting; wait for the prompt.\n' });
      return 1;
    }
    const context = session.pipContext({
      stdout: (text) => onOutput({ stream: 'stdout', text }),
      stderr: (text) => onOutput({ stream: 'stderr', text }),
    });
    return runPip(argv, context);
  },
};

Comlink.expose(api);
