/**
 * entry_points.txt (the entry points specification): an INI file of groups, each line
 * `name = module:attr [extras]`. Console scripts become launchers in the scripts directory.
 */
export interface EntryPoint {
  readonly group: string;
  readonly name: string;
  readonly module: string;
  readonly attr: string | null;
}

export function parseEntryPoints(text: string): EntryPoint[] {
  const out: EntryPoint[] = [];
  let group: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      group = section[1]!.trim();
      continue;
    }
    const eq = line.indexOf('=');
    if (group === null || eq < 0) continue;
    const name = line.slice(0, eq).trim();
    // Drop the optional `[extras]` suffix (deprecated, ignored by pip's launchers).
    const value = line.slice(eq + 1).replace(/\[.*\]\s*$/, '').trim();
    const [module = '', attr] = value.split(':').map((s) => s.trim());
    out.push({ group, name, module, attr: attr ?? null });
  }
  return out;
}

/** The launcher pip writes for a console script (pip `_internal/operations/install/wheel.py`). */
export function consoleScriptLauncher(entry: EntryPoint, pythonExecutable: string): string {
  const importName = entry.attr ? entry.attr.split('.')[0]! : '';
  const call = entry.attr ?? '';
  return [
    `#!${pythonExecutable}`,
    '# -*- coding: utf-8 -*-',
    'import re',
    'import sys',
    entry.attr ? `from ${entry.module} import ${importName}` : `import ${entry.module}`,
    "if __name__ == '__main__':",
    "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])",
    `    sys.exit(${entry.attr ? call : `${entry.module}.main`}())`,
    '',
  ].join('\n');
}
