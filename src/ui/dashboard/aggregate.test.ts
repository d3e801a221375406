import { describe, expect, it } from 'vitest';
import { consistencyHistogram, latencyByRoute, privacySummary, quantile, savings, taskSummary, tierShareOverTime, type TraceLike } from './aggregate';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
function tr(p: Partial<TraceLike> & { finalTier: TraceLike['finalTier'] }): TraceLike {
  return {
    at: T0,
    strategy: 'local-verify',
    privacy: { action: 'allow', sensitivity: 0, types: [] },
    checks: [],
    thetaConsistency: 0.6,
    predicted: { totalMs: 1000, outputTokens: 100 },
    actual: { totalMs: 1000, tiers: [{ tier: p.finalTier, ms: 1000, outputTokens: 100 }] },
    ...p,
  };
}

describe('dashboard aggregates', () => {
  it('tier share over time picks the smallest bucket that fits', () => {
    const ts = [tr({ finalTier: 'local' }), tr({ finalTier: 'cloud', at: T0 + 30_000 }), tr({ finalTier: 'local', at: T0 + 5 * 60_000 })];
    const r = tierShareOverTime(ts);
    expect(r.size).toBe('minute');
    expect(r.buckets.map((b) => [b.counts.local, b.counts.cloud, b.total])).toEqual([[1, 1, 2], [1, 0, 1]]);
    // 3 days apart with 12 buckets max → day buckets
    const r2 = tierShareOverTime([tr({ finalTier: 'local' }), tr({ finalTier: 'edge', at: T0 + 3 * 86_400_000 })]);
    expect(r2.size).toBe('day');
    expect(r2.buckets).toHaveLength(2);
    expect(tierShareOverTime([]).buckets).toEqual([]);
  });

  it('savings: avoided cloud calls × output tokens × price', () => {
    const ts = [
      tr({ finalTier: 'local' }), // 100 tokens avoided
      tr({ finalTier: 'cloud', actual: { totalMs: 2000, tiers: [{ tier: 'local', ms: 500, outputTokens: 40 }, { tier: 'cloud', ms: 1500, outputTokens: 200 }] } }),
      tr({ finalTier: 'edge', actual: { totalMs: 900, tiers: [{ tier: 'edge', ms: 900, outputTokens: 300 }] } }),
    ];
    const s = savings(ts, 2); // $2 per M output tokens
    expect(s.cloudAvoided).toBe(2);
    expect(s.cloudCalls).toBe(1);
    expect(s.estimatedUsdSaved).toBeCloseTo((100 + 300) * 2e-6, 12);
    expect(s.estimatedUsdSpent).toBeCloseTo(200 * 2e-6, 12);
  });

  it('quantiles interpolate; latency by route groups by the answering tier', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 30, 40, 50], 0.95)).toBeCloseTo(48, 12);
    expect(quantile([], 0.5)).toBeNull();
    const ts = [
      tr({ finalTier: 'local', predicted: { totalMs: 400, outputTokens: 10 }, actual: { totalMs: 500, tiers: [] } }),
      tr({ finalTier: 'local', predicted: { totalMs: 600, outputTokens: 10 }, actual: { totalMs: 700, tiers: [] } }),
      tr({ finalTier: 'cloud', predicted: { totalMs: 2000, outputTokens: 10 }, actual: { totalMs: 1800, tiers: [] } }),
    ];
    const r = latencyByRoute(ts);
    expect(r.map((x) => x.tier)).toEqual(['local', 'cloud']);
    expect(r[0].predicted.median).toBe(500);
    expect(r[0].actual.median).toBe(600);
    expect(r[1].actual.p95).toBe(1800);
  });

  it('privacy: kept on device vs pseudonymized, entity types by frequency', () => {
    const ts = [
      tr({ finalTier: 'local', privacy: { action: 'local-only', sensitivity: 1, types: ['CREDIT_CARD'] } }),
      tr({ finalTier: 'cloud', privacy: { action: 'pseudonymize', sensitivity: 0.5, types: ['PERSON', 'EMAIL'] } }),
      tr({ finalTier: 'local', privacy: { action: 'pseudonymize', sensitivity: 0.5, types: ['PERSON'] } }),
      tr({ finalTier: 'cloud' }),
    ];
    const p = privacySummary(ts);
    expect(p.keptOnDevice).toBe(2);
    expect(p.pseudonymized).toBe(1);
    expect(p.withEntities).toBe(3);
    expect(p.types).toEqual([['PERSON', 2], ['CREDIT_CARD', 1], ['EMAIL', 1]]);
  });

  it('consistency histogram: ten bins, 1.0 in the last one', () => {
    const ts = [
      tr({ finalTier: 'local', checks: [{ tier: 'local', consistency: 0.95, accepted: true }] }),
      tr({ finalTier: 'cloud', checks: [{ tier: 'local', consistency: 0.05, accepted: false }, { tier: 'edge', consistency: 1, accepted: true }] }),
      tr({ finalTier: 'local', checks: [{ tier: 'local', consistency: 0.6, accepted: true }] }),
    ];
    const h = consistencyHistogram(ts);
    expect(h.n).toBe(4);
    expect(h.bins.map((b) => b.count)).toEqual([1, 0, 0, 0, 0, 0, 1, 0, 0, 2]);
  });
});

describe('taskSummary', () => {
  const step = (id: string | null, tiers: { tier: 'local' | 'cloud'; outputTokens: number }[]) => ({
    at: 0, finalTier: tiers[0].tier, strategy: 'local-verify', privacy: { action: 'allow', sensitivity: 0, types: [] }, checks: [],
    thetaConsistency: 0.6, predicted: { totalMs: 0, outputTokens: 0 }, actual: { totalMs: 0, tiers: tiers.map((t) => ({ ...t, ms: 0 })) },
    ...(id ? { task: { id } } : {}),
  });
  it('counts split requests once each and the share of their text generated on the device', () => {
    const s = taskSummary([
      step('t1', [{ tier: 'local', outputTokens: 300 }]),
      step('t1', [{ tier: 'cloud', outputTokens: 100 }]),
      step('t2', [{ tier: 'local', outputTokens: 50 }, { tier: 'cloud', outputTokens: 50 }]),
      step(null, [{ tier: 'cloud', outputTokens: 1000 }]),
    ]);
    expect(s.splitRequests).toBe(2);
    expect(s.deviceTokenShare).toBeCloseTo(350 / 500);
    expect(taskSummary([step(null, [{ tier: 'local', outputTokens: 5 }])])).toEqual({ splitRequests: 0, deviceTokenShare: null });
  });
});
