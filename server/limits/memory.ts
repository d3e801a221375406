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
