/**
 * Raw DEFLATE (RFC 1951) through the platform's CompressionStream / DecompressionStream
 * (browsers and Node 20 alike), with a byte budget on the way out.
 *
 * A link is data from anyone, and DEFLATE expands up to about 1000:1: 256 kB of link could
 * unpack to 250 MB. So unpacking is streamed and stops as soon as the output passes the
 * budget, holding at most the budget plus one chunk (16 kB in Node) at any time.
 */

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * A stream of `bytes` (Blob.stream() copies less than enqueueing by hand). Typed as what the
 * (De)CompressionStream writable takes: DOM and Node typings disagree on Blob's chunk type.
 */
function streamOf(bytes: Uint8Array): ReadableStream<BufferSource> {
  return new Blob([bytes as Uint8Array<ArrayBuffer>]).stream() as ReadableStream<BufferSource>;
}

export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  return collect(streamOf(bytes).pipeThrough(new CompressionStream('deflate-raw')));
}

export type InflateResult =
  | { readonly kind: 'ok'; readonly bytes: Uint8Array }
  /** The output passed `maxBytes`; `inflated` is how much was unpacked before stopping. */
  | { readonly kind: 'over-budget'; readonly inflated: number }
  /** Not a valid raw DEFLATE stream (or one cut short). */
  | { readonly kind: 'corrupt'; readonly detail: string };

/** Unpack `bytes`, giving up as soon as more than `maxBytes` come out. */
export async function inflateRaw(bytes: Uint8Array, maxBytes: number): Promise<InflateResult> {
  const reader = streamOf(bytes).pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        // Stop the decompressor; what it would still produce is never made.
        await reader.cancel().catch(() => undefined);
        return { kind: 'over-budget', inflated: total };
      }
      chunks.push(value);
    }
  } catch (e) {
    return { kind: 'corrupt', detail: e instanceof Error ? e.message : String(e) };
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return { kind: 'ok', bytes: out };
}
