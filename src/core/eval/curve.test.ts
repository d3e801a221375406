import { describe, expect, it } from 'vitest';
import { apgr, cpt, oracleCurve, qualityCurve, summarize, trapezoidArea, type ScoredTurn } from './curve';

const t = (consistency: number, localCorrect: number, cloudCorrect: number, extra: Partial<ScoredTurn> = {}): ScoredTurn => ({
  consistency, localCorrect, cloudCorrect, ...extra,
});
const pts = (s: ReturnType<typeof summarize>) => s.curve.map((p) => [p.cloudShare, p.quality]);

describe('quality curve, APGR, CPT (hand-computed)', () => {
  // A good router: the two turns only the cloud gets right have the lowest scores.
  //   A c=.9 L=1 C=1 · B c=.7 L=1 C=0 · C c=.4 L=0 C=1 · D c=.2 L=0 C=1
  // θ=.2  → none escalate   share 0    q = (1+1+0+0)/4 = .50
  // θ=.4  → D               share .25  q = (1+1+0+1)/4 = .75
  // θ=.7  → C,D             share .50  q = (1+1+1+1)/4 = 1
  // θ=.9  → B,C,D           share .75  q = (1+0+1+1)/4 = .75
  // θ>.9  → all             share 1    q = (1+0+1+1)/4 = .75
  // AUC = .25·(.5+.75)/2 + .25·(.75+1)/2 + .25·(1+.75)/2 + .25·(.75+.75)/2 = .78125
  // APGR = (.78125 − .5)/(.75 − .5) = 1.125 (better than the cloud alone: it keeps B local)
  // CPT(.5): target .625 → .25 · CPT(.8): target .7 → .25 · CPT(1.5): target .875 → .5
  const good = [t(0.9, 1, 1), t(0.7, 1, 0), t(0.4, 0, 1), t(0.2, 0, 1)];

  it('sweeps every distinct score plus one above the max, share 0 → 1', () => {
    const s = summarize(good);
    expect(pts(s)).toEqual([[0, 0.5], [0.25, 0.75], [0.5, 1], [0.75, 0.75], [1, 0.75]]);
    expect(s.curve.map((p) => p.threshold).slice(0, 4)).toEqual([0.2, 0.4, 0.7, 0.9]);
    expect(s.curve[4].threshold).toBeGreaterThan(0.9);
    expect(s.curve[4].threshold).toBeLessThan(0.90001);
    expect(s.localQuality).toBe(0.5);
    expect(s.cloudQuality).toBe(0.75);
    expect(s.auc).toBeCloseTo(0.78125, 12);
    expect(s.apgr).toBeCloseTo(1.125, 12);
    expect(s.cpt50).toBe(0.25);
    expect(s.cpt80).toBe(0.25);
    expect(cpt(s.curve, 1.5, s.localQuality, s.cloudQuality)).toBe(0.5);
    expect(s.n).toBe(4);
  });

  it('CPT is null when no point reaches the target', () => {
    const s = summarize(good);
    // target .5 + 2.5·.25 = 1.125 > the best quality (1)
    expect(cpt(s.curve, 2.5, s.localQuality, s.cloudQuality)).toBeNull();
  });

  it('the oracle escalates the biggest gains first', () => {
    // gains (C − L): A 0, B −1, C +1, D +1 → order +1, +1, 0, −1
    expect(oracleCurve(good).map((p) => [p.cloudShare, p.quality])).toEqual([[0, 0.5], [0.25, 0.75], [0.5, 1], [0.75, 1], [1, 0.75]]);
  });

  it('ties escalate together (no point between them)', () => {
    //   A c=.3 L=0 C=1 · B c=.3 L=1 C=1 · C c=.6 L=1 C=1 · D c=.9 L=0 C=1
    // θ=.3 → none    share 0    q = (0+1+1+0)/4 = .50
    // θ=.6 → A,B     share .50  q = (1+1+1+0)/4 = .75   (never .25: A and B tie)
    // θ=.9 → A,B,C   share .75  q = .75
    // θ>.9 → all     share 1    q = 1
    // AUC = .5·(.5+.75)/2 + .25·(.75+.75)/2 + .25·(.75+1)/2 = .3125 + .1875 + .21875 = .71875
    // APGR = (.71875 − .5)/(1 − .5) = .4375 · CPT(.5): target .75 → .5 · CPT(.8): target .9 → 1
    const s = summarize([t(0.3, 0, 1), t(0.3, 1, 1), t(0.6, 1, 1), t(0.9, 0, 1)]);
    expect(pts(s)).toEqual([[0, 0.5], [0.5, 0.75], [0.75, 0.75], [1, 1]]);
    expect(s.apgr).toBeCloseTo(0.4375, 12);
    expect(s.cpt50).toBe(0.5);
    expect(s.cpt80).toBe(1);
  });

  it('a router worse than random has APGR below 0.5 (here negative)', () => {
    // The scores are backwards: the turns the device gets right score lowest.
    //   A c=.1 L=1 C=1 · B c=.2 L=1 C=0 · C c=.8 L=0 C=1 · D c=.9 L=0 C=1
    // θ=.1 → none   0    q = (1+1+0+0)/4 = .50
    // θ=.2 → A      .25  q = (1+1+0+0)/4 = .50
    // θ=.8 → A,B    .50  q = (1+0+0+0)/4 = .25
    // θ=.9 → A,B,C  .75  q = (1+0+1+0)/4 = .50
    // θ>.9 → all    1    q = (1+0+1+1)/4 = .75
    // AUC = .125 + .09375 + .09375 + .15625 = .46875 → APGR = (.46875 − .5)/.25 = −.125
    // The random router (the diagonal) has AUC (.5+.75)/2 = .625 → APGR .5.
    const s = summarize([t(0.1, 1, 1), t(0.2, 1, 0), t(0.8, 0, 1), t(0.9, 0, 1)]);
    expect(s.auc).toBeCloseTo(0.46875, 12);
    expect(s.apgr).toBeCloseTo(-0.125, 12);
    expect(s.apgr!).toBeLessThan(0.5);
    expect(apgr(0.625, 0.5, 0.75)).toBeCloseTo(0.5, 12);
    // CPT(.5): target .625 → first reached only at share 1
    expect(s.cpt50).toBe(1);
  });

  it('q_cloud == q_local: APGR is undefined (null), CPT is 0 (the target is q_local)', () => {
    //   A c=.5 L=1 C=1 · B c=.5 L=0 C=1 · C c=.8 L=1 C=0
    // θ=.5 → none 0 q 2/3 · θ=.8 → A,B 2/3 q 1 · θ>.8 → all 1 q 2/3
    // AUC = (2/3)·(2/3+1)/2 + (1/3)·(1+2/3)/2 = 5/6
    const s = summarize([t(0.5, 1, 1), t(0.5, 0, 1), t(0.8, 1, 0)]);
    expect(s.curve.map((p) => p.cloudShare)).toEqual([0, 2 / 3, 1]);
    expect(s.localQuality).toBeCloseTo(2 / 3, 12);
    expect(s.cloudQuality).toBeCloseTo(2 / 3, 12);
    expect(s.auc).toBeCloseTo(5 / 6, 12);
    expect(s.apgr).toBeNull();
    expect(s.cpt50).toBe(0);
  });

  it('fractional correctness counts as a partial answer', () => {
    // A c=.2 L=.5 C=1 · B c=.6 L=1 C=.5 → θ=.2: q=.75 · θ=.6: q=(1+1)/2=1 · all: q=.75
    const s = summarize([t(0.2, 0.5, 1), t(0.6, 1, 0.5)]);
    expect(pts(s)).toEqual([[0, 0.75], [0.5, 1], [1, 0.75]]);
    expect(s.apgr).toBeNull();
  });

  it('mean latency (escalated turns pay local + cloud) and cost per point', () => {
    // X c=.2 local 100 ms, cloud 1000 ms, $0.01 · Y c=.8 local 300 ms, cloud 500 ms, $0.02
    // θ=.2 → none: (100+300)/2 = 200 ms, $0 · θ=.8 → X: (1100+300)/2 = 700 ms, $.005 · all: (1100+800)/2 = 950 ms, $.015
    const c = qualityCurve([
      t(0.2, 1, 1, { localLatencyMs: 100, cloudLatencyMs: 1000, cloudCostUsd: 0.01 }),
      t(0.8, 1, 1, { localLatencyMs: 300, cloudLatencyMs: 500, cloudCostUsd: 0.02 }),
    ]);
    expect(c.map((p) => p.meanLatencyMs)).toEqual([200, 700, 950]);
    expect(c[0].meanCostUsd).toBe(0);
    expect(c[1].meanCostUsd).toBeCloseTo(0.005, 12);
    expect(c[2].meanCostUsd).toBeCloseTo(0.015, 12);
  });

  it('latency/cost are null unless every turn has them', () => {
    const c = qualityCurve([t(0.2, 1, 1, { localLatencyMs: 100, cloudLatencyMs: 1000 }), t(0.8, 1, 1)]);
    expect(c.every((p) => p.meanLatencyMs === null && p.meanCostUsd === null)).toBe(true);
  });

  it('one turn: two points, share 0 and 1', () => {
    const s = summarize([t(0.4, 0, 1)]);
    expect(pts(s)).toEqual([[0, 0], [1, 1]]);
    expect(s.apgr).toBeCloseTo(0.5, 12); // a straight line is the random router
  });

  it('rejects empty input and non-finite scores', () => {
    expect(() => summarize([])).toThrow(/no turns/);
    expect(() => qualityCurve([t(NaN, 1, 1)])).toThrow(/finite/);
  });

  it('trapezoid area of a unit step', () => {
    expect(trapezoidArea([{ cloudShare: 0, quality: 0 }, { cloudShare: 0.5, quality: 1 }, { cloudShare: 1, quality: 1 }])).toBeCloseTo(0.75, 12);
  });
});
