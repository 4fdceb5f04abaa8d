import { expect, test } from 'vitest';
import { matchesFilter, safeLink, updateAvailable } from '../../../src/ui/panels/packages/update';

test.each([
  ['2.31.0', '2.32.3', '2.32.3'],
  ['1.9', '1.10', '1.10'], // PEP 440 order, not string order
  ['1.10', '1.9', null],
  ['2.32.3', '2.32.3', null],
  ['1.0', '1.0.0', null], // equal versions
  ['1.0', '1.0.post1', '1.0.post1'],
  ['2.0', '2.1b1', null], // a pre-release is not offered over a final release
  ['2.1a1', '2.1b1', '2.1b1'],
  ['1.0+local', '1.0', null],
  ['1.0', null, null],
  ['1.0', 'not a version', null],
])('updateAvailable(%s, %s) = %s', (installed, latest, expected) => {
  expect(updateAvailable(installed, latest)).toBe(expected);
});

test('safeLink keeps web addresses only', () => {
  expect(safeLink('https://osv.dev/vulnerability/GHSA-9wx4-h78v-vm56')).toBe('https://osv.dev/vulnerability/GHSA-9wx4-h78v-vm56');
  expect(safeLink('http://example.org/x')).toBe('http://example.org/x');
  expect(safeLink('javascript:alert(1)')).toBeNull();
  expect(safeLink(' JavaScript:alert(1)')).toBeNull();
  expect(safeLink('data:text/html,<script>alert(1)</script>')).toBeNull();
  expect(safeLink('/relative')).toBeNull();
  expect(safeLink(null)).toBeNull();
});

test('matchesFilter looks at the name (PEP 503 alike) and the summary', () => {
  expect(matchesFilter('', 'requests', null)).toBe(true);
  expect(matchesFilter('charset_normalizer', 'charset-normalizer', null)).toBe(true);
  expect(matchesFilter('HTTP', 'requests', 'Python HTTP for Humans.')).toBe(true);
  expect(matchesFilter('idna', 'requests', 'Python HTTP for Humans.')).toBe(false);
});
