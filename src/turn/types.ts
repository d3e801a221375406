import type { ChatMessage, EntityType, PrivacyAction, Tier } from '../core/types';
import type { TierCheck } from '../core/policy';

export interface EngineTag {
  route: Tier;
  engine: string;
  modelId: string;
  device: string;
}

/**
 * What the privacy step found and did, without any raw value: what the UI
 * shows and stores with the message. Emitted once, frozen; the turn's result
 * carries a copy with `sent` set from what actually happened.
 */
export interface PrivacyRecord {
  entities: { type: EntityType; source: 'pattern' | 'ner'; score: number }[];
  action: PrivacyAction;
  sensitivity: number;
  /** The exact text of this message that left (or would leave) the device; null = never. */
  outboundText: string | null;
  /**
   * The whole conversation exactly as it would leave (earlier messages
   * masked too), or null when nothing may leave. Absent in records saved
   * before it existed.
   */
  outboundMessages?: ChatMessage[] | null;
  /** Whether anything actually left the device in this turn. */
  sent: boolean;
  reasons: string[];
}

export interface DiscardedDraft {
  tier: Tier;
  text: string;
  consistency: number | null;
}

export interface TurnInput {
  conversationId: string;
  /** The conversation so far, ending with the user's new message. */
  history: ChatMessage[];
  signal: AbortSignal;
  onStage: (stage: string | null) => void;
  onEngine: (tag: EngineTag) => void;
  onToken: (delta: string) => void;
  /** Replaces the whole visible answer (e.g. when a draft is discarded). */
  onReplace: (text: string) => void;
  /** 'checking' while the answer is being verified (the draft stays visible). */
  onStatus?: (status: 'streaming' | 'checking') => void;
  onDraftDiscarded?: (draft: DiscardedDraft) => void;
  onPrivacy?: (record: PrivacyRecord) => void;
  /** Skip the device and ask this tier (privacy and connectivity still apply). */
  force?: 'cloud';
  /**
   * Aborted by "Ask the cloud now": stop waiting for the device's model and go
   * to the remote tier plan() allowed. Ignored where privacy or the plan keep the turn on the device.
   */
  skipDevice?: AbortSignal;
  /** true while the turn waits for the device's model and may skip it (show "Ask the cloud now"). */
  onSkippable?: (skippable: boolean) => void;
}

export interface TurnResult extends EngineTag {
  text: string;
  finishReason: 'stop' | 'length' | 'abort';
  usage?: { promptTokens: number; outputTokens: number; decodeTps: number | null; timeToFirstTokenMs: number | null };
  /** The badge sentence: why the answer came from where it did. */
  reason?: string;
  /** The numbers behind the reason (scores, estimates), for the answer's expandable details. */
  details?: string[];
  checks?: TierCheck[];
  bestEffort?: boolean;
  /** Offline or best-effort answer with low confidence: offer to re-ask in the cloud later. */
  reaskSuggested?: boolean;
  discarded?: DiscardedDraft[];
  privacy?: PrivacyRecord;
}

export type TurnRunner = (input: TurnInput) => Promise<TurnResult>;
