// Step 1 of plan(): the hard constraints. They decide which tiers may answer
// at all, whatever the weights, and each one says why in plain words.
import type { Mode, Tier } from '../types';
import { DEFAULT_DEVICE } from '../latency/model';
import type { HardConstraint, PlanDevice, PlanNetwork, PlanPrivacy, PlanSettings } from './plan-types';
import { CONTEXT_HEADROOM_TOKENS } from './constants';
import { pos } from './numbers';
import { consentReason, privacyPhrase } from './reasons';
import type { Sizing } from './estimate';

export interface ConstraintResult {
  constraints: HardConstraint[];
  /** One sentence per constraint that matters, most important first. */
  reasons: string[];
  allowed: Record<Tier, boolean>;
  /** Sending is blocked only by missing consent: the UI may ask and re-plan. */
  needsConsent: boolean;
  /** The sentence saying so, when consent is missing. */
  consentReason: string | null;
  /** The prompt does not fit the device's context window. */
  tooLong: boolean;
}

interface ConstraintInput {
  privacy: PlanPrivacy;
  network: PlanNetwork;
  device: PlanDevice;
  settings: PlanSettings;
  mode: Mode;
  size: Pick<Sizing, 'promptTokens' | 'outputTokens'>;
}

/** Privacy first: may anything leave the device, and does it need consent? */
function privacyGate(i: ConstraintInput, out: ConstraintResult): boolean {
  const { privacy } = i;
  if (privacy.action === 'local-only') {
    out.constraints.push('privacy-local-only');
    out.reasons.push(`Kept on device: contains ${privacyPhrase(privacy)}`);
    return false;
  }
  if (privacy.action !== 'pseudonymize') return true;
  const required = privacy.consentRequired ?? i.settings.consentRequired ?? i.mode === 'privacy-first';
  if (!required || privacy.hasConsent) return true;
  out.needsConsent = true;
  out.consentReason = consentReason(privacy);
  out.constraints.push('consent-missing');
  out.reasons.push(out.consentReason);
  return false;
}

/** Then the network: which remote tiers can be reached right now. */
function networkGate(n: PlanNetwork, remoteOk: boolean, out: ConstraintResult): { cloud: boolean; edge: boolean } {
  if (!n.online) {
    out.constraints.push('offline');
    out.reasons.push('Offline: on-device answer only (best effort)');
  }
  const cloud = n.online && n.cloudConfigured && n.cloudHealthy !== false;
  const edge = n.online && !!n.edgeConfigured && n.edgeHealthy !== false;
  if (n.online && !n.cloudConfigured) {
    out.constraints.push('no-cloud');
    if (remoteOk && !edge) out.reasons.push('Cloud is not configured: answering on device');
  } else if (n.online && n.cloudHealthy === false) {
    out.constraints.push('cloud-unreachable');
    if (remoteOk && !edge) out.reasons.push('The cloud is unreachable right now: answering on device (best effort)');
  }
  if (n.online && n.edgeConfigured && n.edgeHealthy === false) out.constraints.push('edge-unreachable');
  return { cloud, edge };
}

/** Last the device: is the model there, and does the prompt fit? */
function deviceGate(i: ConstraintInput, out: ConstraintResult): void {
  const { device, size } = i;
  if (!device.localAvailable) {
    out.constraints.push('local-unavailable');
    out.reasons.push(out.allowed.edge || out.allowed.cloud
      ? 'The on-device model is not available: answering remotely'
      : 'No tier can answer: the on-device model is not available and nothing else is allowed');
  }
  const contextWindow = pos(device.contextWindow, DEFAULT_DEVICE.contextWindow);
  out.tooLong = size.promptTokens + Math.min(size.outputTokens, CONTEXT_HEADROOM_TOKENS) > contextWindow;
  if (out.tooLong && device.localAvailable) {
    out.constraints.push('context-window');
    out.reasons.push(`Too long for the on-device model (${size.promptTokens} tokens, window ${contextWindow})`);
  }
}

export function applyHardConstraints(i: ConstraintInput): ConstraintResult {
  const out: ConstraintResult = {
    constraints: [], reasons: [], needsConsent: false, consentReason: null, tooLong: false,
    allowed: { local: i.device.localAvailable, edge: false, cloud: false },
  };
  const remoteOk = privacyGate(i, out);
  const reachable = networkGate(i.network, remoteOk, out);
  out.allowed.edge = remoteOk && reachable.edge;
  out.allowed.cloud = remoteOk && reachable.cloud;
  deviceGate(i, out);
  return out;
}
