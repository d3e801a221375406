import { describe, expect, it } from 'vitest';
import type { ChunkSource, StreamItem } from '../providers/types.ts';
import { textStream } from '../web.ts';
import { relay, type RelayEnd } from './relay.ts';

const stillHere = { gone: false, onGone: () => () => {} };

const chunk = (content: string, extra: Record<string, unknown> = {}): StreamItem =>
  ({ type: 'chunk', chunk: { id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: null }], ...extra } });
const usageChunk: StreamItem = { type: 'chunk', chunk: { id: 'c1', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 4, completion_tokens: 9 } } };

/** A source that hands out `batches` in order, then ends (or hangs when `hang`). */
function source(batches: (StreamItem[] | 'throw')[], hang = false): ChunkSource & { released: boolean; cancelled: boolean } {
  const s = {
    released: false,
    cancelled: false,
    next: async (): Promise<StreamItem[] | null> => {
      const b = batches.shift();
      if (b === 'throw') throw new Error('socket hang up');
      if (b) return b;
      if (hang) return new Promise(() => {});
      return null;
    },
    cancel() {
      s.cancelled = true;
    },
    release() {
      s.released = true;
    },
  };
  return s;
}

async function run(src: ChunkSource, first: StreamItem[], opts: { clientWantsUsage?: boolean; idleMs?: number } = {}) {
  let end: RelayEnd | undefined;
  let aborted = false;
  const body = textStream(relay({
    source: src, first, providerId: 'cloud/test', clientWantsUsage: opts.clientWantsUsage ?? false, idleMs: opts.idleMs ?? 60_000,
    link: stillHere, abort: () => (aborted = true), onEnd: (e) => (end = e),
  }));
  const text = await new Response(body).text();
  const events = text.split('\n\n').filter(Boolean);
  return { text, events, end: end!, aborted };
}

describe('relay', () => {
  it('re-serializes chunks, ends with [DONE], releases the upstream, reports usage and counts', async () => {
    const src = source([[chunk('lo'), chunk('', { usage: null })], [usageChunk, { type: 'done' }]]);
    const r = await run(src, [chunk('Hel')]);
    expect(r.events.map((e) => e.slice(0, 6))).toEqual(['data: ', 'data: ', 'data: ', 'data: ']);
    expect(r.events.at(-1)).toBe('data: [DONE]');
    expect(r.text).not.toContain('usage'); // the client did not ask: usage: null removed, usage chunk dropped
    expect(r.end).toMatchObject({ ok: true, contentChunks: 2, contentChars: 5, usage: { prompt_tokens: 4, completion_tokens: 9 } });
    expect(src.released).toBe(true);
  });

  it('keeps the usage chunk for a client that asked', async () => {
    const r = await run(source([[usageChunk, { type: 'done' }]]), [chunk('a')], { clientWantsUsage: true });
    expect(JSON.parse(r.events[1].slice(6)).usage).toEqual({ prompt_tokens: 4, completion_tokens: 9 });
  });

  it.each([
    ['the body ends without done', [[chunk('a')]] as (StreamItem[] | 'throw')[], 'upstream_stream_error', /ended the stream early/],
    ['the connection breaks', [[chunk('a')], 'throw'] as (StreamItem[] | 'throw')[], 'upstream_stream_error', /failed mid-stream/],
    ['an error item', [[chunk('a'), { type: 'error', code: 'upstream_event_too_large', message: 'too big' }, chunk('never')]] as (StreamItem[] | 'throw')[], 'upstream_event_too_large', /too big/],
  ])('%s → our error event last, no [DONE]', async (_n, batches, code, message) => {
    const r = await run(source(batches), [chunk('x')]);
    expect(r.text).not.toContain('[DONE]');
    expect(r.text).not.toContain('never');
    const last = JSON.parse(r.events.at(-1)!.slice(6));
    expect(last.error.code).toBe(code);
    expect(last.error.message).toMatch(message);
    expect(r.end).toMatchObject({ ok: false, code });
  });

  it('a stall past idleMs aborts the upstream and ends with upstream_timeout, no [DONE]', async () => {
    let failPending: (e: Error) => void = () => {};
    const src: ChunkSource = {
      next: () => new Promise<StreamItem[] | null>((_, reject) => (failPending = reject)), // silent until aborted
      cancel() {},
      release() {},
    };
    let end: RelayEnd | undefined;
    let aborted = 0;
    const body = textStream(relay({
      source: src, first: [chunk('a')], providerId: 'cloud/test', clientWantsUsage: false, idleMs: 20,
      link: stillHere,
      abort: () => {
        aborted++;
        failPending(new Error('aborted')); // as a real upstream connection does when destroyed
      },
      onEnd: (e) => (end = e),
    }));
    const text = await new Response(body).text();
    expect(aborted).toBe(1);
    expect(text).not.toContain('[DONE]');
    expect(JSON.parse(text.split('\n\n').filter(Boolean).at(-1)!.slice(6)).error).toMatchObject({ code: 'upstream_timeout', message: 'Upstream cloud/test stalled mid-stream' });
    expect(end).toMatchObject({ ok: false, code: 'upstream_timeout' });
  });
});
