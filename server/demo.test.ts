import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { demoAnswer } from './demo-upstream.ts';
import { startServer, type RunningServer } from './node.ts';
import { post, sseData } from './test-utils.ts';

let s: RunningServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const start = async (env: Record<string, string> = {}) => {
  s = await startServer({ port: 0, staticDir: null, log: () => {}, env: { DEMO_UPSTREAM: '1', DEMO_TTFT_MS: '5', DEMO_TOKENS_PER_SEC: '2000', RATE_LIMIT_PER_MIN: '0', ...env } });
  return new OpenAI({ baseURL: `${s.url}/v1`, apiKey: 'x', maxRetries: 0 });
};

describe('demo upstream', () => {
  it('answers are labelled, deterministic, and restate the question verbatim', () => {
    const a = demoAnswer([{ role: 'user', content: 'Email <PERSON_1> about <EMAIL_1> please' }]);
    expect(a.startsWith('[Demo cloud] ')).toBe(true);
    expect(a).toContain('<PERSON_1>');
    expect(a).toContain('<EMAIL_1>');
    expect(demoAnswer([{ role: 'user', content: 'x' }])).toBe(demoAnswer([{ role: 'user', content: 'x' }]));
    const proof = demoAnswer([{ role: 'user', content: 'Prove that there are infinitely many primes' }]);
    expect(proof).toMatch(/infinitely many primes/);
    expect(proof).toMatch(/p1·p2·…·pn \+ 1/);
  });

  it('DEMO_UPSTREAM=1: the cloud tier is the demo, streaming and not, through the proxy', async () => {
    const client = await start();
    const ping = await (await fetch(`${s!.url}/v1/ping`)).json();
    expect(ping.tiers.cloud.configured).toBe(true);
    expect(ping.tiers.edge.configured).toBe(false);
    const r = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'Tell <PERSON_1> hi' }] });
    expect(r.model).toBe('edgewise-demo');
    expect(r.choices[0].message.content).toContain('[Demo cloud] You asked: "Tell <PERSON_1> hi"');
    const stream = await client.chat.completions.create({ model: 'edgewise-demo', messages: [{ role: 'user', content: 'Give me a proof' }], stream: true });
    let text = '';
    for await (const ch of stream) text += ch.choices[0]?.delta?.content ?? '';
    expect(text.startsWith('[Demo cloud] Here is a short proof')).toBe(true);
  });

  it('/__control: slow it down, fail it mid-stream, fail it with a status, reset', async () => {
    await start();
    const ctl = (body: unknown) => post(`${s!.url}/__demo/__control`, body).then((r) => r.json());
    expect(await ctl({ ttftMs: 300 })).toMatchObject({ ttftMs: 300 });
    let t0 = performance.now();
    let res = await post(`${s!.url}/v1/chat/completions`, { model: 'auto', messages: [{ role: 'user', content: 'hi' }], stream: true });
    await res.text();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);

    await ctl({ ttftMs: 0, failAfterChars: 20 });
    res = await post(`${s!.url}/v1/chat/completions`, { model: 'auto', messages: [{ role: 'user', content: 'hello there' }], stream: true });
    const data = await sseData(res);
    expect(data).not.toContain('[DONE]');
    expect(JSON.parse(data.at(-1)!).error.code).toBe('upstream_stream_error');

    await ctl({ failAfterChars: null, status: 503 });
    res = await post(`${s!.url}/v1/chat/completions`, { model: 'auto', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(502);
    expect((await res.json()).error.code).toBe('upstream_unavailable');

    expect(await ctl({ reset: true })).toMatchObject({ ttftMs: 5, status: null, failAfterChars: null });
    t0 = performance.now();
    res = await post(`${s!.url}/v1/chat/completions`, { model: 'auto', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(200);
    expect((await (await fetch(`${s!.url}/__demo/__control`)).json()).tokensPerSec).toBe(2000);
  });

  it('DEMO_EDGE=1 adds a labelled demo edge tier', async () => {
    await start({ DEMO_EDGE: '1' });
    const res = await post(`${s!.url}/v1/chat/completions`, { model: 'auto', tier: 'edge', messages: [{ role: 'user', content: 'hi' }] });
    const j = await res.json();
    expect(res.headers.get('x-edgewise-tier')).toBe('edge');
    expect(j.choices[0].message.content.startsWith('[Demo edge] ')).toBe(true);
  });

  it('the /__demo routes do not exist outside demo mode', async () => {
    s = await startServer({ port: 0, staticDir: null, log: () => {}, env: {} });
    expect((await post(`${s.url}/__demo/__control`, { status: 500 })).status).toBe(405);
    expect((await fetch(`${s.url}/__demo/__control`)).status).toBe(404);
  });
});
