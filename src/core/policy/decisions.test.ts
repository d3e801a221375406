// The decisions the turn pipeline delegates to the pure policy: a forced
// tier, a capability model's estimate, what to do when a tier fails, the
// accept rule and the privacy → plan mapping.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { plan, onTierFailure, consistencyRule, planPrivacyFrom, type PlanInput, type FailureContext } from './index';
import { assessPrivacy, scanPatterns } from '../privacy';
import { ENTITY_WORDING, TIER_WORDING } from '../wording';
import { TYPE_LABEL, NEVER_SENDABLE } from '../privacy/sensitivity';
import type { Tier } from '../types';

function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    query: { text: 'What is the capital of France?' },
    privacy: { action: 'allow', sensitivity: 0, reasons: [] },
    network: { online: true, cloudConfigured: true, rttMs: 30, cloudTtftMs: 400, cloudTps: 80 },
    device: { localAvailable: true, decodeTps: 60, prefillTps: 500 },
    settings: { mode: 'balanced' },
    ...over,
  };
}

describe('plan(): the user forces the cloud', () => {
  it('a forced re-ask goes to the cloud directly, and says so first', () => {
    const normal = plan(input({ query: { text: 'hello' } }));
    expect(normal.tiers[0]).toBe('local');
    const p = plan(input({ query: { text: 'hello' }, force: 'cloud' }));
    expect(p).toMatchObject({ strategy: 'cloud-direct', tiers: ['cloud'], route: 'cloud', hedge: false, bestEffort: false });
    expect(p.reasons[0]).toBe('Re-asked in the cloud at your request');
    expect(p.expected.totalMs).toBeCloseTo(p.latency.cloudMs);
    expect(p.expected.pEscalate).toBe(0);
  });

  it('never over privacy: a local-only message cannot be forced out', () => {
    const p = plan(input({ force: 'cloud', privacy: { action: 'local-only', sensitivity: 1, neverSendable: [{ type: 'CREDIT_CARD' }] } }));
    expect(p.strategy).toBe('unavailable');
    expect(p.tiers).toEqual([]);
    expect(p.reasons).toEqual(['This message cannot be sent to the cloud: it contains data that stays on this device.']);
  });

  it('never over connectivity or missing consent: the plan says why', () => {
    expect(plan(input({ force: 'cloud', network: { online: false, cloudConfigured: true } })).reasons).toEqual(['The cloud cannot be reached right now.']);
    expect(plan(input({ force: 'cloud', network: { online: true, cloudConfigured: false } })).reasons).toEqual(['No cloud is configured for this app.']);
    expect(plan(input({ force: 'cloud', network: { online: true, cloudConfigured: true, cloudHealthy: false, edgeConfigured: true } })).reasons[0])
      .toBe('The cloud cannot be reached right now.');
    const consent = plan(input({ force: 'cloud', settings: { mode: 'privacy-first' }, privacy: { action: 'pseudonymize', sensitivity: 0.5, entities: [{ type: 'PERSON' }] } }));
    expect(consent.strategy).toBe('unavailable');
    expect(consent.needsConsent).toBe(true); // the turn may still ask, then plan again
    expect(consent.reasons[0]).toMatch(/^Kept on device: sending would share a name \(as placeholders\) and you have not agreed/);
    const agreed = plan(input({ force: 'cloud', settings: { mode: 'privacy-first' }, privacy: { action: 'pseudonymize', sensitivity: 0.5, entities: [{ type: 'PERSON' }], hasConsent: true } }));
    expect(agreed.tiers).toEqual(['cloud']);
  });
});

describe('plan(): a capability model plugs in', () => {
  it('its P(good) replaces the built-in estimate: a hopeless greeting skips the device, with the model\'s own words', () => {
    const builtIn = plan(input({ query: { text: 'hello' } }));
    expect(builtIn.tiers[0]).toBe('local');
    const p = plan(input({ query: { text: 'hello' }, capability: { pLocal: 0.02, reason: 'Questions like this often go wrong on this device' } }));
    expect(p.expected.pAccept).toBe(0.02);
    expect(p.tiers).toEqual(['cloud']);
    expect(p.reasons[0]).toBe('Questions like this often go wrong on this device');
  });

  it('a confident model keeps a proof on the device; a prompt beyond the window still gets 0', () => {
    const proof = 'Give a rigorous proof that there are infinitely many primes.';
    expect(plan(input({ query: { text: proof } })).tiers).toEqual(['cloud']);
    expect(plan(input({ query: { text: proof }, capability: { pLocal: 0.97 } })).tiers[0]).toBe('local');
    expect(plan(input({ query: { text: proof }, capability: { pLocal: 0.97 }, device: { localAvailable: true, contextWindow: 10 } })).expected.pAccept).toBe(0);
  });

  it('is monotone: a higher P(good) never makes the device less likely to go first', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const first = (p: number) => plan(input({ query: { text: 'Explain how vaccines work' }, capability: { pLocal: p } })).tiers[0] === 'local';
      return !first(lo) || first(hi);
    }));
  });
});

describe('onTierFailure: one rule for every failure', () => {
  const cases: [FailureContext, ReturnType<typeof onTierFailure>][] = [
    [{ tier: 'cloud', isLast: true, hasDeviceDraft: true, deviceAvailable: true }, 'show-draft'],
    [{ tier: 'cloud', isLast: true, hasDeviceDraft: true, deviceAvailable: false }, 'show-draft'],
    [{ tier: 'edge', isLast: false, hasDeviceDraft: true, deviceAvailable: true }, 'show-draft'],
    [{ tier: 'cloud', isLast: true, hasDeviceDraft: false, deviceAvailable: true }, 'fall-back-to-device'],
    [{ tier: 'edge', isLast: true, hasDeviceDraft: false, deviceAvailable: true }, 'fall-back-to-device'],
    [{ tier: 'cloud', isLast: true, hasDeviceDraft: false, deviceAvailable: false }, 'fail'],
    [{ tier: 'local', isLast: false, hasDeviceDraft: false, deviceAvailable: true }, 'next-tier'],
    [{ tier: 'local', isLast: true, hasDeviceDraft: false, deviceAvailable: true }, 'fail'],
  ];
  it.each(cases)('%o → %s', (ctx, action) => {
    expect(onTierFailure(ctx)).toBe(action);
  });
});

describe('consistencyRule: today\'s accept rule', () => {
  const rule = consistencyRule(0.6);
  const ev = (tier: Tier, consistency: number, logprob?: number) => ({
    tier, question: 'q', answer: 'a', kind: 'knowledge' as const, consistency, logprobs: logprob === undefined ? null : [{ logprob }, { logprob }],
  });
  it('accepts at θ, rejects below, and the device\'s own doubt vetoes', () => {
    expect(rule(ev('local', 0.6))).toMatchObject({ accepted: true, verdict: 'accepted', consistency: 0.6 });
    expect(rule(ev('local', 0.59))).toMatchObject({ accepted: false, verdict: 'low-consistency' });
    expect(rule(ev('local', 0.9, -3))).toMatchObject({ accepted: false, verdict: 'self-veto' });
    expect(rule(ev('edge', 0.9, -3))).toMatchObject({ accepted: true, self: null }); // only the device's logprobs count
  });
});

describe('planPrivacyFrom: one mapping for the turn, the replay and the CLI', () => {
  it('carries the assessment and the stricter action actually taken', () => {
    const text = 'Mail alice@example.com';
    const entities = scanPatterns(text);
    const a = assessPrivacy(entities, { mode: 'performance-first' });
    expect(planPrivacyFrom(a, entities, { hasConsent: true, consentRequired: null })).toEqual({
      action: a.action, sensitivity: a.sensitivity, reasons: a.reasons, entities, replaced: a.toReplace, neverSendable: [], hasConsent: true, consentRequired: undefined,
    });
    const strict = planPrivacyFrom(a, entities, { action: 'local-only', neverSendable: [{ type: 'IBAN' }] });
    expect(strict.action).toBe('local-only');
    expect(plan(input({ privacy: strict })).reasons[0]).toBe('Kept on device: contains an IBAN');
  });
});

describe('wording: one source', () => {
  it('privacy reasons, policy reasons and the UI tables say the same thing', async () => {
    const { describeEntityTypes, tierPhrase, tierName } = await import('./describe');
    const { typeLabel, pluralList } = await import('../../ui/privacy/labels');
    for (const [type, w] of Object.entries(ENTITY_WORDING)) {
      expect(TYPE_LABEL[type as keyof typeof TYPE_LABEL]).toBe(w.one);
      expect(describeEntityTypes([type])).toBe(w.one);
      expect(typeLabel(type as keyof typeof TYPE_LABEL)).toBe(w.one);
      expect(pluralList([type])).toBe(w.many);
    }
    for (const t of ['local', 'edge', 'cloud'] as const) {
      expect(tierPhrase(t)).toBe(TIER_WORDING[t].where);
      expect(tierName(t)).toBe(TIER_WORDING[t].name);
    }
  });

  it('the policy names never-sendable types from the privacy layer\'s own set', () => {
    for (const type of NEVER_SENDABLE) {
      const p = plan(input({ privacy: { action: 'local-only', sensitivity: 1, entities: [{ type: 'PERSON' }, { type }] } }));
      expect(p.reasons[0]).toBe(`Kept on device: contains ${ENTITY_WORDING[type].one}`);
    }
  });
});
