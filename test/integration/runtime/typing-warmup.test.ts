/**
 * The connections opened while `pip install ` is typed (RuntimeSession.typing) go to the indexes
 * that command would read: pip.conf and the shell's PIP_* variables as pip applies them, else
 * the session's index; nobody when `no-index` is configured or a pip.conf is unreadable. Over a
 * real Pyodide session (its filesystem holds the pip.conf files); the fetch only records, so no
 * host is contacted. The clock is moved past the once-a-minute look between cases.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../../src/index';
import { bootPyodide } from '../../../src/runtime/boot';
import { readInterpreterInfo } from '../../../src/runtime/interpreter';
import { RuntimeSession } from '../../../src/runtime/session';

const SESSION_INDEX = 'https://session.example/simple/';
const heads: string[] = [];
const recordingFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
  heads.push(`${init?.method ?? 'GET'} ${String(input)}`);
  return new Response(null, { status: 200 });
}) as typeof fetch;

let session: RuntimeSession;

beforeAll(async () => {
  const py = await bootPyodide();
  // Before the session: its clocks are Date.now as found when it is made.
  vi.useFakeTimers({ toFake: ['Date'] });
  session = new RuntimeSession(py, readInterpreterInfo(py), { indexUrl: SESSION_INDEX, pyodidePackagesUrl: null }, new MemoryStore(), recordingFetch, { workspace: new MemoryStore(), cacheLocation: 'memory (test)' });
}, 120_000);

afterAll(() => {
  vi.useRealTimers();
});

const shell = (env: Record<string, string> = {}) => ({ env: { HOME: '/home/pyodide', ...env }, cwd: '/home/pyodide' });

/** The HEADs sent for `line`, with pip.conf at /etc/pip.conf holding `conf` (none when null). */
async function warmed(line: string, conf: string | null, env: Record<string, string> = {}): Promise<string[]> {
  if (conf === null) {
    if (session.fs.exists('/etc/pip.conf')) session.fs.remove('/etc/pip.conf');
  } else {
    session.fs.mkdirp('/etc');
    session.fs.writeFile('/etc/pip.conf', new TextEncoder().encode(conf));
  }
  // Past the once-a-minute look and every host's once-a-minute warm-up.
  vi.setSystemTime(Date.now() + 10 * 60_000);
  heads.length = 0;
  await session.typing(line, shell(env));
  return [...heads];
}

describe('typing `pip install ` warms the indexes the command would read', () => {
  it("the session's index when nothing else is configured", async () => {
    expect(await warmed('pip install ', null)).toEqual([`HEAD ${SESSION_INDEX}`]);
  });

  it("pip.conf's index-url, the command's section over [global], and its extra indexes", async () => {
    const conf = '[global]\nindex-url = https://global.example/simple/\n[install]\nindex-url = https://private.example/simple/\nextra-index-url = https://extra.example/simple/\n';
    expect(await warmed('pip install ', conf)).toEqual(['HEAD https://private.example/simple/', 'HEAD https://extra.example/simple/']);
    // `pip download` reads its own section, here none: [global] applies.
    expect(await warmed('python -m pip download ', conf)).toEqual(['HEAD https://global.example/simple/']);
  });

  it('a PIP_INDEX_URL variable over the files; a user name and password are never sent', async () => {
    const conf = '[global]\nindex-url = https://global.example/simple/\n';
    expect(await warmed('pip install ', conf, { PIP_INDEX_URL: 'https://alice:s3cret@env.example/simple/' })).toEqual(['HEAD https://env.example/simple/']);
  });

  it('nobody with no-index, with a pip.conf pip would reject, or for another command', async () => {
    expect(await warmed('pip install ', '[global]\nno-index = true\n')).toEqual([]);
    expect(await warmed('pip install ', null, { PIP_NO_INDEX: '1' })).toEqual([]);
    expect(await warmed('pip install ', 'index-url = no section header\n')).toEqual([]);
    expect(await warmed('pip list ', null)).toEqual([]);
    expect(await warmed('echo pip install ', null)).toEqual([]);
  });

  it("the command's own -i is not read from the line being typed", async () => {
    expect(await warmed('pip install -i https://pasted.example/simple/ x', null)).toEqual([`HEAD ${SESSION_INDEX}`]);
  });
});
