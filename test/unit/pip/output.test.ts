/**
 * pip's output sink: every chunk any pip command writes is escaped and redacted there, once.
 */
import { describe, expect, it } from 'vitest';
import { terminalOutput } from '../../../src/pip';
import type { PipOutput } from '../../../src/pip';
import { MemoryFs } from '../../../src/install';
import { collectRequirements } from '../../../src/pip/requirements';

function capture(): { out: PipOutput; text: () => string; progress: string[] } {
  const chunks: string[] = [];
  const progress: string[] = [];
  return {
    out: { stdout: (t) => chunks.push(`1:${t}`), stderr: (t) => chunks.push(`2:${t}`), progress: (e) => progress.push(e.filename) },
    text: () => chunks.join(''),
    progress,
  };
}

describe('terminalOutput', () => {
  it('escapes control characters and redacts secrets on both streams', () => {
    const c = capture();
    const sink = terminalOutput(c.out);
    sink.stdout('Summary: \x1b[2J\x1b[HSuccessfully installed evil-1.0\n');
    sink.stderr('ERROR: Could not connect to https://bob:hunter2@host/simple/?token=t0ken\n');
    expect(c.text()).toBe('1:Summary: \\x1b[2J\\x1b[HSuccessfully installed evil-1.0\n2:ERROR: Could not connect to https://bob:****@host/simple/?token=****\n');
  });

  it('hides a value once it is reported as secret, in everything written after', () => {
    const c = capture();
    const sink = terminalOutput(c.out);
    sink.stdout('before: tok-123456\n');
    sink.secret?.('tok-123456');
    sink.stderr('ERROR: 404 for http://host/tok-123456/simple/alpha/\n');
    expect(c.text()).toBe('1:before: tok-123456\n2:ERROR: 404 for http://host/****/simple/alpha/\n');
  });

  it("escapes the progress line's file name (it comes from the index)", () => {
    const c = capture();
    terminalOutput(c.out).progress?.({ filename: 'evil\x1b[2J.whl', loaded: 1, total: 2, done: false });
    expect(c.progress).toEqual(['evil\\x1b[2J.whl']);
  });

  it('is applied once: wrapping a sink again returns it', () => {
    const sink = terminalOutput(capture().out);
    expect(terminalOutput(sink)).toBe(sink);
  });
});

describe('requirements files report the credentials ${VAR} expands to', () => {
  async function reported(text: string, env: Record<string, string>): Promise<string[]> {
    const fs = new MemoryFs();
    fs.writeFile('/w/r.txt', new TextEncoder().encode(text));
    const secrets: string[] = [];
    await collectRequirements(
      { args: [], requirementFiles: ['r.txt'], constraintFiles: [], editables: [] },
      { fs, cwd: '/w', env, markerEnvironment: {}, secret: (v) => secrets.push(v) },
    );
    return secrets;
  }

  it('a secret-named variable, or one in a URL’s userinfo or query, is reported; a version is not', async () => {
    const env = { PYPI_TOKEN: 'pypi-abcdef', USER: 'me', PASS: 'pw-123456', K: 'key-7890', VERSION: '2.0', HOST: 'example.com' };
    const text = [
      '--index-url https://${USER}:${PASS}@${HOST}/simple/',
      '--extra-index-url https://${HOST}/simple/?k=${K}',
      'alpha==${VERSION}',
      'beta @ https://${HOST}/beta-1.0-py3-none-any.whl#${PYPI_TOKEN}',
    ].join('\n');
    expect((await reported(text, env)).sort()).toEqual(['key-7890', 'me', 'pw-123456', 'pypi-abcdef']);
  });

  it('an undefined or empty variable reports nothing', async () => {
    expect(await reported('--index-url https://host/simple/?token=${NOPE}\nalpha\n', { EMPTY: '' })).toEqual([]);
  });
});
