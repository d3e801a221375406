// The stream relay: upstream items → SSE bytes for the client.
//
// Guarantees: every event the client receives is a complete event we
// serialized ourselves (a chunk object, `[DONE]`, or our own error event);
// a partial upstream event is never forwarded. A stream that is cut, stalls
// (STREAM_IDLE_TIMEOUT_MS), sends an oversized or garbled event, or reports an
// error ends with our error event and WITHOUT `[DONE]`, so no client can take
// a truncated answer for a complete one. The usage chunk, always requested
// upstream, reaches the client only if it asked for it.

import type { ClientLink, TextSource } from '../context.ts';
import type { ChunkSource, StreamItem, Usage } from '../providers/types.ts';

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
  link: ClientLink;
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

/** The relay's state for one stream; relay() wires it to a TextSource. */
class Relay {
  readonly end: RelayEnd = { ok: false, contentChunks: 0, contentChars: 0, lastTokenAt: 0 };
  ended = false;
  private idle: ReturnType<typeof setTimeout> | undefined;
  private stalled = false;

  constructor(private readonly o: RelayOptions) {}

  finish(ok: boolean, code?: string): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.idle);
    this.end.ok = ok;
    this.end.code = code;
    this.o.onEnd(this.end);
  }

  /** Items → the SSE text to send; ends the relay at done or an error. */
  serialize(items: StreamItem[]): string {
    let s = '';
    for (const it of items) {
      if (this.ended) break;
      if (it.type === 'done') {
        s += DONE_EVENT;
        this.o.source.release();
        this.finish(true);
      } else if (it.type === 'error') {
        s += errorEvent(it.code, it.message);
        this.o.source.cancel();
        this.finish(false, it.code);
      } else {
        s += this.chunk(it.chunk);
      }
    }
    return s;
  }

  private chunk(ch: Record<string, unknown>): string {
    const choices = ch.choices as Choice[];
    const content = choices[0]?.delta?.content;
    const e = this.end;
    if (typeof content === 'string' && content.length > 0) {
      e.contentChunks++;
      e.contentChars += content.length;
      e.lastTokenAt = performance.now();
      e.firstTokenAt ??= e.lastTokenAt;
    }
    const u = ch.usage as Partial<Usage> | null | undefined;
    if (u && typeof u.completion_tokens === 'number') {
      e.usage = { prompt_tokens: typeof u.prompt_tokens === 'number' ? u.prompt_tokens : 0, completion_tokens: u.completion_tokens };
    }
    if (!this.o.clientWantsUsage && 'usage' in ch) {
      if (choices.length === 0) return ''; // the usage-only chunk
      delete ch.usage;
    }
    return `data: ${JSON.stringify(ch)}\n\n`;
  }

  /** The next upstream items (null at the end or on a failure), under the idle timer. */
  async next(): Promise<{ items: StreamItem[] | null; broken: boolean }> {
    this.idle = setTimeout(() => {
      this.stalled = true;
      this.o.abort();
    }, this.o.idleMs);
    try {
      return { items: await this.o.source.next(), broken: false };
    } catch {
      return { items: null, broken: true };
    } finally {
      clearTimeout(this.idle);
    }
  }

  /** The upstream ended without done: the client closed, it stalled, or it broke. Returns our error event, if any. */
  stop(broken: boolean): string | null {
    const id = this.o.providerId;
    if (this.o.link.gone) {
      this.finish(false, 'client_closed');
      return null;
    }
    if (this.stalled) return this.fail('upstream_timeout', `Upstream ${id} stalled mid-stream`);
    return this.fail('upstream_stream_error', `Upstream ${id} ${broken ? 'failed mid-stream' : 'ended the stream early'}`);
  }

  private fail(code: string, message: string): string | null {
    if (this.ended) return null;
    this.finish(false, code);
    return errorEvent(code, message);
  }
}

/** The relay as SSE text pieces ('' = nothing to send yet, null = the end). */
export function relay(o: RelayOptions): TextSource {
  const r = new Relay(o);
  let first: StreamItem[] | null = o.first;
  return {
    async next() {
      if (first) {
        const s = r.serialize(first);
        first = null;
        if (s) return s;
      }
      while (!r.ended) {
        const { items, broken } = await r.next();
        if (items === null) return r.stop(broken);
        const s = r.serialize(items);
        if (s) return s;
      }
      return null;
    },
    cancel() {
      o.abort();
      o.source.cancel();
      r.finish(false, 'client_closed');
    },
  };
}
