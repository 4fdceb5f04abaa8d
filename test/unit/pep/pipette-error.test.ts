/**
 * One error base: every error class of Pipette is a PipetteError with a typed code, and crosses a
 * worker boundary as `{ name, code, message }`; PepError stays the parsers' subclass with input
 * and caret; the classes that used to derive from PepError without being about the standards no
 * longer do, and their messages are unchanged.
 */
import { describe, expect, test } from 'vitest';
import { BuildError, BuildErrorCode } from '../../../src/build';
import { IndexError, IndexErrorCode } from '../../../src/index';
import { InstallError, InstallErrorCode } from '../../../src/install';
import { InvalidVersion, PepError, PipetteError, Version } from '../../../src/pep';
import { PipError, PipErrorCode } from '../../../src/pip';
import { ResolverError } from '../../../src/resolver';
import { ShareLinkError } from '../../../src/share';

describe('PipetteError', () => {
  test('every folder\'s error is a PipetteError with its code; only parse errors are PepErrors', () => {
    const errors = [
      new InstallError(InstallErrorCode.NotAZip, 'a.whl', 'a.whl is not a valid wheel'),
      new BuildError(BuildErrorCode.NoPython, 'x', 'no Python here'),
      new IndexError(IndexErrorCode.Timeout, 'timed out', { url: 'https://example.org/simple/a/' }),
      new PipError(PipErrorCode.Command, 'You must give at least one requirement'),
      new ResolverError('invalid-url', 'Invalid URL in a direct reference: x', 'x'),
      new ShareLinkError('oversized', 'Cannot share this environment: too big.'),
    ];
    for (const e of errors) {
      expect(e).toBeInstanceOf(PipetteError);
      expect(e).not.toBeInstanceOf(PepError);
      expect(e.toJSON()).toMatchObject({ name: e.name, code: e.code, message: e.message });
    }
    expect(errors.map((e) => e.code)).toEqual(['not-a-zip', 'no-python', 'timeout', 'command-error', 'invalid-url', 'oversized']);
  });

  test('a PEP parse error is a PepError and a PipetteError, with input and caret', () => {
    let caught: unknown;
    try {
      Version.parse('1..0');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidVersion);
    expect(caught).toBeInstanceOf(PepError);
    expect(caught).toBeInstanceOf(PipetteError);
    expect((caught as InvalidVersion).code).toBe('invalid-version');
  });

  test('IndexError keeps its plain-data shape and reason', () => {
    const e = new IndexError(IndexErrorCode.HttpStatus, 'HTTP 404 for https://h/x', { url: 'https://h/x', status: 404 });
    expect(e.message).toBe('HTTP 404 for https://h/x');
    expect(e.reason).toBe(e.message);
    expect(e.toJSON()).toEqual({ name: 'IndexError', code: 'http-status', message: e.message, reason: e.message, input: 'https://h/x', url: 'https://h/x', host: 'h', status: 404, filename: null });
  });
});
