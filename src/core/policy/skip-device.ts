// "Ask the cloud now": the tiers a turn may go to when the user will not wait
// for the on-device model to load. Only what plan() allowed: the plan's own
// remote tiers when it has any, else the remote tier it allowed (cloud first).
// [] = the device is the only place this turn may be answered.
import type { Tier } from '../types';
import type { Plan } from './plan-types';

export function tiersWithoutDevice(p: Pick<Plan, 'tiers' | 'allowed'>): Tier[] {
  const remote = p.tiers.filter((t) => t !== 'local');
  if (remote.length) return remote;
  if (p.allowed.cloud) return ['cloud'];
  if (p.allowed.edge) return ['edge'];
  return [];
}
