// The capability model as the policy's two hooks: the pre-generation estimate
// (PlanCapability: skip hopeless local tries) and the accept rule after
// generating (calibrated P(good) ≥ θ). θ keeps its meaning as "the bar an
// answer must clear", now on a probability.
import type { QueryKind } from '../types';
import type { Stage } from '../capability/model/model';
import type { TurnInput } from '../capability/model/features';
import type { TokenLogprobLike } from '../capability/confidence';
import { selfConfidence } from '../capability/confidence';
import type { AcceptRule } from './accept';
import type { PlanCapability } from './plan-types';

/** Below this pre-generation P the plain-words reason says the kind of question goes badly here. */
export const OFTEN_BAD_BELOW = 0.5;

export function capabilityReason(p: number): string | undefined {
  return p < OFTEN_BAD_BELOW ? 'Questions like this are often answered badly on this device' : undefined;
}

/** Anything that turns a turn into P(a good local answer): the model alone, or the model on a device (device-prior.ts). */
export type Estimator = (t: TurnInput, stage: Stage) => { p: number; kind: QueryKind };

/** The before-stage estimate for plan(). */
export function planCapability(estimate: Estimator, q: { text: string; kind?: QueryKind }): PlanCapability & { kind: QueryKind } {
  const e = estimate({ query: q.text, kind: q.kind }, 'before');
  return { pLocal: e.p, reason: capabilityReason(e.p), kind: e.kind };
}

export interface CapabilityRuleOptions {
  estimate: Estimator;
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
    const est = o.estimate({ query: e.question, kind: e.kind, answer: e.answer, rerank: e.consistency, logprobs }, 'after');
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
