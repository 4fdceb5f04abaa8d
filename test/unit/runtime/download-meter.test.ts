import { expect, test } from 'vitest';
import { DownloadMeter, formatActivity } from '../../../src/runtime/download-meter';

test('the line sums every file, redraws in place, and is cleared before other output', () => {
  const written: string[] = [];
  const reported: unknown[] = [];
  let t = 0;
  const meter = new DownloadMeter((s) => written.push(s), (a) => reported.push(a), () => t);
  meter.update({ filename: 'a.whl', loaded: 500_000, total: 1_000_000, done: false });
  t += 500;
  meter.update({ filename: 'b.whl', loaded: 1_000_000, total: 1_000_000, done: true });
  // Line wrap off while it is drawn (ESC[?7l ... ESC[?7h): cut at a narrow terminal's edge, never wrapped.
  expect(written.at(-1)).toBe('\r\x1b[K\x1b[?7lDownloading 1 of 2 files ━━━━━━━━━━━━━━━╸     1.5/2.0 MB\x1b[?7h');
  expect(reported.at(-1)).toEqual({ files: 2, done: 1, loaded: 1_500_000, total: 2_000_000 });
  meter.clear();
  expect(written.at(-1)).toBe('\r\x1b[K');
  meter.finish();
  expect(reported.at(-1)).toBeNull();
});

test('updates closer than 100 ms are not drawn (each one crosses to the page)', () => {
  const written: string[] = [];
  const meter = new DownloadMeter((s) => written.push(s), () => {}, () => 1000);
  meter.update({ filename: 'a.whl', loaded: 1, total: 10, done: false });
  meter.update({ filename: 'a.whl', loaded: 2, total: 10, done: false });
  expect(written).toHaveLength(1);
});

test('without a terminal (a pipe, a file) nothing is drawn; the page still hears', () => {
  const reported: unknown[] = [];
  const meter = new DownloadMeter(null, (a) => reported.push(a));
  meter.update({ filename: 'a.whl', loaded: 5, total: null, done: true });
  expect(reported).toEqual([{ files: 1, done: 1, loaded: 5, total: null }]);
  expect(formatActivity({ files: 1, done: 1, loaded: 5, total: null })).toBe('Downloading 1 of 1 file ━━━━━━━━━━━━━━━━━━━━ 0.0 MB');
});

test('after the command ends, late events (prefetches still landing) draw nothing', () => {
  const written: string[] = [];
  const meter = new DownloadMeter((s) => written.push(s), () => {});
  meter.finish();
  meter.update({ filename: 'late.whl.metadata', loaded: 10, total: 10, done: true });
  expect(written).toEqual([]);
});
