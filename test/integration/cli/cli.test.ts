/**
 * `node bin/pipette.js` end to end, as a person runs it, against the fixture index on
 * 127.0.0.1: output formats, exit statuses, requirement and constraint files, the target
 * Python, the PEP 751 lock and the pip-tools style compile.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePylock } from '../../../src/pep/pylock';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { buildWheel } from '../../fixtures/wheel-builder';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../../bin/pipette.js');

let server: IndexServer;
let dir: string;

async function pipette(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: dir, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function sha(filename: string): string {
  const dist = server.dists.find((d) => d.filename === filename);
  if (!dist) throw new Error(`fixture: no ${filename}`);
  return dist.sha256;
}

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'app', version: '1.0', requires: ['left', 'right'] },
      { name: 'left', version: '1.0', requires: ['base<2'] },
      { name: 'right', version: '1.0', requires: ['base>=1.5'] },
      { name: 'base', version: '1.0' },
      { name: 'base', version: '1.5' },
      { name: 'base', version: '2.0' },
      { name: 'pyreq', version: '1.0', requiresPython: '>=3.8' },
      { name: 'pyreq', version: '2.0', requiresPython: '>=3.15' },
      { name: 'clash', version: '1.0', requires: ['base>=2', 'left'] },
    ],
  });
  dir = await mkdtemp(join(tmpdir(), 'pipette-cli-'));
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('pipette resolve', () => {
  it('prints name==version sorted by name', async () => {
    const r = await pipette('resolve', 'app', '--index-url', server.simpleUrl);
    expect(r).toEqual({ code: 0, stdout: 'app==1.0\nbase==1.5\nleft==1.0\nright==1.0\n', stderr: '' });
  });

  it('adds hashes with --generate-hashes', async () => {
    const r = await pipette('resolve', 'left', '--index-url', server.simpleUrl, '--generate-hashes');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `base==1.5 \\\n    --hash=sha256:${sha('base-1.5-py3-none-any.whl')}\nleft==1.0 \\\n    --hash=sha256:${sha('left-1.0-py3-none-any.whl')}\n`,
    );
  });

  it('prints JSON with --json', async () => {
    const r = await pipette('resolve', 'right', '--index-url', server.simpleUrl, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      resolved: [
        { name: 'base', version: '2.0', url: server.fileUrl('base-2.0-py3-none-any.whl'), sha256: sha('base-2.0-py3-none-any.whl') },
        { name: 'right', version: '1.0', url: server.fileUrl('right-1.0-py3-none-any.whl'), sha256: sha('right-1.0-py3-none-any.whl') },
      ],
    });
  });

  it('exits 1 with the explanation when there is no solution', async () => {
    const r = await pipette('resolve', 'clash', '--index-url', server.simpleUrl);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatchInlineSnapshot(`
      "ERROR: Cannot install clash because these package versions have conflicting dependencies.

      The conflict is caused by:
          Because left==1.0 depends on base<2 and clash==1.0 depends on base>=2, we can conclude that left==1.0 and clash==1.0 are incompatible.
          And because you require clash and clash==1.0 depends on left, we can conclude that your requirements are unsatisfiable.

      To fix this you could try to:
      1. loosen the range of package versions you've specified
      2. remove package versions to allow pip to attempt to solve the dependency conflict

      ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/#dealing-with-dependency-conflicts
      "
    `);
    const json = await pipette('resolve', 'clash', '--index-url', server.simpleUrl, '--json');
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { error: string }).error).toBe(r.stderr.trimEnd());
  });

  it('reads -r and -c files', async () => {
    await writeFile(join(dir, 'reqs.txt'), `# what we need\n--index-url ${server.simpleUrl}\napp\n`);
    await writeFile(join(dir, 'cons.txt'), 'base<1.5\n');
    const ok = await pipette('resolve', '-r', 'reqs.txt');
    expect(ok.stdout).toBe('app==1.0\nbase==1.5\nleft==1.0\nright==1.0\n');
    const r = await pipette('resolve', '-r', 'reqs.txt', '-c', 'cons.txt');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('your constraints allow only base<1.5');
  });

  it('targets another Python with --python-version', async () => {
    expect((await pipette('resolve', 'pyreq', '--index-url', server.simpleUrl)).stdout).toBe('pyreq==1.0\n');
    expect((await pipette('resolve', 'pyreq', '--index-url', server.simpleUrl, '--python-version', '3.15')).stdout).toBe('pyreq==2.0\n');
    const r = await pipette('resolve', 'pyreq>=2', '--index-url', server.simpleUrl);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the current Python version (3.14.2) does not satisfy Python>=3.15');
  });

  it('resolves a local wheel given by path, with its dependencies from the index', async () => {
    const wheel = buildWheel({ name: 'mytool', version: '0.3', requires: ['left'] });
    await writeFile(join(dir, wheel.filename), wheel.bytes);
    const r = await pipette('resolve', `./${wheel.filename}`, '--index-url', server.simpleUrl, '--json');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      resolved: [
        { name: 'base', version: '1.5', url: server.fileUrl('base-1.5-py3-none-any.whl'), sha256: sha('base-1.5-py3-none-any.whl') },
        { name: 'left', version: '1.0', url: server.fileUrl('left-1.0-py3-none-any.whl'), sha256: sha('left-1.0-py3-none-any.whl') },
        { name: 'mytool', version: '0.3', url: pathToFileURL(join(dir, wheel.filename)).toString(), sha256: null },
      ],
    });
  });

  it('rejects bad usage with exit status 2', async () => {
    const r = await pipette('resolve', '--frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pipette: error: no such option: --frobnicate');
  });
});

describe('pipette lock', () => {
  it('writes a PEP 751 pylock.toml', async () => {
    const r = await pipette('lock', 'app', '--index-url', server.simpleUrl, '-o', 'pylock.toml');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const lock = parsePylock(await readFile(join(dir, 'pylock.toml'), 'utf8'));
    expect(lock.createdBy).toBe('pipette');
    expect(lock.packages.map((p) => `${p.name}==${p.version}`)).toEqual(['app==1.0', 'base==1.5', 'left==1.0', 'right==1.0']);
    const base = lock.packages.find((p) => p.name === 'base');
    expect(base?.wheels?.[0]).toMatchObject({
      name: 'base-1.5-py3-none-any.whl',
      url: server.fileUrl('base-1.5-py3-none-any.whl'),
      hashes: { sha256: sha('base-1.5-py3-none-any.whl') },
    });
  });
});

describe('pipette compile', () => {
  it('pins requirements.in with # via annotations', async () => {
    await writeFile(join(dir, 'requirements.in'), `--index-url ${server.simpleUrl}\napp\nbase\n`);
    const r = await pipette('compile', 'requirements.in');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '#',
        '# This file is autogenerated by pipette with Python 3.14',
        '# by the following command:',
        '#',
        '#    pipette compile requirements.in',
        '#',
        'app==1.0',
        '    # via -r requirements.in',
        'base==1.5',
        '    # via',
        '    #   -r requirements.in',
        '    #   left',
        '    #   right',
        'left==1.0',
        '    # via app',
        'right==1.0',
        '    # via app',
        '',
      ].join('\n'),
    );
  });

  it('writes hashes to -o', async () => {
    await writeFile(join(dir, 'small.in'), `--index-url ${server.simpleUrl}\nleft\n`);
    const r = await pipette('compile', 'small.in', '--generate-hashes', '-o', 'small.txt');
    expect(r.code).toBe(0);
    const text = await readFile(join(dir, 'small.txt'), 'utf8');
    expect(text).toContain('#    pipette compile --generate-hashes -o small.txt small.in\n');
    expect(text).toContain(`left==1.0 \\\n    --hash=sha256:${sha('left-1.0-py3-none-any.whl')}\n    # via -r small.in\n`);
  });
});
