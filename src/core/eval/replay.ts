// Replays labeled turns through the real policy: plan() decides the strategy
// for each query (privacy patterns, capability, weighted objectives, on a
// default online network), then the real acceptance rule (combineConfidence,
// no logprobs in the records so no self-confidence veto) decides whether a
// local-verify turn escalates at the configured θ. The records only have a
// local and a cloud answer, so an edge tier is not modelled (no edge here).
import type { Entity, Mode, QueryKind } from '../types';
import { plan, type PlanDevice, type PlanNetwork, type PlanSettings, type Strategy } from '../policy/plan';
import { planPrivacyFrom } from '../policy/privacy-input';
import { combineConfidence } from '../capability/confidence';
import { assessPrivacy, mergeEntities, scanPatterns } from '../privacy';

export interface ReplayTurn {
  query: string;
  kind?: QueryKind;
  consistency: number;
  localCorrect: number;
  cloudCorrect: number;
  /** Entities found by a NER model, merged with the pattern recognizers' (optional). */
  entities?: readonly Entity[];
}

export interface ReplayOptions {
  mode: Mode;
  thetaConsistency: number;
  settings?: Omit<PlanSettings, 'mode' | 'thetaConsistency'>;
  /** Device numbers (default: a warm model on the conservative phone of docs/routing.md). */
  device?: Omit<PlanDevice, 'localAvailable'>;
  /** Network numbers on top of "online, cloud configured" (default: the policy's defaults). */
  network?: Omit<PlanNetwork, 'online' | 'cloudConfigured'>;
  /** Whether the user agrees to send pseudonymized text when asked (default true). */
  consent?: boolean;
}

export type ReplayOutcome = 'kept-local' | 'escalated' | 'cloud-direct' | 'local-only';

export interface ReplayResult {
  mode: Mode;
  threshold: number;
  n: number;
  /** Share of turns whose final answer came from the cloud. */
  cloudShare: number;
  quality: number;
  strategies: Partial<Record<Strategy, number>>;
  outcomes: Record<ReplayOutcome, number>;
}

/** How one turn ends under the policy. */
export function outcomeFor(strategy: Strategy, consistency: number, theta: number): ReplayOutcome {
  if (strategy === 'local-only' || strategy === 'unavailable') return 'local-only';
  if (strategy === 'local-verify') {
    return combineConfidence(consistency, null, { thetaConsistency: theta }).accept ? 'kept-local' : 'escalated';
  }
  return 'cloud-direct';
}

export function replayPolicy(turns: readonly ReplayTurn[], opts: ReplayOptions): ReplayResult {
  const strategies: Partial<Record<Strategy, number>> = {};
  const outcomes: Record<ReplayOutcome, number> = { 'kept-local': 0, escalated: 0, 'cloud-direct': 0, 'local-only': 0 };
  let quality = 0;
  let cloud = 0;
  for (const t of turns) {
    const entities = mergeEntities(scanPatterns(t.query), [...(t.entities ?? [])]);
    const a = assessPrivacy(entities, { mode: opts.mode });
    const p = plan({
      query: { text: t.query, kind: t.kind },
      privacy: planPrivacyFrom(a, entities, { hasConsent: opts.consent ?? true }),
      network: { ...(opts.network ?? {}), online: true, cloudConfigured: true },
      device: { loaded: true, ...(opts.device ?? {}), localAvailable: true },
      settings: { ...(opts.settings ?? {}), mode: opts.mode, thetaConsistency: opts.thetaConsistency },
    });
    strategies[p.strategy] = (strategies[p.strategy] ?? 0) + 1;
    const o = outcomeFor(p.strategy, t.consistency, opts.thetaConsistency);
    outcomes[o] += 1;
    const fromCloud = o === 'escalated' || o === 'cloud-direct';
    if (fromCloud) cloud += 1;
    quality += fromCloud ? t.cloudCorrect : t.localCorrect;
  }
  const n = turns.length;
  return { mode: opts.mode, threshold: opts.thetaConsistency, n, cloudShare: n ? cloud / n : 0, quality: n ? quality / n : 0, strategies, outcomes };
}
