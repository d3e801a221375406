// In-memory counters (one instance). Expired keys are swept lazily.

import type { CounterStore } from './types.ts';

export class MemoryStore implements CounterStore {
  private map = new Map<string, { v: number; exp: number }>();
  private lastSweep = 0;

  constructor(private now: () => number = Date.now) {}

  async incr(key: string, n: number, ttlMs: number): Promise<number> {
    const t = this.now();
    this.sweep(t);
    const e = this.map.get(key);
    if (!e || e.exp <= t) {
      this.map.set(key, { v: n, exp: t + ttlMs });
      return n;
    }
    e.v += n;
    return e.v;
  }

  async reserve(keys: readonly string[], limits: readonly number[], fixed: number, want: number, min: number, ttlMs: number): Promise<number> {
    // One synchronous step: nothing can run between the check and the add.
    const t = this.now();
    this.sweep(t);
    let grant = want;
    for (let i = 0; i < keys.length; i++) {
      if (!(limits[i] > 0)) continue;
      const e = this.map.get(keys[i]);
      const used = e && e.exp > t ? e.v : 0;
      grant = Math.min(grant, limits[i] - used - fixed);
    }
    if (grant < min) return -1;
    for (const k of keys) {
      const e = this.map.get(k);
      if (!e || e.exp <= t) this.map.set(k, { v: fixed + grant, exp: t + ttlMs });
      else e.v += fixed + grant;
    }
    return grant;
  }

  async get(key: string): Promise<number> {
    const e = this.map.get(key);
    return e && e.exp > this.now() ? e.v : 0;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  private sweep(t: number): void {
    if (t - this.lastSweep < 10_000) return;
    this.lastSweep = t;
    for (const [k, e] of this.map) if (e.exp <= t) this.map.delete(k);
  }
}
