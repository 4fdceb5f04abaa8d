import { expect, test } from 'vitest';
import { trimTraceback } from '../../../src/runtime/traceback';

test("Pyodide's own frames are dropped, the user's frames and the exception kept", () => {
  const raw = [
    'Traceback (most recent call last):',
    '  File "/lib/python314.zip/_pyodide/_base.py", line 619, in eval_code_async',
    '    await CodeRunner(',
    '    ...<10 lines>...',
    '    .run_async(globals, locals)',
    '  File "/lib/python314.zip/_pyodide/_base.py", line 420, in run_async',
    '    coroutine = eval(self.code, globals, locals)',
    '  File "<exec>", line 3, in <module>',
    '  File "/home/pyodide/app.py", line 2, in f',
    '    return 1 / 0',
    'ZeroDivisionError: division by zero',
  ].join('\n');
  expect(trimTraceback(raw)).toBe(
    [
      'Traceback (most recent call last):',
      '  File "<exec>", line 3, in <module>',
      '  File "/home/pyodide/app.py", line 2, in f',
      '    return 1 / 0',
      'ZeroDivisionError: division by zero',
    ].join('\n'),
  );
});

test('text without frames is unchanged', () => {
  expect(trimTraceback('SyntaxError: invalid syntax')).toBe('SyntaxError: invalid syntax');
});
