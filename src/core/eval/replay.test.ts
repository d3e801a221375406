import { describe, expect, it } from 'vitest';
import { outcomeFor, replayPolicy } from './replay';
import { latencyGrid } from './latency-grid';
import { parseRecords, RecordError } from './records';
import { curveSvg, heatmapSvg } from './svg';
import { summarize } from './curve';

describe('policy replay', () => {
  it('the acceptance rule decides local-verify turns: consistency < θ escalates', () => {
    expect(outcomeFor('local-verify', 0.59, 0.6)).toBe('escalated');
    expect(outcomeFor('local-verify', 0.6, 0.6)).toBe('kept-local');
    expect(outcomeFor('cloud-direct', 0.99, 0.6)).toBe('cloud-direct');
    expect(outcomeFor('local-only', 0.01, 0.6)).toBe('local-only');
  });

  it('a card number stays on the device in every mode; privacy-first tries the device first', () => {
    const turns = [
      { query: 'Is my card 4111 1111 1111 1111 still valid?', consistency: 0.1, localCorrect: 0, cloudCorrect: 1 },
      { query: 'hello', consistency: 0.95, localCorrect: 1, cloudCorrect: 1 },
      { query: 'Write a rigorous proof that there are infinitely many primes.', consistency: 0.2, localCorrect: 0, cloudCorrect: 1 },
    ];
    for (const mode of ['privacy-first', 'balanced', 'performance-first'] as const) {
      const r = replayPolicy(turns, { mode, thetaConsistency: 0.6 });
      expect(r.outcomes['local-only']).toBe(1);
    }
    const pf = replayPolicy(turns, { mode: 'privacy-first', thetaConsistency: 0.6 });
    // hello kept (.95 ≥ .6), the proof escalates (.2 < .6), the card stays local (wrong, quality 0)
    expect(pf.outcomes).toEqual({ 'kept-local': 1, escalated: 1, 'cloud-direct': 0, 'local-only': 1 });
    expect(pf.cloudShare).toBeCloseTo(1 / 3, 12);
    expect(pf.quality).toBeCloseTo(2 / 3, 12);
  });
});

describe('latency grid', () => {
  it('ratios are ≥ 1 and the always-accepting policy is never far from the faster side', () => {
    const g = latencyGrid({ mode: 'balanced' }, { decodeTps: [5, 100], rttMs: [10, 500], load: [0], outputTokens: [20, 600] });
    expect(g.cells).toHaveLength(4);
    expect(g.overall.points).toBe(8);
    for (const c of g.cells) expect(c.meanRatio).toBeGreaterThanOrEqual(1);
    // 100 tok/s device: local is faster for every output length here → all local, ratio 1
    const fast = g.cells.find((c) => c.decodeTps === 100 && c.rttMs === 500)!;
    expect(fast.localShare).toBe(1);
    expect(fast.meanRatio).toBe(1);
  });
});

describe('records and SVG', () => {
  it('parseRecords names the line; booleans count as 0/1', () => {
    const ok = parseRecords('\n{"query":"q","local":{"answer":"a","correct":true},"cloud":{"answer":"b","correct":false}}\n');
    expect(ok[0]).toMatchObject({ line: 2, local: { correct: 1 }, cloud: { correct: 0 } });
    try {
      parseRecords('{"query":"q","local":{"answer":"a","correct":1},"cloud":{"answer":"b","correct":1,"costUsd":-1}}');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RecordError);
      expect((e as RecordError).line).toBe(1);
      expect((e as Error).message).toMatch(/cloud\.costUsd must be in \[0, Infinity\]/);
    }
  });

  it('SVGs carry a title and a text description', () => {
    const s = summarize([{ consistency: 0.2, localCorrect: 0, cloudCorrect: 1 }, { consistency: 0.8, localCorrect: 1, cloudCorrect: 1 }]);
    const svg = curveSvg(s);
    expect(svg).toContain('<title id="t">Quality vs. cloud share</title>');
    expect(svg).toContain('APGR 0.750');
    const h = heatmapSvg(latencyGrid({ mode: 'balanced' }, { decodeTps: [10], rttMs: [50], load: [0], outputTokens: [100] }));
    expect(h).toMatch(/<desc id="d">1 points; mean ratio/);
  });
});
