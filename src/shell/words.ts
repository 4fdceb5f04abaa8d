/**
 * Splits a command line into words as a POSIX shell does for simple commands: whitespace
 * separates, single quotes keep everything literally, double quotes keep spaces and allow
 * `\"` and `\\`, a backslash outside quotes escapes the next character.
 * Ex) `pip install "requests[socks] >=2" 'a b'` -> ['pip', 'install', 'requests[socks] >=2', 'a b']
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\' || line[i + 1] === '$')) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new ShellSyntaxError(`unexpected end of line while looking for matching ${quote}`);
  if (inWord) words.push(word);
  return words;
}

export class ShellSyntaxError extends Error {
  override readonly name = 'ShellSyntaxError';
  readonly code = 'shell-syntax';
}
