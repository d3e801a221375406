// The pipeline on the web platform's types (Hono, edge runtimes): reading a
// request body from its stream, and a Reply as a Response.

import { concatBytes } from './bytes.ts';
import type { BodyResult, Reply, TextSource } from './context.ts';
import { encoder } from './providers/types.ts';

/** Portable body reader over the request's web stream, stopping past `limit` bytes. */
export async function readWebBody(req: Request, limit: number): Promise<BodyResult> {
  const body = req.body;
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        // Stop reading; the server adapter drains or closes the rest.
        reader.releaseLock();
        return 'too_large';
      }
      chunks.push(value);
    }
  } catch {
    return 'error';
  }
  return concatBytes(chunks, total);
}

/** SSE text pieces as a byte stream; cancelling it cancels the source. */
export function textStream(src: TextSource): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(out) {
      for (;;) {
        const s = await src.next();
        if (s === null) return out.close();
        if (s) return out.enqueue(encoder.encode(s));
      }
    },
    cancel() {
      src.cancel();
    },
  });
}

export function toResponse(r: Reply): Response {
  const body = r.body === null || typeof r.body === 'string' ? r.body : textStream(r.body);
  return new Response(body, { status: r.status, headers: r.headers });
}
