/**
 * The probe worker that tells a CORS refusal from no answer (src/index/reachability.ts), served
 * by the dev and preview servers (vite.config.ts) at `<base>__pipette/cors-probe.js`.
 *
 * It must be served with `Cross-Origin-Embedder-Policy: credentialless`: under the page's
 * `require-corp` a no-cors request to a host without Cross-Origin-Resource-Policy fails exactly
 * like no answer, which would make every CORS refusal look like a dead host. A dedicated worker
 * takes its embedder policy from its own response, and `credentialless` is compatible with a
 * cross-origin isolated owner, so the page keeps its isolation. A HEAD in `no-cors` mode, without
 * credentials, is all it sends: a host that answers anything (even 405) answered.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORS_PROBE_PATH } from '../index';

/** The worker's script: `{ id, url }` in, `{ id, verdict: 'answered' | 'no-answer' }` out. */
export const CORS_PROBE_SCRIPT = `'use strict';
self.onmessage = async (event) => {
  const { id, url } = event.data || {};
  let verdict = 'no-answer';
  try {
    await fetch(String(url), { method: 'HEAD', mode: 'no-cors', credentials: 'omit', cache: 'no-store', redirect: 'follow' });
    verdict = 'answered';
  } catch (error) {
    verdict = 'no-answer';
  }
  self.postMessage({ id, verdict });
};
`;

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Serves the probe at `${base}__pipette/cors-probe.js` with `headers` (the server's security
 * headers), its embedder policy replaced by `credentialless`.
 */
export function corsProbeMiddleware(base: string, headers: Readonly<Record<string, string>>): Middleware {
  const at = `${base.endsWith('/') ? base : `${base}/`}${CORS_PROBE_PATH}`;
  const body = Buffer.from(CORS_PROBE_SCRIPT);
  return (req, res, next) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname !== at || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    res.writeHead(200, {
      ...headers,
      'Cross-Origin-Embedder-Policy': 'credentialless',
      'Content-Type': 'text/javascript; charset=utf-8',
      'Content-Length': String(body.length),
      'Cache-Control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
