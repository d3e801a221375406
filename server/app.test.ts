// The route table through app.request() with an in-memory upstream (web
// Response objects, as on an edge runtime): no server, no sockets.

import { describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import type { FetchLike } from './providers/types.ts';

const enc = new TextEncoder();
const sse = (events: string[], end = true) => new ReadableStream<Uint8Array>({
  start(c) {
    for (const e of events) c.enqueue(enc.encode(e));
    if (end) c.close();
  },
});
const chunk = (content: string) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

function app(upstream: (body: any) => Response, env: Record<string, string> = {}) {
  const seen: any[] = [];
  const fetch: FetchLike = async (_url, init) => {
    const body = JSON.parse(String(init.body));
    seen.push(body);
    return upstream(body);
  };
  const a = createApp(loadConfig({ CLOUD_BASE_URL: 'http://up.test/v1', CLOUD_MODEL: 'm', RATE_LIMIT_PER_MIN: '0', RETRY_BACKOFF_MS: '0', ...env }), { fetch, log: () => {} });
  const post = (body: unknown) => a.request('http://127.0.0.1/v1/chat/completions', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { a, post, seen };
}
const msg = (content: string, extra: Record<string, unknown> = {}) => ({ model: 'auto', messages: [{ role: 'user', content }], ...extra });

describe('route table', () => {
  it('GET /v1/ping, /v1/models, /healthz; 404 and 405 are OpenAI-shaped', async () => {
    const { a } = app(() => new Response('{}'));
    expect((await (await a.request('http://127.0.0.1/v1/ping')).json()).tiers.cloud.configured).toBe(true);
    expect((await (await a.request('http://127.0.0.1/v1/models')).json()).data.map((m: { id: string }) => m.id)).toEqual(['auto', 'm']);
    expect(await (await a.request('http://127.0.0.1/healthz')).json()).toMatchObject({ status: 'ok', lostSettlements: 0 });
    expect((await (await a.request('http://127.0.0.1/v1/nope')).json()).error.code).toBe('not_found');
    expect((await a.request('http://127.0.0.1/v1/chat/completions')).status).toBe(405);
  });

  it('POST chat, streamed over web streams: re-serialized chunks, usage asked upstream and stripped', async () => {
    const { post, seen } = app(() => new Response(sse([chunk('Hi'), chunk(' there'), 'data: {"id":"x","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}}\n\n', 'data: [DONE]\n\n']),
      { headers: { 'content-type': 'text/event-stream' } }));
    const r = await post(msg('hello', { stream: true }));
    expect(r.headers.get('x-edgewise-upstream')).toBe('cloud/openai');
    const text = await r.text();
    expect(text).toContain('"Hi"');
    expect(text).not.toContain('usage');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(seen[0].stream_options).toEqual({ include_usage: true });
  });

  it('POST chat, a cut web stream → our error event, no [DONE]', async () => {
    const { post } = app(() => new Response(sse([chunk('Hi'), 'data: {"id":"x","choi']), { headers: { 'content-type': 'text/event-stream' } }));
    const text = await (await post(msg('hello', { stream: true }))).text();
    expect(text).not.toContain('[DONE]');
    const events = text.split('\n\n').filter(Boolean).map((e) => JSON.parse(e.slice(6)));
    expect(events).toHaveLength(2);
    expect(events[1].error.code).toBe('upstream_stream_error');
  });

  it('POST chat: privacy gate before the upstream, 422 names the type only', async () => {
    const { post, seen } = app(() => new Response('{}'));
    const r = await post(msg('hi', { stop: ['4111 1111 1111 1111'] }));
    expect(r.status).toBe(422);
    expect((await r.json()).error.message).toContain('CREDIT_CARD');
    expect(seen).toHaveLength(0);
  });

  it('POST chat, non-stream: a body over MAX_UPSTREAM_RESPONSE_BYTES → 502', async () => {
    const big = JSON.stringify({ choices: [{ message: { content: 'x'.repeat(5000) } }] });
    const { post } = app(() => new Response(big, { headers: { 'content-type': 'application/json' } }), { MAX_UPSTREAM_RESPONSE_BYTES: '2048' });
    const r = await post(msg('hello'));
    expect(r.status).toBe(502);
    expect((await r.json()).error.code).toBe('upstream_bad_response');
  });
});
