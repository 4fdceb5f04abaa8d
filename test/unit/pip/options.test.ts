import { describe, expect, test } from 'vitest';
import { formatUsage, parseCommandLine, UsageError, type OptionGroup } from '../../../src/pip/options';

const group: OptionGroup = {
  title: 'Options',
  options: [
    { flags: ['-i', '--index-url'], dest: 'indexUrl', action: 'store' },
    { flags: ['--extra-index-url'], dest: 'extra', action: 'append' },
    { flags: ['-q', '--quiet'], dest: 'quiet', action: 'count', default: 0 },
    { flags: ['-U', '--upgrade'], dest: 'upgrade', action: 'store_true' },
    { flags: ['--upgrade-strategy'], dest: 'strategy', action: 'store', choices: ['only-if-needed', 'eager'] },
    { flags: ['--pre'], dest: 'pre', action: 'store_true' },
    { flags: ['--prefix'], dest: 'prefix', action: 'store' },
    { flags: ['--no-cache-dir'], dest: 'noCache', action: 'store_true' },
    { flags: ['--retries'], dest: 'retries', action: 'store', type: 'int' },
  ],
};

const parse = (argv: string[], env: Record<string, string> | null = null) => parseCommandLine(argv, [group], env);
const error = (argv: string[], env: Record<string, string> | null = null): string => {
  try {
    parse(argv, env);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  return 'no error';
};

describe('optparse as pip uses it', () => {
  test('short, long, =value, attached values, clusters, interspersed arguments, --', () => {
    const r = parse(['-qq', 'a', '-ihttps://x/simple', '--extra-index-url=https://y', '--extra-index-url', 'https://z', '-Uq', 'b', '--', '-c']);
    expect(r.args).toEqual(['a', 'b', '-c']);
    expect(r.options.string('indexUrl')).toBe('https://x/simple');
    expect(r.options.list('extra')).toEqual(['https://y', 'https://z']);
    expect(r.options.count('quiet')).toBe(3);
    expect(r.options.flag('upgrade')).toBe(true);
  });
  test('unambiguous prefixes of long options; ambiguous ones are errors', () => {
    expect(parse(['--upgrade-s', 'eager']).options.string('strategy')).toBe('eager');
    expect(parse(['--no-cache']).options.flag('noCache')).toBe(true);
    expect(error(['--pr'])).toBe('ambiguous option: --pr (--pre, --prefix?)');
    expect(parse(['--pre']).options.flag('pre')).toBe(true); // an exact match wins
  });
  test("optparse's messages", () => {
    expect(error(['--frob'])).toBe('no such option: --frob');
    expect(error(['-x'])).toBe('no such option: -x');
    expect(error(['-i'])).toBe('-i option requires 1 argument');
    expect(error(['--index-url'])).toBe('--index-url option requires 1 argument');
    expect(error(['--pre=1'])).toBe('--pre option does not take a value');
    expect(error(['--upgrade-strategy', 'lazy'])).toBe("option --upgrade-strategy: invalid choice: 'lazy' (choose from 'only-if-needed', 'eager')");
    expect(error(['--retries', 'many'])).toBe("option --retries: invalid integer value: 'many'");
  });
  test('PIP_* defaults: booleans, counts, appends; the command line adds to them', () => {
    const env = { PIP_INDEX_URL: 'https://env/simple', PIP_QUIET: '2', PIP_UPGRADE: 'yes', PIP_EXTRA_INDEX_URL: 'https://a https://b', PIP_PRE: 'false' };
    const r = parse(['-q', '--extra-index-url', 'https://c'], env);
    expect(r.options.string('indexUrl')).toBe('https://env/simple');
    expect(r.options.count('quiet')).toBe(3);
    expect(r.options.flag('upgrade')).toBe(true);
    expect(r.options.flag('pre')).toBe(false);
    expect(r.options.list('extra')).toEqual(['https://a', 'https://b', 'https://c']);
    expect(parse(['-i', 'https://cli'], env).options.string('indexUrl')).toBe('https://cli');
    expect(error([], { PIP_UPGRADE: 'perhaps' })).toBe('perhaps is not a valid value for upgrade option, please specify a boolean value like yes/no, true/false or 1/0 instead.');
    expect(error([], { PIP_QUIET: 'lots' })).toContain('lots is not a valid value for quiet option');
  });
  test('the main parser stops at the command name', () => {
    const r = parseCommandLine(['-q', 'install', '-U', 'x'], [group], null, { interspersed: false });
    expect(r.args).toEqual(['install', '-U', 'x']);
    expect(r.options.count('quiet')).toBe(1);
  });
  test("pip's usage block", () => {
    expect(formatUsage('pip list', '%prog [options]')).toBe('\nUsage:   \n  pip list [options]\n');
  });
});
