/**
 * Where a boot's time goes, for bench/playground.bench.ts: the `pipette:*` performance marks the
 * page (src/main.ts, src/ui/pipette-app) and the runtime worker (src/runtime/worker.ts) leave,
 * the navigation timing, and the fetches of the app's and Pyodide's files (resource timing),
 * all as milliseconds since the navigation started. The worker's clock starts when the worker
 * does; its times are moved onto the page's clock through both `performance.timeOrigin`s.
 */
import type { Page } from 'playwright-core';

/** A point (start only) or an interval, in ms since navigation start. */
export interface TraceSpan {
  readonly start: number;
  readonly end?: number;
  readonly bytes?: number;
}
export type BootTrace = ReadonlyMap<string, TraceSpan>;

interface Timeline {
  origin: number;
  marks: { name: string; t: number }[];
  resources: { name: string; start: number; end: number; bytes: number }[];
  nav: { responseEnd: number; domContentLoaded: number } | null;
  bare: { started: number; ready: number } | null;
}

// Runs in the page and in the worker (no closures: Playwright sends the source).
function readTimeline(): Timeline {
  const nav = (typeof document !== 'undefined' ? performance.getEntriesByType('navigation')[0] : undefined) as PerformanceNavigationTiming | undefined;
  const bare = (globalThis as unknown as { pipetteBench?: { started: number; ready: number } }).pipetteBench;
  return {
    origin: performance.timeOrigin,
    marks: performance.getEntriesByType('mark').map((m) => ({ name: m.name, t: m.startTime })),
    resources: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => ({ name: r.name, start: r.startTime, end: r.responseEnd, bytes: r.encodedBodySize })),
    nav: nav ? { responseEnd: nav.responseEnd, domContentLoaded: nav.domContentLoadedEventEnd } : null,
    bare: bare ? { started: bare.started, ready: bare.ready } : null,
  };
}

/** The files worth a row: Pyodide's, and the app's entry and worker chunks. */
function resourceKey(url: string): string | null {
  const path = new URL(url).pathname;
  const pyodide = /\/pyodide\/([^/]+)$/.exec(path)?.[1];
  if (pyodide && /^(pyodide\.asm\.mjs|pyodide\.asm\.wasm|python_stdlib\.zip|pyodide-lock\.json|pyodide\.mjs)$/.test(pyodide)) return `fetch ${pyodide}`;
  if (/\/assets\/worker-boot[^/]*\.js$/.test(path)) return "fetch the runtime's chunk";
  if (/\/assets\/worker[^/]*\.js$/.test(path)) return 'fetch the worker chunk';
  if (/\/assets\/index[^/]*\.js$/.test(path)) return 'fetch the app chunk';
  return null;
}

/** Reads the page's and the runtime worker's timelines once the page is up (prompt or ready). */
export async function collectTrace(page: Page): Promise<BootTrace> {
  const trace = new Map<string, TraceSpan>();
  const pageLine = await page.evaluate(readTimeline);
  const add = (key: string, span: TraceSpan): void => void (trace.has(key) ? null : trace.set(key, span));
  if (pageLine.nav) {
    add('page: HTML received', { start: pageLine.nav.responseEnd });
    add('page: DOMContentLoaded', { start: pageLine.nav.domContentLoaded });
  }
  if (pageLine.bare) {
    add('bare: loadPyodide called', { start: pageLine.bare.started });
    add('bare: Pyodide ready', { start: pageLine.bare.ready });
  }
  const take = (line: Timeline, where: 'page' | 'worker'): void => {
    const shift = line.origin - pageLine.origin;
    for (const m of line.marks) if (m.name.startsWith('pipette:')) add(`${where}: ${m.name.slice('pipette:'.length)}`, { start: m.t + shift });
    for (const r of line.resources) {
      const key = resourceKey(r.name);
      if (key) add(`${where}: ${key}`, { start: r.start + shift, end: r.end + shift, bytes: r.bytes });
    }
  };
  take(pageLine, 'page');
  for (const worker of page.workers()) {
    const line = await worker.evaluate(readTimeline).catch(() => null);
    if (line?.marks.some((m) => m.name === 'pipette:worker-script')) take(line, 'worker');
  }
  return trace;
}

/** Rows in boot order, with what each means. */
const ROWS: [key: string, label: string][] = [
  ['page: HTML received', 'page: HTML received'],
  ['page: fetch the app chunk', 'page: app chunk fetched'],
  ['page: worker-started', 'page: runtime worker started (first module)'],
  ['page: page-script', "page: the page's entry evaluated (src/main.ts)"],
  ['page: app-constructed', 'page: <pipette-app> constructed'],
  ['page: DOMContentLoaded', 'page: DOMContentLoaded'],
  ['page: app-boot', 'page: boot() started (first render)'],
  ['page: fetch the worker chunk', 'page: worker chunk fetched'],
  ['worker: fetch the worker chunk', 'worker: worker chunk fetched'],
  ['worker: worker-script', 'worker: entry evaluated, loadPyodide() called'],
  ['worker: fetch the runtime\'s chunk', "worker: the runtime's chunk fetched"],
  ['worker: worker-modules', "worker: the runtime's chunk evaluated"],
  ['worker: stores-open', 'worker: IndexedDB open, restore read-ahead started'],
  ['worker: boot-called', 'worker: boot() called (Comlink)'],
  ['bare: loadPyodide called', 'bare page: loadPyodide() called'],
  ['page: wasm-compile-start', 'page: compile of pyodide.asm.wasm started'],
  ['page: wasm-compiled', 'page: pyodide.asm.wasm compiled'],
  ['page: wasm-compile-failed', 'page: pyodide.asm.wasm not compiled (worker compiles)'],
  ['worker: page-module-received', "worker: the page's module received"],
  ['worker: wasm-from-page', "worker: the page's module instantiated"],
  ['worker: wasm-compiled-in-worker', 'worker: instantiated from its own compile'],
  ['page: bare-instantiated', 'bare page: pyodide.asm.wasm instantiated'],
  ['worker: snapshot-looked-up', 'worker: kept interpreter snapshot looked up'],
  ['worker: snapshot-read', 'worker: snapshot read from IndexedDB'],
  ['worker: snapshot-restored', 'worker: interpreter restored from the snapshot'],
  ['worker: snapshot-refused', 'worker: snapshot refused, Python started afresh'],
  ['worker: snapshot-made', 'worker: snapshot made (first boot)'],
  ['page: fetch pyodide.asm.mjs', '  page: pyodide.asm.mjs fetched'],
  ['page: fetch pyodide-lock.json', '  page: pyodide-lock.json fetched'],
  ['page: fetch pyodide.asm.wasm', '  page: pyodide.asm.wasm fetched'],
  ['page: fetch python_stdlib.zip', '  page: python_stdlib.zip fetched'],
  ['worker: fetch pyodide.asm.mjs', '  worker: pyodide.asm.mjs fetched'],
  ['worker: fetch pyodide-lock.json', '  worker: pyodide-lock.json fetched'],
  ['worker: fetch pyodide.asm.wasm', '  worker: pyodide.asm.wasm fetched'],
  ['worker: fetch python_stdlib.zip', '  worker: python_stdlib.zip fetched'],
  ['bare: Pyodide ready', 'bare page: Pyodide ready'],
  ['worker: pyodide-ready', 'worker: loadPyodide() resolved'],
  ['worker: pyodide-loaded', 'worker: loadPyodide() done'],
  ['worker: interpreter-info', 'worker: interpreter info read'],
  ['worker: session-created', 'worker: session created'],
  ['worker: workspace-read', 'worker: saved state and home files read'],
  ['worker: workspace-restored', 'worker: environments rebuilt'],
  ['worker: shell-ready', 'worker: shell ready, boot() returns'],
  ['page: runtime-booted', 'page: boot() answer received'],
  ['page: main-file-open', 'page: main.py open in the editor'],
  ['page: prompt', 'page: prompt drawn'],
  ['worker: snapshot-kept', 'worker: snapshot kept in IndexedDB'],
  ['page: first-command-done', 'page: first command done (bench)'],
];

/** The phases a boot is cut into, between consecutive milestones (missing ones are skipped). */
const PHASES: [from: string, to: string, label: string][] = [
  ['navigation', 'page: worker-started', 'HTML and app chunk fetched, runtime worker started'],
  ['page: worker-started', 'page: app-boot', '  (meanwhile) runtime worker started -> first render'],
  ['page: worker-started', 'worker: worker-script', "worker's entry fetched and evaluated"],
  ['worker: worker-script', 'worker: worker-modules', "  (meanwhile) the runtime's chunk fetched and evaluated"],
  ['page: wasm-compile-start', 'page: wasm-compiled', "  (meanwhile) the page's compile of pyodide.asm.wasm"],
  ['worker: worker-script', 'worker: pyodide-ready', 'loadPyodide() in the worker (resolved)'],
  ['worker: wasm-from-page', 'worker: pyodide-ready', 'instantiated -> loadPyodide resolved'],
  ['worker: wasm-compiled-in-worker', 'worker: pyodide-ready', 'instantiated(own) -> loadPyodide resolved'],
  ['worker: worker-script', 'worker: pyodide-loaded', 'loadPyodide() in the worker'],
  ['worker: pyodide-loaded', 'worker: session-created', 'interpreter info, session created'],
  ['worker: session-created', 'worker: workspace-restored', 'workspace restored (state, home files, environments)'],
  ['worker: workspace-restored', 'worker: shell-ready', 'shell made'],
  ['worker: shell-ready', 'page: runtime-booted', 'boot() answer back to the page'],
  ['page: runtime-booted', 'page: prompt', 'main.py opened, prompt drawn'],
  ['page: prompt', 'page: first-command-done', 'prompt -> first command done (bench)'],
  ['bare: loadPyodide called', 'bare: Pyodide ready', 'loadPyodide() on the bare page'],
  ['page: bare-instantiated', 'bare: Pyodide ready', 'bare page: instantiated -> ready'],
];

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export interface TraceGroup {
  readonly label: string;
  readonly traces: readonly BootTrace[];
}

/** Prints the medians of each row per group, then the phases, as text tables. */
export function printTrace(groups: readonly TraceGroup[]): void {
  const shown = groups.filter((g) => g.traces.length > 0);
  if (shown.length === 0) return;
  const at = (g: TraceGroup, key: string, part: 'start' | 'end'): number | null =>
    key === 'navigation' ? 0 : median(g.traces.flatMap((t) => (t.get(key)?.[part] !== undefined ? [t.get(key)![part]!] : [])));
  const width = Math.max(...ROWS.map(([, l]) => l.length), ...PHASES.map(([, , l]) => l.length)) + 2;
  const col = 15;
  const head = shown.map((g) => `${g.label} (${g.traces.length})`.padStart(col)).join('');
  console.log(`\nBoot trace: medians in ms since navigation start (a fetch: start-end); runs per column in brackets`);
  console.log(`${''.padEnd(width)}${head}`);
  for (const [key, label] of ROWS) {
    const cells = shown.map((g) => {
      const start = at(g, key, 'start');
      if (start === null) return ''.padStart(col);
      // A fetch answered by the service worker or the memory cache may report no response end.
      const end = at(g, key, 'end');
      return (end === null || end < start ? start.toFixed(0) : `${start.toFixed(0)}-${end.toFixed(0)}`).padStart(col);
    });
    if (cells.every((c) => c.trim() === '')) continue;
    console.log(`${label.padEnd(width)}${cells.join('')}`);
  }
  console.log(`\nWhere the time goes: median duration of each phase (ms)`);
  console.log(`${''.padEnd(width)}${head}`);
  for (const [from, to, label] of PHASES) {
    const cells = shown.map((g) => {
      const xs = g.traces.flatMap((t) => {
        const a = from === 'navigation' ? 0 : t.get(from)?.start;
        const b = t.get(to)?.start;
        return a !== undefined && b !== undefined ? [b - a] : [];
      });
      const m = median(xs);
      return (m === null ? '' : m.toFixed(0)).padStart(col);
    });
    if (cells.every((c) => c.trim() === '')) continue;
    console.log(`${label.padEnd(width)}${cells.join('')}`);
  }
}
