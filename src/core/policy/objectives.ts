// Step 3 of plan(): score each candidate ladder on the five objectives
// (each in 0..1), weight them, and pick the best.
import type { Weights } from './weights';
import { OBJECTIVES } from './weights';
import type { CandidateScore, ObjectiveScores } from './plan-types';
import { COST_KAPPA_USD, LATENCY_TAU_MS, UTILITY_EPSILON } from './constants';
import { evaluateLadder, type Candidate, type LadderEval, type TierModels } from './ladders';

export interface Choice {
  scored: CandidateScore[];
  best: CandidateScore | null;
  /** The chosen ladder's expectations; null when nothing can answer. */
  bestEval: LadderEval | null;
}

/** Latency and cost are relative to the best candidate; quality, privacy and availability are absolute. */
export function objectiveScores(e: LadderEval, minMs: number, minCost: number): ObjectiveScores {
  return {
    quality: e.quality,
    latency: (minMs + LATENCY_TAU_MS) / (e.ms + LATENCY_TAU_MS),
    cost: (minCost + COST_KAPPA_USD) / (e.cost + COST_KAPPA_USD),
    privacy: 1 - e.exposure,
    availability: 1 - e.availPenalty,
  };
}

export function utilityOf(scores: ObjectiveScores, weights: Weights): number {
  let u = 0;
  for (const k of OBJECTIVES) u += weights[k] * scores[k];
  return u;
}

/** The highest utility wins; ties go to the earlier, more local candidate. */
export function chooseLadder(candidates: readonly Candidate[], tm: TierModels, checkMs: number, weights: Weights): Choice {
  const evals = candidates.map((c) => evaluateLadder(c.tiers, c.hedge, tm, checkMs));
  const minMs = Math.min(...evals.map((e) => e.ms));
  const minCost = Math.min(...evals.map((e) => e.cost));
  const scored: CandidateScore[] = candidates.map((c, i) => {
    const e = evals[i];
    const scores = objectiveScores(e, minMs, minCost);
    // Fields listed, not spread: V8's spread-then-extend is ~100× slower here (bench: plan() per call).
    return { strategy: c.strategy, tiers: c.tiers, hedge: c.hedge, expectedMs: e.ms, costUsd: e.cost, quality: e.quality, scores, utility: utilityOf(scores, weights) };
  });
  let best: CandidateScore | null = null;
  for (const s of scored) if (!best || s.utility > best.utility + UTILITY_EPSILON) best = s;
  return { scored, best, bestEval: best ? evals[scored.indexOf(best)] : null };
}
