// Redis counters (Node only: imported by node.ts, never by app.ts), so that
// several stateless proxy instances share rate limits and budgets.
// INCRBY + PEXPIRE (only when the key is new) run atomically in one Lua script.

import { Redis } from 'ioredis';
import type { CounterStore } from './types.ts';

const INCR_SCRIPT = `
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return v`;

export class RedisStore implements CounterStore {
  readonly client: Redis;

  constructor(url: string) {
    this.client = new Redis(url, {
      // Fail fast instead of queueing forever: the proxy answers 503 when the
      // limits cannot be checked (fail closed, so budgets hold).
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      lazyConnect: true,
    });
    this.client.on('error', () => {
      /* reported through failing commands; never log the URL (it may hold a password) */
    });
    this.client.defineCommand('ewIncr', { numberOfKeys: 1, lua: INCR_SCRIPT });
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  async incr(key: string, n: number, ttlMs: number): Promise<number> {
    const v = await (this.client as unknown as { ewIncr(k: string, n: number, ttl: number): Promise<number> }).ewIncr(key, n, ttlMs);
    return Number(v);
  }

  async get(key: string): Promise<number> {
    const v = await this.client.get(key);
    return v === null ? 0 : Number(v);
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
