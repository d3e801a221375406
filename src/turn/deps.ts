// The ports a turn runs against: settings, engines, the NLP worker, the
// network monitor, the per-conversation pseudonymizer, consent, learned stats
// and trace storage. compose.ts wires the real ones; tests wire real tiny
// models and a real proxy.
import type { ChatMessage, Mode } from '../core/types';
import type { Pseudonymizer } from '../core/privacy';
import type { AcceptRule, PlanCapability, Prices, PresetName, Weights } from '../core/policy';
import type { QueryClassification } from '../core/capability';
import type { ChatResult, LocalEngine } from '../engines/types';
import type { NlpClient } from '../engines/nlp/types';
import type { NetworkSnapshot } from '../net/types';
import type { OutboundMessages } from '../core/outbound';
import type { RoutingStats } from './stats';
import type { TurnTrace } from './record';

export interface RoutingSettings {
  mode: Mode;
  preset: PresetName | null;
  weights: Partial<Weights> | null;
  thetaConsistency: number;
  /** Ask before sending pseudonymized text to the cloud (default: privacy-first only). */
  consentRequired: boolean | null;
  privacyAlpha: number;
  /** Perturb ages and amounts with Laplace noise of this ε instead of replacing them (null = replace). */
  noiseEpsilon?: number | null;
  /** The user's cloud price overrides (USD per million tokens). */
  cloudPrices?: { cloudUsdPerMTokIn: number; cloudUsdPerMTokOut: number } | null;
}

export interface RemoteChatRequest {
  messages: OutboundMessages;
  maxTokens?: number;
  signal?: AbortSignal;
  onToken?: (delta: string) => void;
}

export interface RemoteEngine {
  readonly info: { modelId: string };
  chat(req: RemoteChatRequest): Promise<ChatResult & { model?: string | null }>;
}

export interface LocalPort {
  ready(): Promise<LocalEngine>;
  isReady(): boolean;
  available(): boolean;
}

export interface NetworkPort {
  snapshot(): NetworkSnapshot;
  refreshIfStale(maxAgeMs: number): Promise<NetworkSnapshot>;
  observeCloud(o: { ttftMs: number | null; tokensPerSec: number | null }): void;
}

export interface ConsentRequest {
  conversationId: string;
  /** The last message exactly as it would leave (placeholders in). */
  outboundText: string;
  /** The entity types that would be sent as placeholders. */
  types: string[];
  /** The whole conversation exactly as it would leave (earlier messages masked too). */
  outboundMessages?: readonly ChatMessage[];
}

export interface OrchestratorDeps {
  settings: () => RoutingSettings;
  local: LocalPort;
  nlp: NlpClient | null;
  /** false while the NER model has not answered yet (its first use loads it): the stage line says so. */
  nlpWarm?: () => boolean;
  network: NetworkPort | null;
  remote: (tier: 'cloud' | 'edge') => RemoteEngine;
  pseudonymizer: (conversationId: string) => Pseudonymizer;
  consent: (req: ConsentRequest) => Promise<'send' | 'local'>;
  stats: RoutingStats;
  recordTrace: (t: TurnTrace) => Promise<void>;
  maxNewTokens: number;
  prices: Partial<Prices>;
  /**
   * A capability model's pre-generation estimate for this query (issue #10);
   * null or absent = the built-in per-kind estimate.
   */
  capability?: (q: { text: string; classification: QueryClassification }) => PlanCapability | null;
  /** The rule that accepts or escalates an answer; default: consistency ≥ θ with the self-confidence veto. */
  acceptRule?: (thetaConsistency: number) => AcceptRule;
  now?: () => number;
  newId?: () => string;
}
