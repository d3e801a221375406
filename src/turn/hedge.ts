// Hedging (performance-first): the last tier starts together with the
// device, silently buffered. If the device's answer is rejected, the ladder
// shows what the hedged request already has and streams the rest; otherwise
// the request is cancelled.
import type { Plan } from '../core/policy';
import type { Tier } from '../core/types';
import { runTier, type TierContext, type TierRun } from './tiers';

export interface Hedge {
  readonly tier: Tier;
  /** Shows the buffered text, then streams live into `onToken`; resolves with the run. */
  join(onReplace: (text: string) => void, onToken: (d: string) => void): Promise<TierRun>;
  cancel(): void;
}

export function startHedge(ctx: TierContext, plan: Pick<Plan, 'hedge' | 'tiers'>, signal: AbortSignal): Hedge | null {
  const { tiers } = plan;
  if (!plan.hedge || tiers.length < 2 || tiers[0] !== 'local') return null;
  const tier = tiers[tiers.length - 1];
  const ctl = new AbortController();
  signal.addEventListener('abort', () => ctl.abort(), { once: true });
  const buffer: string[] = [];
  let live: ((d: string) => void) | null = null;
  const promise = runTier(ctx, tier, (d) => (live ? live(d) : buffer.push(d)), ctl.signal, false);
  promise.catch(() => {}); // observed when joined; a cancelled hedge's failure is nobody's business
  return {
    tier,
    join(onReplace, onToken) {
      onReplace(buffer.join(''));
      live = onToken;
      return promise;
    },
    cancel: () => ctl.abort(),
  };
}
