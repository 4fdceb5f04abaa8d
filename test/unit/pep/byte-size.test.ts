/**
 * The byte formatters, one per convention (pep/byte-size.ts). pip's `format_size` has its table
 * in test/unit/pip/format.test.ts; here `ls -h` (values as GNU coreutils 9 `ls -lh` and
 * `numfmt --to=iec --round=up` print them) and the decimal one Pipette's limits use.
 */
import { describe, expect, test } from 'vitest';
import { decimalSize, formatSize, humanSize } from '../../../src/pep';

describe('humanSize is GNU ls -h', () => {
  test.each([
    [0, '0'], [1023, '1023'], [1024, '1.0K'], [1025, '1.1K'], [1536, '1.5K'], [10239, '10K'], [10240, '10K'],
    [10241, '11K'], [1048575, '1.0M'], [1048576, '1.0M'], [1572864, '1.5M'], [1073741824, '1.0G'], [5_000_000_000_000, '4.6T'],
  ])('%d -> %s', (bytes, text) => {
    expect(humanSize(bytes)).toBe(text);
  });
});

describe('decimalSize', () => {
  test('bytes below 1000, then one decimal in kB, MB, GB', () => {
    expect([0, 999, 1000, 100_000, 999_999, 16_777_216, 2 ** 30, 2_000_000_000_000].map((n) => decimalSize(n))).toEqual([
      '0 bytes', '999 bytes', '1.0 kB', '100.0 kB', '1000.0 kB', '16.8 MB', '1.1 GB', '2000.0 GB',
    ]);
    expect(decimalSize(999, 'B')).toBe('999 B');
  });

  test('is not pip format_size, which the pip lines keep', () => {
    expect([decimalSize(100_000), formatSize(100_000)]).toEqual(['100.0 kB', '100 kB']);
  });
});
