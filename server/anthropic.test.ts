import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { anthropicEventTranslator, fromAnthropicResponse, toAnthropicRequest } from './providers/anthropic.ts';
import { sseSource } from './providers/stream.ts';
import type { StreamItem } from './providers/types.ts';
import { startMockUpstream, type MockUpstream } from './mock-upstream.ts';
import { startServer, type RunningServer } from './node.ts';
import { ANTHROPIC_KEY, post, sseData } from './test-utils.ts';

let up: MockUpstream | undefined;
let proxy: RunningServer | undefined;
afterEach(async () => {
  await proxy?.close();
  await up?.close();
  proxy = up = undefined;
});

async function setup(env: Record<string, string> = {}) {
  up = await startMockUpstream();
  proxy = await startServer({
    port: 0, staticDir: null, log: () => {},
    env: { ANTHROPIC_API_KEY: ANTHROPIC_KEY, ANTHROPIC_MODEL: 'claude-mock', ANTHROPIC_BASE_URL: up.url, RATE_LIMIT_PER_MIN: '0', RETRY_BACKOFF_MS: '1', ...env },
  });
  return new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'unused-client-key', maxRetries: 0 });
}

describe('Anthropic translation (pure)', () => {
  it('OpenAI request → Messages API request', () => {
    const a = toAnthropicRequest({
      model: 'claude-x', stream: true, maxTokens: 99, maxTokensField: 'max_tokens', temperature: 1.6, top_p: 0.9, stop: ['END'],
      messages: [
        { role: 'system', content: 'Be brief.' }, { role: 'developer', content: 'No lists.' },
        { role: 'user', content: 'a' }, { role: 'user', content: 'b' }, { role: 'assistant', content: 'c' }, { role: 'user', content: 'd' },
      ],
    });
    expect(a).toEqual({
      model: 'claude-x', max_tokens: 99, stream: true, temperature: 1, top_p: 0.9, stop_sequences: ['END'],
      system: 'Be brief.\n\nNo lists.',
      messages: [{ role: 'user', content: 'a\n\nb' }, { role: 'assistant', content: 'c' }, { role: 'user', content: 'd' }],
    });
  });

  it('Messages API response → chat.completion', () => {
    const o = fromAnthropicResponse({
      id: 'msg_1', model: 'claude-x', content: [{ type: 'text', text: 'Hi ' }, { type: 'text', text: 'there' }],
      stop_reason: 'max_tokens', usage: { input_tokens: 5, output_tokens: 2 },
    }, 123);
    expect(o).toEqual({
      id: 'chatcmpl-msg_1', object: 'chat.completion', created: 123, model: 'claude-x',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi there' }, logprobs: null, finish_reason: 'length' }],
      usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
    });
  });

  it('SSE events → chunks, even when events are split across reads', async () => {
    const src = [
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_9","model":"claude-x","usage":{"input_tokens":4,"output_tokens":1}}}\n\n',
      'event: ping\ndata: {"type":"ping"}\n\nevent: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel',
      'lo"}}\n\nevent: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}\n\n',
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    ];
    const enc = new TextEncoder();
    const pieces = src.map((x) => enc.encode(x));
    const source = sseSource({ read: async () => pieces.shift() ?? null, cancel() {} }, 1 << 20, anthropicEventTranslator('cloud/anthropic', 'fallback'));
    const items: StreamItem[] = [];
    for (let batch = await source.next(); batch; batch = await source.next()) items.push(...batch);
    expect(items.at(-1)).toEqual({ type: 'done' });
    const chunks = items.slice(0, -1).map((it) => (it.type === 'chunk' ? it.chunk : it) as any);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks[1].choices[0].delta).toEqual({ content: 'Hello' });
    expect(chunks[1].id).toBe('chatcmpl-msg_9');
    expect(chunks[2].choices[0].finish_reason).toBe('stop');
    expect(chunks[3].usage).toEqual({ prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 });
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
  });
});

describe('Anthropic through the proxy with the openai client', () => {
  it('non-streaming, with the right headers upstream and no client Authorization', async () => {
    const client = await setup();
    up!.set({ tokens: ['Bon', 'jour'], usage: { prompt_tokens: 11, completion_tokens: 2 } });
    const r = await client.chat.completions.create({
      model: 'claude-mock', max_tokens: 50, messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'hello' }],
    });
    expect(r.choices[0].message.content).toBe('Bonjour');
    expect(r.choices[0].finish_reason).toBe('stop');
    expect(r.usage).toEqual({ prompt_tokens: 11, completion_tokens: 2, total_tokens: 13 });
    const req = up!.requests[0];
    expect(req.path).toBe('/v1/messages');
    expect(req.headers['x-api-key']).toBe(ANTHROPIC_KEY);
    expect(req.headers['anthropic-version']).toBe('2023-06-01');
    expect(req.headers.authorization).toBeUndefined();
    expect(req.json).toMatchObject({ model: 'claude-mock', max_tokens: 50, system: 'sys', messages: [{ role: 'user', content: 'hello' }] });
  });

  it('streaming, with usage', async () => {
    const client = await setup();
    up!.set({ tokens: ['one', ' two', ' three'], tokensPerSec: 300 });
    const stream = await client.chat.completions.create({
      model: 'auto', messages: [{ role: 'user', content: 'count' }], stream: true, stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage;
    for await (const ch of stream) {
      text += ch.choices[0]?.delta?.content ?? '';
      finish = ch.choices[0]?.finish_reason ?? finish;
      if (ch.usage) usage = ch.usage;
    }
    expect(text).toBe('one two three');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ completion_tokens: 3 });
    expect(up!.requests[0].json.stream).toBe(true);
  });

  it('an Anthropic error event mid-stream becomes an OpenAI SSE error event, and never [DONE]', async () => {
    await setup();
    up!.set({ tokens: ['a', 'b', 'c'], tokensPerSec: 300, errorEventAfterTokens: 1 });
    const res = await post(`${proxy!.url}/v1/chat/completions`, { model: 'auto', messages: [{ role: 'user', content: 'x' }], stream: true });
    const data = await sseData(res);
    expect(data).not.toContain('[DONE]');
    expect(JSON.parse(data.at(-1)!).error.code).toBe('upstream_stream_error');
    const ping = await (await fetch(`${proxy!.url}/v1/ping`)).json();
    expect(ping.tiers.cloud.errorRate).toBeGreaterThan(0);
  });

  it('529 overloaded is retried before the first byte; key never leaks', async () => {
    await setup();
    up!.enqueue({ status: 529, errorBody: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: `key ${ANTHROPIC_KEY}` } }) });
    const res = await post(`${proxy!.url}/v1/chat/completions`, { model: 'auto', messages: [{ role: 'user', content: 'x' }] });
    expect(res.status).toBe(200);
    up!.set({ status: 401, errorBody: `bad key ${ANTHROPIC_KEY}` });
    const bad = await post(`${proxy!.url}/v1/chat/completions`, { model: 'auto', messages: [{ role: 'user', content: 'x' }] });
    const text = await bad.text();
    expect(bad.status).toBe(502);
    expect(JSON.parse(text).error.code).toBe('upstream_auth_failed');
    expect(text).not.toContain(ANTHROPIC_KEY);
  });
});
