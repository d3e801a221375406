// The ladders plan() chooses between: which tiers in which order (each but
// the last checked), and what each costs in time, money, exposure and
// network dependence in expectation.
import type { Mode, PrivacyAction, Tier } from '../types';
import type { Prices, PlanNetwork, Strategy } from './plan-types';
import {
  DEFAULT_FAILURE, EDGE_SHARE_OF_REMOTE_RISK, EXPOSURE_BASE, EXPOSURE_PER_SENSITIVITY,
  EXPOSURE_PER_SENSITIVITY_PSEUDONYMIZED, HEDGE_ROUTE_P, JOULES_PER_KWH, Q_ACCEPTED, Q_REJECTED,
  REMOTE_AVAILABILITY_PENALTY,
} from './constants';
import { clamp01, num } from './numbers';

/** One tier's expected behaviour for this turn. */
export interface TierModel {
  ms: number;
  /** P(its answer passes the check); the cloud's is 1 (it is the last resort). */
  p: number;
  cost: number;
  exposure: number;
  availPenalty: number;
}

export type TierModels = Record<Tier, TierModel>;

export interface TierModelInput {
  ms: { local: number; edge: number | null; cloud: number };
  p: { local: number; edge: number | null };
  promptTokens: number;
  outputTokens: number;
  prices: Prices;
  privacy: { action: PrivacyAction; sensitivity: number };
  network: PlanNetwork;
}

export function tierModels(i: TierModelInput): TierModels {
  const { promptTokens: inTok, outputTokens: outTok, prices } = i;
  const sens = clamp01(num(i.privacy.sensitivity, 0));
  const perSens = i.privacy.action === 'pseudonymize' ? EXPOSURE_PER_SENSITIVITY_PSEUDONYMIZED : EXPOSURE_PER_SENSITIVITY;
  const cloudExposure = EXPOSURE_BASE + perSens * sens;
  const loss = num(i.network.lossRate, 0);
  const localCost = (((inTok + outTok) * prices.localJoulesPerToken) / JOULES_PER_KWH) * prices.usdPerKWh;
  return {
    local: { ms: i.ms.local, p: i.p.local, cost: localCost, exposure: 0, availPenalty: 0 },
    edge: {
      ms: i.ms.edge ?? Infinity,
      p: i.p.edge ?? 0,
      cost: (inTok * prices.edgeUsdPerMTokIn + outTok * prices.edgeUsdPerMTokOut) / 1e6,
      exposure: cloudExposure * EDGE_SHARE_OF_REMOTE_RISK,
      availPenalty: REMOTE_AVAILABILITY_PENALTY * EDGE_SHARE_OF_REMOTE_RISK + Math.min(1, loss + num(i.network.edgeErrorRate, DEFAULT_FAILURE)),
    },
    cloud: {
      ms: i.ms.cloud,
      p: 1,
      cost: (inTok * prices.cloudUsdPerMTokIn + outTok * prices.cloudUsdPerMTokOut) / 1e6,
      exposure: cloudExposure,
      availPenalty: REMOTE_AVAILABILITY_PENALTY + Math.min(1, loss + num(i.network.cloudErrorRate, DEFAULT_FAILURE)),
    },
  };
}

export interface Candidate {
  strategy: Strategy;
  tiers: Tier[];
  hedge: boolean;
}

export interface CandidateInput {
  allowed: Record<Tier, boolean>;
  mode: Mode;
  action: PrivacyAction;
  /** The device may answer and the prompt fits. */
  localUseful: boolean;
  pLocal: number;
  skipLocalBelow: number;
  hedgeMinPEscalate: number;
  /** T_local + T_check < T_cloud: the device could finish and be checked first. */
  deviceFinishesFirst: boolean;
}

/** The remote tiers allowed, nearest first. */
export function remoteLadder(allowed: Record<Tier, boolean>): Tier[] {
  return (['edge', 'cloud'] as const).filter((t) => allowed[t]);
}

/** The strategies the constraints and the capability gate leave open. */
export function candidateLadders(i: CandidateInput): { candidates: Candidate[]; capabilitySkip: boolean } {
  const remote = remoteLadder(i.allowed);
  const out: Candidate[] = [];
  const capabilitySkip = i.localUseful && remote.length > 0 && i.mode !== 'privacy-first' && i.pLocal < i.skipLocalBelow;
  if (i.allowed.local && remote.length === 0) out.push({ strategy: 'local-only', tiers: ['local'], hedge: false });
  if (i.localUseful && remote.length > 0 && !capabilitySkip) {
    out.push({ strategy: 'local-verify', tiers: ['local', ...remote], hedge: false });
    const hedgeOk = i.mode === 'performance-first' && i.action === 'allow' && i.allowed.cloud && 1 - i.pLocal >= i.hedgeMinPEscalate;
    // Hedging only helps when the device could finish (and be checked) before the cloud.
    if (hedgeOk && i.deviceFinishesFirst) out.push({ strategy: 'local-verify', tiers: ['local', 'cloud'], hedge: true });
  }
  // Privacy-first: the device always tries first when it can.
  if (!(i.mode === 'privacy-first' && i.localUseful)) {
    if (i.allowed.edge && i.allowed.cloud) out.push({ strategy: 'edge-verify', tiers: ['edge', 'cloud'], hedge: false });
    if (i.allowed.edge && !i.allowed.cloud) out.push({ strategy: 'edge-direct', tiers: ['edge'], hedge: false });
    if (i.allowed.cloud) out.push({ strategy: 'cloud-direct', tiers: ['cloud'], hedge: false });
  }
  return { candidates: out, capabilitySkip };
}

export interface LadderEval {
  ms: number;
  quality: number;
  cost: number;
  exposure: number;
  availPenalty: number;
  /** The tier most likely to give the final answer. */
  route: Tier;
}

/** Device and the last tier start together; the first acceptable answer wins. */
function evaluateHedge(tiers: readonly Tier[], tm: TierModels, checkMs: number): LadderEval {
  const last = tiers[tiers.length - 1];
  const L = tm.local.ms + checkMs;
  const C = tm[last].ms;
  const p = tm.local.p;
  const cloudFirst = C <= L;
  return {
    ms: cloudFirst ? C : p * L + (1 - p) * C,
    quality: cloudFirst ? Q_ACCEPTED[last] : p * Q_ACCEPTED.local + (1 - p) * Q_ACCEPTED[last],
    cost: tm.local.cost + tm[last].cost,
    exposure: tm[last].exposure,
    availPenalty: (1 - p) * tm[last].availPenalty,
    route: cloudFirst || p < HEDGE_ROUTE_P ? last : 'local',
  };
}

/**
 * Expected time, quality, cost, exposure and network dependence of a ladder:
 * tier i is reached with probability Π_{j<i}(1 − p_j); the last always answers.
 */
export function evaluateLadder(tiers: readonly Tier[], hedge: boolean, tm: TierModels, checkMs: number): LadderEval {
  if (hedge) return evaluateHedge(tiers, tm, checkMs);
  let reach = 1;
  let ms = 0;
  let quality = 0;
  let cost = 0;
  let exposure = 0;
  let availPenalty = 0;
  let route: Tier = tiers[0] ?? 'local';
  let bestP = -1;
  for (let i = 0; i < tiers.length; i++) {
    const t = tiers[i];
    const m = tm[t];
    const last = i === tiers.length - 1;
    ms += reach * (m.ms + (last ? 0 : checkMs));
    cost += reach * m.cost;
    exposure += reach * m.exposure;
    availPenalty += reach * m.availPenalty;
    let pHere: number;
    if (last) {
      quality += reach * (t === 'cloud' ? Q_ACCEPTED.cloud : m.p * Q_ACCEPTED[t] + (1 - m.p) * Q_REJECTED);
      pHere = reach;
    } else {
      quality += reach * m.p * Q_ACCEPTED[t];
      pHere = reach * m.p;
      reach *= 1 - m.p;
    }
    if (pHere > bestP + 1e-12) {
      bestP = pHere;
      route = t;
    }
  }
  return { ms, quality, cost, exposure, availPenalty, route };
}
