import { describe, expect, it } from 'vitest';
import { networkLabel, ProbeWindow } from './label';
import type { NetworkSnapshot } from './types';

const tier = { configured: true, healthy: true, ttftMsEwma: null, tokensPerSecEwma: null, inFlight: 0, errorRate: 0 };
const snap = (probeCount: number, proxyReachable: boolean, online = true): NetworkSnapshot => ({
  online, proxyReachable, rttMs: 40, jitterMs: 1, lossRate: 0, lastSampleAt: 1, probeCount,
  tiers: { cloud: tier, edge: tier }, observedCloud: { ttftMs: null, tokensPerSec: null },
});

function after(results: boolean[]): string {
  const w = new ProbeWindow();
  results.forEach((ok, i) => w.observe(snap(i + 1, ok)));
  return networkLabel(snap(results.length, results[results.length - 1]), w.outcomes);
}

describe('the network label', () => {
  it('one lost probe among good ones never says unreachable', () => {
    expect(after([true, true, false])).toBe('Online · connection unsteady');
    expect(after([true, false, true])).toBe('Online · 40 ms');
  });

  it('says unreachable when the last several probes all failed', () => {
    expect(after([true, false, false, false])).toBe('Cloud unreachable — answering on device');
    expect(after([false, false])).toBe('Cloud unreachable — answering on device');
  });

  it('a single failed first probe is not enough', () => {
    expect(after([false])).not.toMatch(/unreachable/);
  });

  it('counts each probe once, however many snapshots it produced', () => {
    const w = new ProbeWindow();
    w.observe(snap(1, false));
    w.observe(snap(1, false));
    expect(w.outcomes).toEqual([false]);
  });

  it('offline wins', () => {
    expect(networkLabel(snap(0, false, false), [])).toBe('Offline — answering on device');
  });
});
