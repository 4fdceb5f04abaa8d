import type { RuntimeConfig } from '../../runtime';

/**
 * Page settings from the URL: `?index-url=` points pip at a classroom or local index;
 * `?pyodide-packages=URL|none` says where Pyodide's own wasm builds come from (pip's default
 * `--pyodide-packages`).
 */
export function configFromLocation(location: Location): Pick<RuntimeConfig, 'indexUrl' | 'pyodidePackagesUrl'> {
  const params = new URLSearchParams(location.search);
  const packages = params.get('pyodide-packages') ?? params.get('pyodide-packages-url');
  return {
    indexUrl: params.get('index-url') ?? pageDefault('pipette-default-index', location),
    pyodidePackagesUrl: packages !== null ? (packages.trim().toLowerCase() === 'none' ? 'none' : new URL(packages, location.href).href) : pageDefault('pipette-pyodide-packages', location),
  };
}

/**
 * The terminal relay the server offers (`<meta name="pipette-terminal-relay">`, which the dev and
 * preview servers add: src/cli/terminal-relay.ts), absolute; null on a static host.
 */
export function terminalRelayFromPage(location: Location): string | null {
  return pageDefault('pipette-terminal-relay', location);
}

/**
 * What the server names in `<meta name=NAME>` (vite.config.ts adds `pipette-default-index` under
 * `WHEELHOUSE=DIR npm start`, `pipette-pyodide-packages` under `PYODIDE_PACKAGES=DIR`), made
 * absolute; null when there is none (PyPI; the CDN of the bundled Pyodide).
 */
function pageDefault(name: string, location: Location): string | null {
  const content = document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content;
  return content ? new URL(content, location.href).href : null;
}
