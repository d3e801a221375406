import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory.ts';
import { Limits, type CounterStore, type LostCharge } from './types.ts';

const cfg = { rateLimitPerMin: 0, authFailuresPerMin: 3, dailyTokenBudget: 100, dailyTokenBudgetPerClient: 40 };

describe('MemoryStore.reserve', () => {
  it('grants up to what every limited key has left, refuses below min, changes nothing on refusal', async () => {
    const s = new MemoryStore(() => 1_000);
    expect(await s.reserve(['g', 'c'], [100, 40], 5, 20, 1, 60_000)).toBe(20);
    expect(await s.get('c')).toBe(25);
    expect(await s.reserve(['g', 'c'], [100, 40], 5, 20, 1, 60_000)).toBe(10); // 40 − 25 − 5
    expect(await s.reserve(['g', 'c'], [100, 40], 5, 20, 1, 60_000)).toBe(-1);
    expect(await s.get('c')).toBe(40);
    expect(await s.get('g')).toBe(40);
    expect(await s.reserve(['g'], [0], 5, 20, 1, 60_000)).toBe(20); // limit 0 = none
  });

  it('is atomic under concurrency', async () => {
    const s = new MemoryStore();
    const grants = await Promise.all(Array.from({ length: 50 }, () => s.reserve(['k'], [50], 7, 3, 1, 60_000)));
    expect(grants.filter((g) => g > 0)).toHaveLength(5);
    expect(await s.get('k')).toBe(50);
  });
});

describe('Limits', () => {
  it('reserve → settle refunds the unused part; usage beyond the reservation is charged', async () => {
    const store = new MemoryStore();
    const l = new Limits(store, cfg);
    const r = await l.reserve('ip:a', 5, 1000);
    expect(r).toMatchObject({ ok: true, grant: 35 });
    if (!r.ok) throw new Error();
    await l.settle(r.reservation, 12);
    expect(await store.get(r.reservation!.keys[1])).toBe(12);
    const r2 = await l.reserve('ip:a', 5, 1000);
    expect(r2).toMatchObject({ ok: true, grant: 23 });
    const other = await l.reserve('ip:b', 5, 1000);
    expect(other).toMatchObject({ ok: true, grant: 35 });
    const refused = await l.reserve('ip:a', 5, 1000);
    expect(refused).toMatchObject({ ok: false, code: 'budget_exceeded' });
  });

  it('budgets off: no reservation, max_tokens untouched', async () => {
    const l = new Limits(new MemoryStore(), { ...cfg, dailyTokenBudget: 0, dailyTokenBudgetPerClient: 0 });
    expect(await l.reserve('ip:a', 5, 1000)).toEqual({ ok: true, reservation: null, grant: 1000 });
  });

  it('a settlement the store refuses is counted and reported, never thrown', async () => {
    const lostSeen: LostCharge[] = [];
    const broken: CounterStore = {
      incr: async () => {
        throw new Error('Connection is closed.');
      },
      get: async () => 0,
      reserve: async () => 100,
    };
    const l = new Limits(broken, cfg, 'ew:', Date.now, (x) => lostSeen.push(x));
    const r = await l.reserve('ip:a', 5, 100);
    if (!r.ok) throw new Error();
    await l.settle(r.reservation, 500); // 395 more than reserved
    await l.settle(r.reservation, 10); // a refund
    expect(l.lost).toEqual({ count: 2, tokens: 395 });
    expect(lostSeen.map((x) => x.tokens)).toEqual([395, -95]);
  });

  it('failed authentication: refused once the per-minute count is reached', async () => {
    const l = new Limits(new MemoryStore(), cfg);
    for (let i = 0; i < 3; i++) {
      expect((await l.checkAuthFailures('1.2.3.4')).ok).toBe(true);
      await l.recordAuthFailure('1.2.3.4');
    }
    expect(await l.checkAuthFailures('1.2.3.4')).toMatchObject({ ok: false, code: 'too_many_auth_failures' });
    expect((await l.checkAuthFailures('1.2.3.5')).ok).toBe(true);
  });
});
