// micropip's side of bench/micropip.bench.ts: the bundled Pyodide (from `<base>pyodide/`, as the
// runtime worker loads it) on the main thread, as Pyodide's console runs it, with micropip built
// from source (bench/micropip-wheel.ts) unpacked from `?wheel=<url>` and imported before any
// timing. `window.micropipBench.install(requirements, indexUrl)` runs `micropip.install` and
// says how long it took and what is installed after.
import { loadPyodide } from 'pyodide';

interface InstallOutcome {
  ms: number;
  error: string | null;
  /** `name==version` of every distribution in site-packages, micropip itself left out. */
  installed: string[];
}

const status = document.getElementById('status')!;
const wheelUrl = new URLSearchParams(location.search).get('wheel');
if (!wheelUrl) throw new Error('micropip.html needs ?wheel=<url of the micropip wheel>');
const pyodide = await loadPyodide({ indexURL: new URL(`${import.meta.env.BASE_URL}pyodide/`, location.origin).href });
const wheel = await (await fetch(wheelUrl)).arrayBuffer();
pyodide.unpackArchive(wheel, 'wheel');
const version = pyodide.runPython('import micropip\nmicropip.__version__') as string;

async function install(requirements: string[], indexUrl: string): Promise<InstallOutcome> {
  // Python literals from JSON: the requirement strings and the URL are plain ASCII here.
  const code = `import micropip\nawait micropip.install(${JSON.stringify(requirements)}, index_urls=[${JSON.stringify(indexUrl)}])`;
  const started = performance.now();
  let error: string | null = null;
  try {
    await pyodide.runPythonAsync(code);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const ms = performance.now() - started;
  const listed = pyodide.runPython(
    'import importlib.metadata as m\n' +
      'sorted(f"{d.metadata[\'Name\']}=={d.version}" for d in m.distributions() if d.metadata["Name"] != "micropip")',
  ) as { toJs(): string[]; destroy(): void };
  const installed = listed.toJs();
  listed.destroy();
  return { ms, error, installed };
}

Object.assign(window, { micropipBench: { ready: performance.now(), version, install } });
status.textContent = `Pyodide ${pyodide.version} with micropip ${version} ready.`;
