// The stream relay: upstream items → SSE bytes for the client.
//
// Guarantees: every event the client receives is a complete event we
// serialized ourselves (a chunk object, `[DONE]`, or our own error event);
// a partial upstream event is never forwarded. A stream that is cut, stalls
// (STREAM_IDLE_TIMEOUT_MS), sends an oversized or garbled event, or reports an
// error ends with our error event and WITHOUT `[DONE]`, so no client can take
// a truncated answer for a complete one. The usage chunk, always requested
// upstream, reaches the client only if it asked for it.

import type { ChunkSource, StreamItem, Usage } from '../providers/types.ts';
import { encoder } from '../providers/types.ts';

export interface RelayEnd {
  ok: boolean;
  /** Error code, or 'client_closed'. */
  code?: string;
  usage?: Usage;
  contentChunks: number;
  contentChars: number;
  firstTokenAt?: number;
  lastTokenAt: number;
}

export interface RelayOptions {
  source: ChunkSource;
  first: StreamItem[];
  providerId: string;
  clientWantsUsage: boolean;
  idleMs: number;
  clientSignal: AbortSignal;
  /** Aborts the upstream request. */
  abort: () => void;
  onEnd: (e: RelayEnd) => void;
}

const DONE_EVENT = 'data: [DONE]\n\n';

export function errorEvent(code: string, message: string): string {
  return `data: ${JSON.stringify({ error: { message, type: 'upstream_error', param: null, code } })}\n\n`;
}

interface Delta { content?: unknown }
interface Choice { delta?: Delta }

export function relayStream(o: RelayOptions): ReadableStream<Uint8Array> {
  const end: RelayEnd = { ok: false, contentChunks: 0, contentChars: 0, lastTokenAt: 0 };
  let ended = false;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let stalled = false;

  const finish = (ok: boolean, code?: string) => {
    if (ended) return;
    ended = true;
    clearTimeout(idle);
    end.ok = ok;
    end.code = code;
    o.onEnd(end);
  };

  /** Items → the SSE text to send; ends the relay at done or an error. */
  const serialize = (items: StreamItem[]): string => {
    let s = '';
    for (const it of items) {
      if (ended) break;
      if (it.type === 'done') {
        s += DONE_EVENT;
        o.source.release();
        finish(true);
        break;
      }
      if (it.type === 'error') {
        s += errorEvent(it.code, it.message);
        o.source.cancel();
        finish(false, it.code);
        break;
      }
      const ch = it.chunk;
      const choices = ch.choices as Choice[];
      const content = choices[0]?.delta?.content;
      if (typeof content === 'string' && content.length > 0) {
        end.contentChunks++;
        end.contentChars += content.length;
        end.lastTokenAt = performance.now();
        end.firstTokenAt ??= end.lastTokenAt;
      }
      const u = ch.usage as Partial<Usage> | null | undefined;
      if (u && typeof u.completion_tokens === 'number') {
        end.usage = { prompt_tokens: typeof u.prompt_tokens === 'number' ? u.prompt_tokens : 0, completion_tokens: u.completion_tokens };
      }
      if (!o.clientWantsUsage && 'usage' in ch) {
        if (choices.length === 0) continue; // the usage-only chunk
        delete ch.usage;
      }
      s += `data: ${JSON.stringify(ch)}\n\n`;
    }
    return s;
  };

  const fail = (out: ReadableStreamDefaultController<Uint8Array>, code: string, message: string) => {
    if (ended) return;
    try {
      out.enqueue(encoder.encode(errorEvent(code, message)));
      out.close();
    } catch {
      /* cancelled meanwhile */
    }
    finish(false, code);
  };

  return new ReadableStream<Uint8Array>({
    start(out) {
      const s = serialize(o.first);
      if (s) out.enqueue(encoder.encode(s));
      if (ended) out.close();
    },
    async pull(out) {
      while (!ended) {
        idle = setTimeout(() => {
          stalled = true;
          o.abort();
        }, o.idleMs);
        let items: StreamItem[] | null;
        let broken = false;
        try {
          items = await o.source.next();
        } catch {
          items = null;
          broken = true;
        }
        clearTimeout(idle);
        if (items === null) {
          if (o.clientSignal.aborted) {
            try {
              out.close();
            } catch {
              /* cancelled */
            }
            finish(false, 'client_closed');
          } else if (stalled) fail(out, 'upstream_timeout', `Upstream ${o.providerId} stalled mid-stream`);
          else fail(out, 'upstream_stream_error', `Upstream ${o.providerId} ${broken ? 'failed mid-stream' : 'ended the stream early'}`);
          return;
        }
        const s = serialize(items);
        if (s) out.enqueue(encoder.encode(s));
        if (ended) {
          out.close();
          return;
        }
        if (s) return;
      }
    },
    cancel() {
      o.abort();
      o.source.cancel();
      finish(false, 'client_closed');
    },
  });
}
