import { describe, expect, it } from 'vitest';
import { hasIsolationHeaders, ISOLATION_HEADERS, precacheManifest, routeRequest, staleCaches, withIsolationHeaders } from '../../../src/sw';

const scope = 'http://127.0.0.1:4173/app/';
const files = new Set(['index.html', 'assets/index-abc.js', 'pyodide/pyodide.asm.wasm', 'favicon.svg']);
const get = (url: string, mode = 'cors') => ({ method: 'GET', url, mode });

describe('routeRequest', () => {
  it('answers the build files in its scope from the precache', () => {
    expect(routeRequest(get(`${scope}pyodide/pyodide.asm.wasm`), scope, files)).toEqual({ kind: 'precached', key: 'pyodide/pyodide.asm.wasm' });
    expect(routeRequest(get(`${scope}assets/index-abc.js`, 'same-origin'), scope, files)).toEqual({ kind: 'precached', key: 'assets/index-abc.js' });
  });

  it('answers navigations to the app, whatever the query, with the app shell', () => {
    expect(routeRequest(get(`${scope}?index-url=http%3A%2F%2Fx%2Fsimple%2F`, 'navigate'), scope, files)).toEqual({ kind: 'precached', key: 'index.html' });
    expect(routeRequest(get(scope, 'navigate'), scope, files)).toEqual({ kind: 'precached', key: 'index.html' });
    expect(routeRequest(get(`${scope}index.html`, 'navigate'), scope, files)).toEqual({ kind: 'precached', key: 'index.html' });
  });

  it('lets package indexes, wheels and everything not built pass through', () => {
    for (const url of [
      'https://pypi.org/simple/six/',
      'https://files.pythonhosted.org/packages/six-1.16.0-py2.py3-none-any.whl',
      'http://127.0.0.1:9999/app/assets/index-abc.js', // another origin, same path
      `${scope}wheelhouse/simple/six/`,
      `${scope}assets/index-abc.js?v=2`,
      `${scope}assets/other.js`,
      'http://127.0.0.1:4173/index.html', // outside the scope
    ]) {
      expect(routeRequest(get(url), scope, files)).toEqual({ kind: 'pass' });
    }
    expect(routeRequest({ method: 'POST', url: `${scope}index.html`, mode: 'cors' }, scope, files)).toEqual({ kind: 'pass' });
    // A navigation elsewhere in the scope is not the app.
    expect(routeRequest(get(`${scope}docs/`, 'navigate'), scope, files)).toEqual({ kind: 'pass' });
  });
});

describe('withIsolationHeaders', () => {
  it('rebuilds a response with COOP/COEP, keeping its body, status and other headers', async () => {
    const original = new Response('wasm bytes', { status: 200, statusText: 'OK', headers: { 'Content-Type': 'application/wasm', 'Cross-Origin-Embedder-Policy': 'unsafe-none' } });
    const rebuilt = withIsolationHeaders(original);
    expect(rebuilt).not.toBe(original);
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.headers.get('content-type')).toBe('application/wasm');
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) expect(rebuilt.headers.get(name)).toBe(value);
    expect(await rebuilt.text()).toBe('wasm bytes');
  });

  it('returns a response that has the headers already as it is (Chromium keeps compiled code for it)', () => {
    const cached = new Response('wasm bytes', { headers: { ...ISOLATION_HEADERS, 'Content-Type': 'application/wasm' } });
    expect(hasIsolationHeaders(cached)).toBe(true);
    expect(withIsolationHeaders(cached)).toBe(cached);
    expect(hasIsolationHeaders(new Response('x', { headers: { 'Cross-Origin-Opener-Policy': 'same-origin' } }))).toBe(false);
  });

  it('gives a null-body status no body', () => {
    const rebuilt = withIsolationHeaders(new Response(null, { status: 204 }));
    expect(rebuilt.status).toBe(204);
    expect(rebuilt.body).toBeNull();
    expect(rebuilt.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });
});

describe('precache manifest', () => {
  it('names the cache after the build and leaves out source maps and the worker itself', () => {
    const manifest = precacheManifest({ hash: '0123456789abcdef', files: ['index.html', 'assets/index-abc.js', 'assets/index-abc.js.map', 'sw.js', 'pyodide/pyodide.asm.wasm'] });
    expect(manifest).toEqual({ cacheName: 'pipette-app-0123456789abcdef', files: ['index.html', 'assets/index-abc.js', 'pyodide/pyodide.asm.wasm'] });
  });

  it('deletes older builds’ caches only', () => {
    expect(staleCaches(['pipette-app-old', 'pipette-app-new', 'other-app-cache', 'pipette-app-older'], 'pipette-app-new')).toEqual(['pipette-app-old', 'pipette-app-older']);
  });
});
