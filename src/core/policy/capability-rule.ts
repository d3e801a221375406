// The capability model as the policy's two hooks: the pre-generation estimate
// (PlanCapability: skip hopeless local tries) and the accept rule after
// generating (calibrated P(good) ≥ θ). θ keeps its meaning as "the bar an
// answer must clear", now on a probability.
import type { QueryKind } from '../types';
import type { CapabilityModel, KindOffsets } from '../capability/model/model';
import type { TokenLogprobLike } from '../capability/confidence';
import { selfConfidence } from '../capability/confidence';
import type { AcceptRule } from './accept';
import type { PlanCapability } from './plan-types';

/** Below this pre-generation P the plain-words reason says the kind of question goes badly here. */
export const OFTEN_BAD_BELOW = 0.5;

export function capabilityReason(p: number): string | undefined {
  return p < OFTEN_BAD_BELOW ? 'Questions like this are often answered badly on this device' : undefined;
}

/** The before-stage estimate for plan(). */
export function planCapability(model: CapabilityModel, q: { text: string; kind?: QueryKind }, offsets?: KindOffsets | null): PlanCapability & { kind: QueryKind } {
  const e = model.estimate({ query: q.text, kind: q.kind }, 'before', offsets);
  return { pLocal: e.p, reason: capabilityReason(e.p), kind: e.kind };
}

export interface CapabilityRuleOptions {
  model: CapabilityModel;
  offsets?: () => KindOffsets | null;
  /** Called with every local estimate (the app keeps it for feedback). */
  onEstimate?: (e: { question: string; kind: QueryKind; p: number }) => void;
}

/**
 * Accept rule: a local answer is kept when the model's P(good) ≥ θ; remote
 * tiers (no capability model for them) keep the reranker threshold.
 */
export function capabilityRule(thetaConsistency: number, o: CapabilityRuleOptions): AcceptRule {
  return (e) => {
    if (e.tier !== 'local') {
      const accepted = e.consistency >= thetaConsistency;
      return { tier: e.tier, consistency: e.consistency, accepted, verdict: accepted ? 'accepted' : 'low-consistency' };
    }
    const logprobs: readonly TokenLogprobLike[] | null = e.logprobs;
    const est = o.model.estimate({ query: e.question, kind: e.kind, answer: e.answer, rerank: e.consistency, logprobs }, 'after', o.offsets?.() ?? null);
    o.onEstimate?.({ question: e.question, kind: est.kind, p: est.p });
    const accepted = est.p >= thetaConsistency;
    return {
      tier: e.tier,
      consistency: e.consistency,
      self: selfConfidence(logprobs).score,
      accepted,
      verdict: accepted ? 'accepted' : 'low-consistency',
      pGood: est.p,
    };
  };
}
