// The one mapping from a privacy assessment to plan()'s privacy input, shared
// by the turn pipeline, the eval replay and the route CLI so they cannot
// drift apart.
import type { EntityType, PrivacyAction } from '../types';
import type { PlanPrivacy } from './plan-types';

type Typed = { type: EntityType | string };

/** What assessPrivacy() returns, as far as the policy reads it. */
export interface AssessmentLike {
  action: PrivacyAction;
  sensitivity: number;
  reasons?: readonly string[];
  toReplace?: readonly Typed[];
  neverSendable?: readonly Typed[];
}

export interface PlanPrivacyOptions {
  /**
   * The action actually taken, when stricter than the assessment's (a
   * never-sendable value found in the conversation keeps the turn local).
   */
  action?: PrivacyAction;
  /** Never-sendable entities found outside the assessed text (e.g. earlier messages). */
  neverSendable?: readonly Typed[];
  hasConsent?: boolean;
  /** Whether pseudonymized sending needs consent; undefined = the mode decides. */
  consentRequired?: boolean | null;
}

export function planPrivacyFrom(a: AssessmentLike, entities: readonly Typed[], opts: PlanPrivacyOptions = {}): PlanPrivacy {
  const never = [...(a.neverSendable ?? []), ...(opts.neverSendable ?? [])];
  return {
    action: opts.action ?? a.action,
    sensitivity: a.sensitivity,
    reasons: a.reasons ?? [],
    entities,
    replaced: a.toReplace,
    neverSendable: never,
    hasConsent: opts.hasConsent,
    consentRequired: opts.consentRequired ?? undefined,
  };
}
