// The one interface every chat engine implements (local web-llm, local ONNX,
// and the proxy client for edge/cloud). Main-thread side; workers sit behind it.
import type { ChatMessage } from '../core/types';
// Progress, usage and log-prob shapes live in core (pure helpers compute them).
import type { ChatUsage, LoadProgress, TokenLogprob } from '../core/engine/metrics';
import type { ChatResult } from '../core/engine/result';
import type { Recoverable } from './lifecycle';

export type EngineKind = 'builtin' | 'webllm' | 'onnx' | 'proxy';

export type { LoadProgress, TokenLogprob, ChatUsage, ChatResult };

export interface ChatRequest {
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  logprobs?: boolean;
  signal?: AbortSignal;
  onToken?: (delta: string) => void;
  /** Which conversation this turn belongs to (engines that keep a session per conversation use it). */
  conversationId?: string;
}

export interface EngineInfo {
  kind: EngineKind;
  modelId: string;
  /** e.g. 'webgpu', 'wasm' — where the model actually runs. */
  device: string;
  contextWindow: number;
}

/**
 * An on-device engine (web-llm, ONNX, and the ones to come). Every one has the
 * same lifecycle: load → ready → (crash → recover → ready)* → dispose. A crash
 * is told once through `onCrash`; the manager then calls `recover()`, which
 * starts a fresh worker and loads the model again (engines share CrashRecovery).
 */
export interface LocalEngine extends Recoverable {
  readonly info: EngineInfo;
  load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void>;
  chat(req: ChatRequest): Promise<ChatResult>;
  isCached(): Promise<boolean>;
  deleteFromCache(): Promise<void>;
  /** Frees what the engine keeps for a conversation (new chat, deleted conversation). */
  endConversation?(conversationId: string): void;
  /** Test hook (the demo only): makes the engine's worker crash for real. */
  crashForTest?(): void;
  dispose(): void;
}
