// The user's explicit request for a tier ("re-ask in the cloud"), decided
// inside plan(): honoured only where privacy and connectivity allow it —
// never over a hard constraint.
import type { Plan } from './plan-types';
import type { TierModels } from './ladders';
import { evaluateLadder } from './ladders';

export const FORCED_CLOUD_REASON = 'Re-asked in the cloud at your request';
export const FORCE_BLOCKED_BY_PRIVACY = 'This message cannot be sent to the cloud: it contains data that stays on this device.';
export const FORCE_BLOCKED_BY_NETWORK = 'The cloud cannot be reached right now.';

function unavailable(p: Plan, reason: string): Plan {
  return { ...p, strategy: 'unavailable', tiers: [], route: 'local', hedge: false, bestEffort: true, reasons: [reason] };
}

export const FORCE_BLOCKED_NO_CLOUD = 'No cloud is configured for this app.';

/** Why the cloud cannot take a forced re-ask, as the error the user sees. */
function blockedReason(p: Plan, consentReason: string | undefined): string {
  if (p.constraints.includes('consent-missing') && consentReason) return consentReason;
  if (p.constraints.includes('no-cloud')) return FORCE_BLOCKED_NO_CLOUD;
  return FORCE_BLOCKED_BY_NETWORK;
}

/** `consentReason`: the sentence the constraints gave for missing consent, if any. */
export function forceCloud(p: Plan, tm: TierModels, consentReason?: string): Plan {
  if (p.constraints.includes('privacy-local-only')) return unavailable(p, FORCE_BLOCKED_BY_PRIVACY);
  if (!p.allowed.cloud) return unavailable(p, blockedReason(p, consentReason));
  const e = evaluateLadder(['cloud'], false, tm, p.expected.checkMs);
  return {
    ...p,
    strategy: 'cloud-direct',
    tiers: ['cloud'],
    route: 'cloud',
    hedge: false,
    bestEffort: false,
    expected: { ...p.expected, totalMs: e.ms, pEscalate: 0, costUsd: e.cost, quality: e.quality },
    reasons: [FORCED_CLOUD_REASON, ...p.reasons],
  };
}
