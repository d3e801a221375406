// RouteLLM-style threshold calibration: pick θ_consistency so that a target
// share of turns escalates, on the consistency scores of past local answers.
//
// Turns with consistency < θ escalate. θ is the target quantile of the scores:
// sorted ascending s_(1) ≤ … ≤ s_(n), θ = s_(k+1) with k = round(target·n),
// which escalates exactly k turns when the scores are distinct (ties escalate
// fewer: the share reported is the one θ really implies).
import { justAbove } from '../numeric';

export interface CalibrationTrace {
  /** Consistency score of the local answer. */
  consistency: number;
  /** Ground truth (judge or user): was the local answer good? */
  accepted?: boolean | null;
  /** Was the cloud answer good? Assumed true when missing. */
  cloudAccepted?: boolean | null;
}

export interface CalibrationResult {
  threshold: number;
  /** Share of traces that θ escalates. */
  cloudShare: number;
  targetCloudShare: number;
  n: number;
  /**
   * Share of turns whose final answer is good: kept local answers that were
   * good + escalated turns whose cloud answer was good. null without labels.
   */
  quality: number | null;
  /** Quality if everything went to the cloud (the ceiling), null without labels. */
  cloudOnlyQuality: number | null;
  /** Share of kept local answers that were good (precision of "accept"), null without labels. */
  keptLocalPrecision: number | null;
}

export function calibrateThreshold(traces: readonly CalibrationTrace[], targetCloudShare: number): CalibrationResult {
  if (!(targetCloudShare >= 0 && targetCloudShare <= 1)) {
    throw new RangeError(`targetCloudShare must be in [0, 1], got ${targetCloudShare}`);
  }
  const valid = traces.filter((t) => typeof t.consistency === 'number' && Number.isFinite(t.consistency));
  const n = valid.length;
  if (n === 0) {
    return { threshold: NaN, cloudShare: NaN, targetCloudShare, n: 0, quality: null, cloudOnlyQuality: null, keptLocalPrecision: null };
  }
  const sorted = valid.map((t) => t.consistency).sort((a, b) => a - b);
  const k = Math.round(targetCloudShare * n);
  // Escalate everything: a threshold just above the maximum.
  const threshold = k >= n ? justAbove(sorted[n - 1]) : sorted[k];
  let escalated = 0;
  let labelled = 0;
  let good = 0;
  let cloudGood = 0;
  let kept = 0;
  let keptGood = 0;
  for (const t of valid) {
    const esc = t.consistency < threshold;
    if (esc) escalated += 1;
    if (typeof t.accepted === 'boolean') {
      labelled += 1;
      const cloudOk = t.cloudAccepted ?? true;
      if (cloudOk) cloudGood += 1;
      if (esc) {
        if (cloudOk) good += 1;
      } else {
        kept += 1;
        if (t.accepted) {
          good += 1;
          keptGood += 1;
        }
      }
    }
  }
  return {
    threshold,
    cloudShare: escalated / n,
    targetCloudShare,
    n,
    quality: labelled ? good / labelled : null,
    cloudOnlyQuality: labelled ? cloudGood / labelled : null,
    keptLocalPrecision: labelled && kept ? keptGood / kept : labelled ? null : null,
  };
}
