/**
 * Byte counts as text, one function per convention. Lives in pep/ beside terminal-text.ts for
 * the same reason: every folder that words a message (index, install, pip, shell, ui) imports
 * pep/, and nothing lower exists.
 *
 * - {@link formatSize}: pip's `format_size` (decimal, `bytes`/`kB`/`MB`), for pip's own lines.
 * - {@link humanSize}: GNU `ls -h` / `du -h` (1024-based, `K`/`M`/`G`/`T`), for the shell.
 * - {@link decimalSize}: one decimal in `kB`/`MB`/`GB` (as rich's `filesize.decimal` prints),
 *   for Pipette's own limits and the disk panel.
 */

/**
 * Python's `f"{x:.1f}"`. JS `toFixed` rounds an exact tie up, Python to even; a double is an
 * exact tie at one decimal only when 4x is an odd integer. Ex) 1.25 -> "1.2", 1.75 -> "1.8".
 */
export function pyFixed1(x: number): string {
  const quarter = x * 4;
  if (Number.isInteger(quarter) && Math.abs(quarter % 2) === 1) {
    const down = Math.floor(x * 10);
    const chosen = down % 2 === 0 ? down : down + 1;
    return (chosen / 10).toFixed(1);
  }
  return x.toFixed(1);
}

/**
 * pip's `format_size` (`utils/misc.py`): decimal units, as pip prints download sizes.
 * Ex) 512 -> "512 bytes", 1234 -> "1.2 kB", 62_000 -> "62 kB", 1_234_567 -> "1.2 MB".
 */
export function formatSize(bytes: number): string {
  if (bytes > 1000 * 1000) return `${pyFixed1(bytes / 1000.0 / 1000)} MB`;
  if (bytes > 10 * 1000) return `${Math.trunc(bytes / 1000)} kB`;
  if (bytes > 1000) return `${pyFixed1(bytes / 1000.0)} kB`;
  return `${Math.trunc(bytes)} bytes`;
}

/**
 * GNU `ls -h` / `du -h` (gnulib `human_readable`, rounding up): 1023, 1.0K, 9.9K, 10K, 1.5M. One
 * decimal below 10; a value that rounds up to 10 drops the decimal (10239 -> 10K), one that
 * rounds up to 1024 moves to the next unit (1048575 -> 1.0M).
 */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return String(bytes);
  const units = ['K', 'M', 'G', 'T', 'P', 'E'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const tenths = Math.ceil(value * 10) / 10;
  if (tenths < 10) return `${tenths.toFixed(1)}${units[unit]}`;
  const whole = Math.ceil(value);
  if (whole >= 1024 && unit < units.length - 1) return `1.0${units[unit + 1]}`;
  return `${whole}${units[unit]}`;
}

/**
 * Decimal units with one decimal, up to GB; below 1000 the count and `byteUnit`.
 * Ex) 999 -> "999 bytes", 100_000 -> "100.0 kB", 16_777_216 -> "16.8 MB", 2**30 -> "1.1 GB";
 * with byteUnit 'B': 0 -> "0 B".
 */
export function decimalSize(bytes: number, byteUnit: 'bytes' | 'B' = 'bytes'): string {
  if (bytes < 1000) return `${bytes} ${byteUnit}`;
  if (bytes < 1000 ** 2) return `${(bytes / 1000).toFixed(1)} kB`;
  if (bytes < 1000 ** 3) return `${(bytes / 1000 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1000 ** 3).toFixed(1)} GB`;
}
