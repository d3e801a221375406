import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Ewma, estimateCloud, estimateLocal, queueFactor, predictOutputTokens, OutputLengthStats,
  DEFAULT_OUTPUT_TOKENS, QUEUE_CAP_FACTOR, DEFAULT_CLOUD, estimateTokens,
} from './index';

describe('Ewma', () => {
  it('is a running mean while warming up, then an EWMA', () => {
    const e = new Ewma({ alpha: 0.125 });
    expect(e.value).toBeNull();
    expect(e.valueOr(7)).toBe(7);
    e.observe(100).observe(200);
    expect(e.value).toBeCloseTo(150);
    expect(e.count).toBe(2);
    for (let i = 0; i < 200; i++) e.observe(50);
    expect(e.value).toBeCloseTo(50, 3);
  });

  it('tracks jitter as the mean absolute deviation', () => {
    const e = new Ewma();
    for (let i = 0; i < 400; i++) e.observe(i % 2 === 0 ? 90 : 110);
    expect(e.value).toBeGreaterThan(95);
    expect(e.value).toBeLessThan(105);
    expect(e.jitter).toBeGreaterThan(5);
    expect(e.jitter).toBeLessThan(20);
    const flat = new Ewma();
    for (let i = 0; i < 50; i++) flat.observe(100);
    expect(flat.jitter).toBe(0);
  });

  it('tracks the loss rate without moving the mean', () => {
    const e = new Ewma();
    e.observe(100).observeLoss().observe(100).observeLoss();
    expect(e.value).toBe(100);
    expect(e.lossRate).toBeCloseTo(0.5, 1);
    expect(e.lostCount).toBe(2);
    for (let i = 0; i < 100; i++) e.observe(100);
    expect(e.lossRate).toBeLessThan(0.01);
  });

  it('ignores non-finite samples and round-trips through JSON', () => {
    const e = new Ewma({ alpha: 0.2, beta: 0.3 });
    e.observe(NaN).observe(Infinity);
    expect(e.count).toBe(0);
    e.observe(10).observe(30).observeLoss();
    const restored = Ewma.from(JSON.parse(JSON.stringify(e)));
    expect(restored.toJSON()).toEqual(e.toJSON());
    restored.observe(20);
    e.observe(20);
    expect(restored.value).toBe(e.value);
    expect(Ewma.from(null).value).toBeNull();
    expect(Ewma.from({ value: 'x' as unknown as number, count: 3 }).count).toBe(0);
  });

  it('rejects bad parameters', () => {
    expect(() => new Ewma({ alpha: 0 })).toThrow(RangeError);
    expect(() => new Ewma({ beta: 2 })).toThrow(RangeError);
  });
});

describe('latency model', () => {
  it('reproduces the seed example: 28 tok/s device, 150 tokens, 30 ms, 20 % load → cloud faster', () => {
    const local = estimateLocal({ promptTokens: 30, outputTokens: 150, prefillTps: 200, decodeTps: 28 });
    const cloud = estimateCloud({ promptTokens: 30, outputTokens: 150, rttMs: 30, load: 0.2, ttftMs: 400, tps: 80 });
    expect(local.totalMs).toBeGreaterThan(5200);
    expect(local.totalMs).toBeLessThan(5800);
    expect(cloud.breakdown.generateMs).toBeCloseTo(1875);
    expect(cloud.breakdown.queueMs).toBeCloseTo(100); // 400 · 0.2/0.8
    expect(cloud.totalMs).toBeLessThan(2500);
    expect(cloud.totalMs).toBeLessThan(local.totalMs / 2);
    // With the chart's implied ~150 ms first token the cloud side is the seed's ≈2.1 s.
    const chart = estimateCloud({ promptTokens: 30, outputTokens: 150, rttMs: 30, load: 0.2, ttftMs: 150, tps: 80 });
    expect(chart.totalMs).toBeGreaterThan(1950);
    expect(chart.totalMs).toBeLessThan(2200);
  });

  it('short answer on a fast laptop over a 300 ms link → local faster', () => {
    const local = estimateLocal({ promptTokens: 20, outputTokens: 20, prefillTps: 500, decodeTps: 60 });
    const cloud = estimateCloud({ promptTokens: 20, outputTokens: 20, ...DEFAULT_CLOUD, rttMs: 300 });
    const cloud300 = estimateCloud({ promptTokens: 20, outputTokens: 20, rttMs: 300, load: 0.2, ttftMs: 400, tps: 80 });
    expect(local.totalMs).toBeLessThan(450);
    expect(cloud300.totalMs).toBeGreaterThan(900);
    expect(local.totalMs).toBeLessThan(cloud300.totalMs);
    expect(cloud.totalMs).toBeGreaterThan(local.totalMs);
  });

  it('breaks the time down and adds load time only when cold', () => {
    const warm = estimateLocal({ promptTokens: 100, outputTokens: 50, prefillTps: 100, decodeTps: 10 });
    expect(warm.breakdown).toEqual({ loadMs: 0, prefillMs: 1000, generateMs: 5000 });
    const cold = estimateLocal({ promptTokens: 100, outputTokens: 50, prefillTps: 100, decodeTps: 10, loadMs: 3000 });
    expect(cold.totalMs).toBe(9000);
  });

  it('counts connection set-up and upload time', () => {
    const base = { promptTokens: 1000, outputTokens: 10, rttMs: 50, load: 0, ttftMs: 200, tps: 100 };
    expect(estimateCloud(base).breakdown.networkMs).toBe(50);
    expect(estimateCloud({ ...base, coldConnection: true }).breakdown.networkMs).toBe(150);
    // 1 MB at 8 Mbit/s = 1 s.
    expect(estimateCloud({ ...base, uploadBytes: 1_000_000, bandwidthBps: 8_000_000 }).breakdown.networkMs).toBeCloseTo(1050);
  });

  it('queueing grows with load and is capped', () => {
    expect(queueFactor(0)).toBe(0);
    expect(queueFactor(0.5)).toBeCloseTo(1);
    expect(queueFactor(0.9)).toBeCloseTo(9);
    expect(queueFactor(1)).toBe(QUEUE_CAP_FACTOR);
    expect(queueFactor(5)).toBe(QUEUE_CAP_FACTOR);
    expect(queueFactor(-1)).toBe(0);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return queueFactor(lo) <= queueFactor(hi) && queueFactor(hi) <= QUEUE_CAP_FACTOR;
      }),
    );
  });

  it('never returns NaN or negative times for any input', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: false }), fc.double(), fc.double(), fc.double(), fc.double(),
        (p, o, r, l, t) => {
          const a = estimateLocal({ promptTokens: p, outputTokens: o, prefillTps: r, decodeTps: t, loadMs: l });
          const b = estimateCloud({ promptTokens: p, outputTokens: o, rttMs: r, load: l, ttftMs: t, tps: r });
          return Number.isFinite(a.totalMs) && a.totalMs >= 0 && Number.isFinite(b.totalMs) && b.totalMs >= 0;
        },
      ),
    );
  });

  it('estimates tokens from text', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('hello')).toBe(2);
    expect(estimateTokens('a'.repeat(400))).toBe(100);
  });
});

describe('output length prediction', () => {
  it('uses per-kind defaults clamped to max_tokens', () => {
    expect(predictOutputTokens('greeting', 1024)).toBe(20);
    expect(predictOutputTokens('analysis', 1024)).toBe(400);
    expect(predictOutputTokens('analysis', 256)).toBe(256);
    expect(predictOutputTokens('code', 0)).toBe(DEFAULT_OUTPUT_TOKENS.code);
  });

  it('learns per kind from observed outputs and round-trips', () => {
    const h = new OutputLengthStats();
    for (let i = 0; i < 30; i++) h.record('greeting', 60);
    h.record('code', -5);
    expect(h.get('code')).toBeNull();
    const g = predictOutputTokens('greeting', 1024, h);
    expect(g).toBeGreaterThan(50);
    expect(g).toBeLessThanOrEqual(60);
    expect(predictOutputTokens('knowledge', 1024, h)).toBe(120);
    const restored = OutputLengthStats.from(JSON.parse(JSON.stringify(h)));
    expect(predictOutputTokens('greeting', 1024, restored)).toBe(g);
  });

  it('blends the first observations with the default', () => {
    const h = new OutputLengthStats();
    h.record('knowledge', 420);
    expect(predictOutputTokens('knowledge', 1024, h)).toBe(Math.round(0.25 * 420 + 0.75 * 120));
  });

  it('an explicit word target wins', () => {
    expect(predictOutputTokens('creative', 2048, null, { wordTarget: 500 })).toBe(675);
    expect(predictOutputTokens('creative', 300, null, { wordTarget: 500 })).toBe(300);
  });
});
