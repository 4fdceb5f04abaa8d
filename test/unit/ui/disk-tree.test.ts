import { expect, test } from 'vitest';
import { buildDiskTree, formatSize, openByDefault, visibleRows, type DiskNode } from '../../../src/ui/panels/disk/tree';
import type { DiskEntry } from '../../../src/ui/panels/types';

const root = '/home/pyodide/.venv';
const sp = `${root}/lib/python3.14/site-packages`;
const file = (path: string, size: number): DiskEntry => ({ path, kind: 'file', size });
const dir = (path: string): DiskEntry => ({ path, kind: 'directory', size: 0 });

const entries: DiskEntry[] = [
  dir(root),
  dir(`${root}/bin`),
  file(`${root}/bin/normalizer`, 250),
  file(`${root}/bin/activate`, 2100),
  file(`${root}/pyvenv.cfg`, 90),
  dir(`${root}/lib`),
  dir(`${root}/lib/python3.14`),
  dir(sp),
  file(`${sp}/requests/__init__.py`, 5000),
  file(`${sp}/requests/api.py`, 6500),
  file(`${sp}/requests-2.32.3.dist-info/METADATA`, 4500),
  file(`${sp}/requests-2.32.3.dist-info/RECORD`, 1800),
  // Only known as a parent: made up.
  file(`${sp}/idna/core.py`, 13000),
  dir(`${root}/include`),
  // Outside the root: ignored.
  file('/home/pyodide/main.py', 40),
];

/** The tree as indented lines: `name size`. */
function draw(node: DiskNode, isOpen: (n: DiskNode) => boolean = () => true): string[] {
  return visibleRows(node, isOpen).map((n) => `${'  '.repeat(n.depth)}${n.name}${n.kind === 'directory' ? ` (${n.files})` : ''} ${n.size}${n.distInfo ? ' *' : ''}`);
}

test('the tree folds single-folder chains, sorts folders first and sums sizes', () => {
  const tree = buildDiskTree(entries, root);
  expect(draw(tree)).toEqual([
    '/home/pyodide/.venv/ (8) 33240',
    '  bin/ (2) 2350',
    '    activate 2100',
    '    normalizer 250',
    '  include/ (0) 0',
    '  lib/python3.14/site-packages/ (5) 30800',
    '    idna/ (1) 13000',
    '      core.py 13000',
    '    requests/ (2) 11500',
    '      __init__.py 5000',
    '      api.py 6500',
    '    requests-2.32.3.dist-info/ (2) 6300 *',
    '      METADATA 4500',
    '      RECORD 1800',
    '  pyvenv.cfg 90',
  ]);
  const sitePackages = tree.children.find((c) => c.name.startsWith('lib/'))!;
  expect(sitePackages.path).toBe(sp);
  expect(sitePackages.children.find((c) => c.distInfo)!.path).toBe(`${sp}/requests-2.32.3.dist-info`);
});

test('by default the root and its children are open, deeper folders closed', () => {
  const tree = buildDiskTree(entries, root);
  expect(draw(tree, openByDefault)).toEqual([
    '/home/pyodide/.venv/ (8) 33240',
    '  bin/ (2) 2350',
    '    activate 2100',
    '    normalizer 250',
    '  include/ (0) 0',
    '  lib/python3.14/site-packages/ (5) 30800',
    '    idna/ (1) 13000',
    '    requests/ (2) 11500',
    '    requests-2.32.3.dist-info/ (2) 6300 *',
    '  pyvenv.cfg 90',
  ]);
});

test('input order, trailing slashes and doubled slashes do not change the tree', () => {
  const messy = [...entries].reverse().map((e) => ({ ...e, path: e.kind === 'directory' ? `${e.path}/` : e.path.replace('/site-packages/', '/site-packages//') }));
  expect(buildDiskTree(messy, `${root}/`)).toEqual(buildDiskTree(entries, root));
});

test('a chain is not folded into a .dist-info folder, and an empty root is one row', () => {
  const tree = buildDiskTree([file(`${sp}/only-1.0.dist-info/METADATA`, 10)], root);
  expect(draw(tree)).toEqual(['/home/pyodide/.venv/ (1) 10', '  lib/python3.14/site-packages/ (1) 10', '    only-1.0.dist-info/ (1) 10 *', '      METADATA 10']);
  expect(draw(buildDiskTree([], root))).toEqual(['/home/pyodide/.venv/ (0) 0']);
});

test('sizes read like pip (decimal units)', () => {
  expect([0, 999, 1000, 1234, 999_999, 1_500_000, 2_000_000_000].map(formatSize)).toEqual(['0 B', '999 B', '1.0 kB', '1.2 kB', '1000.0 kB', '1.5 MB', '2.0 GB']);
});
