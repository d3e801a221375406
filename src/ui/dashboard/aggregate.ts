// What the dashboard shows, computed from the stored routing traces. Pure
// functions (no DOM, no runes): traces in, small summaries out.
import type { Tier } from '../../core/types';

/** The fields of a TurnTrace the dashboard reads (a structural subset). */
export interface TraceLike {
  at: number;
  finalTier: Tier;
  strategy: string;
  privacy: { action: string; sensitivity: number; types: string[] };
  checks: ReadonlyArray<{ tier: Tier; consistency: number; accepted: boolean }>;
  thetaConsistency: number;
  predicted: { totalMs: number; outputTokens: number };
  actual: { totalMs: number; tiers: ReadonlyArray<{ tier: Tier; ms: number; outputTokens: number }> };
}

export const TIERS: readonly Tier[] = ['local', 'edge', 'cloud'];

export interface TierBucket {
  /** Start of the bucket (ms since epoch). */
  start: number;
  label: string;
  counts: Record<Tier, number>;
  total: number;
}

const BUCKET_SIZES: readonly [number, string][] = [
  [60_000, 'minute'],
  [10 * 60_000, '10 minutes'],
  [3_600_000, 'hour'],
  [86_400_000, 'day'],
  [7 * 86_400_000, 'week'],
];

/**
 * Share of turns per tier over time: the smallest bucket size (minute … week)
 * that keeps at most `maxBuckets` buckets; empty buckets are dropped.
 */
export function tierShareOverTime(traces: readonly TraceLike[], maxBuckets = 12): { size: string; buckets: TierBucket[] } {
  if (traces.length === 0) return { size: 'minute', buckets: [] };
  const times = traces.map((t) => t.at);
  const first = Math.min(...times);
  const last = Math.max(...times);
  let [size, name] = BUCKET_SIZES[BUCKET_SIZES.length - 1];
  for (const [s, n] of BUCKET_SIZES) {
    if (Math.floor(last / s) - Math.floor(first / s) + 1 <= maxBuckets) {
      [size, name] = [s, n];
      break;
    }
  }
  const map = new Map<number, TierBucket>();
  for (const t of traces) {
    const start = Math.floor(t.at / size) * size;
    let b = map.get(start);
    if (!b) {
      b = { start, label: bucketLabel(start, size), counts: { local: 0, edge: 0, cloud: 0 }, total: 0 };
      map.set(start, b);
    }
    b.counts[t.finalTier] += 1;
    b.total += 1;
  }
  return { size: name, buckets: [...map.values()].sort((a, b) => a.start - b.start) };
}

function bucketLabel(start: number, size: number): string {
  const d = new Date(start);
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  if (size >= 86_400_000) return day;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export interface Savings {
  turns: number;
  /** Turns answered on the device or the edge: cloud calls that did not happen. */
  cloudAvoided: number;
  cloudCalls: number;
  /** Output tokens of the avoided calls × the cloud's output price (prompt length is not in the traces). */
  estimatedUsdSaved: number;
  /** What the cloud calls that did happen cost, by the same estimate. */
  estimatedUsdSpent: number;
}

export function savings(traces: readonly TraceLike[], cloudUsdPerMTokOut: number): Savings {
  let avoided = 0;
  let calls = 0;
  let saved = 0;
  let spent = 0;
  const price = cloudUsdPerMTokOut / 1e6;
  for (const t of traces) {
    const final = [...t.actual.tiers].reverse().find((r) => r.tier === t.finalTier);
    const tokens = final?.outputTokens || t.predicted.outputTokens || 0;
    const cloudRuns = t.actual.tiers.filter((r) => r.tier === 'cloud');
    calls += cloudRuns.length;
    for (const r of cloudRuns) spent += (r.outputTokens || 0) * price;
    if (t.finalTier !== 'cloud') {
      avoided += 1;
      saved += tokens * price;
    }
  }
  return { turns: traces.length, cloudAvoided: avoided, cloudCalls: calls, estimatedUsdSaved: saved, estimatedUsdSpent: spent };
}

/** Quantile by linear interpolation between order statistics (q in [0, 1]). */
export function quantile(xs: readonly number[], q: number): number | null {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const pos = (v.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

export interface RouteLatency {
  tier: Tier;
  n: number;
  predicted: { median: number | null; p95: number | null };
  actual: { median: number | null; p95: number | null };
}

/** Latency by the route that answered: predicted (plan's expected total) vs. actual turn time. */
export function latencyByRoute(traces: readonly TraceLike[]): RouteLatency[] {
  return TIERS.map((tier) => {
    const ts = traces.filter((t) => t.finalTier === tier);
    const pred = ts.map((t) => t.predicted.totalMs);
    const act = ts.map((t) => t.actual.totalMs);
    return {
      tier,
      n: ts.length,
      predicted: { median: quantile(pred, 0.5), p95: quantile(pred, 0.95) },
      actual: { median: quantile(act, 0.5), p95: quantile(act, 0.95) },
    };
  }).filter((r) => r.n > 0);
}

export interface PrivacySummary {
  /** Turns kept on the device because of what they contained. */
  keptOnDevice: number;
  /** Turns sent with personal data replaced by placeholders (or eligible for it). */
  pseudonymized: number;
  /** Turns with any detected entity. */
  withEntities: number;
  /** Entity type → turns it appeared in, most frequent first. */
  types: [string, number][];
}

export function privacySummary(traces: readonly TraceLike[]): PrivacySummary {
  const types = new Map<string, number>();
  let kept = 0;
  let pseudo = 0;
  let withEntities = 0;
  for (const t of traces) {
    if (t.privacy.action === 'local-only') kept += 1;
    else if (t.privacy.action === 'pseudonymize') {
      if (t.finalTier === 'local') kept += 1;
      else pseudo += 1;
    }
    if (t.privacy.types.length) withEntities += 1;
    for (const ty of t.privacy.types) types.set(ty, (types.get(ty) ?? 0) + 1);
  }
  return { keptOnDevice: kept, pseudonymized: pseudo, withEntities, types: [...types.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])) };
}

export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

/** Consistency scores of every check, in `bins` equal bins over [0, 1] (1 falls in the last bin). */
export function consistencyHistogram(traces: readonly TraceLike[], bins = 10): { bins: HistogramBin[]; n: number } {
  const out: HistogramBin[] = Array.from({ length: bins }, (_, i) => ({ from: i / bins, to: (i + 1) / bins, count: 0 }));
  let n = 0;
  for (const t of traces) {
    for (const c of t.checks) {
      if (!Number.isFinite(c.consistency)) continue;
      const i = Math.min(bins - 1, Math.max(0, Math.floor(c.consistency * bins)));
      out[i].count += 1;
      n += 1;
    }
  }
  return { bins: out, n };
}

export interface TaskSummary {
  /** Requests answered as a task graph (issue #15). */
  splitRequests: number;
  /** Share of the generated tokens of those requests' steps that were generated on the device; null without any. */
  deviceTokenShare: number | null;
}

/** Split requests and where their steps' text was generated, from the step traces. */
export function taskSummary(traces: readonly (TraceLike & { task?: { id: string } })[]): TaskSummary {
  const ids = new Set<string>();
  let local = 0;
  let all = 0;
  for (const t of traces) {
    if (!t.task) continue;
    ids.add(t.task.id);
    for (const r of t.actual.tiers) {
      all += r.outputTokens;
      if (r.tier === 'local') local += r.outputTokens;
    }
  }
  return { splitRequests: ids.size, deviceTokenShare: all > 0 ? local / all : null };
}
