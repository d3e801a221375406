import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from './mock-upstream.ts';
import { startServer, type RunningServer } from './node.ts';
import { RedisStore } from './limits/redis.ts';
import { awayFromMinuteBoundary, chatBody, freePort, post } from './test-utils.ts';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;


let redis: ChildProcess | undefined;
let redisUrl = '';

beforeAll(async () => {
  if (!hasRedis) return;
  const port = await freePort();
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    redis!.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('Ready to accept connections')) resolve();
    });
    redis!.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
  });
  redisUrl = `redis://127.0.0.1:${port}`;
});

afterAll(async () => {
  if (!redis || redis.exitCode !== null || redis.signalCode !== null) return;
  const exited = new Promise((r) => redis!.once('exit', r));
  redis.kill('SIGTERM');
  await exited;
});

// `npm test` installs Debian's redis-server first (scripts/ensure-system-deps.mjs):
// a missing server is a broken set-up, not a reason to skip.
describe('limits in a real redis-server', () => {
  it('has redis-server installed', () => {
    expect(hasRedis, 'redis-server is missing: apt-get install -y redis-server').toBe(true);
  });

  it('INCR with TTL is atomic under concurrency', async () => {
    const store = new RedisStore(redisUrl);
    await store.connect();
    try {
      const results = await Promise.all(Array.from({ length: 50 }, () => store.incr('t:atomic', 1, 60_000)));
      expect(new Set(results).size).toBe(50);
      expect(Math.max(...results)).toBe(50);
      expect(await store.get('t:atomic')).toBe(50);
      const ttl = await store.client.pttl('t:atomic');
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      expect(await store.ping()).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('two proxy instances sharing one Redis share the rate limit and the budget', async () => {
    const up: MockUpstream = await startMockUpstream();
    const env = {
      CLOUD_BASE_URL: `${up.url}/v1`, CLOUD_MODEL: 'm', REDIS_URL: redisUrl,
      RATE_LIMIT_PER_MIN: '4', DAILY_TOKEN_BUDGET: '0', DAILY_TOKEN_BUDGET_PER_CLIENT: '0',
    };
    const a: RunningServer = await startServer({ port: 0, staticDir: null, log: () => {}, env });
    const b: RunningServer = await startServer({ port: 0, staticDir: null, log: () => {}, env });
    try {
      await awayFromMinuteBoundary();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const r = await post(`${(i % 2 ? b : a).url}/v1/chat/completions`, chatBody());
        statuses.push(r.status);
        await r.text();
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      expect(up.requests.length).toBe(4);
      expect((await fetch(`${a.url}/healthz`)).status).toBe(200);
    } finally {
      await a.close();
      await b.close();
    }

    // budget: instance A spends it, instance B refuses
    const env2 = { ...env, RATE_LIMIT_PER_MIN: '0', DAILY_TOKEN_BUDGET: '25' };
    const c = await startServer({ port: 0, staticDir: null, log: () => {}, env: env2 });
    const d = await startServer({ port: 0, staticDir: null, log: () => {}, env: env2 });
    try {
      up.set({ usage: { prompt_tokens: 10, completion_tokens: 20 } });
      const first = await post(`${c.url}/v1/chat/completions`, chatBody());
      expect(first.status).toBe(200);
      await first.text();
      const second = await post(`${d.url}/v1/chat/completions`, chatBody());
      expect(second.status).toBe(429);
      expect((await second.json()).error.code).toBe('budget_exceeded');
    } finally {
      await c.close();
      await d.close();
      await up.close();
    }
  });

  it('50 concurrent requests over two instances against a 50-token budget: the reservation is atomic', async () => {
    const up = await startMockUpstream();
    const env = {
      CLOUD_BASE_URL: `${up.url}/v1`, CLOUD_MODEL: 'm', REDIS_URL: redisUrl,
      RATE_LIMIT_PER_MIN: '0', DAILY_TOKEN_BUDGET: '0', DAILY_TOKEN_BUDGET_PER_CLIENT: '50',
    };
    const a = await startServer({ port: 0, staticDir: null, log: () => {}, env });
    const b = await startServer({ port: 0, staticDir: null, log: () => {}, env });
    try {
      const admin = new RedisStore(redisUrl);
      await admin.connect();
      await admin.client.flushall();
      await admin.close();
      // 7 prompt tokens (28 chars / 4, the mock's count too) + 3 completion tokens = 10 per request
      const body = chatBody({ messages: [{ role: 'user', content: 'y'.repeat(28) }], max_tokens: 3 });
      const statuses = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
        const r = await post(`${(i % 2 ? b : a).url}/v1/chat/completions`, body);
        await r.text();
        return r.status;
      }));
      expect(statuses.filter((x) => x === 200).length).toBe(5);
      expect(statuses.filter((x) => x === 429).length).toBe(45);
      expect(up.requests.length).toBe(5);
    } finally {
      await a.close();
      await b.close();
      await up.close();
    }
  });

  it('an unreachable Redis at start-up is a clear error', async () => {
    const port = await freePort();
    await expect(startServer({ port: 0, staticDir: null, env: { REDIS_URL: `redis://127.0.0.1:${port}` } })).rejects.toThrow(/Cannot connect to Redis/);
  });

  it('when Redis goes away, chat fails closed with 503 limits_unavailable, a lost settlement is logged and counted, /healthz says so (runs last)', async () => {
    const up = await startMockUpstream();
    const logs: string[] = [];
    let lostLogged: () => void = () => {};
    const lost = new Promise<void>((r) => (lostLogged = r));
    const s = await startServer({
      port: 0, staticDir: null,
      log: (l) => {
        logs.push(l);
        if (l.includes('limits_settle_lost')) lostLogged();
      },
      env: { CLOUD_BASE_URL: `${up.url}/v1`, CLOUD_MODEL: 'm', REDIS_URL: redisUrl, DAILY_TOKEN_BUDGET_PER_CLIENT: '100000' },
    });
    try {
      // a stream is running (its reservation is in Redis) when Redis dies
      up.set({ tokens: ['a', 'b', 'c', 'd', 'e', 'f'], tokensPerSec: 20 });
      const res = await post(`${s.url}/v1/chat/completions`, chatBody({ stream: true }));
      const reader = res.body!.getReader();
      await reader.read();
      const exited = new Promise((r) => redis!.once('exit', r));
      redis!.kill('SIGTERM');
      await exited;
      while (!(await reader.read()).done) { /* the answer finishes */ }
      await lost;
      expect(JSON.parse(logs.find((l) => l.includes('limits_settle_lost'))!)).toMatchObject({ event: 'limits_settle_lost' });

      const r = await post(`${s.url}/v1/chat/completions`, chatBody());
      expect(r.status).toBe(503);
      expect((await r.json()).error.code).toBe('limits_unavailable');
      const hz = await fetch(`${s.url}/healthz`);
      expect(hz.status).toBe(503);
      expect(await hz.json()).toMatchObject({ limits: 'unavailable', lostSettlements: 1 });
      expect(up.requests.length).toBe(1);
    } finally {
      await s.close();
      await up.close();
    }
  });
});
