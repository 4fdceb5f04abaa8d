/**
 * `input()` in a worker: Python asks for a line synchronously, but the person types it on the
 * page. The worker blocks on a SharedArrayBuffer (Atomics.wait) after asking the page; the page
 * writes the typed line into the buffer and wakes it. Needs a cross-origin isolated page
 * (COOP/COEP headers, which `npm start` and the build's preview send); without one, input()
 * sees end of input and the person is told why.
 *
 * Layout: Int32 [0] state (0 idle, 1 waiting, 2 answered), [1] byte length (-1 = end of input,
 * -2 = Ctrl+C), then the UTF-8 bytes of the line.
 */
import type { LineAnswer } from './api';

export const STDIN_CAPACITY = 64 * 1024;
const HEADER = 8;

export interface StdinBuffers {
  readonly control: Int32Array;
  readonly data: Uint8Array;
}

/** The page creates the buffer (and the interrupt buffer) and passes it to the worker at boot. */
export function createStdinBuffers(): StdinBuffers | null {
  if (typeof SharedArrayBuffer === 'undefined' || (typeof crossOriginIsolated !== 'undefined' && !crossOriginIsolated)) return null;
  const shared = new SharedArrayBuffer(HEADER + STDIN_CAPACITY);
  return { control: new Int32Array(shared, 0, 2), data: new Uint8Array(shared, HEADER) };
}

/** Page side: answers the worker's request with a line, end of input (Ctrl+D) or Ctrl+C. */
export function answerInput(buffers: StdinBuffers, answer: LineAnswer): void {
  if (answer.kind !== 'line') {
    Atomics.store(buffers.control, 1, answer.kind === 'eof' ? -1 : -2);
  } else {
    const bytes = new TextEncoder().encode(answer.text).subarray(0, STDIN_CAPACITY);
    buffers.data.set(bytes);
    Atomics.store(buffers.control, 1, bytes.length);
  }
  Atomics.store(buffers.control, 0, 2);
  Atomics.notify(buffers.control, 0);
}

/**
 * Worker side: tells the page a line is wanted (`ask`, which must not wait for an answer),
 * then blocks until it comes.
 */
export function requestInput(buffers: StdinBuffers, ask: () => void): LineAnswer {
  Atomics.store(buffers.control, 0, 1);
  ask();
  Atomics.wait(buffers.control, 0, 1);
  const length = Atomics.load(buffers.control, 1);
  Atomics.store(buffers.control, 0, 0);
  if (length < 0) return length === -2 ? { kind: 'interrupt' } : { kind: 'eof' };
  return { kind: 'line', text: new TextDecoder().decode(buffers.data.slice(0, length)) };
}
