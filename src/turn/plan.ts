// Stage 2 of a turn: the plan. Maps what the turn knows (privacy decision,
// network snapshot, device rates, settings, learned stats) onto plan()'s
// input and lets the pure policy decide — the user's forced tier included.
// The only thing done here is asking for consent when the plan says it is
// missing, then planning again with the answer.
import { classifyQuery, type QueryClassification } from '../core/capability';
import { plan, planPrivacyFrom, type Plan, type PlanCapability, type PlanDevice, type PlanInput, type Prices } from '../core/policy';
import type { NetworkSnapshot } from '../net/types';
import { planNetworkFrom } from '../net/plan-input';
import type { ConsentRequest, NetworkPort, OrchestratorDeps, RoutingSettings } from './deps';
import type { PrivacyDecision } from './privacy';
import type { RoutingStats } from './stats';
import { STAGE_WORDING } from '../core/wording';

/** A snapshot older than this is refreshed (one probe) before planning a turn that may leave. */
export const NETWORK_MAX_AGE_MS = 10_000;

export interface PlanRequest {
  question: string;
  privacy: PrivacyDecision;
  network: NetworkSnapshot | null;
  device: PlanDevice;
  settings: RoutingSettings;
  stats: Pick<RoutingStats, 'acceptance' | 'outputLengths'>;
  prices: Partial<Prices>;
  maxTokens: number;
  force?: 'cloud';
  capability?: PlanCapability | null;
  /** A known output length (e.g. a task node's), instead of the kind's prediction. */
  outputTokens?: number;
  /** The question's classification, when already computed. */
  classification?: QueryClassification;
}

/** PlanNetwork for a snapshot; without a monitor the browser's online flag is all we know. */
export function networkInput(net: NetworkSnapshot | null): PlanInput['network'] {
  if (!net) return { online: typeof navigator === 'undefined' ? true : navigator.onLine, cloudConfigured: false };
  return planNetworkFrom(net);
}

/** The pure mapping from a turn's context to plan()'s input. */
export function planInputFor(r: PlanRequest, hasConsent: boolean): PlanInput {
  const { privacy, settings } = r;
  return {
    query: { text: r.question, classification: r.classification ?? classifyQuery(r.question) },
    privacy: planPrivacyFrom(privacy.assessment, privacy.entities, {
      action: privacy.action,
      neverSendable: privacy.neverSendableElsewhere,
      hasConsent,
      consentRequired: settings.consentRequired,
    }),
    network: networkInput(r.network),
    device: r.device,
    settings: {
      mode: settings.mode,
      preset: settings.preset,
      weights: settings.weights,
      thetaConsistency: settings.thetaConsistency,
      prices: { ...r.prices, ...(settings.cloudPrices ?? {}) },
      consentRequired: settings.consentRequired ?? undefined,
    },
    stats: { acceptance: r.stats.acceptance, outputLengths: r.stats.outputLengths },
    capability: r.capability ?? null,
    force: r.force ?? null,
    maxTokens: r.maxTokens,
    outputTokens: r.outputTokens,
  };
}

/**
 * The live snapshot when something may leave: refreshed when stale, and
 * probed again at once when the last probe failed or none has answered yet —
 * a turn is not kept off the cloud on the word of one lost probe (a busy
 * device can miss a probe's deadline without the proxy being down).
 */
export async function currentNetwork(port: NetworkPort | null, mayLeave: boolean): Promise<NetworkSnapshot | null> {
  const net = port?.snapshot() ?? null;
  if (!port || !net?.online || !mayLeave) return net;
  const maxAgeMs = net.proxyReachable ? NETWORK_MAX_AGE_MS : 0;
  return port.refreshIfStale(maxAgeMs).catch(() => net);
}

/** plan(); when only consent is missing, ask, and plan again if the user agrees. */
export async function decidePlan(
  consent: (req: ConsentRequest) => Promise<'send' | 'local'>,
  r: PlanRequest,
  ctx: { conversationId: string; onStage: (s: string) => void },
): Promise<Plan> {
  const first = plan(planInputFor(r, false));
  const outboundText = r.privacy.record.outboundText;
  if (!first.needsConsent || outboundText === null) return first;
  ctx.onStage(STAGE_WORDING.consent);
  const answer = await consent({
    conversationId: ctx.conversationId, outboundText, types: [...r.privacy.consentTypes],
    outboundMessages: r.privacy.record.outboundMessages ?? undefined,
  });
  return answer === 'send' ? plan(planInputFor(r, true)) : first;
}

/** The device as plan() sees it: available, warm, and its learned token rates. */
export function deviceInput(deps: Pick<OrchestratorDeps, 'local' | 'stats'>): PlanDevice {
  return { localAvailable: deps.local.available(), loaded: deps.local.isReady(), ...deps.stats.device() };
}
