import { describe, expect, it } from 'vitest';
import { UNKNOWN_TIER } from '../../net/ping';
import type { NetworkSnapshot } from '../../net/types';
import { cloudUnavailable, formatMs, predict } from './predict';

function snap(over: Partial<NetworkSnapshot> = {}, cloud: Partial<NetworkSnapshot['tiers']['cloud']> = {}): NetworkSnapshot {
  return {
    online: true,
    proxyReachable: true,
    rttMs: 30,
    jitterMs: 2,
    lossRate: 0,
    lastSampleAt: 1,
    probeCount: 1,
    tiers: {
      cloud: { configured: true, healthy: true, ttftMsEwma: 150, tokensPerSecEwma: 80, inFlight: 0, errorRate: 0, ...cloud },
      edge: { ...UNKNOWN_TIER },
    },
    observedCloud: { ttftMs: null, tokensPerSec: null },
    ...over,
  };
}

const seedDraft = 'Explain how photosynthesis converts light into chemical energy';

describe('predict', () => {
  it('the seed example (28 tok/s device, 30 ms link) comes out cloud-faster with the breakdown', () => {
    const p = predict({ draft: seedDraft, snapshot: snap(), device: { prefillTps: 200, decodeTps: 28 }, maxTokens: 150 });
    expect(p.outputTokens).toBe(120); // knowledge default, under the 150 cap
    expect(p.faster).toBe('cloud');
    expect(p.verdict).toMatch(/^Cloud faster: ~\d+(\.\d)? s vs ~\d+(\.\d)? s$/);
    expect(p.local.segments.map((s) => s.key)).toEqual(['prefill', 'generate']);
    expect(p.local.segments[1].ms).toBeCloseTo((120 / 28) * 1000);
    expect(p.cloud!.segments.map((s) => s.key)).toEqual(['network', 'queue', 'ttft', 'generate']);
    expect(p.cloud!.segments[0].ms).toBe(30);
    expect(p.cloud!.segments[2].ms).toBe(150);
    const sum = (xs: { ms: number }[]) => xs.reduce((a, s) => a + s.ms, 0);
    expect(sum(p.cloud!.segments)).toBeCloseTo(p.cloud!.totalMs);
    expect(sum(p.local.segments)).toBeCloseTo(p.local.totalMs);
    expect(p.local.assumed).toEqual([]);
  });

  it('a greeting on a fast device over a 300 ms link comes out device-faster', () => {
    const p = predict({ draft: 'hi', snapshot: snap({ rttMs: 300 }, { ttftMsEwma: 400 }), device: { prefillTps: 500, decodeTps: 60 } });
    expect(p.kind).toBe('greeting');
    expect(p.faster).toBe('local');
    expect(p.verdict).toMatch(/^Device faster/);
  });

  it('more RTT and more load make the cloud slower', () => {
    const base = predict({ draft: seedDraft, snapshot: snap(), device: null }).cloud!.totalMs;
    expect(predict({ draft: seedDraft, snapshot: snap({ rttMs: 400 }), device: null }).cloud!.totalMs).toBeCloseTo(base + 370);
    const loaded = predict({ draft: seedDraft, snapshot: snap({}, { inFlight: 8 }), device: null }).cloud!;
    expect(loaded.segments.find((s) => s.key === 'queue')!.ms).toBeCloseTo(150); // ρ = ½ → one service time
  });

  it('says which numbers are assumed, and adds the load time when cold', () => {
    const p = predict({ draft: 'hello', snapshot: snap({}, { ttftMsEwma: null, tokensPerSecEwma: null }), device: null, deviceLoadMs: 3000 });
    expect(p.local.assumed.join(' ')).toMatch(/not measured/);
    expect(p.cloud!.assumed).toHaveLength(2);
    expect(p.local.segments[0]).toEqual({ key: 'load', label: 'Load model', ms: 3000 });
  });

  it('no cloud side when offline, not configured, unreachable or still checking', () => {
    expect(predict({ draft: 'x', snapshot: snap({ online: false }), device: null })).toMatchObject({ cloud: null, cloudUnavailable: 'offline', faster: null });
    expect(cloudUnavailable(snap({}, { configured: false }))).toBe('not-configured');
    expect(cloudUnavailable(snap({ proxyReachable: false }))).toBe('unreachable');
    expect(cloudUnavailable(snap({ lastSampleAt: null, probeCount: 0 }))).toBe('checking');
    expect(cloudUnavailable(snap({ lastSampleAt: null, probeCount: 3 }))).toBe('unreachable');
    expect(predict({ draft: 'x', snapshot: snap({ online: false }), device: null }).verdict).toMatch(/^On device/);
  });

  it('formats times', () => {
    expect(formatMs(850.4)).toBe('850 ms');
    expect(formatMs(2140)).toBe('2.1 s');
    expect(formatMs(12_600)).toBe('13 s');
  });
});

describe('panel formatting', async () => {
  const { pct, msNumber, tps, CLOUD_UNAVAILABLE_TEXT } = await import('./format');
  it('formats numbers for the panel, with a dash when unknown', () => {
    expect(pct(0.123)).toBe('12 %');
    expect(pct(7)).toBe('100 %');
    expect(msNumber(412.6)).toBe('413');
    expect(msNumber(null)).toBe('—');
    expect(tps(61.4)).toBe('61 tok/s');
    expect(tps(4.26)).toBe('4.3 tok/s');
    expect(tps(0)).toBe('—');
    expect(CLOUD_UNAVAILABLE_TEXT['not-configured']).toBe('Cloud not configured');
  });
});
