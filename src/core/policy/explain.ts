// The badge sentence for a finished turn.
import type { Tier } from '../types';
import type { ConfidenceVerdict } from '../capability/confidence';
import type { HardConstraint, Plan } from './plan';
import { fmt2, fmtSeconds, tierName } from './describe';

export interface TierCheck {
  tier: Tier;
  consistency: number;
  self?: number | null;
  accepted: boolean;
  verdict?: ConfidenceVerdict;
  /** A capability model's post-generation P(the answer is good), when one judged it. */
  pGood?: number | null;
}

export interface TurnOutcome {
  plan: Pick<Plan, 'strategy' | 'constraints' | 'latency' | 'thetaConsistency' | 'reasons' | 'hedge'>;
  /** The tier whose answer is finally shown. */
  finalTier: Tier;
  /** The checks that ran, in order. */
  checks?: TierCheck[];
  /** A remote tier that failed mid-stream (the device finished the answer). */
  failedTier?: Tier | null;
  /** Went offline during the turn, even if the plan did not know. */
  offline?: boolean;
  /** Measured time of the final answer, when known (replaces the estimate). */
  actualMs?: number | null;
}

function has(plan: TurnOutcome['plan'], c: HardConstraint): boolean {
  return plan.constraints.includes(c);
}

function lowerFirst(s: string): string {
  return s ? s[0].toLowerCase() + s.slice(1) : s;
}

const TIER_LABEL: Record<Tier, string> = { local: 'on device', edge: 'at the edge', cloud: 'in the cloud' };

/** One sentence for the answer's badge. Pure. */
export function explainOutcome(o: TurnOutcome): string {
  const { plan } = o;
  const checks = o.checks ?? [];
  const theta = plan.thetaConsistency;
  const final = o.finalTier;
  const finalCheck = [...checks].reverse().find((c) => c.tier === final);

  if (final === 'local') {
    if (o.failedTier) {
      return `The ${tierName(o.failedTier)} failed mid-answer: finished on device (best effort)`;
    }
    if (has(plan, 'privacy-local-only') || has(plan, 'consent-missing')) {
      return plan.reasons[0] ?? 'Kept on device';
    }
    if (o.offline || has(plan, 'offline')) {
      if (finalCheck && finalCheck.accepted && finalCheck.pGood != null) {
        return `Offline: on-device answer, likely good (P ${fmt2(finalCheck.pGood)} ≥ ${fmt2(theta)})`;
      }
      if (finalCheck && finalCheck.accepted) {
        return `Offline: on-device answer, consistency ${fmt2(finalCheck.consistency)} ≥ ${fmt2(theta)}`;
      }
      return 'Offline: on-device answer, low confidence — re-ask in the cloud when back online?';
    }
    if (finalCheck?.accepted && finalCheck.pGood != null) {
      const localMs = o.actualMs ?? plan.latency.localMs;
      return `Answered on device: likely a good answer (P ${fmt2(finalCheck.pGood)} ≥ ${fmt2(theta)}), cloud would have taken ~${fmtSeconds(plan.latency.cloudMs)} vs ${fmtSeconds(localMs)}`;
    }
    if (finalCheck?.accepted) {
      const localMs = o.actualMs ?? plan.latency.localMs;
      return `Answered on device: consistency ${fmt2(finalCheck.consistency)} ≥ ${fmt2(theta)}, cloud would have taken ~${fmtSeconds(plan.latency.cloudMs)} vs ${fmtSeconds(localMs)}`;
    }
    if (finalCheck && !finalCheck.accepted && finalCheck.pGood != null) {
      return `Answered on device (best effort): this answer is likely not good (P ${fmt2(finalCheck.pGood)} < ${fmt2(theta)}) and no other tier is available`;
    }
    if (finalCheck && !finalCheck.accepted) {
      return `Answered on device (best effort): consistency ${fmt2(finalCheck.consistency)} < ${fmt2(theta)} and no other tier is available`;
    }
    return plan.reasons[0] ?? 'Answered on device';
  }

  // Remote final tier.
  const rejected = [...checks].reverse().find((c) => c.tier !== final && !c.accepted);
  const label = tierName(final);
  if (plan.hedge && !rejected) {
    return `Answered ${TIER_LABEL[final]}: it finished first (the request ran in parallel with the device)`;
  }
  if (rejected) {
    const who = rejected.tier === 'local' ? 'on-device' : tierName(rejected.tier);
    if (rejected.pGood != null) {
      return `Escalated to ${label}: the ${who} answer was likely not good (P ${fmt2(rejected.pGood)} < ${fmt2(theta)})`;
    }
    if (rejected.verdict === 'self-veto' && rejected.self != null) {
      return `Escalated to ${label}: the ${who} answer looked unsure (self-confidence ${fmt2(rejected.self)})`;
    }
    return `Escalated to ${label}: the ${who} answer scored ${fmt2(rejected.consistency)}`;
  }
  if (final === 'edge' && finalCheck?.accepted) {
    return `Answered at the edge: consistency ${fmt2(finalCheck.consistency)} ≥ ${fmt2(theta)}`;
  }
  const why = plan.reasons.find((r) => !/^(Offline|Kept on device)/.test(r));
  return why ? `Sent to ${label}: ${lowerFirst(why)}` : `Answered ${TIER_LABEL[final]}`;
}
