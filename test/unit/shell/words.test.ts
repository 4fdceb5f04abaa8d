import { expect, test } from 'vitest';
import { splitWords } from '../../../src/shell';

test.each([
  ['pip install requests', ['pip', 'install', 'requests']],
  ['  pip   install  ', ['pip', 'install']],
  [`pip install "requests[socks] >=2" 'a b'`, ['pip', 'install', 'requests[socks] >=2', 'a b']],
  [`echo "say \\"hi\\"" it\\'s`, ['echo', 'say "hi"', "it's"]],
  [`pip install ''`, ['pip', 'install', '']],
  [`python -c 'print("x")'`, ['python', '-c', 'print("x")']],
])('%s', (line, words) => {
  expect(splitWords(line)).toEqual(words);
});

test('an unterminated quote is an error that says which quote', () => {
  expect(() => splitWords(`pip install "requests`)).toThrow('unexpected end of line while looking for matching "');
});

import { parseCommandLine } from '../../../src/shell';

test.each([
  ['pip install -U "a>=1"', { kind: 'pip', argv: ['install', '-U', 'a>=1'] }],
  ['python -m pip list', { kind: 'pip', argv: ['list'] }],
  [`python -c 'print(1)'`, { kind: 'python', code: 'print(1)' }],
  ['   ', { kind: 'empty' }],
  ['clear', { kind: 'clear' }],
])('command line %s', (line, command) => {
  expect(parseCommandLine(line)).toEqual(command);
});

test('an unknown command says so and how to find the known ones', () => {
  expect(parseCommandLine('frob x')).toEqual({ kind: 'error', message: 'pipette: command not found: frob\nType help to see the commands.' });
});
