// plan(): the pure routing decision for one turn.
//
// Order (docs/routing.md): 1. hard constraints (constraints.ts: privacy
// action, consent, offline, cloud or edge not configured/unreachable, local
// model unavailable, context window) decide which tiers may answer at all;
// 2. capability: P(local answer accepted), from the capability input when
// given, else from the query kind, constraints, length and the learned
// per-kind rate — a hopeless local attempt is skipped; 3. the remaining
// ladders (ladders.ts) are scored on the weighted objectives (objectives.ts)
// and the best one wins. A user's forced tier is decided here too (force.ts).
// Every plan carries its reasons (reasons.ts).
import type { Tier } from '../types';
import { pAcceptDetailed, DEFAULT_EDGE_PROFILE, DEFAULT_LOCAL_PROFILE } from '../capability/profile';
import type { QueryClassification } from '../capability/classify';
import { DEFAULT_CONFIDENCE_RULE } from '../capability/confidence';
import { resolveWeights } from './weights';
import type { Plan, PlanInput, Prices } from './plan-types';
import { DEFAULT_CHECK_MS, DEFAULT_PRICES, HEDGE_MIN_P_ESCALATE, SKIP_LOCAL_BELOW } from './constants';
import { num, clamp01 } from './numbers';
import { estimateTiers, sizeQuery, type Sizing, type TierEstimates } from './estimate';
import { applyHardConstraints, type ConstraintResult } from './constraints';
import { candidateLadders, evaluateLadder, remoteLadder, tierModels, type TierModels } from './ladders';
import { chooseLadder, type Choice } from './objectives';
import { choiceReasons, placeholderReason } from './reasons';
import { forceCloud } from './force';

export * from './plan-types';
export { DEFAULT_CHECK_MS, DEFAULT_MAX_TOKENS, DEFAULT_PRICES } from './constants';
export { tierPhrase } from './describe';

/** Step 2: P(accept) on the device and at the edge for this query. */
function capabilityOf(input: PlanInput, cls: QueryClassification, tooLong: boolean, hasEdge: boolean): { pLocal: number; pEdge: number | null } {
  const settings = input.settings ?? {};
  const given = input.capability;
  const builtIn = () => pAcceptDetailed(cls, settings.localProfile ?? DEFAULT_LOCAL_PROFILE, input.stats?.acceptance).p;
  const p = given ? clamp01(num(given.pLocal, 0)) : builtIn();
  const edgeP = () => (given?.pEdge != null
    ? clamp01(given.pEdge)
    : pAcceptDetailed(cls, settings.edgeProfile ?? DEFAULT_EDGE_PROFILE, input.stats?.edgeAcceptance).p);
  return { pLocal: tooLong ? 0 : p, pEdge: hasEdge ? edgeP() : null };
}

interface Parts {
  size: Sizing;
  est: TierEstimates;
  hard: ConstraintResult;
  tm: TierModels;
  choice: Choice;
  checkMs: number;
  pEdge: number | null;
}

/** Assembles the Plan record from the steps' results. */
function assemble(base: Pick<Plan, 'mode' | 'weights' | 'thetaConsistency' | 'reasons'>, x: Parts): Plan {
  const { size, est, hard, tm, choice, checkMs } = x;
  const best = choice.best;
  const tiers: Tier[] = best?.tiers ?? [];
  const hedge = best?.hedge ?? false;
  const strategy = best?.strategy ?? 'unavailable';
  const remote = remoteLadder(hard.allowed);
  const nextMs = remote.length ? evaluateLadder(remote, false, tm, checkMs).ms : 0;
  const pLocal = tm.local.p;
  const first = tiers[0];
  return {
    mode: base.mode, weights: base.weights, thetaConsistency: base.thetaConsistency, reasons: base.reasons,
    strategy, tiers, hedge,
    route: choice.bestEval?.route ?? 'local',
    bestEffort: strategy === 'local-only' || strategy === 'edge-direct' || strategy === 'unavailable',
    needsConsent: hard.needsConsent,
    kind: size.kind,
    classification: size.classification,
    allowed: hard.allowed,
    constraints: hard.constraints,
    expected: {
      localMs: est.local.totalMs, cloudMs: est.cloud.totalMs, edgeMs: est.edge?.totalMs ?? null, checkMs,
      localFirstMs: est.local.totalMs + (remote.length ? checkMs + (1 - pLocal) * nextMs : 0),
      totalMs: choice.bestEval?.ms ?? Infinity,
      pAccept: pLocal, pAcceptEdge: x.pEdge,
      pEscalate: tiers.length > 1 && first ? (hedge ? 1 - pLocal : 1 - tm[first].p) : 0,
      costUsd: choice.bestEval?.cost ?? 0, quality: choice.bestEval?.quality ?? 0,
      promptTokens: size.promptTokens, outputTokens: size.outputTokens,
    },
    latency: { localMs: est.local.totalMs, cloudMs: est.cloud.totalMs, edgeMs: est.edge?.totalMs ?? null, local: est.local, cloud: est.cloud, edge: est.edge },
    candidates: choice.scored,
  };
}

export function plan(input: PlanInput): Plan {
  const settings = input.settings ?? {};
  const { mode, weights } = resolveWeights(settings);
  const thetaConsistency = num(settings.thetaConsistency, DEFAULT_CONFIDENCE_RULE.thetaConsistency);
  const prices: Prices = { ...DEFAULT_PRICES, ...(settings.prices ?? {}) };
  const checkMs = Math.max(0, num(settings.checkMs, DEFAULT_CHECK_MS));
  const { privacy, network, device } = input;

  const size = sizeQuery(input);
  const est = estimateTiers(input, size);
  const hard = applyHardConstraints({ privacy, network, device, settings, mode, size });
  const { pLocal, pEdge } = capabilityOf(input, size.classification, hard.tooLong, est.edge !== null);
  const tm = tierModels({
    ms: { local: est.local.totalMs, edge: est.edge?.totalMs ?? null, cloud: est.cloud.totalMs },
    p: { local: pLocal, edge: pEdge },
    promptTokens: size.promptTokens, outputTokens: size.outputTokens, prices, privacy, network,
  });
  const localUseful = hard.allowed.local && !hard.tooLong;
  const { candidates, capabilitySkip } = candidateLadders({
    allowed: hard.allowed, mode, action: privacy.action, localUseful, pLocal,
    skipLocalBelow: num(settings.skipLocalBelow, SKIP_LOCAL_BELOW),
    hedgeMinPEscalate: num(settings.hedgeMinPEscalate, HEDGE_MIN_P_ESCALATE),
    deviceFinishesFirst: est.local.totalMs + checkMs < est.cloud.totalMs,
  });
  const choice = chooseLadder(candidates, tm, checkMs, weights);
  const p = assemble({ mode, weights, thetaConsistency, reasons: [] }, { size, est, hard, tm, choice, checkMs, pEdge });
  const placeholders = placeholderReason(privacy, p.tiers);
  p.reasons = [
    ...hard.reasons,
    ...choiceReasons({
      strategy: p.strategy, tiers: p.tiers, hedge: p.hedge, mode, kind: size.kind, pLocal, thetaConsistency,
      localMs: est.local.totalMs, cloudMs: est.cloud.totalMs, edgeMs: est.edge?.totalMs ?? null,
      localFirstMs: p.expected.localFirstMs, localUseful, capabilitySkip,
      capabilityReason: input.capability?.reason, hasConstraintReasons: hard.reasons.length > 0,
    }),
    ...(placeholders ? [placeholders] : []),
  ];
  return input.force === 'cloud' ? forceCloud(p, tm, hard.consentReason ?? undefined) : p;
}
