/**
 * One macrotask turn, so the worker reads its messages (Ctrl+C, the next command) before going on.
 * A MessageChannel's, since nested timeouts are clamped to 4 ms in browsers.
 */
export function macrotask(): Promise<void> {
  if (typeof MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
