// The local model's capability profile and P(local answer accepted).
//
//   p_kind  = (n0·prior[kind] + accepted) / (n0 + accepted + rejected)   (Beta posterior mean)
//   pAccept = p_kind · constraintFactor^constraints · lengthFactor(promptTokens)
import type { QueryKind } from '../types';
import type { QueryClassification } from './classify';
import { AcceptanceStats, type AcceptanceState } from './stats';

export interface CapabilityProfile {
  /** Prior P(accept) per kind. */
  prior: Record<QueryKind, number>;
  /** Pseudo-count weight of the prior in the Beta posterior. */
  priorStrength: number;
  /** Multiplier per explicit constraint ("step by step", "in 500 words", "rigorous"…). */
  constraintFactor: number;
  /** Prompt tokens beyond which long inputs start to hurt. */
  lengthKneeTokens: number;
  /** Prompt tokens over the knee that halve P(accept). */
  lengthHalfTokens: number;
}

/** A small (1–3 B) on-device model, from the seed's capability chart. */
export const DEFAULT_LOCAL_PROFILE: CapabilityProfile = Object.freeze({
  prior: Object.freeze({
    greeting: 0.9,
    translation: 0.8,
    knowledge: 0.65,
    code: 0.5,
    logic: 0.35,
    math: 0.25,
    analysis: 0.15,
    creative: 0.55,
  }) as Record<QueryKind, number>,
  priorStrength: 4,
  constraintFactor: 0.8,
  lengthKneeTokens: 400,
  lengthHalfTokens: 1500,
}) as CapabilityProfile;

/** An edge model (e.g. 7–14 B on a LAN box): halfway between the device and the cloud. */
export const DEFAULT_EDGE_PROFILE: CapabilityProfile = Object.freeze({
  ...DEFAULT_LOCAL_PROFILE,
  prior: Object.freeze(
    Object.fromEntries(
      Object.entries(DEFAULT_LOCAL_PROFILE.prior).map(([k, p]) => [k, Math.round((p + (1 - p) * 0.5) * 1000) / 1000]),
    ),
  ) as Record<QueryKind, number>,
  constraintFactor: 0.88,
}) as CapabilityProfile;

export interface PAcceptBreakdown {
  p: number;
  prior: number;
  /** Posterior per-kind rate after observed outcomes. */
  kindRate: number;
  observations: number;
  constraintMultiplier: number;
  lengthMultiplier: number;
}

type StatsLike = AcceptanceStats | AcceptanceState | null | undefined;

function counts(stats: StatsLike, kind: QueryKind): { accepted: number; rejected: number } {
  if (!stats) return { accepted: 0, rejected: 0 };
  if (stats instanceof AcceptanceStats) return stats.counts(kind);
  const c = stats.kinds?.[kind];
  return { accepted: c?.accepted ?? 0, rejected: c?.rejected ?? 0 };
}

export function pAcceptDetailed(
  query: Pick<QueryClassification, 'kind' | 'features'>,
  profile: CapabilityProfile = DEFAULT_LOCAL_PROFILE,
  stats?: StatsLike,
): PAcceptBreakdown {
  const prior = profile.prior[query.kind] ?? 0.5;
  const { accepted, rejected } = counts(stats, query.kind);
  const n0 = profile.priorStrength;
  const kindRate = (n0 * prior + accepted) / (n0 + accepted + rejected);
  const constraintMultiplier = Math.pow(profile.constraintFactor, query.features.constraintCount);
  const over = Math.max(0, query.features.tokens - profile.lengthKneeTokens);
  const lengthMultiplier = 1 / (1 + over / profile.lengthHalfTokens);
  const p = Math.min(1, Math.max(0, kindRate * constraintMultiplier * lengthMultiplier));
  return { p, prior, kindRate, observations: accepted + rejected, constraintMultiplier, lengthMultiplier };
}

/** P(the local answer passes the check) for this query. */
export function pAccept(
  query: Pick<QueryClassification, 'kind' | 'features'>,
  profile: CapabilityProfile = DEFAULT_LOCAL_PROFILE,
  stats?: StatsLike,
): number {
  return pAcceptDetailed(query, profile, stats).p;
}
