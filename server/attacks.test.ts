// The attack table of issue #12, as an attacker and a careless client would
// try it, against the real server and the scriptable mock upstream.

import { spawn } from 'node:child_process';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { firstNeverSendable } from './app.ts';
import { startMockUpstream, type MockBehavior, type MockUpstream } from './mock-upstream.ts';
import { startServer, type RunningServer } from './node.ts';
import {
  ANTHROPIC_KEY, UPSTREAM_KEY, awayFromMinuteBoundary, chatBody, harness, post, rawRequest, sseEvents, type Harness,
} from './test-utils.ts';

let h: Harness | undefined;
let extra: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const x of extra) await x.close();
  extra = [];
});

const CHAT = '/v1/chat/completions';
const client = (url: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: 'client-token-not-used', maxRetries: 0 });

/** A proxy whose only cloud upstream is Anthropic's Messages API (the mock). */
async function anthropicHarness(env: Record<string, string> = {}): Promise<{ url: string; up: MockUpstream; logs: string[] }> {
  const up = await startMockUpstream();
  const logs: string[] = [];
  const proxy = await startServer({
    port: 0, staticDir: null, log: (l) => logs.push(l),
    env: { ANTHROPIC_API_KEY: ANTHROPIC_KEY, ANTHROPIC_MODEL: 'claude-mock', ANTHROPIC_BASE_URL: up.url, RATE_LIMIT_PER_MIN: '0', RETRY_BACKOFF_MS: '1', ...env },
  });
  extra.push(proxy, up);
  return { url: proxy.url, up, logs };
}

/** Drains a stream with the official openai client; resolves with the error it raised (fails on a normal completion). */
async function openaiStreamError(url: string): Promise<Error> {
  const stream = await client(url).chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'tell me more' }], stream: true });
  let text = '';
  try {
    for await (const ch of stream) text += ch.choices[0]?.delta?.content ?? '';
  } catch (e) {
    return e as Error;
  }
  throw new Error(`the openai client reported a normal completion of a broken stream: ${JSON.stringify(text)}`);
}

const BROKEN: [string, MockBehavior, string][] = [
  ['cut inside an event', { tokens: ['one', ' two', ' three'], tokensPerSec: 200, cutMidEventAfterTokens: 2 }, 'upstream_stream_error'],
  ['stalled inside an event', { tokens: ['one', ' two', ' three'], tokensPerSec: 200, stallMidEventAfterTokens: 2 }, 'upstream_timeout'],
  ['stalled between events', { tokens: ['one', ' two', ' three'], tokensPerSec: 200, stallAfterTokens: 2 }, 'upstream_timeout'],
  ['ended cleanly without [DONE]', { tokens: ['one', ' two'], endWithoutDone: true }, 'upstream_stream_error'],
  ['one 3 MB event', { tokens: ['one', ' two'], hugeEventChars: 3_000_000 }, 'upstream_event_too_large'],
  ['an error event that echoes the key', { tokens: ['one', ' two'], errorEventAfterTokens: 1, errorEventMessage: `Incorrect API key provided: ${UPSTREAM_KEY}` }, 'upstream_stream_error'],
];

describe('relay: a broken stream never looks complete', () => {
  it.each(BROKEN)('OpenAI upstream %s → only whole events, our error event last, no [DONE]', async (_name, behavior, code) => {
    h = await harness({ STREAM_IDLE_TIMEOUT_MS: '300' });
    h.cloud.set(behavior);
    const res = await post(`${h.url}${CHAT}`, chatBody({ stream: true }));
    expect(res.status).toBe(200);
    const events = await sseEvents(res); // throws on any partial event
    expect(events).not.toContain('[DONE]');
    expect(events.at(-1)).toMatchObject({ error: { type: 'upstream_error', code } });
    const text = JSON.stringify(events);
    expect(text).not.toContain('never-complete');
    expect(text).not.toContain(UPSTREAM_KEY);
    expect(text).not.toContain('xxxxxxxx');
    expect(h.logs.join('\n')).not.toContain(UPSTREAM_KEY);
    // the official client raises an error, never a normal completion
    const err = await openaiStreamError(h.url);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).not.toContain(UPSTREAM_KEY);
    const ping = await (await fetch(`${h.url}/v1/ping`)).json();
    expect(ping.tiers.cloud.errorRate).toBeGreaterThan(0);
  });

  it.each(BROKEN.filter(([name]) => !name.includes('[DONE]')))('Anthropic upstream %s → the openai client raises', async (_name, behavior, code) => {
    const a = await anthropicHarness({ STREAM_IDLE_TIMEOUT_MS: '300' });
    a.up.set(behavior);
    const res = await post(`${a.url}${CHAT}`, chatBody({ stream: true }));
    const events = await sseEvents(res);
    expect(events).not.toContain('[DONE]');
    expect(events.at(-1)).toMatchObject({ error: { code } });
    expect(JSON.stringify(events)).not.toContain('never-complete');
    expect(await openaiStreamError(a.url)).toBeInstanceOf(OpenAI.APIError);
  });

  it('Anthropic stream that ends without message_stop → error, no [DONE]', async () => {
    const a = await anthropicHarness();
    a.up.set({ tokens: ['one', ' two'], endWithoutDone: true });
    const events = await sseEvents(await post(`${a.url}${CHAT}`, chatBody({ stream: true })));
    expect(events).not.toContain('[DONE]');
    expect(events.at(-1)).toMatchObject({ error: { code: 'upstream_stream_error' } });
    expect(await openaiStreamError(a.url)).toBeInstanceOf(OpenAI.APIError);
  });

  it('the oversized event is not buffered: the proxy drops the upstream connection', async () => {
    h = await harness({ MAX_UPSTREAM_EVENT_BYTES: String(64 * 1024) });
    h.cloud.set({ tokens: ['one', ' two'], hugeEventChars: 50_000_000 });
    const closed = h.cloud.nextClose();
    const events = await sseEvents(await post(`${h.url}${CHAT}`, chatBody({ stream: true })));
    expect(events.at(-1)).toMatchObject({ error: { code: 'upstream_event_too_large' } });
    await closed; // the mock had 50 MB left to write
  });

  it('a big event under the cap is relayed whole and intact', async () => {
    h = await harness({ MAX_UPSTREAM_EVENT_BYTES: String(4 * 1024 * 1024) });
    h.cloud.set({ tokens: ['one', ' two', ' three'], hugeEventChars: 3_000_000 });
    const events = await sseEvents(await post(`${h.url}${CHAT}`, chatBody({ stream: true })));
    expect(events.at(-1)).toBe('[DONE]');
    const content = events.map((e) => (e as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content ?? '').join('');
    expect(content).toBe(`one${'x'.repeat(3_000_000)} three`);
  });

  it('events are re-serialized: upstream comments, ids, event names and CRLFs do not pass', async () => {
    h = await harness();
    h.cloud.set({ tokens: ['a', 'b'], noisySse: true });
    const text = await (await post(`${h.url}${CHAT}`, chatBody({ stream: true }))).text();
    expect(text).not.toContain('\r');
    const events = text.split('\n\n').filter(Boolean);
    for (const ev of events) expect(ev).toMatch(/^data: [^\n]+$/);
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(events.map((e) => JSON.parse(e.slice(6) === '[DONE]' ? '""' : e.slice(6))?.choices?.[0]?.delta?.content ?? '').join('')).toBe('ab');
  });

  it('a huge non-stream answer is refused without buffering it (502, connection dropped, no retry)', async () => {
    h = await harness({ MAX_UPSTREAM_RESPONSE_BYTES: String(1024 * 1024) });
    h.cloud.set({ jsonContentChars: 100_000_000 });
    const closed = h.cloud.nextClose();
    const res = await post(`${h.url}${CHAT}`, chatBody());
    expect(res.status).toBe(502);
    expect((await res.json()).error.code).toBe('upstream_bad_response');
    await closed;
    expect(h.cloud.requests.length).toBe(1);
    expect(h.edge.requests.length).toBe(0);
  });
});

describe('privacy gate: every forwarded field, and the fields joined', () => {
  const CARD = '4111 1111 1111 1111';
  const KEY = 'sk-proj-abcdefghijklmnopqrstuvwx0123';
  it.each([
    ['a card number in stop', chatBody({ stop: [CARD] }), 'CREDIT_CARD'],
    ['an API key in stop (string)', chatBody({ stop: KEY }), 'SECRET'],
    ['a card split across two messages', chatBody({ messages: [{ role: 'user', content: 'my card is 4111 1111' }, { role: 'user', content: '1111 1111' }] }), 'CREDIT_CARD'],
    ['a key split across user and assistant turns', chatBody({ messages: [{ role: 'user', content: 'key sk-proj-abcdefghij' }, { role: 'assistant', content: 'klmnopqrstuvwxyz0123' }] }), 'SECRET'],
    ['a card split between a message and stop', chatBody({ messages: [{ role: 'user', content: 'card 4111 1111 1111' }], stop: ['1111'] }), 'CREDIT_CARD'],
    ['a card split across content parts', chatBody({ messages: [{ role: 'user', content: [{ type: 'text', text: 'card 4111 1111' }, { type: 'text', text: ' 1111 1111' }] }] }), 'CREDIT_CARD'],
  ])('%s → 422, nothing forwarded', async (_n, body, type) => {
    h = await harness();
    for (const stream of [false, true]) {
      const res = await post(`${h.url}${CHAT}`, { ...body, stream });
      expect(res.status).toBe(422);
      const j = await res.json();
      expect(j.error.code).toBe('sensitive_content');
      expect(j.error.message).toContain(type);
    }
    expect(h.cloud.requests.length).toBe(0);
    expect(h.edge.requests.length).toBe(0);
  });

  it('Anthropic: a key in stop (stop_sequences upstream) → 422, nothing forwarded; a plain stop is forwarded', async () => {
    const a = await anthropicHarness();
    const res = await post(`${a.url}${CHAT}`, chatBody({ stop: ['END', KEY] }));
    expect(res.status).toBe(422);
    expect(a.up.requests.length).toBe(0);
    const ok = await post(`${a.url}${CHAT}`, chatBody({ stop: ['END'] }));
    expect(ok.status).toBe(200);
    expect(a.up.requests[0].json.stop_sequences).toEqual(['END']);
  });

  it('fields the upstream does not need are not forwarded (user, message names, tier, fallover)', async () => {
    h = await harness();
    const res = await post(`${h.url}${CHAT}`, chatBody({
      user: '4111111111111111', tier: 'cloud', fallover: false,
      messages: [{ role: 'user', content: 'hello', name: 'card_4111111111111111' }],
    }));
    expect(res.status).toBe(200);
    const req = h.cloud.requests[0];
    expect(req.body).not.toContain('4111');
    expect(Object.keys(req.json).sort()).toEqual(['max_tokens', 'messages', 'model', 'stream']);
    expect(req.json.messages).toEqual([{ role: 'user', content: 'hello' }]);
  });
});

describe('one client cannot stall the others', () => {
  it('a 250 KB adversarial body: another client\'s /v1/ping is answered while its scan is still running', async () => {
    let calls = 0;
    let callsAtPingAnswer = -1;
    let ping: Promise<number> | undefined;
    const url = () => h!.url;
    h = await harness({}, {
      findNeverSendable: (text) => {
        calls++;
        if (calls === 1) {
          ping = fetch(`${url()}/v1/ping`).then(async (r) => {
            await r.json();
            callsAtPingAnswer = calls;
            return r.status;
          });
        }
        return firstNeverSendable(text); // the real scan
      },
    });
    const content = '1234 5678 '.repeat(25_000); // no hit: every window must be scanned
    const res = await post(`${h.url}${CHAT}`, chatBody({ messages: [{ role: 'user', content }] }));
    const callsAtEnd = calls;
    expect(res.status).toBe(200);
    expect(await ping).toBe(200);
    expect(callsAtEnd).toBeGreaterThan(10);
    expect(callsAtPingAnswer).toBeGreaterThan(0);
    expect(callsAtPingAnswer).toBeLessThan(callsAtEnd);
  });

  it('the scan stops at the first never-sendable hit', async () => {
    let calls = 0;
    h = await harness({}, { findNeverSendable: (t) => (calls++, firstNeverSendable(t)) });
    const res = await post(`${h.url}${CHAT}`, chatBody({ messages: [{ role: 'user', content: 'pwd=xyz '.repeat(31_000) }] }));
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toContain('SECRET');
    expect(calls).toBe(1);
  });

  it('"1-" × 123k (a RangeError in a whole-text scan on small stacks) is scanned, not refused as unverifiable', async () => {
    h = await harness();
    const res = await post(`${h.url}${CHAT}`, chatBody({ messages: [{ role: 'user', content: '1-'.repeat(123_000) }] }));
    const j = await res.json();
    expect(res.status, JSON.stringify(j).slice(0, 200)).toBe(200);
  });
});

describe('budgets are reservations', () => {
  it('50 concurrent requests against a 50-token client budget: only what fits is forwarded', async () => {
    h = await harness({ DAILY_TOKEN_BUDGET: '0', DAILY_TOKEN_BUDGET_PER_CLIENT: '50' });
    // prompt estimate 28 chars / 4 = 7 = the mock's prompt_tokens; 3 completion tokens each → 10 per request
    const body = chatBody({ messages: [{ role: 'user', content: 'x'.repeat(28) }], max_tokens: 3 });
    const results = await Promise.all(Array.from({ length: 50 }, async () => {
      const r = await post(`${h!.url}${CHAT}`, body);
      return { status: r.status, code: r.status === 200 ? null : (await r.json()).error.code };
    }));
    const ok = results.filter((r) => r.status === 200).length;
    expect(ok).toBe(5);
    expect(results.filter((r) => r.code === 'budget_exceeded').length).toBe(45);
    expect(h.cloud.requests.length).toBe(5);
    const next = await post(`${h.url}${CHAT}`, body);
    expect(next.status).toBe(429);
  });

  it('max_tokens shrinks to what is left of the budget', async () => {
    h = await harness({ DAILY_TOKEN_BUDGET: '0', DAILY_TOKEN_BUDGET_PER_CLIENT: '50' });
    const res = await post(`${h.url}${CHAT}`, chatBody({ messages: [{ role: 'user', content: 'x'.repeat(28) }] }));
    expect(res.status).toBe(200);
    expect(h.cloud.requests[0].json.max_tokens).toBe(43);
  });

  it('a stream without include_usage is settled from the upstream\'s usage (always requested, stripped for the client)', async () => {
    h = await harness({ DAILY_TOKEN_BUDGET: '0', DAILY_TOKEN_BUDGET_PER_CLIENT: '2100' });
    h.cloud.set({ tokens: ['a', 'b'], usage: { prompt_tokens: 7, completion_tokens: 2000 } });
    const events = await sseEvents(await post(`${h.url}${CHAT}`, chatBody({ stream: true })));
    expect(h.cloud.requests[0].json.stream_options).toEqual({ include_usage: true });
    expect(events.at(-1)).toBe('[DONE]');
    expect(events.some((e) => typeof e === 'object' && e !== null && 'usage' in e)).toBe(false);
    // 2,007 charged: 93 left, the next request's prompt estimate is 3 → max_tokens 90
    await (await post(`${h.url}${CHAT}`, chatBody())).text();
    expect(h.cloud.requests[1].json.max_tokens).toBe(90);
    expect(JSON.parse(h.logs[0])).toMatchObject({ prompt_tokens: 7, completion_tokens: 2000 });
  });

  it('a client that asks for usage still gets it', async () => {
    h = await harness();
    const events = await sseEvents(await post(`${h.url}${CHAT}`, chatBody({ stream: true, stream_options: { include_usage: true } })));
    expect(events.some((e) => typeof e === 'object' && e !== null && (e as { usage?: unknown }).usage)).toBe(true);
  });

  it('a failed request gives its reservation back', async () => {
    h = await harness({ DAILY_TOKEN_BUDGET: '0', DAILY_TOKEN_BUDGET_PER_CLIENT: '50', UPSTREAM_RETRIES: '0' }, { noEdge: true });
    h.cloud.set({ status: 500 });
    const body = chatBody({ messages: [{ role: 'user', content: 'x'.repeat(28) }] });
    expect((await post(`${h.url}${CHAT}`, body)).status).toBe(502);
    h.cloud.set({});
    await (await post(`${h.url}${CHAT}`, body)).text();
    expect(h.cloud.requests[1].json.max_tokens).toBe(43); // the whole budget was back
  });
});

describe('hosts and origins', () => {
  it('DNS rebinding: Host attacker.example + Origin http://attacker.example → refused, no CORS grant', async () => {
    h = await harness();
    for (const path of [CHAT, '/v1/ping', '/v1/models', '/healthz']) {
      const r = await rawRequest(`${h.url}${path}`, {
        method: path === CHAT ? 'POST' : 'GET',
        headers: { host: `attacker.example:${h.proxy.port}`, origin: `http://attacker.example:${h.proxy.port}`, 'content-type': 'application/json' },
        body: path === CHAT ? JSON.stringify(chatBody()) : undefined,
      });
      expect(r.status, path).toBe(403);
      expect(JSON.parse(r.body).error.code).toBe('host_not_allowed');
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect(h.cloud.requests.length).toBe(0);
  });

  it('the app and the demo control endpoint are refused under a foreign Host too', async () => {
    const s: RunningServer = await startServer({ port: 0, staticDir: null, log: () => {}, env: { DEMO_UPSTREAM: '1' } });
    extra.push(s);
    for (const path of ['/', '/__demo/__control']) {
      const r = await rawRequest(`${s.url}${path}`, { headers: { host: 'attacker.example' } });
      expect(r.status, path).toBe(403);
    }
    expect((await rawRequest(`${s.url}/__demo/__control`, { headers: { host: `localhost:${s.port}` } })).status).toBe(200);
  });

  it('origins are compared whole: scheme, host and port', async () => {
    h = await harness();
    const host = `127.0.0.1:${h.proxy.port}`;
    const send = (origin: string, hostHeader = host) => rawRequest(`${h!.url}${CHAT}`, {
      method: 'POST', headers: { host: hostHeader, origin, 'content-type': 'application/json' }, body: JSON.stringify(chatBody()),
    });
    const same = await send(`http://${host}`);
    expect(same.status).toBe(200);
    expect(same.headers['access-control-allow-origin']).toBe(`http://${host}`);
    for (const origin of [`https://${host}`, 'http://127.0.0.1:1', `http://localhost:${h.proxy.port}`]) {
      const r = await send(origin);
      expect(r.status, origin).toBe(403);
      expect(JSON.parse(r.body).error.code).toBe('origin_not_allowed');
    }
    expect((await send(`http://localhost:${h.proxy.port}`, `localhost:${h.proxy.port}`)).status).toBe(200);
  });

  it('ALLOWED_HOSTS adds names; behind a trusted proxy the browser\'s scheme comes from X-Forwarded-Proto', async () => {
    h = await harness({ ALLOWED_HOSTS: 'app.example.com', TRUST_PROXY: '1' });
    const send = (hostHeader: string, origin: string, proto?: string) => rawRequest(`${h!.url}${CHAT}`, {
      method: 'POST',
      headers: { host: hostHeader, origin, 'content-type': 'application/json', ...(proto ? { 'x-forwarded-proto': proto } : {}) },
      body: JSON.stringify(chatBody()),
    });
    expect((await send('app.example.com', 'https://app.example.com', 'https')).status).toBe(200);
    expect((await send('app.example.com', 'https://app.example.com')).status).toBe(403); // seen as http
    expect((await send('app.example.com.attacker.example', 'https://app.example.com.attacker.example', 'https')).status).toBe(403);
  });
});

describe('failed authentication is rate-limited', () => {
  it('a token-guessing flood from one IP → 429 (even for the right token); another IP is unaffected', async () => {
    const TOKEN = 'right-token-0123456789abcdef';
    h = await harness({ PROXY_TOKENS: TOKEN, AUTH_FAILURES_PER_MIN: '5', TRUST_PROXY: '1' });
    await awayFromMinuteBoundary();
    const from = (ip: string, token: string) => post(`${h!.url}${CHAT}`, chatBody(), { authorization: `Bearer ${token}`, 'x-forwarded-for': ip });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await from('203.0.113.7', `guess-${i}-0123456789abcdef`);
      statuses.push(r.status);
      const j = await r.json();
      if (r.status === 429) {
        expect(j.error.code).toBe('too_many_auth_failures');
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      }
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect((await from('203.0.113.7', TOKEN)).status).toBe(429);
    const other = await from('203.0.113.8', TOKEN);
    expect(other.status).toBe(200);
    expect(h.cloud.requests.length).toBe(1);
  });
});

describe('secrets in the configuration are never printed at start-up', () => {
  it.each([
    ['a key in the query string', 'https://api.example.com/v1?key=sk-SECRET-0123456789'],
    ['an unparseable URL with a key', 'not a url?key=sk-SECRET-0123456789'],
    ['a key pasted into the URL variable', 'sk-SECRET-0123456789abcdefghijkl'],
  ])('CLOUD_BASE_URL with %s', async (_n, value) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/node.ts'], {
      env: { PATH: process.env.PATH, PORT: '0', CLOUD_BASE_URL: value, CLOUD_MODEL: 'm' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(out).toContain('CLOUD_BASE_URL');
    expect(out).not.toContain('SECRET');
  });
});

