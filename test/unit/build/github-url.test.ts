/**
 * `git+https://github.com/OWNER/REPO(.git)[@REF][#egg=NAME&subdirectory=DIR]` taken apart as pip
 * takes it apart, and every other VCS URL refused with the reason a tab cannot fetch it.
 */
import { describe, expect, test } from 'vitest';
import { BuildError, gitBlobSha, parseGitHubUrl } from '../../../src/build';

describe('parseGitHubUrl', () => {
  test.each([
    ['git+https://github.com/pypa/sampleproject', { owner: 'pypa', repo: 'sampleproject', ref: null, subdirectory: null, egg: null, url: 'https://github.com/pypa/sampleproject' }],
    ['git+https://github.com/pypa/sampleproject.git@main', { owner: 'pypa', repo: 'sampleproject', ref: 'main', url: 'https://github.com/pypa/sampleproject.git' }],
    ['git+https://github.com/o/r.git@feature/x-1#egg=pkg', { ref: 'feature/x-1', egg: 'pkg' }],
    ['git+https://github.com/o/r@v1.0#egg=pkg&subdirectory=src/pkg/', { ref: 'v1.0', subdirectory: 'src/pkg', egg: 'pkg' }],
    ['git+https://github.com/o/r@0123456789abcdef0123456789abcdef01234567', { ref: '0123456789abcdef0123456789abcdef01234567' }],
  ])('%s', (url, expected) => {
    expect(parseGitHubUrl(url)).toMatchObject(expected);
  });

  test.each([
    ['git+https://gitlab.com/g/p.git', "gitlab.com's git server does not, and a browser tab cannot run git"],
    ['git+https://github.example.com/o/r', "github.example.com's git server does not"],
    ['git+ssh://git@github.com/o/r.git', 'git over ssh cannot be reached from a browser tab'],
    ['git+git://github.com/o/r', 'git over git cannot be reached'],
    ['hg+https://hg.example.org/r', 'hg repositories need the hg program'],
    ['svn+https://svn.example.org/r', 'svn repositories need the svn program'],
    ['git+https://token@github.com/o/r', 'it holds a user name or token'],
    ['git+https://github.com/o', 'it does not name a repository as https://github.com/OWNER/REPO'],
    ['git+https://github.com/o/r/tree/main', 'it does not name a repository'],
    ['git+https://github.com/o/r@', 'is not a valid branch, tag or commit name'],
    ['git+https://github.com/o/r@a..b', 'is not a valid branch, tag or commit name'],
    ['git+https://github.com/o/r#subdirectory=../x', 'subdirectory=../x is not a folder inside the repository'],
    ['git+https://github.com/o/r#subdirectory=/etc', 'is not a folder inside the repository'],
  ])('refuses %s', (url, message) => {
    let error: unknown = null;
    try {
      parseGitHubUrl(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BuildError);
    expect((error as BuildError).message).toContain(message);
  });
});

test("gitBlobSha is git's object id of a blob", async () => {
  // `printf 'hello\n' | git hash-object --stdin`
  expect(await gitBlobSha(new TextEncoder().encode('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  expect(await gitBlobSha(new Uint8Array(0))).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
});
