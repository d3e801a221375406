// Which tier answers and which upstreams to try, in order. Pure: the request's
// model/tier/fallover and the configured providers in, a plan or a refusal out.

import type { TierName } from '../config.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { Provider } from '../providers/types.ts';

export interface Choice {
  tier: TierName;
  /** Upstreams to try in order: the named model first, the rest of its tier, then (fallover) the other tier. */
  plan: Provider[];
}

export interface Refusal {
  status: number;
  code: string;
  message: string;
  param: string | null;
}

export function chooseRoute(
  req: { model: string; tier?: TierName; fallover?: boolean },
  providers: ProviderRegistry,
): Choice | Refusal {
  let tier: TierName;
  let first: Provider | undefined;
  if (req.model === 'auto') {
    tier = req.tier ?? (providers.configured('cloud') || !providers.configured('edge') ? 'cloud' : 'edge');
  } else {
    first = providers.byModel(req.model);
    if (!first) {
      return { status: 400, code: 'model_not_found', message: 'The model is not available here; use "auto" or one of GET /v1/models', param: 'model' };
    }
    if (req.tier && req.tier !== first.tier) {
      return { status: 400, code: 'model_tier_mismatch', message: `The model belongs to the ${first.tier} tier, not ${req.tier}`, param: 'tier' };
    }
    tier = first.tier;
  }
  if (!providers.configured(tier)) {
    return { status: 503, code: 'tier_not_configured', message: `The ${tier} tier is not configured on this proxy`, param: null };
  }
  // Falling back to the LAN never sends data further away; escalating edge → cloud must be asked for.
  const fallover = req.fallover ?? tier === 'cloud';
  const other: TierName = tier === 'cloud' ? 'edge' : 'cloud';
  const plan = [
    ...(first ? [first] : []),
    ...providers.ofTier(tier).filter((p) => p !== first),
    ...(fallover ? providers.ofTier(other) : []),
  ];
  return { tier, plan };
}

export const isRefusal = (x: Choice | Refusal): x is Refusal => 'code' in x;
