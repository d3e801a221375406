// What the ladder does when a tier fails (an engine error, a cut stream, the
// network gone): one pure rule, so a turn and a task-graph node recover the
// same way and nothing the user saw is lost.
import type { Tier } from '../types';

export type FailureAction =
  /** A remote tier failed after the device's draft was rejected: that draft is the best answer we have — show it again, marked. */
  | 'show-draft'
  /** A remote tier failed and the device can answer: it finishes the turn. */
  | 'fall-back-to-device'
  /** The device could not answer but a remote tier is next: go on. */
  | 'next-tier'
  /** Nothing else can answer: the turn fails with the error in plain words. */
  | 'fail';

export interface FailureContext {
  tier: Tier;
  /** The failed tier was the ladder's last. */
  isLast: boolean;
  /** The device already produced an answer in this turn (rejected by the check). */
  hasDeviceDraft: boolean;
  /** The device's model can answer right now. */
  deviceAvailable: boolean;
}

export function onTierFailure(c: FailureContext): FailureAction {
  if (c.tier !== 'local') {
    if (c.hasDeviceDraft) return 'show-draft';
    if (c.deviceAvailable) return 'fall-back-to-device';
    return 'fail';
  }
  return c.isLast ? 'fail' : 'next-tier';
}
