import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { chatBody, harness, post, sseData, UPSTREAM_KEY, type Harness } from './test-utils.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const client = (url: string, apiKey = 'client-token-not-used') => new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0 });

describe('pass-through with the official openai client', () => {
  it('non-streaming', async () => {
    h = await harness();
    h.cloud.set({ tokens: ['Hi', ' there'] });
    const r = await client(h.url).chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hello' }] });
    expect(r.choices[0].message.content).toBe('Hi there');
    expect(r.usage?.completion_tokens).toBe(2);
    const req = h.cloud.requests[0];
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.json.model).toBe('mock-cloud');
    expect(req.json.max_tokens).toBe(4096); // clamp applied as default
    expect(req.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
  });

  it('streaming, chunk by chunk, with usage', async () => {
    h = await harness();
    h.cloud.set({ tokens: ['a', 'b', 'c', 'd'], tokensPerSec: 200 });
    const stream = await client(h.url).chat.completions.create({
      model: 'mock-cloud', messages: [{ role: 'user', content: 'hello' }], stream: true, stream_options: { include_usage: true },
    });
    const parts: string[] = [];
    let usage;
    for await (const ch of stream) {
      if (ch.choices[0]?.delta?.content) parts.push(ch.choices[0].delta.content);
      if (ch.usage) usage = ch.usage;
    }
    expect(parts).toEqual(['a', 'b', 'c', 'd']);
    expect(usage?.completion_tokens).toBe(4);
    expect(h.cloud.requests[0].json.stream_options).toEqual({ include_usage: true });
  });

  it('streams without buffering: the first token arrives before the upstream has finished', async () => {
    h = await harness();
    h.cloud.set({ tokens: ['first', 'x', 'y', 'z'], tokensPerSec: 4 }); // 250 ms per token after the first
    const t0 = performance.now();
    const res = await post(`${h.url}/v1/chat/completions`, chatBody({ stream: true }));
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('content-encoding')).toBeNull();
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let seen = '';
    while (!seen.includes('first')) seen += dec.decode((await reader.read()).value);
    expect(performance.now() - t0).toBeLessThan(500); // the whole answer takes ≥ 750 ms
    await reader.cancel();
  });

  it('max_tokens is clamped to MAX_TOKENS_CAP and unknown client headers are not forwarded', async () => {
    h = await harness({ MAX_TOKENS_CAP: '100' });
    const res = await post(`${h.url}/v1/chat/completions`, chatBody({ max_tokens: 5000 }), {
      authorization: 'Bearer client-secret-value', cookie: 'a=b', 'x-custom': 'zzz',
    });
    expect(res.status).toBe(200);
    const req = h.cloud.requests[0];
    expect(req.json.max_tokens).toBe(100);
    expect(req.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(JSON.stringify(req.headers)).not.toContain('client-secret-value');
    expect(req.headers.cookie).toBeUndefined();
    expect(req.headers['x-custom']).toBeUndefined();
    expect(Object.keys(req.json).sort()).toEqual(['max_tokens', 'messages', 'model', 'stream']);
  });
});

describe('abort, retry, fall-over, mid-stream failure', () => {
  it('a client disconnect aborts the upstream request within a fraction of a second', async () => {
    h = await harness();
    h.cloud.set({ tokens: Array.from({ length: 1000 }, (_, i) => `t${i} `), tokensPerSec: 20 });
    const ac = new AbortController();
    const closed = h.cloud.nextClose();
    const stream = await client(h.url).chat.completions.create(
      { model: 'auto', messages: [{ role: 'user', content: 'long answer please' }], stream: true }, { signal: ac.signal });
    let n = 0;
    let abortedAt = 0;
    try {
      for await (const ch of stream) {
        if (ch.choices[0]?.delta?.content && ++n === 2) {
          abortedAt = performance.now();
          ac.abort();
        }
      }
    } catch {
      /* the client sees an abort error */
    }
    const ev = await closed;
    expect(ev.at - abortedAt).toBeLessThan(500);
    // health: in-flight returns to 0 and the cancel is not counted as an error
    const ping = await (await fetch(`${h.url}/v1/ping`)).json();
    expect(ping.tiers.cloud.inFlight).toBe(0);
    expect(ping.tiers.cloud.errorRate).toBe(0);
  });

  it('a client disconnect while waiting for the first byte aborts the upstream too', async () => {
    h = await harness();
    h.cloud.set({ hang: true });
    const ac = new AbortController();
    const got = h.cloud.nextRequest();
    const closed = h.cloud.nextClose();
    const res = fetch(`${h.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chatBody({ stream: true })), signal: ac.signal,
    }).catch(() => null);
    await got;
    ac.abort();
    await res;
    await closed;
  });

  it('retries on 503 before the first byte, then succeeds on the same tier', async () => {
    h = await harness();
    h.cloud.enqueue({ status: 503 });
    const res = await post(`${h.url}/v1/chat/completions`, chatBody({ stream: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-edgewise-tier')).toBe('cloud');
    const data = await sseData(res);
    expect(data.at(-1)).toBe('[DONE]');
    expect(h.cloud.requests.length).toBe(2);
  });

  it('falls over to the edge tier when the cloud keeps failing (429/5xx/timeout) before the first byte', async () => {
    h = await harness({ UPSTREAM_RETRIES: '1', UPSTREAM_TIMEOUT_MS: '200' });
    h.cloud.set({ status: 429 });
    h.edge.set({ tokens: ['from', ' edge'] });
    const r = await client(h.url).chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(r.data.choices[0].message.content).toBe('from edge');
    expect(r.response.headers.get('x-edgewise-tier')).toBe('edge');
    expect(h.cloud.requests.length).toBe(2);
    expect(h.edge.requests[0].json.model).toBe('mock-edge');
    expect(h.edge.requests[0].headers.authorization).toBeUndefined();

    // timeout before the first byte also falls over
    h.cloud.set({ headersDelayMs: 5000 });
    const t0 = performance.now();
    const res = await post(`${h.url}/v1/chat/completions`, chatBody({ stream: true }));
    expect(res.headers.get('x-edgewise-tier')).toBe('edge');
    await res.text();
    expect(performance.now() - t0).toBeLessThan(1500); // 2 attempts × 200 ms timeout + backoff
  });

  it('does not fall over edge → cloud unless asked, and never after the first byte', async () => {
    h = await harness({ UPSTREAM_RETRIES: '0', UPSTREAM_TIMEOUT_MS: '300' });
    h.edge.set({ status: 500 });
    let res = await post(`${h.url}/v1/chat/completions`, chatBody({ tier: 'edge' }));
    expect(res.status).toBe(502);
    expect((await res.json()).error.code).toBe('upstream_unavailable');
    expect(h.cloud.requests.length).toBe(0);
    res = await post(`${h.url}/v1/chat/completions`, chatBody({ tier: 'edge', fallover: true }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-edgewise-tier')).toBe('cloud');
    await res.text();

    // failure after the first byte: no retry, an SSE error event instead
    h.edge.set({ tokens: ['x', 'y', 'z'], tokensPerSec: 200, dropAfterTokens: 1 });
    res = await post(`${h.url}/v1/chat/completions`, chatBody({ tier: 'edge', fallover: true, stream: true }));
    const data = await sseData(res);
    expect(h.cloud.requests.length).toBe(1);
    expect(JSON.parse(data.at(-1)!).error.code).toBe('upstream_stream_error');
    expect(data).not.toContain('[DONE]');
  });

  it('an upstream failure mid-stream becomes a well-formed SSE error event, and never [DONE]', async () => {
    h = await harness();
    h.cloud.set({ tokens: ['one', ' two', ' three', ' four'], tokensPerSec: 500, dropAfterTokens: 2 });
    const res = await post(`${h.url}/v1/chat/completions`, chatBody({ stream: true }));
    expect(res.status).toBe(200);
    const data = await sseData(res);
    for (const d of data) expect(() => JSON.parse(d)).not.toThrow();
    expect(data).not.toContain('[DONE]');
    const err = JSON.parse(data.at(-1)!).error;
    expect(err).toMatchObject({ type: 'upstream_error', code: 'upstream_stream_error' });
    expect(typeof err.message).toBe('string');
    expect(JSON.stringify(data)).not.toContain(UPSTREAM_KEY);

    // and the openai client surfaces it as an error
    const stream = await client(h.url).chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'x' }], stream: true });
    await expect((async () => {
      for await (const _ of stream) { /* drain */ }
    })()).rejects.toThrow(/mid-stream/);
    const ping = await (await fetch(`${h.url}/v1/ping`)).json();
    expect(ping.tiers.cloud.errorRate).toBeGreaterThan(0);
  });

  it('upstream error bodies (which may echo keys) are never passed on', async () => {
    h = await harness({ UPSTREAM_RETRIES: '0' });
    h.cloud.set({ status: 401, errorBody: JSON.stringify({ error: { message: `Incorrect API key provided: ${UPSTREAM_KEY}` } }) });
    h.edge.set({ status: 400, errorBody: `bad ${UPSTREAM_KEY}` });
    const res = await post(`${h.url}/v1/chat/completions`, chatBody());
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text).not.toContain(UPSTREAM_KEY);
    expect(JSON.parse(text).error.code).toBe('upstream_rejected');
    expect(h.logs.join('\n')).not.toContain(UPSTREAM_KEY);
  });
});

describe('endpoints', () => {
  it('/v1/ping reports per-tier health learned from real responses', async () => {
    h = await harness();
    let ping = await fetch(`${h.url}/v1/ping`);
    expect(ping.headers.get('cache-control')).toBe('no-store');
    let j = await ping.json();
    expect(typeof j.time).toBe('number');
    expect(j.tiers.cloud).toMatchObject({ configured: true, healthy: true, ttftMsEwma: null, inFlight: 0, errorRate: 0 });
    h.cloud.set({ ttftMs: 60, tokens: ['a', 'b', 'c', 'd', 'e', 'f'], tokensPerSec: 100 });
    const res = await post(`${h.url}/v1/chat/completions`, chatBody({ stream: true }));
    await res.text();
    j = await (await fetch(`${h.url}/v1/ping`)).json();
    expect(j.tiers.cloud.ttftMsEwma).toBeGreaterThanOrEqual(55);
    expect(j.tiers.cloud.tokensPerSecEwma).toBeGreaterThan(30);
    expect(j.tiers.cloud.tokensPerSecEwma).toBeLessThan(200);
    expect(j.tiers.edge.ttftMsEwma).toBeNull();
  });

  it('/v1/models, /healthz, unknown routes, wrong method', async () => {
    h = await harness();
    const m = await (await fetch(`${h.url}/v1/models`)).json();
    expect(m.data.map((x: { id: string }) => x.id)).toEqual(['auto', 'mock-cloud', 'mock-edge']);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    const nf = await fetch(`${h.url}/v1/nope`);
    expect(nf.status).toBe(404);
    expect((await nf.json()).error.code).toBe('not_found');
    const get = await fetch(`${h.url}/v1/chat/completions`);
    expect(get.status).toBe(405);
    expect((await get.json()).error).toHaveProperty('type');
  });

  it('with no cloud configured: ping says so and chat → 503 tier_not_configured', async () => {
    h = await harness({}, { noCloud: true, noEdge: true });
    const j = await (await fetch(`${h.url}/v1/ping`)).json();
    expect(j.tiers.cloud.configured).toBe(false);
    expect(j.tiers.cloud.healthy).toBe(false);
    const res = await post(`${h.url}/v1/chat/completions`, chatBody());
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('tier_not_configured');
  });

  it('logs one line per request with id, route, status, latency, tokens — never content or keys', async () => {
    h = await harness();
    const secret = 'my very private message 12345';
    await (await post(`${h.url}/v1/chat/completions`, chatBody({ messages: [{ role: 'user', content: secret }] }), { 'x-request-id': 'req-abc' })).text();
    await (await post(`${h.url}/v1/chat/completions`, chatBody({ stream: true, messages: [{ role: 'user', content: secret }] }))).text();
    await (await post(`${h.url}/v1/chat/completions`, { messages: [{ role: 'user', content: secret }], model: 42 })).text();
    expect(h.logs.length).toBe(3);
    const lines = h.logs.map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ id: 'req-abc', route: '/v1/chat/completions', status: 200, tier: 'cloud', completion_tokens: 5, prompt_tokens: 7 });
    expect(typeof lines[0].ms).toBe('number');
    expect(lines[1]).toMatchObject({ status: 200, stream: true, completion_tokens: 5 });
    expect(lines[2]).toMatchObject({ status: 400, code: 'invalid_request' });
    const all = h.logs.join('\n');
    expect(all).not.toContain('private message');
    expect(all).not.toContain(UPSTREAM_KEY);
  });
});
