import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  plan, explainOutcome, explainDetails, calibrateThreshold, normalizeWeights, resolveWeights, MODE_WEIGHTS, PRESETS,
  describeEntityTypes, fmtSeconds, type PlanInput,
} from './index';
import { AcceptanceStats } from '../capability/stats';
import type { Mode } from '../types';

type Over = {
  text?: string;
  mode?: Mode;
  privacy?: Partial<PlanInput['privacy']>;
  network?: Partial<PlanInput['network']>;
  device?: Partial<PlanInput['device']>;
  settings?: PlanInput['settings'];
  outputTokens?: number;
  stats?: PlanInput['stats'];
};

function input(o: Over = {}): PlanInput {
  return {
    query: { text: o.text ?? 'Explain how the transformer architecture works' },
    privacy: { action: 'allow', sensitivity: 0, reasons: [], ...o.privacy },
    network: { online: true, cloudConfigured: true, rttMs: 30, cloudLoad: 0.2, cloudTtftMs: 400, cloudTps: 80, ...o.network },
    device: { localAvailable: true, decodeTps: 28, prefillTps: 200, ...o.device },
    settings: { mode: o.mode ?? 'balanced', ...o.settings },
    stats: o.stats,
    outputTokens: o.outputTokens,
  };
}

const WEAK_PHONE = { decodeTps: 8, prefillTps: 60 };
const FAST_LAPTOP = { decodeTps: 60, prefillTps: 500 };
const NORMAL = { decodeTps: 30, prefillTps: 300 };
const CARD = {
  action: 'local-only' as const, sensitivity: 1,
  entities: [{ type: 'CREDIT_CARD' }], neverSendable: [{ type: 'CREDIT_CARD' }], reasons: ['contains a credit card number'],
};
const PERSON = { action: 'pseudonymize' as const, sensitivity: 0.5, entities: [{ type: 'PERSON' }], reasons: [] };

describe('plan(): the seed scenarios', () => {
  it('seed latency example (28 tok/s, 150 tokens, 30 ms, 20 % load) → cloud, with the comparison in the reasons', () => {
    const p = plan(input({ outputTokens: 150 }));
    expect(p.latency.cloudMs).toBeLessThan(p.latency.localMs);
    expect(p.latency.localMs).toBeGreaterThan(5000);
    expect(p.latency.cloudMs).toBeLessThan(2600);
    expect(p.strategy).toBe('cloud-direct');
    expect(p.route).toBe('cloud');
    // Plain words in the reasons; the seconds are in the answer's details.
    expect(p.reasons.join(' ')).toMatch(/cloud is (also )?faster for this question/i);
    expect(p.reasons.join(' ')).not.toMatch(/\d/);
    expect(explainDetails({ plan: p, finalTier: 'cloud' }).join(' ')).toMatch(/~5\.\d s on device, ~2\.\d s in the cloud/);
  });

  it('weak phone + long answer → cloud', () => {
    const p = plan(input({ text: 'Write a detailed essay on the causes of World War I', device: WEAK_PHONE, network: { rttMs: 80 } }));
    expect(p.expected.outputTokens).toBeGreaterThanOrEqual(300);
    expect(p.route).toBe('cloud');
    expect(p.strategy).toBe('cloud-direct');
  });

  it('short answer + fast laptop + slow link (300 ms) → local', () => {
    const p = plan(input({ text: 'What is the capital of France?', outputTokens: 20, device: FAST_LAPTOP, network: { rttMs: 300 } }));
    expect(p.latency.localMs).toBeLessThan(p.latency.cloudMs);
    expect(p.strategy).toBe('local-verify');
    expect(p.route).toBe('local');
    expect(p.tiers).toEqual(['local', 'cloud']);
    expect(p.reasons.join(' ')).toMatch(/On device is faster for this question/);
  });

  it('offline → local, best effort', () => {
    const p = plan(input({ outputTokens: 150, network: { online: false } }));
    expect(p).toMatchObject({ strategy: 'local-only', route: 'local', tiers: ['local'], bestEffort: true });
    expect(p.constraints).toContain('offline');
    expect(p.reasons[0]).toMatch(/^Offline/);
  });

  it.each<Mode>(['privacy-first', 'balanced', 'performance-first'])('a card number stays on the device in %s mode', (mode) => {
    const p = plan(input({ mode, outputTokens: 400, device: WEAK_PHONE, privacy: CARD }));
    expect(p.route).toBe('local');
    expect(p.tiers).toEqual(['local']);
    expect(p.hedge).toBe(false);
    expect(p.allowed.cloud).toBe(false);
    expect(p.reasons[0]).toBe('Kept on device: contains a card number');
  });

  it('privacy-first blocks escalation of a named person without consent', () => {
    const p = plan(input({ mode: 'privacy-first', text: 'Write a long report about what Alice Smith should do', privacy: PERSON }));
    expect(p.tiers).toEqual(['local']);
    expect(p.needsConsent).toBe(true);
    expect(p.constraints).toContain('consent-missing');
    expect(p.reasons[0]).toMatch(/^Kept on device: sending would share a name/);
    // With consent it may escalate (pseudonymized).
    const ok = plan(input({ mode: 'privacy-first', text: 'Write a long report about what Alice Smith should do', privacy: { ...PERSON, hasConsent: true } }));
    expect(ok.tiers).toEqual(['local', 'cloud']);
    expect(ok.needsConsent).toBe(false);
    // Balanced mode does not ask by default.
    expect(plan(input({ privacy: PERSON })).needsConsent).toBe(false);
  });

  it('no cloud configured → local', () => {
    const p = plan(input({ outputTokens: 400, network: { cloudConfigured: false } }));
    expect(p).toMatchObject({ strategy: 'local-only', route: 'local', bestEffort: true });
    expect(p.reasons[0]).toBe('Cloud is not configured: answering on device');
  });

  it('cloud configured but unreachable → local best effort', () => {
    const p = plan(input({ outputTokens: 400, network: { cloudHealthy: false } }));
    expect(p.route).toBe('local');
    expect(p.constraints).toContain('cloud-unreachable');
  });

  it('greeting on a normal device → local-verify', () => {
    const p = plan(input({ text: 'hello', device: NORMAL, network: { rttMs: 60, cloudLoad: 0 } }));
    expect(p.kind).toBe('greeting');
    expect(p.strategy).toBe('local-verify');
    expect(p.route).toBe('local');
    expect(p.expected.pAccept).toBeGreaterThan(0.8);
  });

  it('a rigorous proof with a weak local model: low pAccept; the choice follows the expected times', () => {
    for (const device of [WEAK_PHONE, NORMAL, FAST_LAPTOP, { decodeTps: 150, prefillTps: 2000 }]) {
      const p = plan(input({ text: 'Give a rigorous proof, step by step, that there are infinitely many primes.', device }));
      expect(p.kind).toBe('math');
      expect(p.expected.pAccept).toBeLessThan(0.2);
      expect(['cloud-direct', 'local-verify']).toContain(p.strategy);
      expect(p.route).toBe('cloud');
      if (p.strategy === 'local-verify') {
        // Trying locally first only if it is not slower on average than the cloud.
        expect(p.expected.localFirstMs).toBeLessThanOrEqual(p.expected.cloudMs * 1.05);
      } else {
        expect(p.expected.localFirstMs).toBeGreaterThan(p.expected.cloudMs);
      }
    }
  });

  it('a hopeless local attempt is skipped (capability gate)', () => {
    const p = plan(input({ text: 'Analyze the trade-offs of the strategy in depth', device: FAST_LAPTOP, settings: { skipLocalBelow: 0.2 } }));
    expect(p.expected.pAccept).toBeLessThan(0.2);
    expect(p.strategy).toBe('cloud-direct');
    expect(p.reasons[0]).toMatch(/rarely handles in-depth analysis/);
  });

  it('mode changes the decision: the seed example is tried on the device in privacy-first mode', () => {
    const balanced = plan(input({ outputTokens: 150 }));
    const pf = plan(input({ outputTokens: 150, mode: 'privacy-first' }));
    expect(balanced.strategy).toBe('cloud-direct');
    expect(pf.strategy).toBe('local-verify');
    expect(pf.reasons).toContain('Privacy-first mode: the device tries first');
  });

  it('performance-first hedges when escalation is likely and the device could finish first', () => {
    const text = 'Write a Python function that merges two sorted lists';
    const p = plan(input({ text, mode: 'performance-first', device: { decodeTps: 80, prefillTps: 800 }, network: { rttMs: 200 } }));
    expect(p.strategy).toBe('local-verify');
    expect(p.hedge).toBe(true);
    const b = plan(input({ text, mode: 'balanced', device: { decodeTps: 80, prefillTps: 800 }, network: { rttMs: 200 } }));
    expect(b.hedge).toBe(false);
    // Never with a pseudonymized query.
    const q = plan(input({ text, mode: 'performance-first', privacy: PERSON, device: { decodeTps: 80, prefillTps: 800 }, network: { rttMs: 200 } }));
    expect(q.hedge).toBe(false);
  });

  it('uses the edge tier as the middle of the ladder', () => {
    const p = plan(input({ text: 'What is the capital of France?', outputTokens: 20, device: FAST_LAPTOP, network: { rttMs: 300, edgeConfigured: true, edgeRttMs: 5, edgeTps: 40 } }));
    expect(p.tiers).toEqual(['local', 'edge', 'cloud']);
    const slow = plan(input({ outputTokens: 300, device: WEAK_PHONE, network: { edgeConfigured: true, edgeRttMs: 5, edgeTps: 60, rttMs: 400 } }));
    expect(['edge-verify', 'cloud-direct']).toContain(slow.strategy);
    const offEdge = plan(input({ outputTokens: 300, device: WEAK_PHONE, network: { cloudConfigured: false, edgeConfigured: true, edgeTps: 60 } }));
    expect(offEdge.strategy).toBe('edge-direct');
    // Privacy local-only also blocks the edge.
    expect(plan(input({ privacy: CARD, network: { edgeConfigured: true } })).tiers).toEqual(['local']);
  });

  it('no local model and no cloud → unavailable; no local model → remote', () => {
    expect(plan(input({ device: { localAvailable: false }, network: { online: false } })).strategy).toBe('unavailable');
    expect(plan(input({ device: { localAvailable: false } })).strategy).toBe('cloud-direct');
  });

  it('a prompt beyond the context window skips the device when it can', () => {
    const long = 'word '.repeat(5000);
    expect(plan(input({ text: long, device: { contextWindow: 2048 } })).strategy).toBe('cloud-direct');
    const off = plan(input({ text: long, device: { contextWindow: 2048 }, network: { online: false } }));
    expect(off.strategy).toBe('local-only');
    expect(off.constraints).toContain('context-window');
  });

  it('learned acceptance moves the decision', () => {
    const text = 'Prove that sqrt(2) is irrational';
    const net = { rttMs: 200 };
    const base = plan(input({ text, device: FAST_LAPTOP, outputTokens: 40, network: net }));
    const stats = new AcceptanceStats();
    for (let i = 0; i < 50; i++) stats.record('math', true);
    const learned = plan(input({ text, device: FAST_LAPTOP, outputTokens: 40, network: net, stats: { acceptance: stats } }));
    expect(learned.expected.pAccept).toBeGreaterThan(base.expected.pAccept);
    expect(base.route).toBe('cloud');
    expect(base.expected.localFirstMs).toBeGreaterThan(base.expected.cloudMs);
    expect(learned.expected.localFirstMs).toBeLessThan(learned.expected.cloudMs);
    expect(learned.route).toBe('local');
  });

  it('cold model load counts against the device', () => {
    const warm = plan(input({ text: 'hello', device: NORMAL }));
    const cold = plan(input({ text: 'hello', device: { ...NORMAL, loaded: false, loadMs: 8000 } }));
    expect(cold.latency.local.breakdown.loadMs).toBe(8000);
    expect(cold.latency.localMs - warm.latency.localMs).toBeCloseTo(8000);
    expect(cold.route).toBe('cloud');
  });

  it('is total and deterministic over random inputs', () => {
    fc.assert(
      fc.property(
        fc.record({
          online: fc.boolean(), cloudConfigured: fc.boolean(), edge: fc.boolean(), local: fc.boolean(),
          rtt: fc.double({ min: 0, max: 2000, noNaN: true }), load: fc.double({ min: 0, max: 1, noNaN: true }),
          tps: fc.double({ min: 0.5, max: 200, noNaN: true }), out: fc.integer({ min: 1, max: 2000 }),
          action: fc.constantFrom('allow', 'pseudonymize', 'local-only'),
          mode: fc.constantFrom('privacy-first', 'balanced', 'performance-first'),
          text: fc.string({ maxLength: 80 }),
        }),
        (r) => {
          const i = input({
            text: r.text, mode: r.mode as Mode, outputTokens: r.out,
            privacy: { action: r.action as 'allow', sensitivity: r.action === 'allow' ? 0 : 0.8 },
            network: { online: r.online, cloudConfigured: r.cloudConfigured, edgeConfigured: r.edge, rttMs: r.rtt, cloudLoad: r.load },
            device: { localAvailable: r.local, decodeTps: r.tps },
          });
          const a = plan(i);
          const b = plan(i);
          expect(JSON.stringify(a)).toBe(JSON.stringify(b));
          if (r.action === 'local-only' || !r.online) expect(a.tiers.every((t) => t === 'local')).toBe(true);
          if (!r.local) expect(a.tiers).not.toContain('local');
          expect(a.reasons.length).toBeGreaterThan(0);
          expect(a.tiers.length === 0 || a.tiers.includes(a.route)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('weights', () => {
  it('normalizes and resolves modes and presets', () => {
    expect(normalizeWeights({ quality: 2, latency: 2 })).toEqual({ quality: 0.5, latency: 0.5, cost: 0, privacy: 0, availability: 0 });
    expect(normalizeWeights({ quality: -1 })).toEqual(MODE_WEIGHTS.balanced);
    expect(resolveWeights({}).mode).toBe('balanced');
    const med = resolveWeights({ preset: 'medical' });
    expect(med.mode).toBe('privacy-first');
    expect(med.weights.privacy).toBeGreaterThan(med.weights.quality);
    expect(med.weights.quality).toBeGreaterThan(med.weights.latency);
    expect(med.weights.latency).toBeGreaterThan(med.weights.cost);
    const rt = PRESETS['real-time-chat'].weights;
    expect(rt.latency > rt.quality && rt.quality > rt.cost && rt.cost > rt.privacy).toBe(true);
    expect(resolveWeights({ mode: 'balanced', preset: 'medical' }).mode).toBe('balanced');
    for (const m of Object.values(MODE_WEIGHTS)) expect(Object.values(m).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });

  it('custom weights change the decision', () => {
    const latencyOnly = plan(input({ text: 'hello', device: { decodeTps: 20 }, network: { rttMs: 50 }, settings: { weights: { latency: 1 } } }));
    const privacyOnly = plan(input({ text: 'hello', device: { decodeTps: 20 }, network: { rttMs: 50 }, settings: { weights: { privacy: 1 } } }));
    expect(latencyOnly.strategy).toBe('cloud-direct');
    expect(privacyOnly.strategy).toBe('local-verify');
  });
});

describe('explainOutcome', () => {
  const fast = plan(input({ text: 'What is the capital of France?', outputTokens: 20, device: FAST_LAPTOP, network: { rttMs: 300 } }));

  it('answered on device', () => {
    const s = explainOutcome({ plan: fast, finalTier: 'local', checks: [{ tier: 'local', consistency: 0.82, accepted: true }], actualMs: 400 });
    expect(s).toBe('Answered on device: it passed the quality check, and it was quicker than asking the cloud');
    const details = explainDetails({ plan: fast, finalTier: 'local', checks: [{ tier: 'local', consistency: 0.82, accepted: true }], actualMs: 400 });
    expect(details).toContain('On-device answer: consistency 0.82 (accepted at 0.60 or more) — accepted');
    expect(details).toContain(`Estimated time: ~${fmtSeconds(fast.latency.localMs)} on device, ~${fmtSeconds(fast.latency.cloudMs)} in the cloud`);
  });

  it('escalated to cloud', () => {
    expect(explainOutcome({ plan: fast, finalTier: 'cloud', checks: [{ tier: 'local', consistency: 0.21, accepted: false }] }))
      .toBe('Escalated to cloud: the on-device answer did not pass the quality check');
    expect(explainOutcome({ plan: fast, finalTier: 'cloud', checks: [{ tier: 'local', consistency: 0.9, self: 0.05, accepted: false, verdict: 'self-veto' }] }))
      .toBe('Escalated to cloud: the on-device model was unsure of its own answer');
  });

  it('kept on device for privacy', () => {
    const p = plan(input({ privacy: CARD }));
    expect(explainOutcome({ plan: p, finalTier: 'local', checks: [{ tier: 'local', consistency: 0.3, accepted: false }] }))
      .toBe('Kept on device: contains a card number');
  });

  it('offline, low confidence', () => {
    const p = plan(input({ network: { online: false } }));
    expect(explainOutcome({ plan: p, finalTier: 'local', checks: [{ tier: 'local', consistency: 0.3, accepted: false }] }))
      .toBe('Offline: on-device answer, low confidence — re-ask in the cloud when back online?');
    expect(explainOutcome({ plan: p, finalTier: 'local' })).toMatch(/low confidence/);
  });

  it('cloud direct, fault fallback, edge', () => {
    const seed = plan(input({ outputTokens: 150 }));
    const seedReason = explainOutcome({ plan: seed, finalTier: 'cloud' });
    expect(seedReason).toMatch(/^Answered in the cloud: the (cloud is faster|on-device model often gets)/);
    expect(seedReason).not.toMatch(/sent to the cloud|\d/i);
    expect(explainOutcome({ plan: seed, finalTier: 'local', failedTier: 'cloud' })).toBe('The cloud failed mid-answer: finished on device (best effort)');
    expect(explainOutcome({ plan: fast, finalTier: 'edge', checks: [{ tier: 'local', consistency: 0.4, accepted: false }, { tier: 'edge', consistency: 0.7, accepted: true }] }))
      .toBe('Escalated to edge: the on-device answer did not pass the quality check');
    expect(explainOutcome({ plan: fast, finalTier: 'cloud', checks: [{ tier: 'local', consistency: 0.4, accepted: false }, { tier: 'edge', consistency: 0.5, accepted: false }] }))
      .toBe('Escalated to cloud: the edge answer did not pass the quality check');
  });

  it('describes entity types', () => {
    expect(describeEntityTypes(['PERSON', 'EMAIL', 'PERSON'])).toBe('a name and an e-mail address');
    expect(describeEntityTypes([])).toBe('sensitive data');
  });
});

describe('calibrateThreshold', () => {
  const traces = Array.from({ length: 100 }, (_, i) => ({ consistency: i / 100, accepted: i >= 40 }));

  it('picks the quantile that gives the target cloud share', () => {
    const r = calibrateThreshold(traces, 0.3);
    expect(r.threshold).toBeCloseTo(0.3);
    expect(r.cloudShare).toBeCloseTo(0.3);
    // 30 escalated (cloud good) + 60 good kept of 70 kept.
    expect(r.quality).toBeCloseTo(0.9);
    expect(r.keptLocalPrecision).toBeCloseTo(60 / 70);
    expect(r.cloudOnlyQuality).toBe(1);
    expect(calibrateThreshold(traces, 0.4).quality).toBe(1);
  });

  it('handles the edges: 0, 1, ties, no labels, empty', () => {
    expect(calibrateThreshold(traces, 0).cloudShare).toBe(0);
    expect(calibrateThreshold(traces, 1).cloudShare).toBe(1);
    const ties = calibrateThreshold([{ consistency: 0.5 }, { consistency: 0.5 }, { consistency: 0.5 }, { consistency: 0.9 }], 0.5);
    expect(ties.cloudShare).toBeLessThanOrEqual(0.75);
    expect(ties.quality).toBeNull();
    expect(calibrateThreshold([], 0.3).n).toBe(0);
    expect(() => calibrateThreshold(traces, 1.5)).toThrow(RangeError);
  });

  it('the achieved share is within 1/n of the target for distinct scores', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, t) => {
        const r = calibrateThreshold(xs.map((c) => ({ consistency: c })), t);
        return Math.abs(r.cloudShare - t) <= 1 / xs.length / 2 + 1e-9;
      }),
    );
  });
});
