import type { ChatMessage, Tier } from '../core/types';
import type { ChatUsage } from '../engines/types';

export interface EngineTag {
  route: Tier;
  engine: string;
  modelId: string;
  device: string;
}

export interface TurnInput {
  /** The conversation so far, ending with the user's new message. */
  history: ChatMessage[];
  signal: AbortSignal;
  onStage: (stage: string | null) => void;
  onEngine: (tag: EngineTag) => void;
  onToken: (delta: string) => void;
  /** Replaces the whole visible answer (e.g. when a draft is discarded). */
  onReplace: (text: string) => void;
}

export interface TurnResult extends EngineTag {
  text: string;
  finishReason: 'stop' | 'length' | 'abort';
  usage?: { promptTokens: number; outputTokens: number; decodeTps: number | null; timeToFirstTokenMs: number | null };
  reason?: string;
}

export type TurnRunner = (input: TurnInput) => Promise<TurnResult>;
