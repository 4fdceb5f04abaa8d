import { describe, expect, it } from 'vitest';
import { isSecretSubstitution, redactSecrets, redactUrl } from '../../../src/pep/redact';

describe('redactUrl: pip redact_auth_from_url, plus secret query values', () => {
  it.each([
    // pip's own examples (tests/unit/test_utils.py test_redact_auth_from_url)
    ['https://user:pass@example.com', 'https://user:****@example.com'],
    ['https://user@example.com', 'https://****@example.com'],
    ['https://example.com', 'https://example.com'],
    ['https://user:pass@example.com/simple/', 'https://user:****@example.com/simple/'],
    ['https://ghp_abcdefgh@github.com/org/repo.git', 'https://****@github.com/org/repo.git'],
    ['https://user:p%40ss@host:8080/x', 'https://user:****@host:8080/x'],
    // query values whose names say they are secret
    ['https://host/simple/?token=abc123&page=2', 'https://host/simple/?token=****&page=2'],
    ['https://host/x.whl?access_token=t0k&X-Amz-Signature=deadbeef', 'https://host/x.whl?access_token=****&X-Amz-Signature=****'],
    ['https://host/x?api_key=k&design=d&monkey=m', 'https://host/x?api_key=****&design=d&monkey=m'],
    ['https://host/x?token=${TOKEN}', 'https://host/x?token=${TOKEN}'],
    // nothing else of the URL changes
    ['HTTPS://Host/A%20B#sha256=ab', 'HTTPS://Host/A%20B#sha256=ab'],
  ])('%s -> %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});

describe('redactSecrets: every URL in a message, and the known secret values', () => {
  it('redacts URLs inside text', () => {
    expect(redactSecrets('ERROR: Could not connect to https://bob:hunter2@127.0.0.1:9/simple/alpha/ (refused)')).toBe(
      'ERROR: Could not connect to https://bob:****@127.0.0.1:9/simple/alpha/ (refused)',
    );
  });
  it('hides the given values wherever they stand, longest first', () => {
    expect(redactSecrets('token s3cr3t-t0ken in /files/s3cr3t-t0ken/a.whl', ['s3cr3t', 's3cr3t-t0ken'])).toBe('token **** in /files/****/a.whl');
  });
  it('does not blank out very short values', () => {
    expect(redactSecrets('Successfully installed a-1.0', ['1', 'a'])).toBe('Successfully installed a-1.0');
  });
  it('is idempotent', () => {
    const once = redactSecrets('https://u:p@h/?token=x and sekret', ['sekret']);
    expect(redactSecrets(once, ['sekret'])).toBe(once);
  });
});

describe('isSecretSubstitution: which ${VAR} in a requirements line stand for credentials', () => {
  const at = (line: string, name: string): boolean => {
    const start = line.indexOf(`\${${name}}`);
    return isSecretSubstitution(line, name, start, start + name.length + 3);
  };
  it.each([
    ['--index-url https://${USER}:${PASS}@host/simple/', 'PASS', true],
    ['--index-url https://${USER}:${PASS}@host/simple/', 'USER', true],
    ['alpha @ https://host/alpha.whl?k=${K}', 'K', true],
    ['alpha==${PYPI_TOKEN}', 'PYPI_TOKEN', true],
    ['alpha==${VERSION}', 'VERSION', false],
    ['--index-url https://${HOST}/simple/', 'HOST', false],
  ])('%s: ${%s} -> %s', (line, name, secret) => {
    expect(at(line, name)).toBe(secret);
  });
});
