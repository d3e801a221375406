// Redis counters (Node only: imported by node.ts, never by app.ts), so that
// several stateless proxy instances share rate limits and budgets.
// INCRBY + PEXPIRE (only when the key is new) run atomically in one Lua script;
// a budget reservation (check every limit, then add) is one script too.

import { Redis } from 'ioredis';
import type { CounterStore } from './types.ts';

const INCR_SCRIPT = `
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return v`;

// KEYS: the counters; ARGV: fixed, want, min, ttl, then one limit per key (0 = none).
// Grants g = min(want, limit_i - used_i - fixed) over the limited keys; below
// min → -1 and nothing changes; else INCRBY fixed + g on every key.
const RESERVE_SCRIPT = `
local fixed = tonumber(ARGV[1])
local grant = tonumber(ARGV[2])
local min = tonumber(ARGV[3])
local ttl = ARGV[4]
for i, k in ipairs(KEYS) do
  local limit = tonumber(ARGV[4 + i])
  if limit > 0 then
    local used = tonumber(redis.call('GET', k) or '0')
    local left = limit - used - fixed
    if left < grant then grant = left end
  end
end
if grant < min then return -1 end
for i, k in ipairs(KEYS) do
  redis.call('INCRBY', k, fixed + grant)
  if redis.call('PTTL', k) < 0 then redis.call('PEXPIRE', k, ttl) end
end
return grant`;

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
    this.client.defineCommand('ewReserve', { lua: RESERVE_SCRIPT });
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  async incr(key: string, n: number, ttlMs: number): Promise<number> {
    const v = await (this.client as unknown as { ewIncr(k: string, n: number, ttl: number): Promise<number> }).ewIncr(key, n, ttlMs);
    return Number(v);
  }

  async reserve(keys: readonly string[], limits: readonly number[], fixed: number, want: number, min: number, ttlMs: number): Promise<number> {
    const cmd = this.client as unknown as { ewReserve(n: number, ...args: (string | number)[]): Promise<number> };
    return Number(await cmd.ewReserve(keys.length, ...keys, fixed, want, min, ttlMs, ...limits));
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
