import { describe, expect, test } from 'vitest';
import { parseVenvArgs } from '../../../src/shell/venv-args';
import { pyRepr as pythonRepr } from '../../../src/pep';
import { activateScript, shellQuote } from '../../../src/runtime/venv-layout';

describe('parseVenvArgs (argparse as CPython 3.14 venv configures it)', () => {
  test('defaults, one or more directories', () => {
    expect(parseVenvArgs(['a', 'b'])).toEqual({
      kind: 'request',
      request: { dirs: ['a', 'b'], clear: false, upgrade: false, withoutPip: false, systemSitePackages: false, upgradeDeps: false, prompt: null, withoutScmIgnoreFiles: false },
    });
  });

  test('long options by unambiguous prefix, --prompt X and --prompt=X, -- ends options', () => {
    const r = parseVenvArgs(['--sys', '--clea', '--prompt=p q', '--', '-dir']);
    expect(r).toMatchObject({ kind: 'request', request: { dirs: ['-dir'], systemSitePackages: true, clear: true, prompt: 'p q' } });
    expect(parseVenvArgs(['--prompt', 'x', 'd'])).toMatchObject({ request: { prompt: 'x', dirs: ['d'] } });
  });

  test('a second run of directories after an option is left over, as nargs="+" leaves it', () => {
    expect(parseVenvArgs(['a', '--clear', 'b'])).toMatchObject({ kind: 'usage-error', text: expect.stringMatching(/venv: error: unrecognized arguments: b\n$/) as unknown });
  });

  test('-h and --help print the help', () => {
    expect(parseVenvArgs(['-h']).kind).toBe('help');
    expect(parseVenvArgs(['x', '--he']).kind).toBe('help');
  });

  test('an option given a value it does not take', () => {
    expect(parseVenvArgs(['--clear=yes', 'x'])).toMatchObject({ kind: 'usage-error', text: expect.stringContaining("venv: error: argument --clear: ignored explicit argument 'yes'") as unknown });
  });
});

describe('quoting as Python does it', () => {
  test('shlex.quote', () => {
    expect(shellQuote('/home/pyodide/venv')).toBe('/home/pyodide/venv');
    expect(shellQuote('my env')).toBe("'my env'");
    expect(shellQuote("it's")).toBe(`'it'"'"'s'`);
    expect(shellQuote('')).toBe("''");
  });

  test('repr of a str', () => {
    expect(pythonRepr('env')).toBe("'env'");
    expect(pythonRepr("it's")).toBe(`"it's"`);
    expect(pythonRepr(`it's "x"`)).toBe(`'it\\'s "x"'`);
    expect(pythonRepr('a\\b\n')).toBe("'a\\\\b\\n'");
  });

  test('the activate script quotes the directory and prompt it is filled with', () => {
    const text = activateScript('/home/pyodide/my env', 'my env');
    expect(text).toContain("export VIRTUAL_ENV='/home/pyodide/my env'\n");
    expect(text).toContain("VIRTUAL_ENV_PROMPT='my env'\n");
    expect(text).not.toMatch(/__VENV_[A-Z_]+__/);
  });
});
