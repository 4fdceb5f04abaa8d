/**
 * The load scenarios of the hardening issue, shared by test/integration/hardening/load.test.ts
 * (lighter limits, assertions) and bench/hardening.bench.ts (figures):
 * - install/uninstall cycles in one runtime session: memory at the start and the end, and
 *   every file left behind;
 * - an N-package environment: install, list, freeze, and the share link (time and length);
 * - network faults in the middle of an install: how long until retried or refused.
 *
 * "Memory" is the worker's: Pyodide's WebAssembly memory (`HEAP8.length`, which only grows)
 * plus the JavaScript heap in use after a full garbage collection, and the objects Python's
 * collector tracks as the leak signal inside the interpreter.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { encodeShareLink } from '../../../src/share';
import type { Faults, IndexServer } from '../../fixtures/index-server';
import type { RuntimeHarness } from '../../fixtures/runtime-harness';
import type { WheelSpec } from '../../fixtures/wheel-builder';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export interface MemorySample {
  /** Pyodide's WebAssembly memory, bytes. */
  readonly wasm: number;
  /** JavaScript heap in use after a full GC, bytes. */
  readonly js: number;
  /** Objects Python's garbage collector tracks (`len(gc.get_objects())`) after `gc.collect()`. */
  readonly pythonObjects: number;
}

export async function sampleMemory(h: RuntimeHarness): Promise<MemorySample> {
  // (sys.getallocatedblocks() is 0 here: Pyodide's CPython is built without pymalloc.)
  const pythonObjects = Number(await h.py('import gc; gc.collect(); len(gc.get_objects())'));
  gc();
  gc();
  const wasm = (h.session.pyodide as unknown as { _module: { HEAP8: Uint8Array } })._module.HEAP8.length;
  return { wasm, js: process.memoryUsage().heapUsed, pythonObjects };
}

/** Growth of wasm + JS memory from `a` to `b`, in percent. */
export function growthPercent(a: MemorySample, b: MemorySample): number {
  return ((b.wasm + b.js - (a.wasm + a.js)) / (a.wasm + a.js)) * 100;
}

/** A small app with three dependencies, a console script and a few modules: one cycle's install. */
export function cycleProjects(): WheelSpec[] {
  const module = (name: string) => ({
    [`${name}/__init__.py`]: `from .core import VALUE\n__version__ = "1.0"\n`,
    [`${name}/core.py`]: `VALUE = ${JSON.stringify(name)} * 100\n` + 'def f(x):\n    return x\n'.repeat(50),
    [`${name}/data.txt`]: `${name}\n`.repeat(500),
  });
  return [
    { name: 'cycle-app', version: '1.0', requires: ['cycle-a', 'cycle-b', 'cycle-c'], entryPoints: { console_scripts: { 'cycle-app': 'cycle_app:main' } }, files: { ...module('cycle_app'), 'cycle_app/__main__.py': 'print(1)\n' } },
    ...['cycle-a', 'cycle-b', 'cycle-c'].map((name) => ({ name, version: '1.0', files: module(name.replace('-', '_')) })),
  ];
}

export const CYCLE_PACKAGES = ['cycle-app', 'cycle-a', 'cycle-b', 'cycle-c'];

export interface CycleReport {
  readonly cycles: number;
  readonly start: MemorySample;
  readonly end: MemorySample;
  /** Paths under site-packages, bin/ and /tmp that were not there before the first cycle. */
  readonly leftover: readonly string[];
  /** Milliseconds per cycle (install + import + uninstall), median. */
  readonly medianCycleMs: number;
}

/**
 * `cycles` times: pip install cycle-app (4 packages), import it, pip uninstall -y all four.
 * One warm-up cycle first, so the start sample has the code paths and caches of a cycle loaded.
 */
export async function installUninstallCycles(h: RuntimeHarness, cycles: number): Promise<CycleReport> {
  const env = h.session.environment;
  const roots = [env.scheme.purelib, env.scheme.scripts, '/tmp'];
  const one = async (): Promise<void> => {
    const i = await h.pip(['install', 'cycle-app']);
    if (i.code !== 0) throw new Error(`install failed:\n${i.stderr}`);
    await h.py('import importlib, sys\nimportlib.invalidate_caches()\nimport cycle_app\nfor m in [m for m in sys.modules if m.startswith("cycle_")]:\n    del sys.modules[m]\n"ok"');
    const u = await h.pip(['uninstall', '-y', ...CYCLE_PACKAGES]);
    if (u.code !== 0) throw new Error(`uninstall failed:\n${u.stderr}`);
  };
  const before = new Set(h.tree(roots));
  await one();
  const start = await sampleMemory(h);
  const times: number[] = [];
  for (let n = 0; n < cycles; n++) {
    const t = performance.now();
    await one();
    times.push(performance.now() - t);
  }
  const end = await sampleMemory(h);
  const leftover = h.tree(roots).filter((p) => !before.has(p));
  times.sort((a, b) => a - b);
  return { cycles, start, end, leftover, medianCycleMs: times[Math.floor(times.length / 2)] ?? 0 };
}

/** `n` packages: `env-root` requiring `n - 1` others, some of them with console scripts. */
export function environmentProjects(n: number): WheelSpec[] {
  const names = Array.from({ length: n - 1 }, (_, i) => `env-pkg-${String(i).padStart(3, '0')}`);
  return [
    { name: 'env-root', version: '1.0', requires: names },
    ...names.map((name, i) => ({
      name,
      version: `1.${i % 7}.0`,
      ...(i % 10 === 0 ? { entryPoints: { console_scripts: { [name]: `${name.replace(/-/g, '_')}:main` } } } : {}),
    })),
  ];
}

export interface EnvironmentReport {
  readonly packages: number;
  readonly installMs: number;
  readonly listMs: number;
  readonly freezeMs: number;
  readonly shareMs: number;
  readonly linkLength: number;
  readonly freezeLines: number;
  readonly listLines: number;
}

/** Install `env-root` (n packages), then list, freeze and share the environment. */
export async function bigEnvironment(h: RuntimeHarness, n: number): Promise<EnvironmentReport> {
  const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
    const t = performance.now();
    const value = await f();
    return [value, performance.now() - t];
  };
  const [install, installMs] = await timed(() => h.pip(['install', 'env-root']));
  if (install.code !== 0) throw new Error(`install failed:\n${install.stderr}`);
  const [list, listMs] = await timed(() => h.pip(['list']));
  const [freeze, freezeMs] = await timed(() => h.pip(['freeze']));
  const [link, shareMs] = await timed(async () => encodeShareLink(h.session.shareLock().lock, 'https://pipette.example/'));
  return {
    packages: n,
    installMs,
    listMs,
    freezeMs,
    shareMs,
    linkLength: link.length,
    freezeLines: freeze.stdout.trim().split('\n').length,
    // pip list: a header line and a rule, then one line per distribution.
    listLines: list.stdout.trim().split('\n').length - 2,
  };
}

export interface FaultReport {
  readonly fault: string;
  readonly code: number;
  readonly ms: number;
  /** The last line pip printed. */
  readonly last: string;
  /** Requests the index saw, and how many of them were answered with the fault. */
  readonly requests: number;
}

/** One `pip install --no-cache-dir course` under `faults`, timed. */
export async function installUnderFault(h: RuntimeHarness, server: IndexServer, fault: string, faults: Faults, argv: readonly string[]): Promise<FaultReport> {
  server.resetRequests();
  server.setFaults(faults);
  const t = performance.now();
  const r = await h.pip(['install', '--no-cache-dir', ...argv]);
  const ms = performance.now() - t;
  server.setFaults({});
  const last = (r.stderr.trim() || r.stdout.trim()).split('\n').pop() ?? '';
  return { fault, code: r.code, ms, last, requests: server.requests.length };
}
