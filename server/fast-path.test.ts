// The Node entry answers POST /v1/chat/completions on its own fast path
// (node-chat.ts) and everything else through Hono (app.ts). Both run the same
// pipeline; these tests hold them to the same answers, case by case, and
// attack what only the fast path does: its client link, its body reader and
// its stream writer.

import http from 'node:http';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { loadConfig, type Env } from './config.ts';
import { startMockUpstream, type MockUpstream } from './mock-upstream.ts';
import { nodeFetch } from './node-fetch.ts';
import { pump } from './node-chat.ts';
import { startServer, type RunningServer } from './node.ts';
import { UPSTREAM_KEY, chatBody, rawRequest } from './test-utils.ts';

const TOKEN = 'proxy-token-0123456789abcdef';
let up: MockUpstream | undefined;
let srv: RunningServer | undefined;

afterEach(async () => {
  await srv?.close();
  await up?.close();
  srv = undefined;
  up = undefined;
});

async function both(extra: Env = {}) {
  up = await startMockUpstream();
  const env: Env = {
    CLOUD_BASE_URL: `${up.url}/v1`, CLOUD_MODEL: 'mock-cloud', CLOUD_API_KEY: UPSTREAM_KEY, RATE_LIMIT_PER_MIN: '0',
    RETRY_BACKOFF_MS: '1', PROXY_TOKENS: TOKEN, MAX_BODY_BYTES: '4096', ALLOWED_ORIGINS: 'https://app.example.com', ...extra,
  };
  srv = await startServer({ port: 0, staticDir: null, log: () => {}, env });
  const hono = createApp(loadConfig(env), { fetch: nodeFetch, log: () => {}, clientIp: () => '127.0.0.1' });
  return { node: srv, hono };
}

const auth = { authorization: `Bearer ${TOKEN}` };
const SHOWN = [
  'content-type', 'x-content-type-options', 'cache-control', 'vary', 'access-control-allow-origin',
  'access-control-expose-headers', 'x-edgewise-tier', 'x-edgewise-upstream', 'x-edgewise-model', 'retry-after',
];

interface Case { name: string; headers: Record<string, string>; body: string }

const json = { 'content-type': 'application/json' };
const ok = JSON.stringify(chatBody());
const CASES: Case[] = [
  { name: 'an answer', headers: { ...json, ...auth }, body: ok },
  { name: 'an answer for an allowed origin', headers: { ...json, ...auth, origin: 'https://app.example.com' }, body: ok },
  { name: 'no token', headers: json, body: ok },
  { name: 'a wrong token', headers: { ...json, authorization: 'Bearer nope-nope-nope' }, body: ok },
  { name: 'a foreign origin', headers: { ...json, ...auth, origin: 'https://evil.example' }, body: ok },
  { name: 'a rebinding Host', headers: { ...json, ...auth, host: 'attacker.example' }, body: ok },
  { name: 'not JSON', headers: { 'content-type': 'text/plain', ...auth }, body: ok },
  { name: 'a broken body', headers: { ...json, ...auth }, body: '{"model":' },
  { name: 'an oversized body', headers: { ...json, ...auth }, body: JSON.stringify(chatBody({ messages: [{ role: 'user', content: 'x'.repeat(5000) }] })) },
  { name: 'a card number', headers: { ...json, ...auth }, body: JSON.stringify(chatBody({ messages: [{ role: 'user', content: 'card 4111 1111 1111 1111' }] })) },
  { name: 'a secret in a side field', headers: { ...json, ...auth }, body: JSON.stringify(chatBody({ stop: ['sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD'] })) },
  { name: 'an unknown model', headers: { ...json, ...auth }, body: JSON.stringify(chatBody({ model: 'gpt-unknown' })) },
];

function view(status: number, get: (name: string) => string | null | undefined, body: string) {
  const headers = Object.fromEntries(SHOWN.map((h) => [h, get(h) ?? null]));
  let parsed: unknown = body;
  try {
    const j = JSON.parse(body) as { id?: unknown; created?: unknown };
    delete j.id;
    delete j.created;
    parsed = j;
  } catch {
    /* not JSON */
  }
  return { status, headers, body: parsed };
}

describe('the Node fast path and the route table answer alike', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const { node, hono } = await both();
    const host = c.headers.host ?? `127.0.0.1:${node.port}`;
    const viaNode = await rawRequest(`${node.url}/v1/chat/completions`, { method: 'POST', headers: { ...c.headers, host }, body: c.body });
    const h = await hono.request(`http://${host}/v1/chat/completions`, { method: 'POST', headers: c.headers, body: c.body });
    const a = view(viaNode.status, (n) => viaNode.headers[n] as string | undefined, viaNode.body);
    const b = view(h.status, (n) => h.headers.get(n), await h.text());
    expect(a).toEqual(b);
    expect(viaNode.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a query string still reaches the chat route; other methods get 405 from the route table', async () => {
    const { node } = await both();
    const r = await rawRequest(`${node.url}/v1/chat/completions?trace=1`, { method: 'POST', headers: { ...json, ...auth }, body: ok });
    expect(r.status).toBe(200);
    const g = await rawRequest(`${node.url}/v1/chat/completions`, { method: 'GET', headers: auth });
    expect(g.status).toBe(405);
    expect(JSON.parse(g.body).error.code).toBe('method_not_allowed');
  });
});

describe('fast path under attack', () => {
  it('a client that disconnects while the upstream thinks: the upstream call is aborted and logged as client_closed', async () => {
    up = await startMockUpstream();
    up.set({ hang: true });
    const logs: string[] = [];
    srv = await startServer({
      port: 0, staticDir: null, log: (l) => logs.push(l),
      env: { CLOUD_BASE_URL: `${up.url}/v1`, CLOUD_MODEL: 'm', CLOUD_API_KEY: UPSTREAM_KEY, RATE_LIMIT_PER_MIN: '0' },
    });
    const req = http.request(`${srv.url}/v1/chat/completions`, { method: 'POST', headers: json, agent: false });
    req.on('error', () => {});
    const arrived = up.nextRequest();
    const closed = up.nextClose();
    req.end(ok);
    await arrived;
    req.destroy();
    await closed;
    await expect.poll(() => logs.map((l) => JSON.parse(l).code), { timeout: 10_000 }).toContain('client_closed');
  });

  it('a client that stops reading a long stream holds only its own stream; a cut stream still ends without [DONE]', async () => {
    up = await startMockUpstream();
    srv = await startServer({
      port: 0, staticDir: null, log: () => {},
      env: { CLOUD_BASE_URL: `${up.url}/v1`, CLOUD_MODEL: 'm', CLOUD_API_KEY: UPSTREAM_KEY, RATE_LIMIT_PER_MIN: '0' },
    });
    up.set({ tokens: Array.from({ length: 4000 }, (_, i) => `token-${i}-${'y'.repeat(200)} `) });
    // A reader that never reads: the writer must wait for 'drain', not buffer 800 KB+ per client without end.
    const stuck = http.request(`${srv.url}/v1/chat/completions`, { method: 'POST', headers: json, agent: false });
    stuck.on('response', (res) => res.pause());
    stuck.on('error', () => {});
    const arrived = up.nextRequest();
    stuck.end(JSON.stringify(chatBody({ stream: true })));
    await arrived;
    const ping = await fetch(`${srv.url}/v1/ping`);
    expect(ping.status).toBe(200);
    stuck.destroy();

    up.set({ tokens: ['a', 'b', 'c', 'd'], cutMidEventAfterTokens: 2 });
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${srv.url}/v1`, maxRetries: 0 });
    await expect((async () => {
      const s = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hi' }], stream: true });
      for await (const _ of s) { /* read to the end */ }
    })()).rejects.toThrow();
  });

  it('a stream source that throws cuts the connection: the client never sees a clean end', async () => {
    const server = http.createServer((_req, res) => {
      let n = 0;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      void pump(res, { gone: false, onGone: () => () => {} }, {
        next: async () => {
          if (n++ === 0) return 'data: {"choices":[]}\n\n';
          throw new Error('a bug in the relay');
        },
        cancel() {},
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const outcome = await new Promise<string>((resolve) => {
      http.get(`http://127.0.0.1:${port}/`, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve('ended'));
        res.on('aborted', () => resolve('cut'));
        res.on('error', () => resolve('cut'));
      }).on('error', () => resolve('cut'));
    });
    server.close();
    expect(outcome).toBe('cut');
  });
});
