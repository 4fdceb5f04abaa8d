/**
 * Raw DEFLATE (RFC 1951) through the platform's CompressionStream / DecompressionStream
 * (browsers and Node 20 alike), with a byte budget on the way out.
 *
 * A link is data from anyone, and DEFLATE expands up to about 1000:1: 256 kB of link could
 * unpack to 250 MB. So unpacking is streamed and stops as soon as the output passes the
 * budget, holding at most the budget plus one chunk (16 kB in Node) at any time.
 */

import { deflateSync, Inflate } from 'fflate';

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
  return { kind: 'ok', bytes: concat(chunks, total) };
}

/**
 * Raw DEFLATE with a preset dictionary (v2 links, link-dictionary.ts): the stream may refer back
 * into `dictionary` as if it came first. The platform's CompressionStream has no dictionary;
 * fflate's deflate has.
 */
export function deflateRawWithDictionary(bytes: Uint8Array, dictionary: Uint8Array): Uint8Array {
  return deflateSync(bytes, { level: 9, mem: 8, dictionary });
}

/**
 * Unpack raw DEFLATE made with `dictionary`, giving up as soon as more than `maxBytes` come out:
 * the input goes in 512-byte slices (DEFLATE expands at most about 1032:1, so one slice makes at
 * most about 530 kB), and unpacking stops at the first slice past the budget.
 */
export function inflateRawWithDictionary(bytes: Uint8Array, dictionary: Uint8Array, maxBytes: number): InflateResult {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate({ dictionary }, (chunk) => {
    total += chunk.length;
    if (total <= maxBytes) chunks.push(chunk);
  });
  try {
    for (let at = 0; at < bytes.length || at === 0; at += 512) {
      const end = Math.min(at + 512, bytes.length);
      inflater.push(bytes.subarray(at, end), end >= bytes.length);
      if (total > maxBytes) return { kind: 'over-budget', inflated: total };
      if (end >= bytes.length) break;
    }
  } catch (e) {
    return { kind: 'corrupt', detail: e instanceof Error ? e.message : String(e) };
  }
  return { kind: 'ok', bytes: concat(chunks, total) };
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
