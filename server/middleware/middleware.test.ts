// Each middleware on its own, through app.request() (no server, no network).

import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createCore } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Env } from '../context.ts';
import { auth } from './auth.ts';
import { requestContext } from './base.ts';
import { rateLimit } from './limits.ts';

const TOKEN = 'token-0123456789abcdef';

function appWith(env: Record<string, string>, stack: ('auth' | 'limit')[] = []) {
  const logs: string[] = [];
  const core = createCore(loadConfig(env), { log: (l) => logs.push(l) });
  const app = new Hono<Env>();
  app.use('*', requestContext(core, () => '192.0.2.1'));
  if (stack.includes('auth')) app.use('/x', auth(core));
  if (stack.includes('limit')) app.use('/x', rateLimit(core));
  app.get('/x', (c) => c.json({ client: c.get('x').clientKey || null }));
  return { app, logs };
}

describe('requestContext: request id, Host, CORS, headers, log', () => {
  it('per-request headers and one log line', async () => {
    const { app, logs } = appWith({});
    const r = await app.request('http://127.0.0.1:8787/x', { headers: { 'x-request-id': 'abc-1' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-request-id')).toBe('abc-1');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(JSON.parse(logs[0])).toMatchObject({ id: 'abc-1', method: 'GET', route: '/x', status: 200 });
    const bad = await app.request('http://127.0.0.1:8787/x', { headers: { 'x-request-id': 'not ok <script>' } });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a foreign Host → 403 host_not_allowed before anything else', async () => {
    const { app } = appWith({});
    const r = await app.request('http://attacker.example/x', { headers: { host: 'attacker.example', origin: 'http://attacker.example' } });
    expect(r.status).toBe(403);
    expect((await r.json()).error.code).toBe('host_not_allowed');
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('preflight: allowed origins get 204 with the grant, others 403 without', async () => {
    const { app } = appWith({ ALLOWED_ORIGINS: 'https://app.example.com' });
    const pre = (origin: string) => app.request('http://127.0.0.1:8787/x', {
      method: 'OPTIONS', headers: { host: '127.0.0.1:8787', origin, 'access-control-request-method': 'POST' },
    });
    const ok = await pre('https://app.example.com');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const own = await pre('http://127.0.0.1:8787');
    expect(own.status).toBe(204);
    const no = await pre('https://evil.example');
    expect(no.status).toBe(403);
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('auth: origin, bearer token, failed-auth limit', () => {
  it('anonymous: the client key is the IP; a foreign origin is refused', async () => {
    const { app } = appWith({}, ['auth']);
    expect(await (await app.request('http://127.0.0.1/x')).json()).toEqual({ client: 'ip:192.0.2.1' });
    const r = await app.request('http://127.0.0.1/x', { headers: { origin: 'https://evil.example' } });
    expect(r.status).toBe(403);
    expect((await r.json()).error.code).toBe('origin_not_allowed');
  });

  it('tokens: missing / wrong → 401, right → the token digest is the client key; failures are limited', async () => {
    const { app, logs } = appWith({ PROXY_TOKENS: TOKEN, AUTH_FAILURES_PER_MIN: '2' }, ['auth']);
    const get = (authorization?: string) => app.request('http://127.0.0.1/x', authorization ? { headers: { authorization } } : {});
    const ok = await get(`Bearer ${TOKEN}`);
    expect((await ok.json()).client).toMatch(/^tok:[0-9a-f]{12}$/);
    expect((await (await get()).json()).error.code).toBe('missing_token');
    expect((await (await get('Bearer wrong-0123456789abcdef')).json()).error.code).toBe('invalid_token');
    const limited = await get(`Bearer ${TOKEN}`);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.code).toBe('too_many_auth_failures');
    expect(logs.join('\n')).not.toContain(TOKEN);
  });
});

describe('rateLimit', () => {
  it('counts requests per client and minute', async () => {
    const { app } = appWith({ RATE_LIMIT_PER_MIN: '2' }, ['auth', 'limit']);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await app.request('http://127.0.0.1/x')).status);
    // at a minute boundary the window restarts: at most one extra 200
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect([429, 200]).toContain(statuses[2]);
  });
});
