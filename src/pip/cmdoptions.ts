/**
 * The options pip's commands share (pip `cli/cmdoptions.py`): the general group every command
 * accepts, the package index group, and the requirement options of install and download.
 * Options pip has that make no sense in a browser are accepted where harmless and listed
 * without help; the rest are left out, so optparse says `no such option`.
 */
import type { OptionGroup, OptionSpec } from './options';

export const generalOptions: OptionGroup = {
  title: 'General Options',
  options: [
    { flags: ['-h', '--help'], dest: 'help', action: 'store_true', help: 'Show help.' },
    { flags: ['--debug'], dest: 'debug', action: 'store_true' },
    { flags: ['--isolated'], dest: 'isolated', action: 'store_true', help: 'Run pip in an isolated mode, ignoring environment variables and user configuration.' },
    { flags: ['--require-virtualenv'], dest: 'requireVenv', action: 'store_true', help: 'Allow pip to only run in a virtual environment; exit with an error otherwise.' },
    { flags: ['-v', '--verbose'], dest: 'verbose', action: 'count', default: 0, help: 'Give more output. Option is additive, and can be used up to 3 times.' },
    { flags: ['-V', '--version'], dest: 'version', action: 'store_true', help: 'Show version and exit.' },
    {
      flags: ['-q', '--quiet'],
      dest: 'quiet',
      action: 'count',
      default: 0,
      help: 'Give less output. Option is additive, and can be used up to 3 times (corresponding to WARNING, ERROR, and CRITICAL logging levels).',
    },
    { flags: ['--log'], dest: 'log', action: 'store', metavar: 'path' },
    { flags: ['--no-input'], dest: 'noInput', action: 'store_true', help: 'Disable prompting for input.' },
    { flags: ['--keyring-provider'], dest: 'keyringProvider', action: 'store', metavar: 'keyring_provider' },
    { flags: ['--proxy'], dest: 'proxy', action: 'store', metavar: 'proxy' },
    { flags: ['--retries'], dest: 'retries', action: 'store', type: 'int', metavar: 'retries', help: 'Maximum attempts to establish a new HTTP connection. (default: 5)' },
    { flags: ['--timeout'], dest: 'timeout', action: 'store', type: 'float', metavar: 'sec', help: 'Set the socket timeout (default 15 seconds).' },
    { flags: ['--exists-action'], dest: 'existsAction', action: 'append', metavar: 'action', choices: ['s', 'switch', 'i', 'ignore', 'w', 'wipe', 'b', 'backup', 'a', 'abort'] },
    { flags: ['--trusted-host'], dest: 'trustedHosts', action: 'append', metavar: 'hostname' },
    { flags: ['--cert'], dest: 'cert', action: 'store', metavar: 'path' },
    { flags: ['--client-cert'], dest: 'clientCert', action: 'store', metavar: 'path' },
    { flags: ['--cache-dir'], dest: 'cacheDir', action: 'store', metavar: 'dir' },
    { flags: ['--no-cache-dir'], dest: 'noCacheDir', action: 'store_true', help: 'Disable the cache.' },
    { flags: ['--disable-pip-version-check'], dest: 'disablePipVersionCheck', action: 'store_true' },
    { flags: ['--no-color'], dest: 'noColor', action: 'store_true', help: 'Suppress colored output.' },
    { flags: ['--no-python-version-warning'], dest: 'noPythonVersionWarning', action: 'store_true' },
    { flags: ['--use-feature'], dest: 'features', action: 'append', metavar: 'feature' },
    { flags: ['--use-deprecated'], dest: 'deprecatedFeatures', action: 'append', metavar: 'feature' },
    { flags: ['--resume-retries'], dest: 'resumeRetries', action: 'store', type: 'int', metavar: 'resume_retries' },
  ],
};

export const indexUrl: OptionSpec = {
  flags: ['-i', '--index-url'],
  dest: 'indexUrl',
  action: 'store',
  metavar: 'url',
  help: 'Base URL of the Python Package Index (default https://pypi.org/simple). This should point to a repository compliant with PEP 503 (the simple repository API) or a local directory laid out in the same format.',
};
export const extraIndexUrl: OptionSpec = {
  flags: ['--extra-index-url'],
  dest: 'extraIndexUrls',
  action: 'append',
  metavar: 'url',
  help: 'Extra URLs of package indexes to use in addition to --index-url. Should follow the same rules as --index-url.',
};
export const noIndex: OptionSpec = {
  flags: ['--no-index'],
  dest: 'noIndex',
  action: 'store_true',
  help: 'Ignore package index (only looking at --find-links URLs instead).',
};
export const findLinks: OptionSpec = {
  flags: ['-f', '--find-links'],
  dest: 'findLinks',
  action: 'append',
  metavar: 'url',
  help: 'If a directory in the virtual filesystem, look there for wheels to install.',
};

export const pyodidePackages: OptionSpec = {
  flags: ['--pyodide-packages'],
  dest: 'pyodidePackages',
  action: 'store',
  metavar: 'url',
  help:
    "Where Pyodide's own wasm builds (numpy, pyyaml, ...) come from: the URL of an unpacked Pyodide distribution " +
    "(pyodide-lock.json beside its wheels), or 'none'. They are used for a project only when no index or " +
    '--find-links directory has a wheel of it that installs here. Default: the CDN of this Pyodide release; off with --no-index.',
};

export const indexGroup: OptionGroup = { title: 'Package Index Options', options: [indexUrl, extraIndexUrl, noIndex, findLinks, pyodidePackages] };

export const pre: OptionSpec = {
  flags: ['--pre'],
  dest: 'pre',
  action: 'store_true',
  help: 'Include pre-release and development versions. By default, pip only finds stable versions.',
};
export const excludeNewer: OptionSpec = {
  flags: ['--exclude-newer', '--uploaded-prior-to'],
  dest: 'excludeNewer',
  action: 'store',
  metavar: 'datetime',
  help: 'Only consider files uploaded before this date and time (ISO 8601), for reproducible resolutions.',
};

export const requirementOptions: readonly OptionSpec[] = [
  {
    flags: ['-r', '--requirement'],
    dest: 'requirements',
    action: 'append',
    metavar: 'file',
    help: 'Install from the given requirements file. This option can be used multiple times.',
  },
  {
    flags: ['-c', '--constraint'],
    dest: 'constraints',
    action: 'append',
    metavar: 'file',
    help: 'Constrain versions using the given constraints file. This option can be used multiple times.',
  },
  { flags: ['--no-deps'], dest: 'noDeps', action: 'store_true', help: "Don't install package dependencies." },
  pre,
  excludeNewer,
  {
    flags: ['--require-hashes'],
    dest: 'requireHashes',
    action: 'store_true',
    help: 'Require a hash to check each requirement against, for repeatable installs. This option is implied when any package in a requirements file has a --hash option.',
  },
  { flags: ['--only-binary'], dest: 'onlyBinary', action: 'append', metavar: 'format_control' },
  { flags: ['--no-binary'], dest: 'noBinary', action: 'append', metavar: 'format_control' },
  { flags: ['--prefer-binary'], dest: 'preferBinary', action: 'store_true' },
  { flags: ['--progress-bar'], dest: 'progressBar', action: 'store', choices: ['on', 'off', 'raw'], metavar: 'progress_bar' },
  { flags: ['--no-build-isolation'], dest: 'noBuildIsolation', action: 'store_true' },
  { flags: ['--ignore-requires-python'], dest: 'ignoreRequiresPython', action: 'store_true' },
  { flags: ['-C', '--config-settings'], dest: 'configSettings', action: 'append', metavar: 'settings' },
];
