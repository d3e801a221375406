// Whether an answer is good enough to show or the turn escalates. The ladder
// gathers the evidence (the reranker's consistency, the engine's token
// log-probs) and asks an AcceptRule; today's rule is the consistency
// threshold with the self-confidence veto (docs/routing.md §2). A learned
// capability model plugs in as another AcceptRule (its post-generation
// P(good) against θ) without touching the ladder.
import type { QueryKind, Tier } from '../types';
import { combineConfidence, selfConfidence, type TokenLogprobLike } from '../capability/confidence';
import type { TierCheck } from './explain';

export interface AnswerEvidence {
  tier: Tier;
  question: string;
  answer: string;
  kind: QueryKind;
  /** The reranker's score of (question, answer), 0..1. */
  consistency: number;
  /** The engine's token log-probs; null when it reports none (remote tiers, some engines). */
  logprobs: readonly TokenLogprobLike[] | null;
}

export type AcceptRule = (e: AnswerEvidence) => TierCheck;

/** Today's rule: consistency ≥ θ, vetoed when the device itself was very unsure. */
export function consistencyRule(thetaConsistency: number): AcceptRule {
  return (e) => {
    const self = e.tier === 'local' ? selfConfidence(e.logprobs) : null;
    const d = combineConfidence(e.consistency, self, { thetaConsistency });
    return { tier: e.tier, consistency: e.consistency, self: d.self, accepted: d.accept, verdict: d.verdict };
  };
}
