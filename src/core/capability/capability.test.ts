import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  classifyQuery, extractFeatures, pAccept, pAcceptDetailed, AcceptanceStats, DEFAULT_LOCAL_PROFILE,
  DEFAULT_EDGE_PROFILE, selfConfidence, combineConfidence, QUERY_KINDS,
} from './index';
import type { QueryKind } from '../types';

describe('classifyQuery', () => {
  const table: [string, QueryKind][] = [
    ['hello', 'greeting'],
    ['Hi there!', 'greeting'],
    ['good morning, how are you?', 'greeting'],
    ['thanks', 'greeting'],
    ['Translate "good night" into French', 'translation'],
    ['How do you say thank you in Japanese?', 'translation'],
    ['Who wrote Hamlet?', 'knowledge'],
    ['What is the capital of Australia?', 'knowledge'],
    ['Explain how vaccines work', 'knowledge'],
    ['Write a Python function that reverses a linked list', 'code'],
    ['fix this bug: TypeError: undefined is not a function in my JavaScript code', 'code'],
    ['```\nconst x = 1;\n```\nwhy does this fail?', 'code'],
    ['If all bloops are razzies and all razzies are lazzies, are all bloops lazzies?', 'logic'],
    ['Solve this riddle: what has keys but can not open locks?', 'logic'],
    ['Prove that the square root of 2 is irrational', 'math'],
    ['what is 17 * 23?', 'math'],
    ['Compute the integral of x^2 from 0 to 3', 'math'],
    ['Compare React and Svelte for a large application, with trade-offs', 'analysis'],
    ['Analyze the implications of rising interest rates on housing', 'analysis'],
    ['Write a haiku about autumn', 'creative'],
    ['Write a short story about a robot who learns to paint', 'creative'],
    ['Write a 300-word poem about the sea', 'creative'],
  ];
  it.each(table)('%s → %s', (text, kind) => {
    expect(classifyQuery(text).kind).toBe(kind);
  });

  it('falls back to knowledge with low confidence when no rule fires', () => {
    const c = classifyQuery('blue elephants');
    expect(c.kind).toBe('knowledge');
    expect(c.confidence).toBeLessThan(0.5);
    expect(classifyQuery('').kind).toBe('knowledge');
  });

  it('is confident on clear cases', () => {
    expect(classifyQuery('hello').confidence).toBeGreaterThan(0.8);
  });

  it('long texts are not greetings', () => {
    expect(classifyQuery('hello, I would like you to analyze the trade-offs between microservices and a monolith for my team').kind).toBe('analysis');
  });

  it('counts constraints and raises difficulty with them', () => {
    const f = extractFeatures('Give a rigorous proof, step by step, in 500 words, formatted as a table, without using induction.');
    expect(f.constraints).toEqual(expect.arrayContaining(['rigorous', 'proof', 'step-by-step', 'word-target', 'format', 'restriction']));
    expect(f.wordTarget).toBe(500);
    const list = extractFeatures('Do these:\n- one\n- two\n- three');
    expect(list.constraints).toContain('list');
    const plain = classifyQuery('Prove that there are infinitely many primes');
    const hard = classifyQuery('Give a rigorous proof, step by step, that there are infinitely many primes');
    expect(hard.kind).toBe('math');
    expect(hard.difficulty).toBeGreaterThan(plain.difficulty);
    expect(classifyQuery('hi').difficulty).toBeLessThan(plain.difficulty);
  });

  it('never throws and stays in range on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        const c = classifyQuery(s);
        return QUERY_KINDS.includes(c.kind) && c.confidence >= 0 && c.confidence <= 1 && c.difficulty >= 0 && c.difficulty <= 1;
      }),
    );
  });
});

describe('pAccept', () => {
  it('starts from the seed priors', () => {
    const expected: Record<QueryKind, number> = {
      greeting: 0.9, translation: 0.8, knowledge: 0.65, code: 0.5, logic: 0.35, math: 0.25, analysis: 0.15, creative: 0.55,
    };
    for (const k of QUERY_KINDS) {
      expect(pAccept({ kind: k, features: extractFeatures('x') })).toBeCloseTo(expected[k]);
    }
  });

  it('drops with constraints and very long prompts', () => {
    const q = classifyQuery('Prove that there are infinitely many primes');
    const hard = classifyQuery('Give a rigorous proof, step by step, that there are infinitely many primes');
    expect(pAccept(hard)).toBeLessThan(pAccept(q));
    const long = { kind: 'knowledge' as const, features: { ...extractFeatures('x'), tokens: 3000 } };
    const d = pAcceptDetailed(long);
    expect(d.lengthMultiplier).toBeLessThan(0.5);
  });

  it('learns per kind from outcomes (Beta posterior)', () => {
    const stats = new AcceptanceStats();
    const q = { kind: 'math' as const, features: extractFeatures('x') };
    for (let i = 0; i < 36; i++) stats.record('math', true);
    // (4·0.25 + 36) / (4 + 36) = 0.925
    expect(pAccept(q, DEFAULT_LOCAL_PROFILE, stats)).toBeCloseTo(0.925);
    for (let i = 0; i < 10; i++) stats.record('greeting', false);
    expect(pAccept({ kind: 'greeting', features: extractFeatures('x') }, DEFAULT_LOCAL_PROFILE, stats)).toBeCloseTo(3.6 / 14);
    // Serialized state works too.
    const state = JSON.parse(JSON.stringify(stats));
    expect(pAccept(q, DEFAULT_LOCAL_PROFILE, state)).toBeCloseTo(0.925);
    expect(pAccept(q, DEFAULT_LOCAL_PROFILE, AcceptanceStats.from(state))).toBeCloseTo(0.925);
  });

  it('the edge profile is stronger than the device', () => {
    for (const k of QUERY_KINDS) expect(DEFAULT_EDGE_PROFILE.prior[k]).toBeGreaterThan(DEFAULT_LOCAL_PROFILE.prior[k]);
  });
});

describe('AcceptanceStats', () => {
  it('records, rates, forgets and round-trips', () => {
    const s = new AcceptanceStats(0.5);
    expect(s.rate('code')).toBeNull();
    s.record('code', true);
    s.record('code', false);
    expect(s.counts('code')).toEqual({ accepted: 0.5, rejected: 1 });
    const r = AcceptanceStats.from(JSON.parse(JSON.stringify(s)));
    expect(r.counts('code')).toEqual(s.counts('code'));
    expect(r.decay).toBe(0.5);
    expect(AcceptanceStats.from({ kinds: { code: { accepted: -1, rejected: 2 } } }).counts('code')).toEqual({ accepted: 0, rejected: 0 });
    expect(() => new AcceptanceStats(0)).toThrow(RangeError);
  });
});

describe('self-confidence and the acceptance rule', () => {
  it('summarizes token logprobs', () => {
    const sc = selfConfidence([{ logprob: -0.1 }, { logprob: -0.3 }, { logprob: -2 }]);
    expect(sc.n).toBe(3);
    expect(sc.mean).toBeCloseTo(-0.8);
    expect(sc.min).toBe(-2);
    expect(sc.meanEntropy).toBeNull();
    expect(sc.score).toBeCloseTo(Math.exp(-0.8));
  });

  it('entropy lowers the score; empty input has no score', () => {
    const a = selfConfidence([{ logprob: -0.2, entropy: 0 }]);
    const b = selfConfidence([{ logprob: -0.2, entropy: 2 }]);
    expect(b.score!).toBeLessThan(a.score!);
    expect(b.meanEntropy).toBe(2);
    expect(selfConfidence([]).score).toBeNull();
    expect(selfConfidence(null).n).toBe(0);
    expect(selfConfidence([{ logprob: NaN }]).score).toBeNull();
  });

  it('accepts iff consistency ≥ θ and self-confidence is not very low', () => {
    const rule = { thetaConsistency: 0.6, thetaSelf: 0.15 };
    expect(combineConfidence(0.82, 0.7, rule)).toMatchObject({ accept: true, verdict: 'accepted' });
    expect(combineConfidence(0.6, null, rule).accept).toBe(true);
    expect(combineConfidence(0.59, 0.99, rule)).toMatchObject({ accept: false, verdict: 'low-consistency' });
    expect(combineConfidence(0.9, 0.05, rule)).toMatchObject({ accept: false, verdict: 'self-veto' });
    expect(combineConfidence(0.9, selfConfidence([{ logprob: -5 }]), rule).verdict).toBe('self-veto');
    expect(combineConfidence(NaN, 0.9, rule).accept).toBe(false);
    expect(combineConfidence(0.61, undefined).accept).toBe(true);
  });
});
