import { describe, expect, it } from 'vitest';
import { parseRequirementsFile, RequirementsFileError, type ReadFile } from '../../../src/pep/requirements-file';

/** An in-memory file system: a missing file fails the way Node's fs does (code ENOENT). */
function files(map: Record<string, string>): ReadFile {
  return async (path: string): Promise<string> => {
    const text = map[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
    return text;
  };
}

async function fail(map: Record<string, string>, path = 'requirements.txt'): Promise<RequirementsFileError> {
  try {
    await parseRequirementsFile(path, files(map));
  } catch (e) {
    expect(e).toBeInstanceOf(RequirementsFileError);
    return e as RequirementsFileError;
  }
  throw new Error('no error');
}

describe('parseRequirementsFile: lines', () => {
  it('reads requirements with line numbers; comments need whitespace or line start', async () => {
    const rf = await parseRequirementsFile(
      'requirements.txt',
      files({
        'requirements.txt': '# the app\nrequests[socks]>=2.31  # loosely\n\nattrs ; python_version >= "3.8"\nhttps://example.org/x-1.0-py3-none-any.whl#sha256=ab\n',
      }),
    );
    expect(rf.entries.map((e) => [e.text, e.source.line])).toEqual([
      ['requests[socks]>=2.31', 2],
      ['attrs ; python_version >= "3.8"', 4],
      ['https://example.org/x-1.0-py3-none-any.whl#sha256=ab', 5],
    ]);
    const [requests, attrs] = rf.entries;
    expect(requests?.requirement?.extras).toEqual(['socks']);
    expect(requests?.raw).toBe('requests[socks]>=2.31  # loosely');
    expect(attrs?.marker?.toString()).toBe('python_version >= "3.8"');
    expect(rf.entries.every((e) => e.kind === 'requirement' && e.source.path === 'requirements.txt')).toBe(true);
  });

  it('joins continuation lines under the first line number; a trailing backslash at EOF ends the file', async () => {
    const rf = await parseRequirementsFile(
      'r.txt',
      files({
        'r.txt': 'foo \\\n  >=1.0 \\\n  --hash=sha256:aa \\\n  --hash=sha256:bb\nbar\\\n# comment after a continuation\nbaz==2 \\',
      }),
    );
    expect(rf.entries.map((e) => [e.text, e.source.line])).toEqual([
      ['foo   >=1.0', 1],
      ['bar', 5],
      ['baz==2', 7],
    ]);
    expect(rf.entries[0]?.hashes).toEqual(['sha256:aa', 'sha256:bb']);
    expect(rf.entries[0]?.requirement?.specifier.toString()).toBe('>=1.0');
    expect(rf.entries[0]?.raw).toBe('foo \\\n  >=1.0 \\\n  --hash=sha256:aa \\\n  --hash=sha256:bb');
  });

  it('expands ${VAR} from the given environment, and only that form', async () => {
    const rf = await parseRequirementsFile(
      'r.txt',
      files({
        'r.txt': [
          '--index-url https://${USER_1}:${TOKEN}@pypi.example/simple',
          'foo==${VERSION}',
          '--extra-index-url $TOKEN/%TOKEN%/${lower}',
          // pip replaces only variables that are set and non-empty; the rest stay as written.
          '--find-links https://${UNSET}/${EMPTY}',
        ].join('\n'),
      }),
      { env: { USER_1: 'me', TOKEN: 's3cret', VERSION: '1.2', EMPTY: '', lower: 'no' } },
    );
    expect(rf.options.indexUrl).toBe('https://me:s3cret@pypi.example/simple');
    expect(rf.options.extraIndexUrls).toEqual(['$TOKEN/%TOKEN%/${lower}']);
    expect(rf.options.findLinks).toEqual(['https://${UNSET}/${EMPTY}']);
    expect(rf.entries[0]?.requirement?.specifier.toString()).toBe('==1.2');
  });

  it('keeps every top-level line in order for freeze', async () => {
    const rf = await parseRequirementsFile('r.txt', files({ 'r.txt': '# header\n\n-i https://pypi.example/simple\nfoo==1\n-r more.txt\n', 'more.txt': 'bar\n' }));
    expect(rf.lines.map((l) => [l.line, l.kind, l.raw])).toEqual([
      [1, 'comment', '# header'],
      [2, 'blank', ''],
      [3, 'option', '-i https://pypi.example/simple'],
      [4, 'entry', 'foo==1'],
      [5, 'option', '-r more.txt'],
    ]);
    expect(rf.lines[3]?.entry).toBe(rf.entries[0]);
    expect(rf.entries.map((e) => e.text)).toEqual(['foo==1', 'bar']);
  });
});

describe('parseRequirementsFile: options', () => {
  it('collects global options in reading order', async () => {
    const rf = await parseRequirementsFile(
      'r.txt',
      files({
        'r.txt': [
          '-i https://a.example/simple',
          '--index-url=https://b.example/simple',
          '--extra-index-url https://c.example/simple',
          '-f ./wheels',
          '--find-links=https://d.example/links',
          '--pre',
          '--prefer-binary',
          '--require-hashes',
          '--trusted-host a.example',
          '--no-binary :all:',
          '--only-binary Foo_Bar,baz',
          '--no-binary baz',
          '--no-index',
          '--use-feature=truststore',
          '--extra-index https://e.example/simple',
        ].join('\n'),
      }),
    );
    expect(rf.entries).toEqual([]);
    const o = rf.options;
    expect(o.indexUrl).toBe('https://b.example/simple');
    expect(o.extraIndexUrls).toEqual(['https://c.example/simple', 'https://e.example/simple']);
    expect(o.findLinks).toEqual(['./wheels', 'https://d.example/links']);
    expect([o.pre, o.preferBinary, o.requireHashes, o.noIndex]).toEqual([true, true, true, true]);
    expect(o.trustedHosts).toEqual(['a.example']);
    // --no-binary :all:, then --only-binary moves names out of no-binary, then baz moves back.
    expect([...o.noBinary]).toEqual([':all:', 'baz']);
    expect([...o.onlyBinary]).toEqual(['foo-bar']);
    expect(o.useFeature).toEqual(['truststore']);
  });

  it('treats :all: and :none: as pip FormatControl does', async () => {
    const rf = await parseRequirementsFile('r.txt', files({ 'r.txt': '--only-binary foo\n--no-binary :all:\n--no-binary :none:\n--only-binary :all:' }));
    expect([...rf.options.noBinary]).toEqual([]);
    expect([...rf.options.onlyBinary]).toEqual([':all:']);
  });

  it('keeps per-requirement hashes and config settings; warns about a hash with no requirement', async () => {
    const rf = await parseRequirementsFile(
      'r.txt',
      files({ 'r.txt': 'foo==1.0 --hash=sha256:aa --hash sha512:bb -C key=value --global-option=--x\n--hash=sha256:cc\n' }),
    );
    expect(rf.entries[0]?.hashes).toEqual(['sha256:aa', 'sha512:bb']);
    expect(rf.entries[0]?.configSettings).toEqual(['key=value']);
    expect(rf.entries[0]?.globalOptions).toEqual(['--x']);
    expect(rf.warnings).toEqual(['r.txt line 2 has --hash but no requirement, and will be ignored.']);
  });
});

describe('parseRequirementsFile: links, paths, editables', () => {
  it('reads URLs, name @ url, local wheels, and editables', async () => {
    const rf = await parseRequirementsFile(
      'r.txt',
      files({
        'r.txt': [
          'https://files.example/pkg/Foo_Bar-1.0-py3-none-any.whl',
          'attrs @ https://files.example/attrs-25.1.0-py3-none-any.whl',
          './dist/six-1.16.0-py2.py3-none-any.whl; python_version >= "3.8"',
          '-e ./src/mypkg[dev]',
          '--editable git+https://github.com/o/r.git@v1#egg=r',
          './local/project',
        ].join('\n'),
      }),
    );
    const [url, named, local, editable, vcs, dir] = rf.entries;
    expect(url?.link).toBe('https://files.example/pkg/Foo_Bar-1.0-py3-none-any.whl');
    expect(url?.requirement?.toString()).toBe('foo-bar==1.0');
    expect(named?.link).toBeNull();
    expect(named?.requirement?.url).toBe('https://files.example/attrs-25.1.0-py3-none-any.whl');
    expect(local?.link).toBe('./dist/six-1.16.0-py2.py3-none-any.whl');
    expect(local?.requirement?.toString()).toBe('six==1.16.0');
    expect(local?.marker?.toString()).toBe('python_version >= "3.8"');
    expect(editable?.editable).toBe(true);
    expect(editable?.link).toBe('./src/mypkg');
    expect(editable?.requirement).toBeNull();
    expect(vcs?.editable).toBe(true);
    expect(vcs?.requirement?.name).toBe('r');
    expect(dir?.link).toBe('./local/project');
    expect(dir?.requirement).toBeNull();
    expect(dir?.editable).toBe(false);
  });
});

describe('parseRequirementsFile: nested files', () => {
  it('resolves -r and -c against the including file and marks constraints', async () => {
    const rf = await parseRequirementsFile(
      'reqs/dev.txt',
      files({
        'reqs/dev.txt': '-r base.txt\npytest\n--constraint ../constraints.txt\n',
        'reqs/base.txt': 'requests\n-r ./shared/common.txt\n',
        'reqs/shared/common.txt': 'idna\n',
        'constraints.txt': 'urllib3<3\n-r reqs/extra.txt\n',
        'reqs/extra.txt': 'certifi\n',
      }),
    );
    expect(rf.entries.map((e) => [e.kind, e.text, e.source.path, e.source.line])).toEqual([
      ['requirement', 'requests', 'reqs/base.txt', 1],
      ['requirement', 'idna', 'reqs/shared/common.txt', 1],
      ['requirement', 'pytest', 'reqs/dev.txt', 2],
      ['constraint', 'urllib3<3', 'constraints.txt', 1],
      // pip: a -r inside a constraints file adds requirements, not constraints.
      ['requirement', 'certifi', 'reqs/extra.txt', 1],
    ]);
  });

  it('allows the same file included twice on different branches', async () => {
    const rf = await parseRequirementsFile(
      'lint.txt',
      files({ 'lint.txt': '-r requirements.txt\n-r test.txt\n', 'test.txt': '-r requirements.txt\npytest\n', 'requirements.txt': 'attrs\n' }),
    );
    expect(rf.entries.map((e) => e.text)).toEqual(['attrs', 'attrs', 'pytest']);
  });

  it('resolves includes of a remote file against its URL', async () => {
    const rf = await parseRequirementsFile(
      'https://example.org/reqs/r.txt',
      files({ 'https://example.org/reqs/r.txt': '-r ../base.txt', 'https://example.org/base.txt': 'attrs' }),
    );
    expect(rf.entries[0]?.source.path).toBe('https://example.org/base.txt');
  });

  it('detects recursion and says where', async () => {
    const e = await fail({ 'a.txt': 'foo\n-r b.txt\n', 'b.txt': '-r a.txt\n' }, 'a.txt');
    expect(e.message).toBe('a.txt recursively references itself in b.txt');
    expect([e.path, e.line]).toEqual(['b.txt', 1]);
  });

  it('reports a missing file as pip does, naming the including line', async () => {
    const e = await fail({ 'requirements.txt': 'foo\n-r x.txt\n' });
    expect(e.message).toBe("Could not open requirements file: [Errno 2] No such file or directory: 'x.txt'");
    expect([e.path, e.line]).toEqual(['requirements.txt', 2]);
    const top = await fail({});
    expect(top.message).toBe("Could not open requirements file: [Errno 2] No such file or directory: 'requirements.txt'");
    expect(top.line).toBeNull();
  });
});

describe('parseRequirementsFile: errors', () => {
  it('names file and line of an invalid requirement, then the reason', async () => {
    const e = await fail({ 'requirements.txt': 'foo\n# two\nfoo==\n' });
    const [first, ...rest] = e.message.split('\n');
    expect(first).toBe("Invalid requirement: 'foo==' (from line 3 of requirements.txt)");
    expect(rest.length).toBeGreaterThan(0);
    expect([e.path, e.line, e.code]).toEqual(['requirements.txt', 3, 'invalid-requirements-file']);
  });

  it("hints at == for a lone '='", async () => {
    const e = await fail({ 'requirements.txt': 'foo=1.0\n' });
    expect(e.message.split('\n').at(-1)).toBe('Hint: = is not a valid operator. Did you mean == ?');
  });

  it.each([
    ['--frobnicate', 'requirements.txt:4: no such option: --frobnicate'],
    ['-x foo', 'requirements.txt:4: no such option: -x'],
    ['foo --hash', 'requirements.txt:4: --hash option requires 1 argument'],
    ['-i', 'requirements.txt:4: -i option requires 1 argument'],
    ['--pre=yes', 'requirements.txt:4: --pre option does not take a value'],
    ['--no-', 'requirements.txt:4: ambiguous option: --no- (--no-binary, --no-index?)'],
    ['foo --hash=md5:aa', 'requirements.txt:4: Allowed hash algorithms for --hash are sha256, sha384, sha512.'],
    ['foo --hash=sha256', 'requirements.txt:4: Arguments to --hash must be a hash name followed by a value, like --hash=sha256:abcde...'],
    ["--index-url 'https://x", 'requirements.txt:4: Could not split options: --index-url \'https://x'],
  ])('rejects %j with optparse wording', async (line, message) => {
    const e = await fail({ 'requirements.txt': `a\nb\nc\n${line}\n` });
    expect(e.message).toBe(message);
    expect(e.line).toBe(4);
  });

  it('rejects a wheel link with an invalid file name', async () => {
    const e = await fail({ 'requirements.txt': './dist/not_a-wheel.whl\n' });
    expect(e.message).toBe("Invalid wheel filename (wrong number of parts): 'not_a-wheel.whl' (from line 1 of requirements.txt)");
  });
});
