// Quality vs. cloud share for a consistency-threshold router, and the two
// RouteLLM summary numbers (APGR, CPT). Pure: no DOM, no Node APIs.
//
// A turn escalates when its consistency score is below θ. Sweeping θ over every
// distinct score (ascending) plus one value just above the maximum moves the
// cloud share from 0 (θ = the minimum: nothing is below it) to 1 (θ above the
// maximum: everything is below it). Turns with equal scores are on the same
// side of every θ, so they escalate together: the curve has one point per
// distinct score, plus the all-cloud point.
//
// quality(θ) = mean over turns of (escalated ? cloud.correct : local.correct)
// AUC        = trapezoid area under quality vs. cloud share over [0, 1]
// APGR       = (AUC − q_local) / (q_cloud − q_local)      (null when q_cloud = q_local)
// CPT(p)     = the smallest cloud share on the curve whose quality reaches
//              q_local + p·(q_cloud − q_local)              (null when no point does)

import { justAbove } from '../numeric';

/** One labeled turn, reduced to what the metrics need. */
export interface ScoredTurn {
  /** Consistency of the local answer (higher = the local answer is trusted). */
  consistency: number;
  /** Correctness of the local answer, 0..1. */
  localCorrect: number;
  /** Correctness of the cloud answer, 0..1. */
  cloudCorrect: number;
  localLatencyMs?: number;
  cloudLatencyMs?: number;
  cloudCostUsd?: number;
}

export interface CurvePoint {
  cloudShare: number;
  quality: number;
  /** Turns with consistency < threshold escalate. */
  threshold: number;
  /**
   * Mean end-to-end latency per turn: a kept turn costs its local latency, an
   * escalated one local + cloud (the device answered and was checked first).
   * null unless every turn has both latencies.
   */
  meanLatencyMs: number | null;
  /** Mean cloud cost per turn (escalated turns pay cloud.costUsd); null unless every turn has it. */
  meanCostUsd: number | null;
}

export interface OraclePoint {
  cloudShare: number;
  quality: number;
}

export interface EvalSummary {
  n: number;
  localQuality: number;
  cloudQuality: number;
  auc: number;
  /** null when cloudQuality == localQuality (the gap to recover is 0). */
  apgr: number | null;
  cpt50: number | null;
  cpt80: number | null;
  curve: CurvePoint[];
  oracle: OraclePoint[];
}

const EPS = 1e-9;

export { justAbove };

function hasAll(turns: readonly ScoredTurn[], key: keyof ScoredTurn): boolean {
  return turns.every((t) => typeof t[key] === 'number' && Number.isFinite(t[key] as number));
}

/** The quality/cloud-share curve, one point per distinct score plus the all-cloud point. */
export function qualityCurve(turns: readonly ScoredTurn[]): CurvePoint[] {
  const n = turns.length;
  if (n === 0) return [];
  for (const t of turns) {
    if (!Number.isFinite(t.consistency)) throw new RangeError(`consistency must be a finite number, got ${t.consistency}`);
  }
  const distinct = [...new Set(turns.map((t) => t.consistency))].sort((a, b) => a - b);
  const thresholds = [...distinct, justAbove(distinct[distinct.length - 1])];
  const withLatency = hasAll(turns, 'localLatencyMs') && hasAll(turns, 'cloudLatencyMs');
  const withCost = hasAll(turns, 'cloudCostUsd');
  return thresholds.map((threshold) => {
    let escalated = 0;
    let quality = 0;
    let latency = 0;
    let cost = 0;
    for (const t of turns) {
      const esc = t.consistency < threshold;
      if (esc) {
        escalated += 1;
        quality += t.cloudCorrect;
        if (withLatency) latency += t.localLatencyMs! + t.cloudLatencyMs!;
        if (withCost) cost += t.cloudCostUsd!;
      } else {
        quality += t.localCorrect;
        if (withLatency) latency += t.localLatencyMs!;
      }
    }
    return {
      cloudShare: escalated / n,
      quality: quality / n,
      threshold,
      meanLatencyMs: withLatency ? latency / n : null,
      meanCostUsd: withCost ? cost / n : null,
    };
  });
}

/**
 * The oracle router: escalates the turns that gain the most first
 * (cloud.correct − local.correct, descending), one turn at a time.
 */
export function oracleCurve(turns: readonly ScoredTurn[]): OraclePoint[] {
  const n = turns.length;
  if (n === 0) return [];
  const gains = turns.map((t) => t.cloudCorrect - t.localCorrect).sort((a, b) => b - a);
  let q = turns.reduce((s, t) => s + t.localCorrect, 0);
  const out: OraclePoint[] = [{ cloudShare: 0, quality: q / n }];
  gains.forEach((g, i) => {
    q += g;
    out.push({ cloudShare: (i + 1) / n, quality: q / n });
  });
  return out;
}

/** Trapezoid area under quality vs. cloud share (points sorted by share). */
export function trapezoidArea(points: ReadonlyArray<{ cloudShare: number; quality: number }>): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    area += ((b.cloudShare - a.cloudShare) * (a.quality + b.quality)) / 2;
  }
  return area;
}

/** (AUC − q_local) / (q_cloud − q_local); null when the gap is 0. */
export function apgr(auc: number, localQuality: number, cloudQuality: number): number | null {
  const gap = cloudQuality - localQuality;
  if (Math.abs(gap) < EPS) return null;
  return (auc - localQuality) / gap;
}

/**
 * CPT(p): the smallest cloud share on the curve whose quality reaches
 * q_local + p·(q_cloud − q_local); null when no point reaches it (possible for
 * p > 1, or on a curve that does not end at q_cloud).
 */
export function cpt(curve: readonly CurvePoint[] | readonly OraclePoint[], p: number, localQuality: number, cloudQuality: number): number | null {
  const target = localQuality + p * (cloudQuality - localQuality);
  let best: number | null = null;
  for (const pt of curve) {
    if (pt.quality >= target - EPS && (best === null || pt.cloudShare < best)) best = pt.cloudShare;
  }
  return best;
}

export function summarize(turns: readonly ScoredTurn[]): EvalSummary {
  if (turns.length === 0) throw new RangeError('no turns to evaluate');
  const curve = qualityCurve(turns);
  const localQuality = curve[0].quality;
  const cloudQuality = curve[curve.length - 1].quality;
  const auc = trapezoidArea(curve);
  return {
    n: turns.length,
    localQuality,
    cloudQuality,
    auc,
    apgr: apgr(auc, localQuality, cloudQuality),
    cpt50: cpt(curve, 0.5, localQuality, cloudQuality),
    cpt80: cpt(curve, 0.8, localQuality, cloudQuality),
    curve,
    oracle: oracleCurve(turns),
  };
}
