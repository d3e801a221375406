import { describe, expect, it, vi } from 'vitest';
import { clearForOutbound } from '../../core/outbound';
import { ProxyEngine, type ProxyEngineOptions, type ProxyMeasurement } from './engine';
import { ProxyError, formatWait, parseRetryAfter } from './errors';
import { parseChunk } from './chunks';

const enc = new TextEncoder();
const msgs = clearForOutbound([{ role: 'user', content: 'hello' }]);

const chunk = (content: string, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: null }], ...extra })}\n\n`;
const finish = (reason = 'stop') => `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: reason }] })}\n\n`;
const usage = (p: number, c: number) => `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: p, completion_tokens: c } })}\n\n`;
const DONE = 'data: [DONE]\n\n';

/** A body stream the test pushes into; `error()` breaks it like a dropped connection. */
function controlledBody() {
  let ctl!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (ctl = c) });
  return {
    stream,
    push: (s: string) => ctl.enqueue(enc.encode(s)),
    close: () => ctl.close(),
    error: (e: unknown = new TypeError('network error')) => ctl.error(e),
  };
}

function sse(parts: string[], headers: Record<string, string> = {}) {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of parts) c.enqueue(enc.encode(p));
      c.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8', ...headers } });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A clock that advances 10 ms per read, so timings are deterministic. */
function stepClock(step = 10) {
  let t = 1000;
  return () => (t += step);
}

function engine(fetchImpl: typeof fetch, extra: Partial<ProxyEngineOptions> = {}) {
  return new ProxyEngine({ baseUrl: 'http://proxy.test/', tier: 'cloud', fetch: fetchImpl, isOnline: () => true, now: stepClock(), ...extra });
}

async function failure(p: Promise<unknown>): Promise<ProxyError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ProxyError);
    return e as ProxyError;
  }
  throw new Error('expected a ProxyError');
}

describe('ProxyEngine request', () => {
  it('posts an OpenAI streaming body with tier, usage, token and cleared messages', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () => sse([chunk('Hi'), finish(), DONE]));
    const e = engine(fetchMock, { token: 'tok-1', tier: 'edge', fallover: false });
    expect(e.info).toEqual({ kind: 'proxy', modelId: 'auto', device: 'edge', contextWindow: 32768 });
    await e.chat({ messages: msgs, maxTokens: 64, temperature: 0.2, logprobs: true });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('http://proxy.test/v1/chat/completions');
    expect(init?.method).toBe('POST');
    const h = init?.headers as Record<string, string>;
    expect(h.authorization).toBe('Bearer tok-1');
    expect(h['content-type']).toBe('application/json');
    expect(JSON.parse(String(init?.body))).toEqual({
      model: 'auto', messages: [{ role: 'user', content: 'hello' }], stream: true,
      stream_options: { include_usage: true }, tier: 'edge', fallover: false, max_tokens: 64, temperature: 0.2,
      logprobs: true, top_logprobs: 5,
    });
  });

  it('same-origin base URL gives a relative path and no Authorization without a token', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () => sse([finish(), DONE]));
    await engine(fetchMock, { baseUrl: '' }).chat({ messages: msgs });
    expect(fetchMock.mock.calls[0][0]).toBe('/v1/chat/completions');
    expect((fetchMock.mock.calls[0][1]?.headers as Record<string, string>).authorization).toBeUndefined();
  });
});

describe('ProxyEngine streaming', () => {
  it('streams tokens, reads usage and headers, measures TTFT and tokens/s', async () => {
    const tokens: string[] = [];
    const seen: ProxyMeasurement[] = [];
    const fetchMock = vi.fn<typeof fetch>(async () =>
      sse([chunk('Hel'), chunk('lo'), chunk(' there', {}), finish('length'), usage(12, 3), DONE],
        { 'x-edgewise-tier': 'edge', 'x-edgewise-upstream': 'edge/openai', 'x-request-id': 'r1' }));
    let t = 0;
    const times = [0, 100, 150, 200, 250]; // t0, first, second, third token, end
    const r = await engine(fetchMock, { now: () => times[Math.min(t++, times.length - 1)], onMeasured: (m) => seen.push(m) })
      .chat({ messages: msgs, onToken: (d) => tokens.push(d) });
    expect(tokens).toEqual(['Hel', 'lo', ' there']);
    expect(r.text).toBe('Hello there');
    expect(r.finishReason).toBe('length');
    expect(r.tier).toBe('edge');
    expect(r.upstream).toBe('edge/openai');
    expect(r.requestId).toBe('r1');
    expect(r.usage.promptTokens).toBe(12);
    expect(r.usage.outputTokens).toBe(3);
    expect(r.usage.timeToFirstTokenMs).toBe(100);
    // (3 − 1) tokens over 100 ms between first and last token.
    expect(r.usage.decodeTps).toBeCloseTo(20);
    expect(r.usage.totalMs).toBe(250);
    expect(seen).toEqual([{ tier: 'edge', ttftMs: 100, tokensPerSec: 20 }]);
  });

  it('handles events split across reads and CRLF line endings', async () => {
    const whole = chunk('ab').replace(/\n/g, '\r\n') + chunk('cd') + DONE;
    const parts = [whole.slice(0, 7), whole.slice(7, 30), whole.slice(30)];
    const r = await engine(async () => sse(parts)).chat({ messages: msgs });
    expect(r.text).toBe('abcd');
    expect(r.finishReason).toBe('stop');
    expect(r.usage.outputTokens).toBe(2); // counted chunks when the server sends no usage
  });

  it('maps log-probs with entropy', async () => {
    const lp = { content: [{ token: 'Hi', logprob: -0.1, top_logprobs: [{ token: 'Hi', logprob: -0.1 }, { token: 'Yo', logprob: -2.4 }] }] };
    const body = `data: ${JSON.stringify({ choices: [{ delta: { content: 'Hi' }, logprobs: lp, finish_reason: null }] })}\n\n`;
    const r = await engine(async () => sse([body, finish(), DONE])).chat({ messages: msgs, logprobs: true });
    expect(r.logprobs).toHaveLength(1);
    expect(r.logprobs![0].token).toBe('Hi');
    expect(r.logprobs![0].entropy).toBeGreaterThan(0);
  });

  it('a mid-stream error event → stream-broken with the partial text', async () => {
    const err = `data: ${JSON.stringify({ error: { message: 'Upstream failed', type: 'upstream_error', code: 'upstream_stream_error' } })}\n\n`;
    const e = await failure(engine(async () => sse([chunk('Part '), chunk('one'), err, DONE])).chat({ messages: msgs }));
    expect(e.code).toBe('stream-broken');
    expect(e.partialText).toBe('Part one');
    expect(e.userMessage).toMatch(/kept/);
    expect(e.message).toContain('upstream_stream_error');
  });

  it('a dropped connection → stream-broken with the partial text', async () => {
    const b = controlledBody();
    const p = engine(async () => new Response(b.stream, { headers: { 'content-type': 'text/event-stream' } })).chat({ messages: msgs });
    b.push(chunk('Half an ans'));
    await Promise.resolve();
    b.error();
    const e = await failure(p);
    expect(e.code).toBe('stream-broken');
    expect(e.partialText).toBe('Half an ans');
  });

  it('going offline mid-stream ends a hanging stream at once → stream-broken with the partial text', async () => {
    const b = controlledBody(); // never closes or errors by itself, like a dead connection
    let goOffline!: () => void;
    const p = engine(async () => new Response(b.stream, { headers: { 'content-type': 'text/event-stream' } }), {
      onOffline: (l) => ((goOffline = l), () => {}),
    }).chat({ messages: msgs });
    b.push(chunk('Half an ans'));
    await vi.waitFor(() => expect(goOffline).toBeTypeOf('function'));
    await new Promise((r) => setTimeout(r, 0));
    goOffline();
    const e = await failure(p);
    expect(e.code).toBe('stream-broken');
    expect(e.userMessage).toMatch(/went offline/);
    expect(e.partialText).toBe('Half an ans');
  });

  it('a stream that ends without [DONE] or a finish reason → stream-broken', async () => {
    const e = await failure(engine(async () => sse([chunk('cut')])).chat({ messages: msgs }));
    expect(e.code).toBe('stream-broken');
    expect(e.partialText).toBe('cut');
  });

  it('a stream with a finish reason but no [DONE] is complete', async () => {
    const r = await engine(async () => sse([chunk('ok'), finish()])).chat({ messages: msgs });
    expect(r.text).toBe('ok');
    expect(r.finishReason).toBe('stop');
  });

  it('garbage in an event → bad-response; HTML instead of SSE → bad-response', async () => {
    const e1 = await failure(engine(async () => sse([chunk('x'), 'data: {nope\n\n'])).chat({ messages: msgs }));
    expect(e1.code).toBe('bad-response');
    expect(e1.partialText).toBe('x');
    const e2 = await failure(engine(async () => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } })).chat({ messages: msgs }));
    expect(e2.code).toBe('bad-response');
  });
});

describe('ProxyEngine abort', () => {
  it('abort mid-stream returns the text so far with finishReason abort and does not report a measurement', async () => {
    const b = controlledBody();
    const ctl = new AbortController();
    const onMeasured = vi.fn();
    const tokens: string[] = [];
    // A fetch whose body ignores the signal: the engine must cancel the read itself.
    const p = engine(async () => new Response(b.stream, { headers: { 'content-type': 'text/event-stream' } }), { onMeasured })
      .chat({ messages: msgs, signal: ctl.signal, onToken: (d) => tokens.push(d) });
    b.push(chunk('So far'));
    await vi.waitFor(() => expect(tokens).toEqual(['So far']));
    ctl.abort();
    const r = await p;
    expect(r.finishReason).toBe('abort');
    expect(r.text).toBe('So far');
    expect(onMeasured).not.toHaveBeenCalled();
  });

  it('abort before the response arrives resolves with abort; an already aborted signal makes no request', async () => {
    const ctl = new AbortController();
    const fetchMock = vi.fn<typeof fetch>((_u, init) => new Promise((_res, rej) => {
      init?.signal?.addEventListener('abort', () => rej(new DOMException('aborted', 'AbortError')));
    }));
    const p = engine(fetchMock).chat({ messages: msgs, signal: ctl.signal });
    ctl.abort();
    expect((await p).finishReason).toBe('abort');

    const fetch2 = vi.fn<typeof fetch>();
    const r = await engine(fetch2).chat({ messages: msgs, signal: AbortSignal.abort() });
    expect(r).toMatchObject({ finishReason: 'abort', text: '' });
    expect(fetch2).not.toHaveBeenCalled();
  });
});

describe('ProxyEngine errors', () => {
  it('offline → offline error and no request', async () => {
    const fetchMock = vi.fn<typeof fetch>();
    const e = await failure(engine(fetchMock, { isOnline: () => false }).chat({ messages: msgs }));
    expect(e.code).toBe('offline');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('a network failure → unreachable (or offline if the browser went offline meanwhile)', async () => {
    const down = async () => { throw new TypeError('Failed to fetch'); };
    expect((await failure(engine(down).chat({ messages: msgs }))).code).toBe('unreachable');
    let online = true;
    const dropping = async () => { online = false; throw new TypeError('Failed to fetch'); };
    expect((await failure(engine(dropping, { isOnline: () => online }).chat({ messages: msgs }))).code).toBe('offline');
  });

  it('429 → rate-limited and says when to retry', async () => {
    const e = await failure(engine(async () => json(429, { error: { message: 'slow down', type: 'rate_limit_error', code: 'rate_limited' } }, { 'retry-after': '30' }))
      .chat({ messages: msgs }));
    expect(e.code).toBe('rate-limited');
    expect(e.status).toBe(429);
    expect(e.retryAfterSec).toBe(30);
    expect(e.userMessage).toMatch(/Try again in 30 s/);
    const e2 = await failure(engine(async () => json(429, { error: { code: 'budget_exceeded' } })).chat({ messages: msgs }));
    expect(e2.userMessage).toMatch(/usage limit/);
    expect(e2.retryAfterSec).toBeUndefined();
  });

  it('503 tier_not_configured → not-configured; other 503 → http', async () => {
    const e = await failure(engine(async () => json(503, { error: { message: 'x', code: 'tier_not_configured' } })).chat({ messages: msgs }));
    expect(e.code).toBe('not-configured');
    expect(e.userMessage).toMatch(/No cloud model/);
    const e2 = await failure(engine(async () => json(503, { error: { code: 'limits_unavailable' } })).chat({ messages: msgs }));
    expect(e2.code).toBe('http');
    expect(e2.status).toBe(503);
  });

  it('422 sensitive_content → sensitive-content; 502 and a non-JSON error body → http', async () => {
    const e = await failure(engine(async () => json(422, { error: { code: 'sensitive_content', message: 'Refused: …' } })).chat({ messages: msgs }));
    expect(e.code).toBe('sensitive-content');
    expect(e.serverCode).toBe('sensitive_content');
    const e2 = await failure(engine(async () => new Response('Bad gateway', { status: 502 })).chat({ messages: msgs }));
    expect(e2.code).toBe('http');
    expect(e2.status).toBe(502);
    expect(e2.userMessage).toMatch(/502/);
  });
});

describe('helpers', () => {
  it('parseRetryAfter reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('12')).toBe(12);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:01:00 GMT', now)).toBe(60);
    expect(formatWait(30)).toBe('30 s');
    expect(formatWait(600)).toBe('10 min');
  });

  it('parseChunk tolerates empty choices and odd usage', () => {
    expect(parseChunk('[DONE]')).toEqual({ kind: 'done' });
    expect(parseChunk('{"choices":[]}')).toMatchObject({ kind: 'chunk', delta: '', usage: null });
    expect(parseChunk('{"usage":{"completion_tokens":"3"}}')).toMatchObject({ usage: null });
    expect(parseChunk('42')).toEqual({ kind: 'invalid' });
  });
});
