// plan(): the pure routing decision for one turn.
//
// Order (docs/routing.md): 1. hard constraints (privacy action, offline, cloud or
// edge not configured/unreachable, consent, local model unavailable, context
// window) decide which tiers are allowed at all; 2. capability: P(local answer
// accepted) from the query kind, constraints, length and the learned per-kind
// rate; a hopeless local attempt is skipped; 3. the remaining candidate
// strategies are scored on the weighted objectives (quality, latency, cost,
// privacy, availability) and the best one wins. Every plan carries its reasons.
import type { EntityType, Mode, PrivacyAction, QueryKind, Tier } from '../types';
import {
  estimateCloud, estimateLocal, estimateTokens, DEFAULT_CLOUD, DEFAULT_DEVICE, PREFILL_PER_DECODE,
  TEMPLATE_OVERHEAD_TOKENS, type CloudEstimate, type LocalEstimate,
} from '../latency/model';
import { predictOutputTokens, type OutputLengthStats } from '../latency/output';
import { classifyQuery, type QueryClassification } from '../capability/classify';
import {
  pAcceptDetailed, DEFAULT_EDGE_PROFILE, DEFAULT_LOCAL_PROFILE, type CapabilityProfile,
} from '../capability/profile';
import type { AcceptanceState, AcceptanceStats } from '../capability/stats';
import { DEFAULT_CONFIDENCE_RULE } from '../capability/confidence';
import { resolveWeights, OBJECTIVES, type Objective, type PresetName, type Weights } from './weights';
import {
  describeEntityTypes, fmt2, fmtSeconds, HIGH_SENSITIVITY_TYPES, kindPhrase, tierName, tierPhrase,
} from './describe';

export type Strategy = 'local-only' | 'local-verify' | 'edge-verify' | 'edge-direct' | 'cloud-direct' | 'unavailable';

export type HardConstraint =
  | 'privacy-local-only' | 'consent-missing' | 'offline' | 'no-cloud' | 'cloud-unreachable'
  | 'edge-unreachable' | 'local-unavailable' | 'context-window';

export interface PlanQuery {
  text?: string;
  /** Overrides the classifier's kind. */
  kind?: QueryKind;
  /** A classification computed earlier (skips classifyQuery). */
  classification?: QueryClassification;
}

export interface PlanPrivacy {
  action: PrivacyAction;
  sensitivity: number;
  reasons?: readonly string[];
  /** Detected entities (only `type` is used, to name them in reasons). */
  entities?: ReadonlyArray<{ type: EntityType | string }>;
  /** The entities that become placeholders when sent (default: all entities). */
  replaced?: ReadonlyArray<{ type: EntityType | string }>;
  /** The never-sendable entities, or a flag. */
  neverSendable?: boolean | ReadonlyArray<{ type: EntityType | string }>;
  hasConsent?: boolean;
  /** Whether pseudonymized sending needs consent; defaults to settings, then to mode === 'privacy-first'. */
  consentRequired?: boolean;
}

export interface PlanNetwork {
  online: boolean;
  cloudConfigured: boolean;
  edgeConfigured?: boolean;
  /** Round-trip time to the proxy (cloud path). */
  rttMs?: number;
  coldConnection?: boolean;
  bandwidthBps?: number;
  /** Probe loss rate 0..1. */
  lossRate?: number;
  cloudLoad?: number;
  cloudTtftMs?: number;
  cloudTps?: number;
  cloudErrorRate?: number;
  /** false when the proxy or the cloud upstream is known to be down. */
  cloudHealthy?: boolean;
  edgeRttMs?: number;
  edgeLoad?: number;
  edgeTtftMs?: number;
  edgeTps?: number;
  edgeErrorRate?: number;
  edgeHealthy?: boolean;
}

export interface PlanDevice {
  localAvailable: boolean;
  prefillTps?: number;
  decodeTps?: number;
  /** Model already in memory; when false, loadMs is added. Default true. */
  loaded?: boolean;
  loadMs?: number;
  contextWindow?: number;
}

export interface Prices {
  cloudUsdPerMTokIn: number;
  cloudUsdPerMTokOut: number;
  edgeUsdPerMTokIn: number;
  edgeUsdPerMTokOut: number;
  /** Energy the device spends per token (prompt or output). */
  localJoulesPerToken: number;
  usdPerKWh: number;
}

export const DEFAULT_PRICES: Readonly<Prices> = Object.freeze({
  cloudUsdPerMTokIn: 0.5,
  cloudUsdPerMTokOut: 1.5,
  edgeUsdPerMTokIn: 0,
  edgeUsdPerMTokOut: 0,
  localJoulesPerToken: 0.5,
  usdPerKWh: 0.2,
});

export interface PlanSettings {
  mode?: Mode;
  preset?: PresetName | null;
  /** Custom weights (normalized); override the preset's and the mode's. */
  weights?: Partial<Weights> | null;
  thetaConsistency?: number;
  prices?: Partial<Prices>;
  /** Time to score (question, answer) with the cross-encoder. */
  checkMs?: number;
  /** Ask before sending pseudonymized text (default: privacy-first mode only). */
  consentRequired?: boolean;
  localProfile?: CapabilityProfile;
  edgeProfile?: CapabilityProfile;
  /** Skip the local attempt below this P(accept) (not in privacy-first). */
  skipLocalBelow?: number;
  /** Hedge (performance-first) only when P(escalate) is at least this. */
  hedgeMinPEscalate?: number;
}

export interface PlanStats {
  acceptance?: AcceptanceStats | AcceptanceState | null;
  edgeAcceptance?: AcceptanceStats | AcceptanceState | null;
  outputLengths?: OutputLengthStats | null;
}

export interface PlanInput {
  query: PlanQuery;
  privacy: PlanPrivacy;
  network: PlanNetwork;
  device: PlanDevice;
  settings?: PlanSettings;
  stats?: PlanStats;
  /** Whole prompt including history; default: text tokens + template overhead. */
  promptTokens?: number;
  maxTokens?: number;
  /** Known/forced output length; default: predicted from the kind. */
  outputTokens?: number;
}

export interface ObjectiveScores extends Record<Objective, number> {}

export interface CandidateScore {
  strategy: Strategy;
  tiers: Tier[];
  hedge: boolean;
  expectedMs: number;
  costUsd: number;
  quality: number;
  scores: ObjectiveScores;
  utility: number;
}

export interface PlanLatency {
  localMs: number;
  cloudMs: number;
  edgeMs: number | null;
  local: LocalEstimate;
  cloud: CloudEstimate;
  edge: CloudEstimate | null;
}

export interface PlanExpected {
  localMs: number;
  cloudMs: number;
  edgeMs: number | null;
  checkMs: number;
  /** T_local + T_check + P(escalate)·T_next (T_local when nothing can follow). */
  localFirstMs: number;
  /** Expected time of the chosen strategy. */
  totalMs: number;
  pAccept: number;
  pAcceptEdge: number | null;
  /** P(the first tier's answer is rejected) for the chosen strategy (0 when unchecked). */
  pEscalate: number;
  costUsd: number;
  quality: number;
  promptTokens: number;
  outputTokens: number;
}

export interface Plan {
  strategy: Strategy;
  /** The escalation ladder, in order; [] when nothing can answer. */
  tiers: Tier[];
  /** The tier expected to give the final answer. */
  route: Tier;
  hedge: boolean;
  /** The answer cannot be checked-and-escalated (offline, no cloud, privacy…). */
  bestEffort: boolean;
  /** Sending is blocked only by missing consent: the UI may ask and re-plan. */
  needsConsent: boolean;
  mode: Mode;
  weights: Weights;
  thetaConsistency: number;
  kind: QueryKind;
  classification: QueryClassification;
  allowed: Record<Tier, boolean>;
  constraints: HardConstraint[];
  expected: PlanExpected;
  latency: PlanLatency;
  candidates: CandidateScore[];
  /** Plain-English sentences, most important first. */
  reasons: string[];
}

/** Accepted answers are not perfect: the check lets some weak ones through. */
const Q_ACCEPTED: Record<Tier, number> = { local: 0.92, edge: 0.93, cloud: 0.95 };
/** Quality of an answer that would have failed the check. */
const Q_REJECTED = 0.2;
/** Latency scores are (Tmin+τ)/(T+τ): differences well under τ barely matter. */
const LATENCY_TAU_MS = 250;
/** Cost scores are (Cmin+κ)/(C+κ). */
const COST_KAPPA_USD = 0.01;
/** Base exposure of any text that leaves the device, and per unit of sensitivity. */
const EXPOSURE_BASE = 0.2;
/** Dependence on the network of a remote tier, on top of its failure rate. */
const REMOTE_AVAILABILITY_PENALTY = 0.2;
const DEFAULT_FAILURE = 0.02;
export const DEFAULT_CHECK_MS = 80;
export const DEFAULT_MAX_TOKENS = 1024;

function num(x: number | undefined, fallback: number): number {
  return typeof x === 'number' && Number.isFinite(x) ? x : fallback;
}
function pos(x: number | undefined, fallback: number): number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : fallback;
}

interface TierModel {
  ms: number;
  p: number;
  cost: number;
  exposure: number;
  availPenalty: number;
}

export function plan(input: PlanInput): Plan {
  const settings = input.settings ?? {};
  const { mode, weights } = resolveWeights(settings);
  const thetaConsistency = num(settings.thetaConsistency, DEFAULT_CONFIDENCE_RULE.thetaConsistency);
  const prices: Prices = { ...DEFAULT_PRICES, ...(settings.prices ?? {}) };
  const checkMs = Math.max(0, num(settings.checkMs, DEFAULT_CHECK_MS));
  const { query, privacy, network, device } = input;

  // --- query, lengths ------------------------------------------------------
  const baseCls = query.classification ?? classifyQuery(query.text ?? '');
  const classification: QueryClassification = query.kind && query.kind !== baseCls.kind ? { ...baseCls, kind: query.kind } : baseCls;
  const kind = classification.kind;
  const maxTokens = pos(input.maxTokens, DEFAULT_MAX_TOKENS);
  const promptTokens = Math.round(
    pos(input.promptTokens, (query.text ? estimateTokens(query.text) : classification.features.tokens) + TEMPLATE_OVERHEAD_TOKENS),
  );
  const outputTokens = input.outputTokens !== undefined && input.outputTokens > 0
    ? Math.min(Math.round(input.outputTokens), maxTokens)
    : predictOutputTokens(kind, maxTokens, input.stats?.outputLengths, { wordTarget: classification.features.wordTarget });

  // --- latency estimates (always computed, for display) --------------------
  const decodeTps = pos(device.decodeTps, DEFAULT_DEVICE.decodeTps);
  const prefillTps = pos(device.prefillTps, device.decodeTps ? decodeTps * PREFILL_PER_DECODE : DEFAULT_DEVICE.prefillTps);
  const local = estimateLocal({
    promptTokens, outputTokens, prefillTps, decodeTps,
    loadMs: device.loaded === false ? pos(device.loadMs, DEFAULT_DEVICE.loadMs) : 0,
  });
  const rttMs = Math.max(0, num(network.rttMs, DEFAULT_CLOUD.rttMs));
  const cloud = estimateCloud({
    promptTokens, outputTokens, rttMs, coldConnection: network.coldConnection, bandwidthBps: network.bandwidthBps,
    load: num(network.cloudLoad, DEFAULT_CLOUD.load),
    ttftMs: Math.max(0, num(network.cloudTtftMs, DEFAULT_CLOUD.ttftMs)),
    tps: pos(network.cloudTps, DEFAULT_CLOUD.tps),
  });
  const edge = network.edgeConfigured
    ? estimateCloud({
        promptTokens, outputTokens, rttMs: Math.max(0, num(network.edgeRttMs, 10)), load: num(network.edgeLoad, 0),
        ttftMs: Math.max(0, num(network.edgeTtftMs, 250)), tps: pos(network.edgeTps, 40),
      })
    : null;

  // --- 1. hard constraints -------------------------------------------------
  const constraints: HardConstraint[] = [];
  const reasons: string[] = [];
  let needsConsent = false;
  let remoteOk = true;
  if (privacy.action === 'local-only') {
    remoteOk = false;
    constraints.push('privacy-local-only');
    reasons.push(`Kept on device: contains ${privacyPhrase(privacy)}`);
  } else if (privacy.action === 'pseudonymize') {
    const required = privacy.consentRequired ?? settings.consentRequired ?? mode === 'privacy-first';
    if (required && !privacy.hasConsent) {
      remoteOk = false;
      needsConsent = true;
      constraints.push('consent-missing');
      const what = privacy.entities?.length ? describeEntityTypes(privacy.entities.map((e) => e.type)) : 'personal data';
      reasons.push(`Kept on device: sending would share ${what} (as placeholders) and you have not agreed to that yet`);
    }
  }
  if (!network.online) {
    constraints.push('offline');
    reasons.push('Offline: on-device answer only (best effort)');
  }
  const cloudReachable = network.online && network.cloudConfigured && network.cloudHealthy !== false;
  const edgeReachable = network.online && !!network.edgeConfigured && network.edgeHealthy !== false;
  if (network.online && !network.cloudConfigured) {
    constraints.push('no-cloud');
    if (remoteOk && !edgeReachable) reasons.push('Cloud is not configured: answering on device');
  } else if (network.online && network.cloudHealthy === false) {
    constraints.push('cloud-unreachable');
    if (remoteOk && !edgeReachable) reasons.push('The cloud is unreachable right now: answering on device (best effort)');
  }
  if (network.online && network.edgeConfigured && network.edgeHealthy === false) constraints.push('edge-unreachable');
  const allowed: Record<Tier, boolean> = {
    local: device.localAvailable,
    edge: remoteOk && edgeReachable,
    cloud: remoteOk && cloudReachable,
  };
  if (!device.localAvailable) {
    constraints.push('local-unavailable');
    reasons.push(allowed.edge || allowed.cloud
      ? 'The on-device model is not available: answering remotely'
      : 'No tier can answer: the on-device model is not available and nothing else is allowed');
  }
  const contextWindow = pos(device.contextWindow, DEFAULT_DEVICE.contextWindow);
  const tooLong = promptTokens + Math.min(outputTokens, 64) > contextWindow;
  if (tooLong && device.localAvailable) {
    constraints.push('context-window');
    reasons.push(`Too long for the on-device model (${promptTokens} tokens, window ${contextWindow})`);
  }

  // --- 2. capability -------------------------------------------------------
  const acc = pAcceptDetailed(classification, settings.localProfile ?? DEFAULT_LOCAL_PROFILE, input.stats?.acceptance);
  const pLocal = tooLong ? 0 : acc.p;
  const pEdge = edge
    ? pAcceptDetailed(classification, settings.edgeProfile ?? DEFAULT_EDGE_PROFILE, input.stats?.edgeAcceptance).p
    : null;

  // --- per-tier models -----------------------------------------------------
  const sens = Math.min(1, Math.max(0, num(privacy.sensitivity, 0)));
  const cloudExposure = EXPOSURE_BASE + (privacy.action === 'pseudonymize' ? 0.4 : 0.8) * sens;
  const localCost = ((promptTokens + outputTokens) * prices.localJoulesPerToken / 3.6e6) * prices.usdPerKWh;
  const tm: Record<Tier, TierModel> = {
    local: { ms: local.totalMs, p: pLocal, cost: localCost, exposure: 0, availPenalty: 0 },
    edge: {
      ms: edge?.totalMs ?? Infinity, p: pEdge ?? 0,
      cost: (promptTokens * prices.edgeUsdPerMTokIn + outputTokens * prices.edgeUsdPerMTokOut) / 1e6,
      exposure: cloudExposure / 2,
      availPenalty: REMOTE_AVAILABILITY_PENALTY / 2 + Math.min(1, num(network.lossRate, 0) + num(network.edgeErrorRate, DEFAULT_FAILURE)),
    },
    cloud: {
      ms: cloud.totalMs, p: 1,
      cost: (promptTokens * prices.cloudUsdPerMTokIn + outputTokens * prices.cloudUsdPerMTokOut) / 1e6,
      exposure: cloudExposure,
      availPenalty: REMOTE_AVAILABILITY_PENALTY + Math.min(1, num(network.lossRate, 0) + num(network.cloudErrorRate, DEFAULT_FAILURE)),
    },
  };
  const remoteLadder: Tier[] = [];
  if (allowed.edge) remoteLadder.push('edge');
  if (allowed.cloud) remoteLadder.push('cloud');

  // Candidate strategies allowed by the constraints and the capability gate.
  type Cand = { strategy: Strategy; tiers: Tier[]; hedge: boolean };
  const cands: Cand[] = [];
  const skipBelow = num(settings.skipLocalBelow, 0.1);
  const localUseful = allowed.local && !tooLong;
  const capabilitySkip = localUseful && remoteLadder.length > 0 && mode !== 'privacy-first' && pLocal < skipBelow;
  if (allowed.local && (remoteLadder.length === 0)) cands.push({ strategy: 'local-only', tiers: ['local'], hedge: false });
  if (localUseful && remoteLadder.length > 0 && !capabilitySkip) {
    cands.push({ strategy: 'local-verify', tiers: ['local', ...remoteLadder], hedge: false });
    const hedgeOk = mode === 'performance-first' && privacy.action === 'allow' && allowed.cloud &&
      1 - pLocal >= num(settings.hedgeMinPEscalate, 0.3);
    // Hedging only helps when the device could finish (and be checked) before the cloud.
    if (hedgeOk && local.totalMs + checkMs < cloud.totalMs) {
      cands.push({ strategy: 'local-verify', tiers: ['local', 'cloud'], hedge: true });
    }
  }
  // Privacy-first: the device always tries first when it can.
  const localFirstOnly = mode === 'privacy-first' && localUseful;
  if (!localFirstOnly) {
    if (allowed.edge && allowed.cloud) cands.push({ strategy: 'edge-verify', tiers: ['edge', 'cloud'], hedge: false });
    if (allowed.edge && !allowed.cloud) cands.push({ strategy: 'edge-direct', tiers: ['edge'], hedge: false });
    if (allowed.cloud) cands.push({ strategy: 'cloud-direct', tiers: ['cloud'], hedge: false });
  }

  // --- 3. weighted objectives ----------------------------------------------
  const evals = cands.map((c) => evaluate(c.tiers, c.hedge, tm, checkMs));
  const minMs = Math.min(...evals.map((e) => e.ms));
  const minCost = Math.min(...evals.map((e) => e.cost));
  const scored: CandidateScore[] = cands.map((c, i) => {
    const e = evals[i];
    const scores: ObjectiveScores = {
      quality: e.quality,
      latency: (minMs + LATENCY_TAU_MS) / (e.ms + LATENCY_TAU_MS),
      cost: (minCost + COST_KAPPA_USD) / (e.cost + COST_KAPPA_USD),
      privacy: 1 - e.exposure,
      availability: 1 - e.availPenalty,
    };
    let utility = 0;
    for (const k of OBJECTIVES) utility += weights[k] * scores[k];
    return { ...c, expectedMs: e.ms, costUsd: e.cost, quality: e.quality, scores, utility };
  });
  let best: CandidateScore | null = null;
  for (const s of scored) if (!best || s.utility > best.utility + 1e-9) best = s;

  const strategy: Strategy = best?.strategy ?? 'unavailable';
  const tiers = best?.tiers ?? [];
  const hedge = best?.hedge ?? false;
  const chosenEval = best ? evals[scored.indexOf(best)] : null;
  const route: Tier = chosenEval?.route ?? 'local';
  const nextMs = remoteLadder.length ? evaluate(remoteLadder, false, tm, checkMs).ms : 0;
  const localFirstMs = local.totalMs + (remoteLadder.length ? checkMs + (1 - pLocal) * nextMs : 0);
  const firstTier = tiers[0];
  const pEscalate = tiers.length > 1 && firstTier ? (hedge ? 1 - pLocal : 1 - tm[firstTier].p) : 0;

  // --- reasons for the choice ----------------------------------------------
  const tLocal = local.totalMs;
  const tCloud = cloud.totalMs;
  if (capabilitySkip) {
    reasons.push(`The on-device model rarely handles ${kindPhrase(kind)} (P(accept) ≈ ${fmt2(pLocal)}), so it goes straight to the ${tierName(tiers[0] ?? 'cloud')}`);
  }
  if (strategy === 'cloud-direct' && !capabilitySkip) {
    if (tCloud < tLocal) reasons.push(`Cloud is faster here (~${fmtSeconds(tCloud)} vs ~${fmtSeconds(tLocal)} on device)`);
    else if (!localUseful) reasons.push(`Sent to the cloud (~${fmtSeconds(tCloud)})`);
    else reasons.push(`Sent to the cloud for quality: the on-device model would likely need a retry (P(accept) ≈ ${fmt2(pLocal)})`);
  } else if (strategy === 'edge-verify' || strategy === 'edge-direct') {
    const tEdge = edge?.totalMs ?? 0;
    reasons.push(`The edge server is the better start here (~${fmtSeconds(tEdge)} vs ~${fmtSeconds(tLocal)} on device)`);
  } else if (strategy === 'local-verify') {
    const next = tiers[1] ?? 'cloud';
    if (mode === 'privacy-first') reasons.push('Privacy-first mode: the device tries first');
    if (tLocal <= tCloud) reasons.push(`On device is faster here (~${fmtSeconds(tLocal)} vs ~${fmtSeconds(tCloud)} in the cloud)`);
    else if (mode !== 'privacy-first' && !hedge) {
      reasons.push(localFirstMs <= tCloud
        ? `Trying on device first is faster on average (~${fmtSeconds(localFirstMs)} expected vs ~${fmtSeconds(tCloud)} in the cloud)`
        : `Trying on device first: slower on average (~${fmtSeconds(localFirstMs)} vs ~${fmtSeconds(tCloud)} in the cloud) but cheaper and more private`);
    }
    reasons.push(`The device tries first (P(accept) ≈ ${fmt2(pLocal)}); below a consistency of ${fmt2(thetaConsistency)} it escalates to the ${tierName(next)}`);
    if (hedge) reasons.push(`Performance-first: the cloud request starts in parallel because escalation is likely (P ≈ ${fmt2(1 - pLocal)}); the slower answer is cancelled`);
  } else if (strategy === 'local-only' && reasons.length === 0) {
    reasons.push('Answering on device');
  }

  if (privacy.action === 'pseudonymize' && tiers.some((t) => t !== 'local')) {
    const repl = privacy.replaced ?? privacy.entities ?? [];
    reasons.push(`If sent, the cloud sees placeholders instead of ${repl.length ? describeEntityTypes(repl.map((e) => e.type)) : 'personal details'}`);
  }

  const bestEffort = strategy === 'local-only' || strategy === 'edge-direct' || strategy === 'unavailable';
  return {
    strategy, tiers, route, hedge, bestEffort, needsConsent, mode, weights, thetaConsistency, kind, classification,
    allowed, constraints,
    expected: {
      localMs: tLocal, cloudMs: tCloud, edgeMs: edge?.totalMs ?? null, checkMs, localFirstMs,
      totalMs: chosenEval?.ms ?? Infinity,
      pAccept: pLocal, pAcceptEdge: pEdge, pEscalate,
      costUsd: chosenEval?.cost ?? 0, quality: chosenEval?.quality ?? 0,
      promptTokens, outputTokens,
    },
    latency: { localMs: tLocal, cloudMs: tCloud, edgeMs: edge?.totalMs ?? null, local, cloud, edge },
    candidates: scored,
    reasons,
  };
}

interface LadderEval {
  ms: number;
  quality: number;
  cost: number;
  exposure: number;
  availPenalty: number;
  route: Tier;
}

/** Expected time, quality, cost, exposure and network dependence of a ladder. */
function evaluate(tiers: readonly Tier[], hedge: boolean, tm: Record<Tier, TierModel>, checkMs: number): LadderEval {
  if (hedge) {
    // Device and the last tier start together; the first acceptable answer wins.
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
      route: cloudFirst || p < 0.5 ? last : 'local',
    };
  }
  let reach = 1;
  let ms = 0;
  let quality = 0;
  let cost = 0;
  let exposure = 0;
  let availPenalty = 0;
  let route: Tier = tiers[0] ?? 'local';
  let bestP = -1;
  tiers.forEach((t, i) => {
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
  });
  return { ms, quality, cost, exposure, availPenalty, route };
}

function privacyPhrase(p: PlanPrivacy): string {
  const never = Array.isArray(p.neverSendable) ? (p.neverSendable as ReadonlyArray<{ type: string }>) : null;
  if (never && never.length) return describeEntityTypes(never.map((e) => e.type));
  const ents = p.entities ?? [];
  const high = ents.filter((e) => HIGH_SENSITIVITY_TYPES.has(e.type as EntityType));
  if (high.length) return describeEntityTypes(high.map((e) => e.type));
  if (ents.length) return describeEntityTypes(ents.map((e) => e.type));
  const r = p.reasons?.[0];
  return r ? r.replace(/^contains\s+/i, '').replace(/\.$/, '') : 'sensitive data';
}

export { tierPhrase };
