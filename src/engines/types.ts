// The one interface every chat engine implements (local web-llm, local ONNX,
// and the proxy client for edge/cloud). Main-thread side; workers sit behind it.
import type { ChatMessage } from '../core/types';

export type EngineKind = 'webllm' | 'onnx' | 'proxy';

export interface LoadProgress {
  /** 0..1, or null when the total size is unknown. */
  fraction: number | null;
  loadedBytes: number;
  totalBytes: number | null;
  /** Seconds remaining, estimated from the observed rate; null when unknown. */
  etaSeconds: number | null;
  text: string;
}

export interface TokenLogprob {
  token: string;
  logprob: number;
  /** Entropy (nats) of the distribution the token was drawn from, when known. */
  entropy?: number;
}

export interface ChatUsage {
  promptTokens: number;
  outputTokens: number;
  /** Tokens per second while reading the prompt. */
  prefillTps: number | null;
  /** Tokens per second while generating. */
  decodeTps: number | null;
  timeToFirstTokenMs: number | null;
  totalMs: number;
}

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
