// The ONNX chat engine's worker (transformers.js causal LM): its handlers' type,
// which src/workers/transformers.worker.ts implements and src/engines/onnx/engine.ts calls.
import type { HandlerContext } from './protocol';
import type { ChatMessage } from '../core/types';
import type { ChatResult } from '../core/engine/result';
import type { NlpDtype } from '../nlp/load';
import type { OrtBuild } from '../core/engine/select';

export interface OnnxLoadArgs {
  modelId: string;
  dtype: NlpDtype;
  device: 'webgpu' | 'wasm';
  /** ONNX Runtime build: asyncify for WebGPU, plain for WASM (selectPlan decides). */
  runtime: OrtBuild;
  localModelPath: string | null;
  modelHost: string;
  contextWindow: number;
}

export interface OnnxChatArgs {
  messages: ChatMessage[];
  maxTokens?: number;
  logprobs?: boolean;
}

/** Download progress summed over the model's files. */
export interface OnnxProgressEvent {
  loadedBytes: number;
  totalBytes: number | null;
  text: string;
  /** 'init' once the weights file is complete: the model is being set up in memory. */
  stage: 'download' | 'init';
  /** Bytes of the ONNX Runtime wasm inside loadedBytes/totalBytes (0 when this load did not fetch it). */
  runtimeBytes?: number;
}

export interface TokenEvent {
  delta: string;
}

export interface OnnxWorkerHandlers {
  load(args: OnnxLoadArgs, ctx: HandlerContext<OnnxProgressEvent>): Promise<{ reused: boolean }>;
  /** Streams tokens; an abort ends it early with the text so far (finishReason 'abort'). */
  chat(args: OnnxChatArgs, ctx: HandlerContext<TokenEvent>): Promise<ChatResult>;
  isCached(args: OnnxLoadArgs): Promise<boolean>;
  deleteFromCache(args: OnnxLoadArgs): Promise<void>;
  /** Test hook: an uncaught error a moment later, exactly like a real crash. */
  crash(): null;
}
