// Self-confidence from the local engine's token log-probs, and the acceptance
// rule that combines it with the ConsRoute consistency score.
//
// Rule (a veto, not a weighted sum — see docs/routing.md):
//   accept  ⇔  consistency ≥ θ_consistency  ∧  ¬(self.score < θ_self)
// The consistency score stays the single calibrated threshold (calibrateThreshold
// works on it); self-confidence only vetoes answers the model itself was very
// unsure about.

export interface TokenLogprobLike {
  logprob: number;
  /** Entropy (nats) of the next-token distribution, when the engine reports it. */
  entropy?: number;
}

export interface SelfConfidence {
  /** Number of tokens with a finite logprob. */
  n: number;
  /** Mean token logprob (nats, ≤ 0). */
  mean: number;
  /** Minimum token logprob. */
  min: number;
  /** Mean entropy (nats), or null when not reported. */
  meanEntropy: number | null;
  /**
   * 0..1: the geometric-mean token probability exp(mean), lowered by the
   * entropy when known (score · exp(−meanEntropy / 4)). null when no logprobs.
   */
  score: number | null;
}

export function selfConfidence(logprobs: readonly TokenLogprobLike[] | null | undefined): SelfConfidence {
  let n = 0;
  let sum = 0;
  let min = 0;
  let entSum = 0;
  let entN = 0;
  for (const t of logprobs ?? []) {
    const lp = t?.logprob;
    if (typeof lp !== 'number' || !Number.isFinite(lp)) continue;
    const v = Math.min(0, lp);
    n += 1;
    sum += v;
    if (n === 1 || v < min) min = v;
    if (typeof t.entropy === 'number' && Number.isFinite(t.entropy) && t.entropy >= 0) {
      entSum += t.entropy;
      entN += 1;
    }
  }
  if (n === 0) return { n: 0, mean: 0, min: 0, meanEntropy: null, score: null };
  const mean = sum / n;
  const meanEntropy = entN > 0 ? entSum / entN : null;
  let score = Math.exp(mean);
  if (meanEntropy !== null) score *= Math.exp(-meanEntropy / 4);
  return { n, mean, min, meanEntropy, score: Math.max(0, Math.min(1, score)) };
}

export interface ConfidenceRule {
  /** Accept at or above this consistency score (ConsRoute θ). */
  thetaConsistency: number;
  /** Veto below this self-confidence score. */
  thetaSelf: number;
}

export const DEFAULT_CONFIDENCE_RULE: Readonly<ConfidenceRule> = Object.freeze({
  thetaConsistency: 0.6,
  thetaSelf: 0.15,
});

export type ConfidenceVerdict = 'accepted' | 'low-consistency' | 'self-veto';

export interface ConfidenceDecision {
  accept: boolean;
  verdict: ConfidenceVerdict;
  consistency: number;
  self: number | null;
  thetaConsistency: number;
  thetaSelf: number;
}

export function combineConfidence(
  consistency: number,
  self: SelfConfidence | number | null | undefined,
  rule: Partial<ConfidenceRule> = {},
): ConfidenceDecision {
  const thetaConsistency = rule.thetaConsistency ?? DEFAULT_CONFIDENCE_RULE.thetaConsistency;
  const thetaSelf = rule.thetaSelf ?? DEFAULT_CONFIDENCE_RULE.thetaSelf;
  const selfScore = typeof self === 'number' ? self : (self?.score ?? null);
  const c = Number.isFinite(consistency) ? consistency : 0;
  let verdict: ConfidenceVerdict = 'accepted';
  if (!(c >= thetaConsistency)) verdict = 'low-consistency';
  else if (selfScore !== null && selfScore < thetaSelf) verdict = 'self-veto';
  return { accept: verdict === 'accepted', verdict, consistency: c, self: selfScore, thetaConsistency, thetaSelf };
}
