/**
 * pip.conf in the virtual filesystem: the INI dialect checked against Python's own configparser
 * (running in the same Pyodide), `pip config` list/get/set/unset/debug/edit with pip's words,
 * configured values taking effect in install/download/cache (index URLs, pre, timeout,
 * retries, no-cache-dir) with pip's precedence, and a broken file failing every command
 * clearly while changing nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { IniFile } from '../../../src/pip/configuration';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PipHarness } from '../../fixtures/pip-harness';

let server: IndexServer;
let other: IndexServer;
let h: PipHarness;

const HOME = '/home/pyodide';
const USER_FILE = `${HOME}/.config/pip/pip.conf`;
const LEGACY_USER_FILE = `${HOME}/.pip/pip.conf`;
const GLOBAL_FILE = '/etc/pip.conf';
const XDG_GLOBAL_FILE = '/etc/xdg/pip/pip.conf';
let siteFile: string;

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'cfg-a', version: '1.0' },
      { name: 'cfg-a', version: '2.0b1' },
      { name: 'cfg-dep', version: '1.0' },
    ],
  });
  other = await startIndexServer({ projects: [{ name: 'cfg-other', version: '3.0', requires: ['cfg-dep'] }] });
  h = await PipHarness.create(server);
  siteFile = `${h.environment.prefix === '/' ? '' : h.environment.prefix}/pip.conf`;
}, 60_000);

afterAll(async () => {
  await server?.close();
  await other?.close();
});

beforeEach(async () => {
  h.env = {};
  server.setFaults({});
  for (const f of [USER_FILE, LEGACY_USER_FILE, GLOBAL_FILE, XDG_GLOBAL_FILE, siteFile]) if (h.fs.exists(f)) h.fs.remove(f);
  await h.reset();
});

/** Python's RawConfigParser on the same bytes, read from the file as pip reads it. */
function pythonParse(path: string): { error?: string; sections?: Record<string, [string, string][]>; written?: string } {
  return JSON.parse(
    h.python(`
import configparser, io, json
p = configparser.RawConfigParser()
try:
    p.read(${JSON.stringify(path)}, encoding="utf-8")
    out = io.StringIO()
    p.write(out)
    r = {"sections": {s: [list(kv) for kv in p.items(s)] for s in p.sections()}, "written": out.getvalue()}
except configparser.Error as e:
    r = {"error": f"Configuration file could not be loaded.\\n{e}\\n"}
json.dumps(r)
`) as string,
  ) as { error?: string; sections?: Record<string, [string, string][]>; written?: string };
}

describe('the INI dialect is configparser.RawConfigParser', () => {
  const cases: readonly string[] = [
    '[global]\nindex-url = https://example.org/simple\ntimeout=10\n',
    '[install]\nextra-index-url =\n    https://a.example/simple\n    https://b.example/simple\n\n[global]\nNo_Cache_Dir: yes\n',
    '# top comment\n[global]\n; semicolon comment\nkey = value # not a comment\n  # an indented comment\nother = 1\n',
    '[g]\na = 1\n  x\n\n  y\n\nb = 2\n',
    '[DEFAULT]\ntimeout = 5\n[global]\nretries = 2\n[install]\ntimeout = 9\n',
    '[global] trailing text\nk=v\n',
    '[g]\nk =\nk2 = v2\n\tcontinued with a tab\n',
    '[a:b]\nx:y=z\n',
    '\n\n[g]\n\n\nz = last',
    // Broken files: pip's ConfigurationFileCouldNotBeLoaded around configparser's message.
    'junk\n[global]\n',
    '[global]\nindex-url\n',
    '[global]\na=1\nbad line\nb=2\nworse\n',
    '[g]\na=1\n[g]\n',
    '[g]\na=1\nA=2\n',
    '  indented = before any header\n',
    '[g]\n=value\n',
  ];
  test.each(cases)('%j', (text) => {
    const path = '/tmp/cfg-case/pip.conf';
    h.writeFile(path, text);
    const py = pythonParse(path);
    let ours: typeof py;
    try {
      const file = IniFile.parse(text, path);
      ours = { sections: Object.fromEntries(file.sections().map((s) => [s, file.items(s)])), written: file.toString() };
    } catch (error) {
      ours = { error: (error as Error).message };
    }
    expect(ours).toEqual(py);
  });
});

describe('pip config', () => {
  test('set, get, list, unset, with pip\'s words, on real files', async () => {
    const set = await h.pip('config', 'set', 'global.index-url', 'https://example.org/simple');
    expect(set).toEqual({ code: 0, stdout: `Writing to ${USER_FILE}\n`, stderr: '' });
    expect(await h.pip('config', 'set', 'install.Timeout', '10')).toEqual({ code: 0, stdout: `Writing to ${USER_FILE}\n`, stderr: '' });
    // What was written is what Python's configparser writes for the same values.
    expect(h.readText(USER_FILE)).toBe('[global]\nindex-url = https://example.org/simple\n\n[install]\ntimeout = 10\n\n');
    expect(pythonParse(USER_FILE).sections).toEqual({ global: [['index-url', 'https://example.org/simple']], install: [['timeout', '10']] });

    expect(await h.pip('config', 'get', 'global.index-url')).toEqual({ code: 0, stdout: 'https://example.org/simple\n', stderr: '' });
    expect(await h.pip('config', 'get', 'global.nope')).toEqual({ code: 1, stdout: '', stderr: 'ERROR: No such key - global.nope\n' });
    expect(await h.pip('config', 'get', 'index-url')).toEqual({
      code: 1,
      stdout: '',
      stderr: "ERROR: Key does not contain dot separated section and key. Perhaps you wanted to use 'global.index-url' instead?\n",
    });

    h.writeFile(GLOBAL_FILE, '[global]\ntimeout = 60\n');
    h.env = { PIP_RETRIES: '2' };
    expect((await h.pip('config', 'list')).stdout).toBe(
      // pip 25 sorts by file: `/etc/pip.conf`, then the user file, then `:env:` (':' > '/').
      "global.timeout='60'\nglobal.index-url='https://example.org/simple'\ninstall.timeout='10'\n:env:.retries='2'\n",
    );
    expect((await h.pip('config', '--global', 'list')).stdout).toBe("global.timeout='60'\n:env:.retries='2'\n");
    expect((await h.pip('--isolated', 'config', 'list')).stdout).toBe("global.timeout='60'\n");

    expect(await h.pip('config', 'unset', 'install.timeout')).toEqual({ code: 0, stdout: `Writing to ${USER_FILE}\n`, stderr: '' });
    expect(h.readText(USER_FILE)).toBe('[global]\nindex-url = https://example.org/simple\n\n');
    expect(await h.pip('config', 'unset', 'install.timeout')).toEqual({ code: 1, stdout: '', stderr: 'ERROR: No such key - install.timeout\n' });
    expect(await h.pip('config', '--global', 'set', 'global.retries', '3')).toEqual({ code: 0, stdout: `Writing to ${GLOBAL_FILE}\n`, stderr: '' });
    expect(h.readText(GLOBAL_FILE)).toBe('[global]\ntimeout = 60\nretries = 3\n\n');
  });

  test('changes go to the site file when it exists', async () => {
    h.writeFile(siteFile, '[global]\n');
    expect((await h.pip('config', 'set', 'global.pre', 'true')).stdout).toBe(`Writing to ${siteFile}\n`);
    expect(h.readText(siteFile)).toBe('[global]\npre = true\n\n');
    expect(h.fs.exists(USER_FILE)).toBe(false);
  });

  test('debug: the variables, then every file, whether it exists, and its values', async () => {
    h.writeFile(USER_FILE, '[global]\ntimeout = 5\n[install]\npre = yes\n');
    h.env = { PIP_NO_INPUT: '1' };
    const r = await h.pip('config', 'debug');
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'env_var:',
        "  PIP_NO_INPUT='1'",
        'env:',
        'global:',
        `  ${XDG_GLOBAL_FILE}, exists: False`,
        `  ${GLOBAL_FILE}, exists: False`,
        'site:',
        `  ${siteFile}, exists: False`,
        'user:',
        `  ${LEGACY_USER_FILE}, exists: False`,
        `  ${USER_FILE}, exists: True`,
        '    global.timeout: 5',
        '    install.pre: yes',
        '',
      ].join('\n'),
    });
  });

  test("pip's errors: no action, two files, wrong argument counts, and no editor here", async () => {
    expect(await h.pip('config')).toEqual({ code: 1, stdout: '', stderr: 'ERROR: Need an action (debug, edit, get, list, set, unset) to perform.\n' });
    expect(await h.pip('config', '--user', '--global', 'set', 'global.x', '1')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ERROR: Need exactly one file to operate upon (--user, --site, --global) to perform.\n',
    });
    expect(await h.pip('config', 'get')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ERROR: Got unexpected number of arguments, expected 1. (example: "pip config get [name]")\n',
    });
    const edit = await h.pip('config', 'edit');
    expect(edit.code).toBe(1);
    expect(edit.stderr).toContain(`ERROR: Cannot open an editor here: this terminal has no editor programs to run. Change ${USER_FILE} with "pip config --user set`);
    expect(h.fs.exists(USER_FILE)).toBe(false);
  });
});

describe('configuration takes effect', () => {
  test('global.index-url and install.extra-index-url: install and download read them', async () => {
    h.writeFile(USER_FILE, `[global]\nindex-url = ${other.simpleUrl}\n`);
    // cfg-other's dependency is only on the main index: without it, --no-deps.
    const r = await h.pip('install', '--no-deps', 'cfg-other');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(h.importVersion('cfg_other')).toBe('3.0');
    // cfg-dep is only on the fixture's main index: an [install] extra index brings it in.
    await h.reset();
    h.writeFile(USER_FILE, `[global]\nindex-url = ${other.simpleUrl}\n[install]\nextra-index-url = ${server.simpleUrl}\n`);
    const both = await h.pip('install', 'cfg-other', 'cfg-a');
    expect(both.code).toBe(0);
    expect((await h.pip('freeze')).stdout).toBe('cfg-a==1.0\ncfg-dep==1.0\ncfg-other==3.0\n');
    // [install] is for install only: download sees the global index alone.
    const download = await h.pip('download', '-d', 'dl', 'cfg-a');
    expect(download.code).toBe(1);
    expect(download.stderr).toContain('No matching distribution found for cfg-a');
  });

  test('install.pre; [install] beats [global]; PIP_* beats files; the command line beats all', async () => {
    h.writeFile(USER_FILE, '[global]\npre = false\n[install]\npre = true\n');
    expect((await h.pip('install', '--dry-run', 'cfg-a')).stdout).toContain('Would install cfg-a-2.0b1\n');
    h.env = { PIP_PRE: 'no' };
    expect((await h.pip('install', '--dry-run', 'cfg-a')).stdout).toContain('Would install cfg-a-1.0\n');
    expect((await h.pip('install', '--dry-run', '--pre', 'cfg-a')).stdout).toContain('Would install cfg-a-2.0b1\n');
    h.env = {};
    expect((await h.pip('index', 'versions', 'cfg-a')).stdout).toBe('cfg-a (1.0)\nAvailable versions: 1.0\n');
  });

  test('site beats user beats global; --isolated drops the user file but keeps global and site', async () => {
    h.writeFile(GLOBAL_FILE, `[global]\nindex-url = ${other.simpleUrl}\n`);
    h.writeFile(USER_FILE, `[global]\nindex-url = ${server.simpleUrl}\n`);
    expect((await h.pip('config', 'get', 'global.index-url')).stdout).toBe(`${server.simpleUrl}\n`);
    expect((await h.pip('install', '--dry-run', 'cfg-a')).code).toBe(0); // user wins: the main index
    expect((await h.pip('--isolated', 'install', '--dry-run', 'cfg-a')).code).toBe(1); // global only
    h.writeFile(siteFile, `[global]\nindex-url = ${other.simpleUrl}\n`);
    const site = await h.pip('install', '--dry-run', '--no-deps', 'cfg-other');
    expect(site.stdout).toContain('Would install cfg-other-3.0\n');
  });

  test('global.retries and global.timeout reach the network layer', async () => {
    server.setFaults({ status: { match: /\/simple\/cfg-a\/$/, code: 503, times: 1 } });
    h.writeFile(USER_FILE, '[global]\nretries = 0\nno-cache-dir = true\n');
    const noRetry = await h.pip('install', 'cfg-a');
    expect(noRetry.code).toBe(1);
    expect(h.metadataVersion('cfg-a')).toBeNull();
    h.writeFile(USER_FILE, '[global]\nno-cache-dir = true\n');
    server.setFaults({ status: { match: /\/simple\/cfg-a\/$/, code: 503, times: 1 } });
    expect((await h.pip('install', 'cfg-a')).code).toBe(0); // pip's default retries get past one 503

    await h.reset();
    server.setFaults({ hang: /\/simple\/cfg-dep\/$/ });
    h.writeFile(USER_FILE, '[global]\ntimeout = 0.3\nretries = 0\nno-cache-dir = false\n');
    const started = Date.now();
    const slow = await h.pip('install', 'cfg-dep');
    expect(slow.code).toBe(1);
    expect(slow.stderr).toContain('Read timed out after 0.3 s');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('global.no-cache-dir disables the cache (any value, as pip reads it)', async () => {
    h.writeFile(USER_FILE, '[global]\nno-cache-dir = false\n');
    expect(await h.pip('cache', 'list')).toEqual({ code: 1, stdout: '', stderr: 'ERROR: pip cache commands can not function since cache is disabled.\n' });
  });

  test('a value an option cannot take: pip\'s configuration error, status 3', async () => {
    h.writeFile(USER_FILE, '[global]\ntimeout = soon\n');
    expect(await h.pip('list')).toEqual({ code: 3, stdout: "An error occurred during configuration: option timeout: invalid floating-point value: 'soon'\n", stderr: '' });
    h.writeFile(USER_FILE, '[install]\nupgrade = perhaps\n');
    const bool = await h.pip('install', 'cfg-a');
    expect(bool.code).toBe(2);
    expect(bool.stderr).toContain('perhaps is not a valid value for upgrade option, please specify a boolean value like yes/no, true/false or 1/0 instead.\n');
    expect(h.metadataVersion('cfg-a')).toBeNull();
  });
});

describe('a broken pip.conf', () => {
  test('every command stops with pip\'s message; nothing is installed or rewritten', async () => {
    expect((await h.pip('install', 'cfg-a')).code).toBe(0);
    const before = await h.snapshot();
    h.writeFile(USER_FILE, 'junk\n[global]\nindex-url = https://example.org/simple\n');
    const broken = h.fs.readFile(USER_FILE);
    const message = `Configuration file could not be loaded.\nFile contains no section headers.\nfile: '${USER_FILE}', line: 1\n'junk\\n'\n`;
    expect(await h.pip('install', '-U', 'cfg-dep')).toEqual({ code: 2, stdout: '', stderr: message });
    expect(await h.pip('uninstall', '-y', 'cfg-a')).toEqual({ code: 2, stdout: '', stderr: message });
    expect(await h.pip('config', 'set', 'global.timeout', '5')).toEqual({ code: 2, stdout: '', stderr: message });
    expect(await h.pip('config', 'list')).toEqual({ code: 2, stdout: '', stderr: message });
    expect(h.fs.readFile(USER_FILE)).toEqual(broken);
    h.fs.remove(USER_FILE);
    expect(await h.snapshot()).toEqual(before);

    h.writeFile(GLOBAL_FILE, '[global]\nindex-url = a\nindex-url = b\n');
    expect((await h.pip('list')).stderr).toBe(
      `Configuration file could not be loaded.\nWhile reading from '${GLOBAL_FILE}' [line  3]: option 'index-url' in section 'global' already exists\n`,
    );
    h.writeFile(GLOBAL_FILE, new Uint8Array([0x5b, 0x67, 0x5d, 0x0a, 0xff, 0xfe, 0x0a]));
    expect(await h.pip('list')).toEqual({ code: 2, stdout: '', stderr: `Configuration file contains invalid UTF-8 characters in ${GLOBAL_FILE}.\n` });
    // PIP_CONFIG_FILE=/dev/null turns every file off.
    h.env = { PIP_CONFIG_FILE: '/dev/null' };
    expect((await h.pip('list', '--format=freeze')).stdout).toBe('cfg-a==1.0\n');
    expect(await h.snapshot()).toEqual(before);
  });
});
