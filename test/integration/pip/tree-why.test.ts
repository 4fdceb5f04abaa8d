/**
 * `pip tree` (pipdeptree's text rendering) and `pip why` (requirement chains from requested
 * distributions) over a real environment: what they print is checked line for line, and
 * against what importlib.metadata says is installed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PipHarness } from '../../fixtures/pip-harness';

let server: IndexServer;
let h: PipHarness;

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'tw-app', version: '1.0', extras: ['x'], requires: ['tw-mid>=1.0', 'tw-leaf<3,>=2', 'tw-win ; sys_platform == "win32"', 'tw-extra ; extra == "x"'] },
      { name: 'tw-mid', version: '1.2', requires: ['tw-leaf>=1'] },
      { name: 'tw-leaf', version: '2.5' },
      { name: 'tw-solo', version: '0.1' },
      { name: 'tw-cyc-a', version: '1.0', requires: ['tw-cyc-b'] },
      { name: 'tw-cyc-b', version: '1.0', requires: ['tw-cyc-a'] },
      { name: 'tw-needs-missing', version: '1.0', requires: ['tw-gone>=1'] },
    ],
  });
  h = await PipHarness.create(server);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  await h.reset();
});

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

/** Every `installed: X` in a tree is what Python reports for that distribution. */
function expectInstalledVersionsAgree(tree: string): void {
  for (const m of tree.matchAll(/(\S+) \[required: [^,]+, installed: ([^\]]+)\]/g)) {
    expect(h.metadataVersion(m[1]!) ?? '?').toBe(m[2]);
  }
}

describe('pip tree', () => {
  test('roots and their requirements; --reverse; -p; --depth; --all', async () => {
    expect((await h.pip('install', 'tw-app', 'tw-solo')).code).toBe(0);
    const tree = await h.pip('tree');
    expect(tree).toEqual({
      code: 0,
      stderr: '',
      stdout: lines(
        'tw-app==1.0',
        '├── tw-leaf [required: >=2,<3, installed: 2.5]',
        '└── tw-mid [required: >=1.0, installed: 1.2]',
        '    └── tw-leaf [required: >=1, installed: 2.5]',
        'tw-solo==0.1',
      ),
    });
    expectInstalledVersionsAgree(tree.stdout);
    expect((await h.pip('tree', '--reverse')).stdout).toBe(
      lines(
        'tw-leaf==2.5',
        '├── tw-app==1.0 [requires: tw-leaf>=2,<3]',
        '└── tw-mid==1.2 [requires: tw-leaf>=1]',
        '    └── tw-app==1.0 [requires: tw-mid>=1.0]',
        'tw-solo==0.1',
      ),
    );
    expect((await h.pip('tree', '-p', 'tw-mid')).stdout).toBe(lines('tw-mid==1.2', '└── tw-leaf [required: >=1, installed: 2.5]'));
    expect((await h.pip('tree', '-p', 'TW_Mid,tw-app')).stdout).toBe(
      lines('tw-app==1.0', '├── tw-leaf [required: >=2,<3, installed: 2.5]', '└── tw-mid [required: >=1.0, installed: 1.2]', '    └── tw-leaf [required: >=1, installed: 2.5]'),
    );
    expect((await h.pip('tree', '--reverse', '-p', 'tw-m*')).stdout).toBe(lines('tw-mid==1.2', '└── tw-app==1.0 [requires: tw-mid>=1.0]'));
    expect((await h.pip('tree', '--depth', '0')).stdout).toBe(lines('tw-app==1.0', 'tw-solo==0.1'));
    expect((await h.pip('tree', '-d', '1')).stdout).toBe(
      lines('tw-app==1.0', '├── tw-leaf [required: >=2,<3, installed: 2.5]', '└── tw-mid [required: >=1.0, installed: 1.2]', 'tw-solo==0.1'),
    );
    expect((await h.pip('tree', '--all', '--depth', '0')).stdout).toBe(lines('tw-app==1.0', 'tw-leaf==2.5', 'tw-mid==1.2', 'tw-solo==0.1'));
    expect(await h.pip('tree', '-p', 'nothing*')).toEqual({ code: 1, stdout: '', stderr: 'ERROR: No packages matched using the following patterns: nothing*\n' });
  });

  test('a missing requirement shows installed: ?; a cycle is cut where a name repeats', async () => {
    expect((await h.pip('install', '--no-deps', 'tw-needs-missing')).code).toBe(0);
    expect((await h.pip('install', 'tw-cyc-a')).code).toBe(0);
    const tree = await h.pip('tree');
    expect(tree.stdout).toBe(
      lines(
        'tw-cyc-a==1.0',
        '└── tw-cyc-b [required: Any, installed: 1.0]',
        '    └── tw-cyc-a [required: Any, installed: 1.0]',
        'tw-needs-missing==1.0',
        '└── tw-gone [required: >=1, installed: ?]',
      ),
    );
    expectInstalledVersionsAgree(tree.stdout);
    expect((await h.pip('tree', '--reverse', '-p', 'tw-gone')).stdout).toBe(lines('tw-gone==?', '└── tw-needs-missing==1.0 [requires: tw-gone>=1]'));
  });

  test('an empty environment prints nothing; pip help lists the Pipette commands apart', async () => {
    expect(await h.pip('tree')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await h.pip('help')).stdout).toContain(
      '\n\nPipette Commands:\n  tree                        Show installed packages as a dependency tree.\n  why                         Show why a package is installed.\n',
    );
    expect((await h.pip('tre')).stderr).toBe('ERROR: unknown command "tre" - maybe you meant "tree"\n');
  });
});

describe('pip why', () => {
  test('chains from what was requested, down to the package', async () => {
    expect((await h.pip('install', 'tw-app', 'tw-solo')).code).toBe(0);
    expect(await h.pip('why', 'tw-leaf')).toEqual({
      code: 0,
      stderr: '',
      stdout: lines('tw-app==1.0 -> tw-leaf>=2,<3 (2.5)', 'tw-app==1.0 -> tw-mid>=1.0 (1.2) -> tw-leaf>=1 (2.5)'),
    });
    expect((await h.pip('why', 'TW_Mid')).stdout).toBe(lines('tw-app==1.0 -> tw-mid>=1.0 (1.2)'));
    expect((await h.pip('why', 'tw-app')).stdout).toBe(lines('tw-app==1.0 was requested directly.'));
    expect(await h.pip('why', 'tw-nothing')).toEqual({ code: 1, stdout: '', stderr: 'ERROR: tw-nothing is not installed.\n' });
    expect((await h.pip('why')).stderr).toBe('ERROR: Give one package name: pip why <package> (see "pip help why")\n');
  });

  test('requested and required; a chain stops at a requested package', async () => {
    expect((await h.pip('install', 'tw-mid')).code).toBe(0);
    expect((await h.pip('install', 'tw-app')).code).toBe(0);
    expect((await h.pip('why', 'tw-mid')).stdout).toBe(lines('tw-mid==1.2 was requested directly.', 'tw-app==1.0 -> tw-mid>=1.0 (1.2)'));
    expect((await h.pip('why', 'tw-leaf')).stdout).toBe(lines('tw-app==1.0 -> tw-leaf>=2,<3 (2.5)', 'tw-mid==1.2 -> tw-leaf>=1 (2.5)'));
  });

  test('left behind: nothing requested needs it', async () => {
    expect((await h.pip('install', 'tw-app')).code).toBe(0);
    expect((await h.pip('uninstall', '-y', 'tw-app')).code).toBe(0);
    expect(h.metadataVersion('tw-mid')).toBe('1.2');
    expect((await h.pip('why', 'tw-mid')).stdout).toBe(lines('tw-mid==1.2 was not requested, and no requested distribution requires it.'));
    expect((await h.pip('why', 'tw-leaf')).stdout).toBe(lines('tw-mid==1.2 (not requested) -> tw-leaf>=1 (2.5)'));
  });
});
