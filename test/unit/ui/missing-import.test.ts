import { expect, test } from 'vitest';
import { missingDistribution } from '../../../src/ui/editor/missing-import';

test.each([
  ["ModuleNotFoundError: No module named 'requests'", 'requests'],
  ["Traceback...\nModuleNotFoundError: No module named 'yaml'", 'pyyaml'],
  ["ModuleNotFoundError: No module named 'PIL.Image'", 'pillow'],
  ["ModuleNotFoundError: No module named 'typing_extensions'", 'typing-extensions'],
  ['ZeroDivisionError: division by zero', null],
])('%s -> %s', (error, distribution) => {
  expect(missingDistribution(error)).toBe(distribution);
});
