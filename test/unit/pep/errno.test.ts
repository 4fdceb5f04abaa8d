import { describe, expect, it } from 'vitest';
import { describeFsError, describeOsError, emscriptenErrno, errnoOf } from '../../../src/pep/errno';

// Emscripten's FS throws `{ name: 'ErrnoError', errno: N }`, N in Emscripten's numbering.
const emscripten = (errno: number) => ({ name: 'ErrnoError', errno });

describe('errno in words', () => {
  it.each([
    [44, 'ENOENT', 2, 'No such file or directory'],
    [31, 'EISDIR', 21, 'Is a directory'],
    [54, 'ENOTDIR', 20, 'Not a directory'],
    [138, 'EOPNOTSUPP', 95, 'Operation not supported'],
    [70, 'ESPIPE', 29, 'Illegal seek'],
    [22, 'EFBIG', 27, 'File too large'],
    [63, 'EPERM', 1, 'Operation not permitted'],
    [32, 'ELOOP', 40, 'Too many levels of symbolic links'],
  ])("Emscripten's %i is %s, Linux's %i: %s", (em, code, linux, message) => {
    expect(errnoOf(emscripten(em))).toEqual({ code, errno: linux, message });
    expect(emscriptenErrno(code)).toBe(em);
  });
  it("Node's system errors by their code", () => {
    expect(errnoOf(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', errno: -2 }))?.errno).toBe(2);
  });
  it('describeFsError never says [object Object]', () => {
    expect(describeFsError(emscripten(138))).toBe('Operation not supported');
    expect(describeFsError(emscripten(999))).toBe('Unknown error 999');
    expect(describeFsError(new DOMException('quota', 'QuotaExceededError'))).toBe('quota');
    expect(describeFsError({ name: 'Weird' })).toBe('Weird');
    expect(describeFsError(null)).toBe('null');
  });
  it("describeOsError prints Python's OSError", () => {
    expect(describeOsError(emscripten(44), 'missing.txt')).toBe("[Errno 2] No such file or directory: 'missing.txt'");
    expect(describeOsError(emscripten(138), '/dev/tty')).toBe("[Errno 95] Operation not supported: '/dev/tty'");
    expect(describeOsError(new Error('plain'))).toBe('plain');
  });
});
