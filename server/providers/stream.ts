// An upstream SSE body as a ChunkSource: bytes → SseParser (linear, capped)
// → one provider-specific translation per event → StreamItems.

import { SseEventTooLarge, SseParser, type SseEvent } from '../sse.ts';
import type { ByteReader, ChunkSource, StreamItem } from './types.ts';

export type Translate = (ev: SseEvent, out: StreamItem[]) => void;

export function sseSource(reader: ByteReader, maxEventChars: number, translate: Translate): ChunkSource {
  const parser = new SseParser(maxEventChars);
  let over = false;
  return {
    async next() {
      if (over) return null;
      const bytes = await reader.read();
      if (bytes === null) {
        over = true;
        return null; // an event cut off mid-way is dropped: no [DONE] → the relay reports it
      }
      const out: StreamItem[] = [];
      let events: SseEvent[];
      try {
        events = parser.push(bytes);
      } catch (e) {
        if (!(e instanceof SseEventTooLarge)) throw e;
        over = true;
        reader.cancel();
        out.push({ type: 'error', code: 'upstream_event_too_large', message: `The upstream sent an event larger than ${e.limit} characters` });
        return out;
      }
      for (const ev of events) translate(ev, out);
      return out;
    },
    cancel() {
      over = true;
      reader.cancel();
    },
    release() {
      over = true;
      if (reader.release) reader.release();
      else reader.cancel();
    },
  };
}

export const DONE_ITEM: StreamItem = { type: 'done' };

export function badEvent(providerId: string, what: string): StreamItem {
  return { type: 'error', code: 'upstream_bad_response', message: `Upstream ${providerId} sent ${what} mid-stream` };
}

/** Never the upstream's own words: they may echo keys or content. */
export function upstreamErrorEvent(providerId: string): StreamItem {
  return { type: 'error', code: 'upstream_stream_error', message: `Upstream ${providerId} reported an error mid-stream` };
}
