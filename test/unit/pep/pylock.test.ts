import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TomlDate } from 'smol-toml';
import { parsePylock, PylockError, writePylock, type Pylock, type PylockFile, type PylockPackage } from '../../../src/pep/pylock';

// The shape of PEP 751's example, trimmed.
const EXAMPLE = `lock-version = '1.0'
environments = ["sys_platform == 'emscripten'"]
requires-python = '==3.14.*'
extras = []
dependency-groups = []
default-groups = []
created-by = 'pipette'

[[packages]]
name = 'attrs'
version = '25.1.0'
requires-python = '>=3.8'
index = 'https://pypi.org/simple'

[[packages.wheels]]
name = 'attrs-25.1.0-py3-none-any.whl'
upload-time = 2025-01-25T11:30:10.164985+00:00
url = 'https://files.pythonhosted.org/packages/fc/30/attrs-25.1.0-py3-none-any.whl'
size = 63152
hashes = {sha256 = 'c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a'}

[packages.sdist]
name = 'attrs-25.1.0.tar.gz'
url = 'https://files.pythonhosted.org/packages/49/7c/attrs-25.1.0.tar.gz'
size = 810562
hashes = {sha256 = '1c97078a80c814273a76b2a298a932eb681c87415c11dee0a6921de7f1b02c3e'}

[[packages]]
name = 'cattrs'
version = '24.1.2'
dependencies = [{name = 'attrs'}]

[[packages.wheels]]
url = 'https://files.pythonhosted.org/packages/c8/cattrs-24.1.2-py3-none-any.whl'
hashes = {sha256 = 'aa', sha512 = 'bb'}

[[packages]]
name = 'mylib'
version = '0.1'

[packages.directory]
path = './mylib'
editable = true

[tool.pipette]
share = 1
`;

function error(text: string): PylockError {
  try {
    parsePylock(text);
  } catch (e) {
    expect(e).toBeInstanceOf(PylockError);
    return e as PylockError;
  }
  throw new Error('no error');
}

const HEAD = "lock-version = '1.0'\ncreated-by = 't'\n";

describe('parsePylock', () => {
  it('reads the PEP 751 example', () => {
    const lock = parsePylock(EXAMPLE);
    expect(lock.lockVersion).toBe('1.0');
    expect(lock.createdBy).toBe('pipette');
    expect(lock.environments).toEqual(["sys_platform == 'emscripten'"]);
    expect(lock.requiresPython).toBe('==3.14.*');
    expect(lock.extras).toEqual([]);
    expect(lock.tool).toEqual({ pipette: { share: 1 } });
    const [attrs, cattrs, mylib] = lock.packages;
    expect(attrs).toMatchObject({ name: 'attrs', version: '25.1.0', requiresPython: '>=3.8', index: 'https://pypi.org/simple' });
    expect(attrs?.wheels).toEqual([
      {
        name: 'attrs-25.1.0-py3-none-any.whl',
        // smol-toml keeps milliseconds.
        uploadTime: '2025-01-25T11:30:10.164+00:00',
        url: 'https://files.pythonhosted.org/packages/fc/30/attrs-25.1.0-py3-none-any.whl',
        path: null,
        size: 63152,
        hashes: { sha256: 'c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a' },
      },
    ]);
    expect(attrs?.sdist?.size).toBe(810562);
    expect(cattrs?.dependencies).toEqual([{ name: 'attrs' }]);
    expect(cattrs?.wheels?.[0]).toMatchObject({ name: null, uploadTime: null, size: null, hashes: { sha256: 'aa', sha512: 'bb' } });
    expect(mylib?.directory).toEqual({ path: './mylib', editable: true, subdirectory: null });
    expect(mylib?.wheels).toBeNull();
  });

  it.each([
    ["created-by = 't'\npackages = []", "Missing required value in 'lock-version'"],
    ["lock-version = '2.0'\ncreated-by = 't'\npackages = []", "pylock version 2.0 is not supported (this reader knows 1.x) in 'lock-version'"],
    ["lock-version = '1.0'\npackages = []", "Missing required value in 'created-by'"],
    [HEAD, "Missing required value in 'packages'"],
    [`${HEAD}packages = []\nrequires-python = '>=3.x'`, /^Invalid specifier: '>=3\.x'.* in 'requires-python'$/],
    [`${HEAD}packages = []\nextras = ['Foo']`, "Name 'Foo' is not normalized in 'extras[0]'"],
    [`${HEAD}[[packages]]\nversion = '1'`, "Missing required value in 'packages[0].name'"],
    [`${HEAD}[[packages]]\nname = 1`, "Unexpected type int (expected str) in 'packages[0].name'"],
    [`${HEAD}[[packages]]\nname = 'Foo_Bar'`, "Name 'Foo_Bar' is not normalized in 'packages[0].name' (package 'Foo_Bar')"],
    [
      `${HEAD}[[packages]]\nname = 'a'\nversion = '1'\n[[packages.wheels]]\nurl = 'https://x/a-1-py3-none-any.whl'`,
      "Missing required value in 'packages[0].wheels[0].hashes' (package 'a')",
    ],
    [
      `${HEAD}[[packages]]\nname = 'a'\n[[packages.wheels]]\nhashes = {sha256 = 'aa'}`,
      "path or url must be provided in 'packages[0].wheels[0]' (package 'a')",
    ],
    [`${HEAD}[[packages]]\nname = 'a'\n[[packages.wheels]]\nurl = 'u'\nhashes = {}`, "At least one hash must be provided in 'packages[0].wheels[0].hashes' (package 'a')"],
    [
      `${HEAD}[[packages]]\nname = 'a'\n[[packages.wheels]]\nurl = 'u'\nupload-time = '2025-01-01'\nhashes = {sha256 = 'aa'}`,
      "Unexpected type str (expected datetime) in 'packages[0].wheels[0].upload-time' (package 'a')",
    ],
    [`${HEAD}[[packages]]\nname = 'a'`, "Exactly one of vcs, directory, archive must be set if sdist and wheels are not set in 'packages[0]' (package 'a')"],
    [
      `${HEAD}[[packages]]\nname = 'a'\n[packages.directory]\npath = '.'\n[packages.sdist]\nurl = 'u'\nhashes = {sha256 = 'aa'}`,
      "None of vcs, directory, archive must be set if sdist or wheels are set in 'packages[0]' (package 'a')",
    ],
    [`${HEAD}[[packages]]\nname = 'a'\n[packages.vcs]\ntype = 'git'\nurl = 'u'`, "Missing required value in 'packages[0].vcs.commit-id' (package 'a')"],
    [`${HEAD}[[packages]]\nname = 'b'\nversion = '1.x'\n[packages.archive]\nurl = 'u'\nhashes = {sha256 = 'aa'}`, /^Invalid version: '1\.x'.* in 'packages\[0\]\.version' \(package 'b'\)$/],
  ] as [string, string | RegExp][])('rejects %j saying where', (text, message) => {
    if (typeof message === 'string') expect(error(text).message).toBe(message);
    else expect(error(text).message).toMatch(message);
  });

  it('names the package by index and name deeper in the list', () => {
    const text = `${HEAD}[[packages]]\nname = 'a'\n[packages.archive]\nurl = 'u'\nhashes = {sha256 = 'aa'}\n[[packages]]\nname = 'b'\n[packages.archive]\nurl = 'u'\nhashes = {sha256 = 1}`;
    const e = error(text);
    expect(e.message).toBe("Hash values must be strings in 'packages[1].archive.hashes' (package 'b')");
    expect([e.context, e.packageName, e.code]).toEqual(['packages[1].archive.hashes', 'b', 'invalid-pylock']);
  });

  it('reports a TOML syntax error', () => {
    expect(error('lock-version = ').message).toMatch(/^Invalid TOML: /);
  });
});

describe('writePylock', () => {
  it('round-trips the example and sorts packages by name', () => {
    const lock = parsePylock(EXAMPLE);
    const shuffled: Pylock = { ...lock, packages: [...lock.packages].reverse() };
    const text = writePylock(shuffled);
    expect(text).toBe(writePylock(lock));
    expect(parsePylock(text)).toEqual(lock);
    expect(text.indexOf("name = \"attrs\"")).toBeLessThan(text.indexOf("name = \"cattrs\""));
    expect(text).toContain('upload-time = 2025-01-25T11:30:10.164+00:00');
  });

  it('writes keys in the specification order and leaves absent values out', () => {
    const lock: Pylock = {
      lockVersion: '1.0',
      environments: null,
      requiresPython: null,
      extras: null,
      dependencyGroups: null,
      defaultGroups: null,
      createdBy: 'pipette',
      packages: [],
      tool: null,
    };
    expect(writePylock(lock)).toBe('lock-version = "1.0"\ncreated-by = "pipette"\npackages = []\n');
    expect(parsePylock(writePylock(lock))).toEqual(lock);
  });

  it('refuses to write an invalid lock', () => {
    const lock = parsePylock(EXAMPLE);
    const broken: Pylock = { ...lock, packages: [{ ...lock.packages[0]!, name: 'Attrs' }] };
    expect(() => writePylock(broken)).toThrow("Name 'Attrs' is not normalized in 'packages[0].name' (package 'Attrs')");
    const badTime: Pylock = {
      ...lock,
      packages: [{ ...lock.packages[0]!, wheels: [{ ...lock.packages[0]!.wheels![0]!, uploadTime: 'yesterday' }] }],
    };
    expect(() => writePylock(badTime)).toThrow(PylockError);
  });
});

// --- property: parse(write(x)) == x ----------------------------------------------------

const nameArb = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?$/);
const versionArb = fc
  .tuple(fc.array(fc.nat({ max: 30 }), { minLength: 1, maxLength: 3 }), fc.option(fc.nat({ max: 5 }), { nil: undefined }))
  .map(([release, post]) => release.join('.') + (post === undefined ? '' : `.post${post}`));
const hexArb = fc.stringMatching(/^[0-9a-f]{8,16}$/);
const timeArb = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => new TomlDate(d.toISOString()).toISOString());
const textArb = fc.string({ maxLength: 12 });
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null });

const fileArb: fc.Arbitrary<PylockFile> = fc.record({
  name: opt(textArb),
  uploadTime: opt(timeArb),
  url: fc.webUrl().map((u) => u as string | null),
  path: opt(textArb),
  size: opt(fc.nat()),
  hashes: fc.record({ sha256: hexArb }),
});

const packageArb = (name: string): fc.Arbitrary<PylockPackage> =>
  fc.record({
    name: fc.constant(name),
    version: opt(versionArb),
    marker: opt(fc.constantFrom('sys_platform == "emscripten"', 'python_version >= "3.12"')),
    requiresPython: opt(fc.constantFrom('>=3.8', '==3.14.*', '>=3.9,<4')),
    dependencies: opt(fc.array(nameArb.map((n) => ({ name: n })), { maxLength: 3 })),
    vcs: fc.constant(null),
    directory: fc.constant(null),
    archive: fc.constant(null),
    index: opt(fc.constant('https://pypi.org/simple')),
    sdist: opt(fileArb),
    wheels: fc.array(fileArb, { minLength: 1, maxLength: 3 }),
    attestationIdentities: fc.constant(null),
    tool: opt(fc.record({ pipette: fc.record({ note: textArb, n: fc.integer({ min: -1000, max: 1000 }), on: fc.boolean() }) })),
  });

const lockArb: fc.Arbitrary<Pylock> = fc.uniqueArray(nameArb, { maxLength: 5 }).chain((names) =>
  fc.record({
    lockVersion: fc.constant('1.0'),
    environments: opt(fc.array(fc.constantFrom("sys_platform == 'emscripten'", "platform_machine == 'wasm32'"), { maxLength: 2 })),
    requiresPython: opt(fc.constant('>=3.12')),
    extras: opt(fc.array(nameArb, { maxLength: 2 })),
    dependencyGroups: opt(fc.array(textArb, { maxLength: 2 })),
    defaultGroups: opt(fc.array(textArb, { maxLength: 2 })),
    createdBy: textArb,
    packages: fc.tuple(...names.map(packageArb)),
    tool: fc.constant(null),
  }),
);

describe('pylock round trip (property)', () => {
  it('parse(write(x)) equals x with packages sorted by name; write is order-independent', () => {
    fc.assert(
      fc.property(lockArb, (lock) => {
        const text = writePylock(lock);
        const sorted = { ...lock, packages: [...lock.packages].sort((a, b) => (a.name < b.name ? -1 : 1)) };
        expect(parsePylock(text)).toEqual(sorted);
        expect(writePylock({ ...lock, packages: [...lock.packages].reverse() })).toBe(text);
      }),
      { numRuns: 150 },
    );
  });
});
