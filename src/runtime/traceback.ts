/**
 * Drops Pyodide's own frames (`/lib/python3XX.zip/_pyodide/...`, with their source lines) from a
 * Python traceback, so a person sees the frames of their code and the exception, as the python
 * REPL would show them.
 *
 * Ex) "Traceback ...\n  File \"/lib/python314.zip/_pyodide/_base.py\", line 619, in eval_code_async\n
 *      await CodeRunner(\n  File \"<exec>\", line 1, in <module>\nZeroDivisionError: division by zero"
 *     -> "Traceback ...\n  File \"<exec>\", line 1, in <module>\nZeroDivisionError: division by zero"
 */
export function trimTraceback(text: string): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  let skipping = false;
  for (const line of lines) {
    if (/^ {2}File "/.test(line)) skipping = /^ {2}File "\/lib\/python\d+\.zip\/_pyodide\//.test(line);
    else if (!/^ {4}/.test(line)) skipping = false;
    if (!skipping) kept.push(line);
  }
  return kept.join('\n');
}
