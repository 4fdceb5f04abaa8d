/**
 * Realistic data for the panels page: a venv with requests and rich installed, as the runtime
 * worker would describe it. One distribution has a known vulnerability (with a second, hostile
 * link that must not become a link), one has an update, and one summary tries to be HTML.
 */
import type { DiskEntry, DistributionView, EnvironmentView, FileEntry, VersionRow } from '../../../src/ui/panels/types';

export const HOSTILE_SUMMARY = 'URL utilities for markdown-it <img src=x onerror=alert(1)>';

const prefix = '/home/pyodide/.venv';
const sitePackages = `${prefix}/lib/python3.14/site-packages`;

const dist = (d: Partial<DistributionView> & Pick<DistributionView, 'name' | 'version'>): DistributionView => ({
  summary: null, requested: false, requires: [], requiredBy: [], location: sitePackages, latest: d.version, vulnerabilities: [], ...d,
});

export const environment: EnvironmentView = {
  name: '.venv',
  prefix,
  sitePackages,
  distributions: [
    dist({
      name: 'requests', version: '2.31.0', summary: 'Python HTTP for Humans.', requested: true, latest: '2.32.3',
      requires: [
        { name: 'charset-normalizer', specifier: '<4,>=2', marker: null },
        { name: 'idna', specifier: '<4,>=2.5', marker: null },
        { name: 'urllib3', specifier: '<3,>=1.21.1', marker: null },
        { name: 'certifi', specifier: '>=2017.4.17', marker: null },
        { name: 'PySocks', specifier: '!=1.5.7,>=1.5.6', marker: 'extra == "socks"' },
      ],
      vulnerabilities: [
        { id: 'GHSA-9wx4-h78v-vm56', fixedIn: ['2.32.0'], link: 'https://osv.dev/vulnerability/GHSA-9wx4-h78v-vm56' },
        { id: 'PYSEC-TEST-0001', fixedIn: [], link: 'javascript:alert(2)' },
      ],
    }),
    dist({ name: 'charset-normalizer', version: '3.3.2', summary: 'The Real First Universal Charset Detector. Open, modern and actively maintained alternative to Chardet.', requiredBy: ['requests'] }),
    dist({ name: 'idna', version: '3.7', summary: 'Internationalized Domain Names in Applications (IDNA)', requiredBy: ['requests'] }),
    dist({ name: 'urllib3', version: '2.2.2', summary: 'HTTP library with thread-safe connection pooling, file post, and more.', requiredBy: ['requests'], latest: null, vulnerabilities: null }),
    dist({ name: 'certifi', version: '2024.7.4', summary: 'Python package for providing Mozilla\'s CA Bundle.', requiredBy: ['requests'] }),
    dist({
      name: 'rich', version: '13.7.1', summary: 'Render rich text, tables, progress bars, syntax highlighting, markdown and more to the terminal', requested: true,
      requires: [
        { name: 'markdown-it-py', specifier: '>=2.2.0', marker: null },
        { name: 'pygments', specifier: '<3.0.0,>=2.13.0', marker: null },
        { name: 'typing-extensions', specifier: '<5.0,>=4.0.0', marker: 'python_version < "3.11"' },
      ],
    }),
    dist({ name: 'markdown-it-py', version: '3.0.0', summary: 'Python port of markdown-it. Markdown parsing, done right!', requiredBy: ['rich'], requires: [{ name: 'mdurl', specifier: '~=0.1', marker: null }] }),
    dist({ name: 'mdurl', version: '0.1.2', summary: HOSTILE_SUMMARY, requiredBy: ['markdown-it-py'] }),
    dist({ name: 'Pygments', version: '2.18.0', summary: 'Pygments is a syntax highlighting package written in Python.', requiredBy: ['rich'] }),
  ],
};

/** What `ls -R` of the venv would give, with plausible sizes. */
export function diskEntries(): DiskEntry[] {
  const entries: DiskEntry[] = [];
  const dir = (path: string): void => void entries.push({ path, kind: 'directory', size: 0 });
  const file = (path: string, size: number): void => void entries.push({ path, kind: 'file', size });
  dir(prefix);
  dir(`${prefix}/bin`);
  for (const [name, size] of [['activate', 2137], ['python', 0], ['python3', 0], ['normalizer', 253], ['markdown-it', 249], ['pygmentize', 246]] as const) file(`${prefix}/bin/${name}`, size);
  file(`${prefix}/pyvenv.cfg`, 86);
  dir(`${prefix}/include`);
  dir(`${prefix}/lib`);
  dir(`${prefix}/lib/python3.14`);
  dir(sitePackages);
  const modules: Record<string, [string, number][]> = {
    requests: [['__init__.py', 5010], ['api.py', 6449], ['sessions.py', 30180], ['models.py', 35418], ['adapters.py', 19553]],
    charset_normalizer: [['__init__.py', 1577], ['api.py', 21097], ['cd.py', 12560]],
    idna: [['__init__.py', 849], ['core.py', 12663], ['idnadata.py', 78320]],
    urllib3: [['__init__.py', 6979], ['connectionpool.py', 43372], ['response.py', 40041]],
    certifi: [['__init__.py', 94], ['cacert.pem', 291528], ['core.py', 3442]],
    rich: [['__init__.py', 6090], ['console.py', 99173], ['table.py', 39680]],
    markdown_it: [['__init__.py', 113], ['main.py', 12732]],
    mdurl: [['__init__.py', 547], ['_parse.py', 11374]],
    pygments: [['__init__.py', 2983], ['lexer.py', 35109]],
  };
  for (const [module, files] of Object.entries(modules)) {
    dir(`${sitePackages}/${module}`);
    for (const [name, size] of files) file(`${sitePackages}/${module}/${name}`, size);
  }
  for (const d of environment.distributions) {
    const info = `${sitePackages}/${d.name.toLowerCase().replace(/-/g, '_')}-${d.version}.dist-info`;
    dir(info);
    file(`${info}/METADATA`, 4000 + d.name.length * 97);
    file(`${info}/RECORD`, 900 + d.name.length * 41);
    file(`${info}/WHEEL`, 91);
    file(`${info}/INSTALLER`, 4);
    if (d.requested) file(`${info}/REQUESTED`, 0);
  }
  return entries;
}

export const files: FileEntry[] = [
  { path: '/home/pyodide/main.py', kind: 'file' },
  { path: '/home/pyodide/requirements.txt', kind: 'file' },
  { path: '/home/pyodide/notes.md', kind: 'file' },
  { path: '/home/pyodide/src', kind: 'directory' },
  { path: '/home/pyodide/src/app/__init__.py', kind: 'file' },
  { path: '/home/pyodide/src/app/cli.py', kind: 'file' },
  { path: '/home/pyodide/.venv', kind: 'directory' },
  { path: '/home/pyodide/.venv/pyvenv.cfg', kind: 'file' },
];

const requestsVersions = [
  '2.20.0', '2.20.1', '2.21.0', '2.22.0', '2.23.0', '2.24.0', '2.25.0', '2.25.1', '2.26.0', '2.27.0', '2.27.1',
  '2.28.0', '2.28.1', '2.28.2', '2.29.0', '2.30.0', '2.31.0', '2.32.0', '2.32.1', '2.32.2', '2.32.3', '3.0.0b1', '3.0.0rc1',
];

/** The versions the page answers a spec-lab query with (as the index would list them). */
export const projectVersions: Readonly<Record<string, VersionRow[]>> = {
  requests: requestsVersions.map((version) => ({ version, yanked: version === '2.32.0' || version === '2.32.1', prerelease: /[abc]|rc/.test(version) })),
};

/**
 * A larger environment (a notebook-like stack) with a dependency cycle, to see the layout cope:
 * ?env=big on the page.
 */
export function bigEnvironment(): EnvironmentView {
  const graph: Record<string, string[]> = {
    jupyterlab: ['jupyter-server', 'jinja2', 'tornado', 'traitlets', 'packaging', 'notebook-shim', 'ipykernel'],
    'jupyter-server': ['jinja2', 'tornado', 'traitlets', 'jupyter-core', 'jupyter-client', 'nbconvert', 'packaging', 'anyio'],
    'notebook-shim': ['jupyter-server'],
    ipykernel: ['ipython', 'jupyter-client', 'tornado', 'traitlets', 'comm', 'packaging'],
    ipython: ['traitlets', 'pygments', 'jedi', 'prompt-toolkit', 'decorator', 'matplotlib-inline'],
    'matplotlib-inline': ['traitlets'],
    'jupyter-client': ['jupyter-core', 'tornado', 'traitlets', 'python-dateutil', 'pyzmq'],
    'jupyter-core': ['traitlets', 'platformdirs'],
    nbconvert: ['jinja2', 'nbformat', 'pygments', 'markupsafe', 'bleach', 'traitlets'],
    nbformat: ['traitlets', 'jsonschema', 'fastjsonschema', 'jupyter-core'],
    jsonschema: ['attrs', 'referencing', 'rpds-py'],
    referencing: ['attrs', 'rpds-py'],
    jinja2: ['markupsafe'],
    bleach: ['webencodings'],
    'python-dateutil': ['six'],
    jedi: ['parso'],
    'prompt-toolkit': ['wcwidth'],
    anyio: ['idna', 'sniffio'],
    // A cycle, as some real packages have had: comm <-> ipykernel-ish.
    comm: ['traitlets', 'ipykernel'],
  };
  const names = new Set<string>([...Object.keys(graph), ...Object.values(graph).flat()]);
  const requiredBy = (name: string): string[] => Object.entries(graph).filter(([, deps]) => deps.includes(name)).map(([n]) => n).sort();
  return {
    name: 'notebook', prefix: '/home/pyodide/notebook', sitePackages: '/home/pyodide/notebook/lib/python3.14/site-packages',
    distributions: [...names].sort().map((name, i) => dist({
      name, version: `${1 + (i % 5)}.${i}.0`, summary: `The ${name} distribution.`, requested: name === 'jupyterlab',
      requires: (graph[name] ?? []).map((r) => ({ name: r, specifier: '>=1.0', marker: null })), requiredBy: requiredBy(name),
      vulnerabilities: name === 'jinja2' ? [{ id: 'GHSA-h75v-3vvj-5mfj', fixedIn: ['3.1.6'], link: 'https://osv.dev/vulnerability/GHSA-h75v-3vvj-5mfj' }] : [],
    })),
  };
}
