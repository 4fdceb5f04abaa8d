/**
 * Opening a wheel in slices (OpenOptions.pause): a wheel staged while the resolver works is
 * unpacked with the host's other work running between slices (src/pip/commands/install.ts
 * passes the resolver's macrotask yield), instead of holding the thread for the whole inflate.
 */
import { expect, test } from 'vitest';
import { InstallError, openWheel } from '../../../src/install';
import { buildWheel } from '../../fixtures/wheel-builder';
import { incompressibleBytes } from '../../fixtures/noise';

/** 24 modules of 100 kB each: 2.4 MB inflated, about ten slices of 256 kB. */
const big = buildWheel({
  name: 'big',
  version: '1.0',
  files: Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`big/m${String(i).padStart(2, '0')}.bin`, incompressibleBytes(100_000, i + 1)])),
});

test('a large wheel is unpacked in slices with a pause between them, into the same archive as in one step', async () => {
  let pauses = 0;
  const sliced = await openWheel(big.filename, big.bytes, { pause: () => (pauses++, new Promise<void>((resolve) => setImmediate(resolve))) });
  const whole = await openWheel(big.filename, big.bytes);
  // Each slice holds entries up to 256 kB in all (one entry alone may exceed it): 24 x 100 kB -> 12 slices.
  expect(pauses).toBe(12);
  expect([...sliced.entries.keys()]).toEqual([...whole.entries.keys()]);
  // Byte for byte (Buffer.equals: a deep toEqual over 2.4 MB of typed arrays takes seconds).
  for (const [path, data] of whole.entries) expect(Buffer.from(sliced.entries.get(path)!).equals(Buffer.from(data)), path).toBe(true);
  expect(sliced.record).toEqual(whole.record);
  expect(sliced.metadata.name).toBe('big');
});

test('work queued on the host runs while the wheel is unpacked, not after', async () => {
  const ran: string[] = [];
  const pause = (): Promise<void> => (ran.push('pause'), new Promise<void>((resolve) => setImmediate(resolve)));
  const opening = openWheel(big.filename, big.bytes, { pause });
  // A response the resolver is waiting on, as a macrotask queued once unpacking has begun.
  setImmediate(() => ran.push('other work'));
  await opening;
  // It ran before the last slice was unpacked (in one step, it could only run after all of it).
  expect(ran.indexOf('other work')).toBeGreaterThan(0);
  expect(ran.indexOf('other work')).toBeLessThan(ran.lastIndexOf('pause'));
});

test('a small wheel is unpacked in one step, without a pause', async () => {
  let pauses = 0;
  const small = buildWheel({ name: 'small', version: '1.0' });
  await openWheel(small.filename, small.bytes, { pause: async () => void pauses++ });
  expect(pauses).toBe(0);
});

test('a wheel declaring more than the limit is refused before any slice is unpacked', async () => {
  let pauses = 0;
  const refused = openWheel(big.filename, big.bytes, { maxUncompressedBytes: 1_000_000, pause: async () => void pauses++ });
  await expect(refused).rejects.toBeInstanceOf(InstallError);
  await expect(refused).rejects.toMatchObject({ code: 'too-large' });
  expect(pauses).toBe(0);
});
