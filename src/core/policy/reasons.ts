// The plan's reasons: plain sentences, hard constraints first (those are in
// constraints.ts), then why this ladder, then what the cloud would see.
import type { EntityType, Mode, QueryKind, Tier } from '../types';
import { NEVER_SENDABLE } from '../privacy/sensitivity';
import type { PlanPrivacy, Strategy } from './plan-types';
import { describeEntityTypes, fmt2, fmtSeconds, kindPhrase, tierName } from './describe';

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

function localVerifyReasons(c: ChoiceContext): string[] {
  const out: string[] = [];
  const next = c.tiers[1] ?? 'cloud';
  if (c.mode === 'privacy-first') out.push('Privacy-first mode: the device tries first');
  if (c.localMs <= c.cloudMs) out.push(`On device is faster here (~${fmtSeconds(c.localMs)} vs ~${fmtSeconds(c.cloudMs)} in the cloud)`);
  else if (c.mode !== 'privacy-first' && !c.hedge) {
    out.push(c.localFirstMs <= c.cloudMs
      ? `Trying on device first is faster on average (~${fmtSeconds(c.localFirstMs)} expected vs ~${fmtSeconds(c.cloudMs)} in the cloud)`
      : `Trying on device first: slower on average (~${fmtSeconds(c.localFirstMs)} vs ~${fmtSeconds(c.cloudMs)} in the cloud) but cheaper and more private`);
  }
  out.push(`The device tries first (P(accept) ≈ ${fmt2(c.pLocal)}); below a consistency of ${fmt2(c.thetaConsistency)} it escalates to the ${tierName(next)}`);
  if (c.hedge) out.push(`Performance-first: the cloud request starts in parallel because escalation is likely (P ≈ ${fmt2(1 - c.pLocal)}); the slower answer is cancelled`);
  return out;
}

/** Why this ladder (after the constraints' reasons). */
export function choiceReasons(c: ChoiceContext): string[] {
  const out: string[] = [];
  if (c.capabilitySkip) {
    const why = c.capabilityReason ?? `The on-device model rarely handles ${kindPhrase(c.kind)}`;
    out.push(`${why} (P(accept) ≈ ${fmt2(c.pLocal)}), so it goes straight to the ${tierName(c.tiers[0] ?? 'cloud')}`);
  }
  if (c.strategy === 'cloud-direct' && !c.capabilitySkip) {
    if (c.cloudMs < c.localMs) out.push(`Cloud is faster here (~${fmtSeconds(c.cloudMs)} vs ~${fmtSeconds(c.localMs)} on device)`);
    else if (!c.localUseful) out.push(`Sent to the cloud (~${fmtSeconds(c.cloudMs)})`);
    else out.push(`Sent to the cloud for quality: the on-device model would likely need a retry (P(accept) ≈ ${fmt2(c.pLocal)})`);
  } else if (c.strategy === 'edge-verify' || c.strategy === 'edge-direct') {
    out.push(`The edge server is the better start here (~${fmtSeconds(c.edgeMs ?? 0)} vs ~${fmtSeconds(c.localMs)} on device)`);
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
