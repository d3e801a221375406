import { afterEach, describe, expect, it } from 'vitest';
import { awayFromMinuteBoundary, chatBody, harness, post, UPSTREAM_KEY, type Harness } from './test-utils.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TOKEN = 'tok-A-0123456789abcdef';
const TOKEN2 = 'tok-B-0123456789abcdef';

describe('bearer tokens', () => {
  it('right token passes, wrong/missing refused; Authorization never forwarded; key never leaked', async () => {
    h = await harness({ PROXY_TOKENS: `${TOKEN}, ${TOKEN2}` });
    for (const t of [TOKEN, TOKEN2]) {
      const ok = await post(`${h.url}/v1/chat/completions`, chatBody(), { authorization: `Bearer ${t}` });
      expect(ok.status).toBe(200);
      await ok.text();
    }
    for (const req of h.cloud.requests) {
      expect(req.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
      expect(JSON.stringify(req)).not.toContain(TOKEN);
    }
    const missing = await post(`${h.url}/v1/chat/completions`, chatBody());
    expect(missing.status).toBe(401);
    expect((await missing.json()).error).toMatchObject({ type: 'authentication_error', code: 'missing_token' });
    const wrong = await post(`${h.url}/v1/chat/completions`, chatBody(), { authorization: `Bearer ${TOKEN}x` });
    expect(wrong.status).toBe(401);
    const wrongText = await wrong.text();
    expect(wrongText).not.toContain(TOKEN);
    expect(wrongText).not.toContain(UPSTREAM_KEY);
    expect((await fetch(`${h.url}/v1/models`)).status).toBe(401);
    expect((await fetch(`${h.url}/v1/models`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    // ping stays public (RTT probes)
    expect((await fetch(`${h.url}/v1/ping`)).status).toBe(200);
    const logs = h.logs.join('\n');
    expect(logs).not.toContain(TOKEN);
    expect(logs).not.toContain(UPSTREAM_KEY);
  });
});

describe('CORS allowlist', () => {
  it('echoes an allowed origin, never a foreign one', async () => {
    h = await harness({ ALLOWED_ORIGINS: 'https://app.example.com,https://other.example.org' });
    const pre = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'OPTIONS', headers: { origin: 'https://other.example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://other.example.org');
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');

    const ok = await post(`${h.url}/v1/chat/completions`, chatBody(), { origin: 'https://app.example.com' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(ok.headers.get('vary')).toContain('Origin');
    expect(ok.headers.get('access-control-expose-headers')).toContain('x-edgewise-tier');
    await ok.text();

    const foreignPre = await fetch(`${h.url}/v1/chat/completions`, {
      method: 'OPTIONS', headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' },
    });
    expect(foreignPre.status).toBe(403);
    expect(foreignPre.headers.get('access-control-allow-origin')).toBeNull();
    const foreign = await post(`${h.url}/v1/chat/completions`, chatBody(), { origin: 'https://evil.example.net' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect((await foreign.json()).error.code).toBe('origin_not_allowed');
    const ping = await fetch(`${h.url}/v1/ping`, { headers: { origin: 'https://evil.example.net' } });
    expect(ping.headers.get('access-control-allow-origin')).toBeNull();
    for (const o of ['null', 'https://app.example.com.evil.net', 'http://app.example.com']) {
      const r = await post(`${h.url}/v1/chat/completions`, chatBody(), { origin: o });
      expect(r.status).toBe(403);
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect(h.cloud.requests.length).toBe(1);
  });

  it('the app\'s own origin (same host) is allowed without listing it', async () => {
    h = await harness();
    const res = await post(`${h.url}/v1/chat/completions`, chatBody(), { origin: h.url });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(h.url);
    await res.text();
  });
});

describe('anonymous mode limits (memory)', () => {
  it('per-IP rate limit → 429 rate_limited with Retry-After', async () => {
    h = await harness({ RATE_LIMIT_PER_MIN: '3' });
    await awayFromMinuteBoundary();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await post(`${h.url}/v1/chat/completions`, chatBody());
      statuses.push(r.status);
      if (r.status === 429) {
        expect((await r.json()).error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
      } else await r.text();
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(h.cloud.requests.length).toBe(3);
  });

  it('daily token budget → 429 budget_exceeded once used up', async () => {
    h = await harness({ DAILY_TOKEN_BUDGET: '30', DAILY_TOKEN_BUDGET_PER_CLIENT: '0' });
    h.cloud.set({ usage: { prompt_tokens: 10, completion_tokens: 10 } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await post(`${h.url}/v1/chat/completions`, chatBody());
      statuses.push(r.status);
      const j = await r.json();
      if (r.status === 429) expect(j.error.code).toBe('budget_exceeded');
    }
    expect(statuses).toEqual([200, 200, 429]); // 20 < 30, 40 ≥ 30
  });

  it('streams are charged too (usage or chunk count)', async () => {
    h = await harness({ DAILY_TOKEN_BUDGET: '0', DAILY_TOKEN_BUDGET_PER_CLIENT: '10' });
    h.cloud.set({ tokens: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] });
    let r = await post(`${h.url}/v1/chat/completions`, chatBody({ stream: true }));
    await r.text();
    // charged when the stream ends: 8 chunks + ~3 prompt tokens ≥ 10; the next request sees it
    r = await post(`${h.url}/v1/chat/completions`, chatBody({ stream: true }));
    expect(r.status).toBe(429);
    expect((await r.json()).error.code).toBe('budget_exceeded');
  });
});
