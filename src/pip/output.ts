/**
 * pip's output on its way to the person: the one choke point every pip command writes through
 * (`runPip` wraps the context's output in it; the logger, `log.raw`, JSON reports and direct
 * `ctx.out` writes all land here). Two rules hold for every chunk:
 * - secrets are redacted (pep's redactSecrets): URL userinfo as pip's `redact_auth_from_url`,
 *   secret-looking query values, and the values `${VAR}` expanded to where they stood for a
 *   credential (reported through `secret()` by the requirements-file reader);
 * - control characters are shown escaped (pep's escapeTerminalText), so nothing an index, a
 *   wheel, a file name or a network error says can clear the screen or forge a line. pip's own
 *   words never hold one, so escaping the whole stream changes only outside text.
 * Chunks are cleaned one by one: pip writes whole messages, so a URL or a secret is not split
 * between two writes.
 */
import { escapeTerminalText, redactSecrets } from '../pep';
import type { PipOutput } from './context';

const CLEAN = new WeakSet<PipOutput>();

/** `out` behind the choke point; an output that already is one is returned as it is. */
export function terminalOutput(out: PipOutput): PipOutput {
  if (CLEAN.has(out)) return out;
  const secrets = new Set<string>();
  const clean = (text: string): string => escapeTerminalText(redactSecrets(text, secrets));
  const sink: PipOutput = {
    stdout: (text) => out.stdout(clean(text)),
    stderr: (text) => out.stderr(clean(text)),
    // The file name a progress line shows comes from the index too.
    ...(out.progress ? { progress: (event) => out.progress!({ ...event, filename: clean(event.filename) }) } : {}),
    secret: (value) => {
      secrets.add(value);
      out.secret?.(value);
    },
  };
  CLEAN.add(sink);
  return sink;
}
