// The policy's input and output types: what plan() reads and what it decides.
import type { EntityType, Mode, PrivacyAction, QueryKind, Tier } from '../types';
import type { CloudEstimate, LocalEstimate } from '../latency/model';
import type { OutputLengthStats } from '../latency/output';
import type { QueryClassification } from '../capability/classify';
import type { CapabilityProfile } from '../capability/profile';
import type { AcceptanceState, AcceptanceStats } from '../capability/stats';
import type { Objective, PresetName, Weights } from './weights';

export type Strategy = 'local-only' | 'local-verify' | 'edge-verify' | 'edge-direct' | 'cloud-direct' | 'unavailable';

export type HardConstraint =
  | 'privacy-local-only' | 'consent-missing' | 'offline' | 'no-cloud' | 'cloud-unreachable'
  | 'edge-unreachable' | 'local-unavailable' | 'context-window';

export interface PlanQuery {
  text?: string;
  /** Overrides the classifier's kind. */
  kind?: QueryKind;
  /** A classification computed earlier (skips classifyQuery). */
  classification?: QueryClassification;
}

export interface PlanPrivacy {
  action: PrivacyAction;
  sensitivity: number;
  reasons?: readonly string[];
  /** Detected entities (only `type` is used, to name them in reasons). */
  entities?: ReadonlyArray<{ type: EntityType | string }>;
  /** The entities that become placeholders when sent (default: all entities). */
  replaced?: ReadonlyArray<{ type: EntityType | string }>;
  /** The never-sendable entities, or a flag. */
  neverSendable?: boolean | ReadonlyArray<{ type: EntityType | string }>;
  hasConsent?: boolean;
  /** Whether pseudonymized sending needs consent; defaults to settings, then to mode === 'privacy-first'. */
  consentRequired?: boolean;
}

export interface PlanNetwork {
  online: boolean;
  cloudConfigured: boolean;
  edgeConfigured?: boolean;
  /** Round-trip time to the proxy (cloud path). */
  rttMs?: number;
  coldConnection?: boolean;
  bandwidthBps?: number;
  /** Probe loss rate 0..1. */
  lossRate?: number;
  cloudLoad?: number;
  cloudTtftMs?: number;
  cloudTps?: number;
  cloudErrorRate?: number;
  /** false when the proxy or the cloud upstream is known to be down. */
  cloudHealthy?: boolean;
  edgeRttMs?: number;
  edgeLoad?: number;
  edgeTtftMs?: number;
  edgeTps?: number;
  edgeErrorRate?: number;
  edgeHealthy?: boolean;
}

export interface PlanDevice {
  localAvailable: boolean;
  prefillTps?: number;
  decodeTps?: number;
  /** Model already in memory; when false, loadMs is added. Default true. */
  loaded?: boolean;
  loadMs?: number;
  contextWindow?: number;
}

export interface Prices {
  cloudUsdPerMTokIn: number;
  cloudUsdPerMTokOut: number;
  edgeUsdPerMTokIn: number;
  edgeUsdPerMTokOut: number;
  /** Energy the device spends per token (prompt or output). */
  localJoulesPerToken: number;
  usdPerKWh: number;
}

export interface PlanSettings {
  mode?: Mode;
  preset?: PresetName | null;
  /** Custom weights (normalized); override the preset's and the mode's. */
  weights?: Partial<Weights> | null;
  thetaConsistency?: number;
  prices?: Partial<Prices>;
  /** Time to score (question, answer) with the cross-encoder. */
  checkMs?: number;
  /** Ask before sending pseudonymized text (default: privacy-first mode only). */
  consentRequired?: boolean;
  localProfile?: CapabilityProfile;
  edgeProfile?: CapabilityProfile;
  /** Skip the local attempt below this P(accept) (not in privacy-first). */
  skipLocalBelow?: number;
  /** Hedge (performance-first) only when P(escalate) is at least this. */
  hedgeMinPEscalate?: number;
}

export interface PlanStats {
  acceptance?: AcceptanceStats | AcceptanceState | null;
  edgeAcceptance?: AcceptanceStats | AcceptanceState | null;
  outputLengths?: OutputLengthStats | null;
}

/**
 * A capability model's estimate before generating (issue #10's "before"
 * stage). When given it replaces the built-in per-kind estimate
 * (capability/profile.ts) for this plan.
 */
export interface PlanCapability {
  /** P(the device's answer is good enough), 0..1. */
  pLocal: number;
  /** The same for the edge model; default: the built-in edge profile. */
  pEdge?: number | null;
  /** Why, in plain words, used when the device is skipped ("questions like this often go wrong on this device"). */
  reason?: string;
}

export interface PlanInput {
  query: PlanQuery;
  privacy: PlanPrivacy;
  network: PlanNetwork;
  device: PlanDevice;
  settings?: PlanSettings;
  stats?: PlanStats;
  capability?: PlanCapability | null;
  /**
   * The user asked for this tier (re-asking an offline answer in the cloud):
   * honoured only where privacy and connectivity allow, never over a hard
   * constraint — otherwise the plan is 'unavailable' and says why.
   */
  force?: 'cloud' | null;
  /** Whole prompt including history; default: text tokens + template overhead. */
  promptTokens?: number;
  maxTokens?: number;
  /** Known/forced output length; default: predicted from the kind. */
  outputTokens?: number;
}

export interface ObjectiveScores extends Record<Objective, number> {}

export interface CandidateScore {
  strategy: Strategy;
  tiers: Tier[];
  hedge: boolean;
  expectedMs: number;
  costUsd: number;
  quality: number;
  scores: ObjectiveScores;
  utility: number;
}

export interface PlanLatency {
  localMs: number;
  cloudMs: number;
  edgeMs: number | null;
  local: LocalEstimate;
  cloud: CloudEstimate;
  edge: CloudEstimate | null;
}

export interface PlanExpected {
  localMs: number;
  cloudMs: number;
  edgeMs: number | null;
  checkMs: number;
  /** T_local + T_check + P(escalate)·T_next (T_local when nothing can follow). */
  localFirstMs: number;
  /** Expected time of the chosen strategy. */
  totalMs: number;
  pAccept: number;
  pAcceptEdge: number | null;
  /** P(the first tier's answer is rejected) for the chosen strategy (0 when unchecked). */
  pEscalate: number;
  costUsd: number;
  quality: number;
  promptTokens: number;
  outputTokens: number;
}

export interface Plan {
  strategy: Strategy;
  /** The escalation ladder, in order; [] when nothing can answer. */
  tiers: Tier[];
  /** The tier expected to give the final answer. */
  route: Tier;
  hedge: boolean;
  /** The answer cannot be checked-and-escalated (offline, no cloud, privacy…). */
  bestEffort: boolean;
  /** Sending is blocked only by missing consent: the UI may ask and re-plan. */
  needsConsent: boolean;
  mode: Mode;
  weights: Weights;
  thetaConsistency: number;
  kind: QueryKind;
  classification: QueryClassification;
  allowed: Record<Tier, boolean>;
  constraints: HardConstraint[];
  expected: PlanExpected;
  latency: PlanLatency;
  candidates: CandidateScore[];
  /** Plain-English sentences, most important first. */
  reasons: string[];
}
