import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../../src/pep';
import { textCredentials, urlCredentials } from '../../../src/share';

describe('urlCredentials', () => {
  it.each([
    ['https://user:pass@example.com/simple/', 'a user name and password'],
    ['https://__token__:pypi-abc@upload.pypi.org/legacy/', 'a user name and password'],
    ['https://TOKEN123@pypi.fury.io/me/', 'a user name or token before the host'],
    ['https://example.com/simple/?token=abc', 'a secret-looking query parameter (token)'],
    ['https://s3.example.com/x.whl?X-Amz-Credential=a&X-Amz-Signature=b', 'a secret-looking query parameter (X-Amz-Credential, X-Amz-Signature)'],
    ['https://example.com/x.whl?api_key=1&sig=2&accessToken=3', 'a secret-looking query parameter (api_key, sig, accessToken)'],
  ])('%s holds %s', (url, what) => {
    expect(urlCredentials(url)).toBe(what);
  });

  it.each([
    'https://pypi.org/simple/',
    'https://files.pythonhosted.org/packages/ab/cd/x-1.0-py3-none-any.whl',
    'https://example.com/x?design=1&monkey=2&page=3',
    'https://example.com/x?token=',
    'not a url',
  ])('%s holds none', (url) => {
    expect(urlCredentials(url)).toBeNull();
  });
});

describe('redactUrl (pep, the one redaction rule)', () => {
  it('hides the password (pip: user:****), a lone token user name and secret query values, and keeps the rest', () => {
    expect(redactUrl('https://user:pass@example.com/simple/')).toBe('https://user:****@example.com/simple/');
    expect(redactUrl('https://tok@example.com/simple/')).toBe('https://****@example.com/simple/');
    expect(redactUrl('https://example.com/x?page=2&token=abc')).toBe('https://example.com/x?page=2&token=****');
    expect(redactUrl('nonsense//user:pw@host')).toBe('nonsense//user:****@host');
  });
});

describe('textCredentials', () => {
  it('finds a password in a URL, a web URL with a token user, a token query, a PyPI token, with the line', () => {
    expect(textCredentials('[global]\nindex-url = https://me:hunter2@private.example/simple/\n')).toEqual({
      line: 2,
      what: 'a URL with a user name and password: https://me:****@private.example/simple/',
    });
    expect(textCredentials('x = "https://abcdef@pypi.fury.io/me/"')).toEqual({ line: 1, what: 'a URL with a user name or token before the host: https://****@pypi.fury.io/me/' });
    expect(textCredentials('mylib @ git+https://ghp_abc123@github.com/me/mylib.git\n')?.what).toBe(
      'a URL with a user name or token before the host: git+https://****@github.com/me/mylib.git',
    );
    expect(textCredentials('\n\nfetch("https://api.example/v1?access_token=zzz")')?.line).toBe(3);
    expect(textCredentials(`password = pypi-AgEIcHlwaS5vcmcCJDAwMDAwMDAwLTAwMDAtMDAwMC0wMDAw`)).toEqual({ line: 1, what: 'a PyPI API token (pypi-AgE...)' });
  });

  it('lets ordinary code and ssh addresses through', () => {
    expect(textCredentials('import requests\nrequests.get("https://example.org/?page=2")\n')).toBeNull();
    expect(textCredentials('git clone ssh://git@github.com/pypa/pip.git\n# pypi-AgE is a prefix\n')).toBeNull();
    // Templates hold no secret: placeholders in the userinfo or the query.
    expect(textCredentials('url = f"https://{user}:{password}@host/simple/"')).toBeNull();
    expect(textCredentials('--index-url https://${USER}:${TOKEN}@host/simple/\nx = "https://<user>:<password>@example.com/?token={token}"')).toBeNull();
    // ...but one real part is enough.
    expect(textCredentials('url = f"https://{user}:hunter2@host/"')?.what).toBe('a URL with a user name and password: https://{user}:****@host/');
  });

  it('scans a 1 MB line of word starts in linear time (a link file may be that large)', () => {
    // With an unbounded scheme pattern this took minutes (every `a` starts a scan to the line's end).
    const start = performance.now();
    expect(textCredentials('a.'.repeat(500_000))).toBeNull();
    expect(textCredentials('a-'.repeat(500_000))).toBeNull();
    expect(performance.now() - start).toBeLessThan(3000);
  });
});
