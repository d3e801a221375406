// The plan's reasons: plain sentences, hard constraints first (those are in
// constraints.ts), then why this ladder, then what the cloud would see.
import type { EntityType, Mode, QueryKind, Tier } from '../types';
import { NEVER_SENDABLE } from '../privacy/sensitivity';
import type { PlanPrivacy, Strategy } from './plan-types';
import { describeEntityTypes, kindPhrase, tierName } from './describe';

/** What makes this message stay on the device: "a card number". */
export function privacyPhrase(p: PlanPrivacy): string {
  const never = Array.isArray(p.neverSendable) ? (p.neverSendable as ReadonlyArray<{ type: string }>) : null;
  if (never && never.length) return describeEntityTypes(never.map((e) => e.type));
  const ents = p.entities ?? [];
  const high = ents.filter((e) => NEVER_SENDABLE.has(e.type as EntityType));
  if (high.length) return describeEntityTypes(high.map((e) => e.type));
  if (ents.length) return describeEntityTypes(ents.map((e) => e.type));
  const r = p.reasons?.[0];
  return r ? r.replace(/^contains\s+/i, '').replace(/\.$/, '') : 'sensitive data';
}

export function consentReason(p: PlanPrivacy): string {
  const what = p.entities?.length ? describeEntityTypes(p.entities.map((e) => e.type)) : 'personal data';
  return `Kept on device: sending would share ${what} (as placeholders) and you have not agreed to that yet`;
}

export interface ChoiceContext {
  strategy: Strategy;
  tiers: readonly Tier[];
  hedge: boolean;
  mode: Mode;
  kind: QueryKind;
  pLocal: number;
  thetaConsistency: number;
  localMs: number;
  cloudMs: number;
  edgeMs: number | null;
  /** T_local + T_check + P(escalate)·T_next. */
  localFirstMs: number;
  localUseful: boolean;
  capabilitySkip: boolean;
  /** The capability model's own words for a skip, when it gave them. */
  capabilityReason?: string;
  /** Whether the hard constraints already said something. */
  hasConstraintReasons: boolean;
}

// Plain sentences, no scores: the numbers behind them are in the plan
// (and in the answer's details). Capability comes before speed when both apply.
function localVerifyReasons(c: ChoiceContext): string[] {
  const out: string[] = [];
  const next = tierName(c.tiers[1] ?? 'cloud');
  if (c.mode === 'privacy-first') out.push('Privacy-first mode: the device tries first');
  if (c.localMs <= c.cloudMs) out.push('On device is faster for this question');
  else if (c.mode !== 'privacy-first' && !c.hedge) {
    out.push(c.localFirstMs <= c.cloudMs
      ? 'Trying on device first is faster on average'
      : 'Trying on device first: a little slower on average, but cheaper and more private');
  }
  out.push(`The device tries first; if its answer does not pass the quality check, the ${next} answers`);
  if (c.hedge) out.push(`Performance-first: the ${next} is asked at the same time, because the device may well need help; the slower answer is cancelled`);
  return out;
}

/** The device is unlikely to get this right (below this chance the reason says so first). */
const UNLIKELY_ON_DEVICE = 0.5;

/** Why this ladder (after the constraints' reasons). */
export function choiceReasons(c: ChoiceContext): string[] {
  const out: string[] = [];
  const remote = tierName(c.tiers[0] ?? 'cloud');
  if (c.capabilitySkip) {
    out.push(c.capabilityReason ?? `The on-device model rarely handles ${kindPhrase(c.kind)} well`);
    if (c.strategy === 'cloud-direct' && c.cloudMs < c.localMs) out.push(`The ${remote} is also faster for this question`);
  } else if (c.strategy === 'cloud-direct') {
    const weak = c.localUseful && c.pLocal < UNLIKELY_ON_DEVICE;
    if (weak) out.push(`The on-device model often gets ${kindPhrase(c.kind)} wrong`);
    if (c.cloudMs < c.localMs) out.push(weak ? 'The cloud is also faster for this question' : 'The cloud is faster for this question');
    else if (!c.localUseful) { if (!c.hasConstraintReasons) out.push('The on-device model cannot take this question'); }
    else if (!weak) out.push('The cloud is likely to answer this better');
  } else if (c.strategy === 'edge-verify' || c.strategy === 'edge-direct') {
    out.push('The edge server is the better start for this question');
  } else if (c.strategy === 'local-verify') {
    out.push(...localVerifyReasons(c));
  } else if (c.strategy === 'local-only' && !c.hasConstraintReasons && out.length === 0) {
    out.push('Answering on device');
  }
  return out;
}

/** "If sent, the cloud sees placeholders instead of a name", when that applies. */
export function placeholderReason(p: PlanPrivacy, tiers: readonly Tier[]): string | null {
  if (p.action !== 'pseudonymize' || !tiers.some((t) => t !== 'local')) return null;
  const repl = p.replaced ?? p.entities ?? [];
  return `If sent, the cloud sees placeholders instead of ${repl.length ? describeEntityTypes(repl.map((e) => e.type)) : 'personal details'}`;
}
