/**
 * wc, sort, tail and uniq for the flags people use, each expected output taken from GNU
 * coreutils 9.1 on the same input (in the C.UTF-8 locale where the order does not depend on it),
 * and the pip-tools / pip-audit commands, which hand their argv to pip.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import type { Shell } from '../../../src/shell';
import { translateAuditArgs } from '../../../src/shell/builtins/pip-tools';
import { newShell, readFile, run, writeFile, type TestHost } from './test-host';

let shell: Shell;
let host: TestHost;

beforeEach(() => {
  ({ shell, host } = newShell());
  writeFile(host, '/home/user/f1', 'a b\nc\n');
  writeFile(host, '/home/user/f2', 'hello world\n');
  writeFile(host, '/home/user/s.txt', 'b 2\na 10\nc 1\nB 3\na 10\n');
  writeFile(host, '/home/user/n.txt', Array.from({ length: 20 }, (_, i) => `${i + 1}\n`).join(''));
});

describe('wc', () => {
  test('lines, words and bytes, aligned as GNU aligns them', async () => {
    expect((await run(shell, 'echo hi | wc')).stdout).toBe('      1       1       3\n');
    expect((await run(shell, 'echo hi | wc -l')).stdout).toBe('1\n');
    expect((await run(shell, 'wc f1')).stdout).toBe('2 3 6 f1\n');
    expect((await run(shell, 'wc -l f1')).stdout).toBe('2 f1\n');
    expect((await run(shell, 'wc f1 f2')).stdout).toBe(' 2  3  6 f1\n 1  2 12 f2\n 3  5 18 total\n');
    expect((await run(shell, 'wc -lw f1 f2')).stdout).toBe(' 2  3 f1\n 1  2 f2\n 3  5 total\n');
    expect((await run(shell, 'cat f1 | wc -w')).stdout).toBe('3\n');
    expect((await run(shell, 'wc -L f1 f2')).stdout).toBe(' 3 f1\n11 f2\n11 total\n');
    expect((await run(shell, 'wc -m f2')).stdout).toBe('12 f2\n');
  });

  test('a missing file: GNU message, status 1, the others still counted', async () => {
    const r = await run(shell, 'wc nope');
    expect(r).toMatchObject({ status: 1, stderr: 'wc: nope: No such file or directory\n' });
  });
});

describe('sort', () => {
  const flat = (s: string): string => s.replace(/\n/g, '|');
  test('plain, -n with a key, -u, -r, -t with a key, -V, -h', async () => {
    // A UTF-8 locale's order: case counts only when the letters tie (GNU sort in en_US.UTF-8).
    expect(flat((await run(shell, 'sort s.txt')).stdout)).toBe('a 10|a 10|b 2|B 3|c 1|');
    expect(flat((await run(shell, 'sort -n -k2 s.txt')).stdout)).toBe('c 1|b 2|B 3|a 10|a 10|');
    expect(flat((await run(shell, 'sort -u s.txt')).stdout)).toBe('a 10|b 2|B 3|c 1|');
    expect(flat((await run(shell, 'sort -r s.txt')).stdout)).toBe('c 1|B 3|b 2|a 10|a 10|');
    expect(flat((await run(shell, "sort -t' ' -k2,2n s.txt")).stdout)).toBe('c 1|b 2|B 3|a 10|a 10|');
    expect(flat((await run(shell, "echo -e '1.10\\n1.9\\n1.2.3' | sort -V")).stdout)).toBe('1.2.3|1.9|1.10|');
    expect(flat((await run(shell, 'echo 2K > h; echo 1M >> h; echo 512 >> h; sort -h h')).stdout)).toBe('512|2K|1M|');
    expect(flat((await run(shell, 'sort -rn -k2 s.txt')).stdout)).toBe('a 10|a 10|B 3|b 2|c 1|');
  });

  test('-f folds case; -o writes a file, also one of its inputs', async () => {
    writeFile(host, '/home/user/names', 'Requests\nflask\nrequests\nFlask\n');
    expect(flat((await run(shell, 'sort -uf names')).stdout)).toBe('flask|Requests|');
    expect((await run(shell, 'sort -o names names')).status).toBe(0);
    expect(readFile(host, '/home/user/names')).toBe('flask\nFlask\nrequests\nRequests\n');
  });

  test('-c reports the first line out of order; errors in GNU words', async () => {
    expect(await run(shell, 'sort -c s.txt')).toMatchObject({ status: 1, stderr: 'sort: s.txt:2: disorder: a 10\n' });
    expect((await run(shell, 'sort -c n.txt')).status).toBe(1);
    expect((await run(shell, 'sort -n -c n.txt')).status).toBe(0);
    expect(await run(shell, 'sort nope')).toMatchObject({ status: 2, stderr: 'sort: cannot read: nope: No such file or directory\n' });
    expect((await run(shell, 'sort -k 0 s.txt')).status).toBe(2);
  });
});

describe('tail', () => {
  test('the last lines, from a line on, old spellings, bytes, headers', async () => {
    expect((await run(shell, 'tail -n 3 n.txt')).stdout).toBe('18\n19\n20\n');
    expect((await run(shell, 'tail -n +18 n.txt')).stdout).toBe('18\n19\n20\n');
    expect((await run(shell, 'tail -3 n.txt')).stdout).toBe('18\n19\n20\n');
    expect((await run(shell, 'tail n.txt | head -n 1')).stdout).toBe('11\n');
    expect((await run(shell, 'tail -c 6 n.txt')).stdout).toBe('19\n20\n');
    expect((await run(shell, 'tail -n 2 n.txt s.txt')).stdout).toBe('==> n.txt <==\n19\n20\n\n==> s.txt <==\nB 3\na 10\n');
    expect((await run(shell, "echo -en 'a\\nb' | tail -n 1")).stdout).toBe('b');
  });

  test('a missing file, a bad count', async () => {
    expect(await run(shell, 'tail nope')).toMatchObject({ status: 1, stderr: "tail: cannot open 'nope' for reading: No such file or directory\n" });
    expect(await run(shell, 'tail -n x n.txt')).toMatchObject({ status: 1, stderr: "tail: invalid number of lines: 'x'\n" });
  });
});

describe('uniq', () => {
  test('-c, -d, -u, -i on adjacent lines', async () => {
    writeFile(host, '/home/user/u', 'a\na\nb\nA\nc\nc\nc\n');
    expect((await run(shell, 'uniq -c u')).stdout).toBe('      2 a\n      1 b\n      1 A\n      3 c\n');
    expect((await run(shell, 'uniq -d u')).stdout).toBe('a\nc\n');
    expect((await run(shell, 'uniq -u u')).stdout).toBe('b\nA\n');
    expect((await run(shell, "echo -e 'a\\nA\\nb' | uniq -ic")).stdout).toBe('      2 a\n      1 b\n');
    expect((await run(shell, 'sort s.txt | uniq')).stdout).toBe('a 10\nb 2\nB 3\nc 1\n');
    expect((await run(shell, 'uniq -D u')).stdout).toBe('a\na\nc\nc\nc\n');
  });

  test('-f and -s skip, -w limits; an OUTPUT file; a missing input', async () => {
    writeFile(host, '/home/user/v', 'x 1 a\ny 1 a\nz 2 b\n');
    expect((await run(shell, 'uniq -f 1 v')).stdout).toBe('x 1 a\nz 2 b\n');
    expect((await run(shell, 'uniq -s 1 v')).stdout).toBe('x 1 a\nz 2 b\n');
    expect((await run(shell, 'uniq -w 1 v')).stdout).toBe('x 1 a\ny 1 a\nz 2 b\n');
    expect((await run(shell, 'uniq v out')).status).toBe(0);
    expect(readFile(host, '/home/user/out')).toBe('x 1 a\ny 1 a\nz 2 b\n');
    expect(await run(shell, 'uniq nope')).toMatchObject({ status: 1, stderr: 'uniq: nope: No such file or directory\n' });
  });
});

describe('pip-compile, pip-sync, pip-audit', () => {
  test('are pip compile, pip sync and pip audit, with the arguments as given', async () => {
    await run(shell, 'pip-compile --upgrade-package requests --generate-hashes requirements.in');
    await run(shell, 'pip-sync requirements.txt');
    await run(shell, 'pip-audit --fix');
    await run(shell, 'pip-audit -r requirements.txt --desc on --aliases off');
    expect(host.calls.map((c) => c.argv)).toEqual([
      ['compile', '--upgrade-package', 'requests', '--generate-hashes', 'requirements.in'],
      ['sync', 'requirements.txt'],
      ['audit', '--fix'],
      ['audit', '--requirement', 'requirements.txt', '--desc'],
    ]);
    expect((await run(shell, 'which pip-audit')).stdout).toContain('pip-audit');
  });

  test("pip-audit's argparse spellings, and what it cannot do here", () => {
    expect(translateAuditArgs(['--requirement=r.txt', '-rother.txt', '--ignore-vuln', 'GHSA-1', '-l', '--skip-editable'])).toEqual({
      kind: 'argv',
      argv: ['--requirement', 'r.txt', '--requirement', 'other.txt', '--ignore-vuln', 'GHSA-1'],
    });
    expect(translateAuditArgs(['-s', 'osv'])).toMatchObject({ kind: 'error', message: expect.stringContaining("only 'pypi'") });
    expect(translateAuditArgs(['-f', 'json'])).toMatchObject({ kind: 'error' });
    expect(translateAuditArgs(['--frob'])).toEqual({ kind: 'error', message: 'unrecognized arguments: --frob' });
    expect(translateAuditArgs(['.'])).toMatchObject({ kind: 'error', message: expect.stringContaining('with -r FILE') });
    expect(translateAuditArgs(['-V'])).toEqual({ kind: 'special', flag: '--version' });
  });

  test('a usage error is argparse\'s: usage line, the error, status 2', async () => {
    const r = await run(shell, 'pip-audit --frob');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^usage: pip-audit .*\npip-audit: error: unrecognized arguments: --frob\n$/);
    expect(host.calls).toEqual([]);
  });
});
