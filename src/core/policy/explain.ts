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
  /** The user chose not to wait for the on-device model ("Ask the cloud now"). */
  skippedDevice?: boolean;
}

function has(plan: TurnOutcome['plan'], c: HardConstraint): boolean {
  return plan.constraints.includes(c);
}

function lowerFirst(s: string): string {
  return s ? s[0].toLowerCase() + s.slice(1) : s;
}

const TIER_LABEL: Record<Tier, string> = { local: 'on device', edge: 'at the edge', cloud: 'in the cloud' };

/**
 * One plain sentence for the answer's badge: where it came from and why, in
 * words a non-engineer understands. The numbers behind it are in
 * explainDetails (shown when the user expands the answer's details). Pure.
 */
export function explainOutcome(o: TurnOutcome): string {
  const { plan } = o;
  const checks = o.checks ?? [];
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
      if (finalCheck && finalCheck.accepted) return 'Offline: on-device answer, and it passed the quality check';
      return 'Offline: on-device answer, low confidence — re-ask in the cloud when back online?';
    }
    if (finalCheck?.accepted) {
      const localMs = o.actualMs ?? plan.latency.localMs;
      return localMs <= plan.latency.cloudMs
        ? 'Answered on device: it passed the quality check, and it was quicker than asking the cloud'
        : 'Answered on device: it passed the quality check, so nothing had to leave this device';
    }
    if (finalCheck && !finalCheck.accepted) {
      return 'Answered on device as a best effort: it did not pass the quality check, and nothing else can answer right now';
    }
    return plan.reasons[0] ?? 'Answered on device';
  }

  // Remote final tier.
  if (o.skippedDevice) return `You asked the ${tierName(final)} instead of waiting for the on-device model to load`;
  const rejected = [...checks].reverse().find((c) => c.tier !== final && !c.accepted);
  const label = tierName(final);
  if (plan.hedge && !rejected) {
    return `Answered ${TIER_LABEL[final]}: it finished first (the request ran in parallel with the device)`;
  }
  if (rejected) {
    const who = rejected.tier === 'local' ? 'on-device' : tierName(rejected.tier);
    if (rejected.pGood != null) {
      return `Escalated to ${label}: the ${who} answer was likely not good enough`;
    }
    if (rejected.verdict === 'self-veto' && rejected.self != null) {
      return `Escalated to ${label}: the ${who} model was unsure of its own answer`;
    }
    return `Escalated to ${label}: the ${who} answer did not pass the quality check`;
  }
  if (final === 'edge' && finalCheck?.accepted) {
    return 'Answered at the edge: it passed the quality check';
  }
  const why = plan.reasons.find((r) => !/^(Offline|Kept on device)/.test(r));
  return why ? `Answered ${TIER_LABEL[final]}: ${lowerFirst(why)}` : `Answered ${TIER_LABEL[final]}`;
}

/** The numbers behind the badge sentence, one line each, for the answer's expandable details. Pure. */
export function explainDetails(o: TurnOutcome): string[] {
  const out: string[] = [];
  const theta = o.plan.thetaConsistency;
  for (const c of o.checks ?? []) {
    const who = c.tier === 'local' ? 'On-device' : c.tier === 'edge' ? 'Edge' : 'Cloud';
    const verdict = c.accepted ? 'accepted' : 'rejected';
    if (c.pGood != null) {
      out.push(`${who} answer judged good with probability ${fmt2(c.pGood)} (accepted at ${fmt2(theta)} or more) — ${verdict}`);
      out.push(`${who} answer's consistency with the question: ${fmt2(c.consistency)}`);
    } else {
      out.push(`${who} answer: consistency ${fmt2(c.consistency)} (accepted at ${fmt2(theta)} or more) — ${verdict}`);
    }
    if (c.self != null) out.push(`${who} model's self-confidence: ${fmt2(c.self)}`);
  }
  const l = o.plan.latency;
  out.push(`Estimated time: ~${fmtSeconds(l.localMs)} on device, ~${fmtSeconds(l.cloudMs)} in the cloud`);
  if (o.actualMs != null) out.push(`This answer took ${fmtSeconds(o.actualMs)}`);
  return out;
}
