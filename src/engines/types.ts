// The one interface every chat engine implements (local web-llm, local ONNX,
// and the proxy client for edge/cloud). Main-thread side; workers sit behind it.
import type { ChatMessage } from '../core/types';
// Progress, usage and log-prob shapes live in core (pure helpers compute them).
import type { ChatUsage, LoadProgress, TokenLogprob } from '../core/engine/metrics';

export type EngineKind = 'webllm' | 'onnx' | 'proxy';

export type { LoadProgress, TokenLogprob, ChatUsage };

export interface ChatRequest {
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  logprobs?: boolean;
  signal?: AbortSignal;
  onToken?: (delta: string) => void;
}

export interface ChatResult {
  text: string;
  finishReason: 'stop' | 'length' | 'abort';
  usage: ChatUsage;
  logprobs: TokenLogprob[] | null;
}

export interface EngineInfo {
  kind: EngineKind;
  modelId: string;
  /** e.g. 'webgpu', 'wasm' — where the model actually runs. */
  device: string;
  contextWindow: number;
}

export interface LocalEngine {
  readonly info: EngineInfo;
  load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void>;
  chat(req: ChatRequest): Promise<ChatResult>;
  isCached(): Promise<boolean>;
  deleteFromCache(): Promise<void>;
  dispose(): void;
}
