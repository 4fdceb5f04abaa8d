/**
 * Ctrl+C's buffer as Pyodide is given it: read and cleared in one atomic step.
 *
 * CPython's Emscripten signal check (`_Py_CheckEmscriptenSignals_Helper`, Python/emscripten_signal.c,
 * in Pyodide's pyodide.asm.mjs) does `result = buffer[0]; buffer[0] = 0` as two plain steps, over and
 * over in a busy loop. A 2 the page stores between the two is overwritten, and the
 * Ctrl+C is lost: the loop runs on. Measured with a real Pyodide in a worker thread, a Ctrl+C every
 * few milliseconds on `while True: pass`: 34 of 1,000 lost (the flake seen in the e2e suite's Ctrl+C
 * steps), none with this view.
 *
 * The helper only indexes `[0]`; this proxy answers that read with `Atomics.exchange(buffer, 0, 0)`
 * (what was there, cleared in the same step) and drops the helper's write of 0 that follows, so a
 * store from the page is either read by that exchange or still there for the next check. Every
 * other property is the buffer's own. (Pyodide's `checkInterrupt()` also reads `[0]`, and through
 * this view would consume what it reads; nothing in Pipette calls it.)
 */
export function atomicInterruptView(buffer: Int32Array): Int32Array {
  return new Proxy(buffer, {
    get(target, property) {
      if (property === '0') return Atomics.exchange(target, 0, 0);
      const value: unknown = Reflect.get(target, property);
      // Typed arrays' methods check their `this`: called on the buffer, not on the proxy.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    set(target, property, value: unknown) {
      if (property === '0') {
        // The helper's clear after its read: the exchange has cleared already. Any other value is a store.
        if (value !== 0) Atomics.store(target, 0, Number(value));
        return true;
      }
      return Reflect.set(target, property, value);
    },
  });
}
