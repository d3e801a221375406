// The web-llm worker: its handlers' type, implemented by
// src/workers/webllm-handlers.ts (web-llm's MLCEngine runs inside the worker,
// so the page never loads web-llm itself) and called by src/engines/webllm/engine.ts.
import type { AppConfig as WebLlmAppConfig } from '@mlc-ai/web-llm';
import type { HandlerContext } from './protocol';
import type { TokenEvent } from './onnx';
import type { AdapterFacts } from '../core/engine/select';
import type { ChatResult } from '../core/engine/result';
import type { InitReport } from '../core/engine/metrics';
import type { ChatMessage } from '../core/types';
import type { WebLlmModel } from '../config/schema';

export type { TokenEvent };
export type CacheBackend = NonNullable<WebLlmAppConfig['cacheBackend']>;

/** The name of the error the worker throws when config.json's model entry cannot become a web-llm record. */
export const MODEL_RECORD_ERROR = 'ModelRecordError';

/** Every candidate model: the worker builds the same web-llm AppConfig from it for load, isCached and delete. */
export interface WebLlmModels {
  models: WebLlmModel[];
  /** Base for relative model/lib URLs (the page's address). */
  baseUrl: string;
  cacheBackend: CacheBackend;
}

export interface WebLlmTarget extends WebLlmModels {
  modelId: string;
}

export interface WebLlmChatArgs {
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  /** Nucleus sampling bound, (0, 1]; web-llm floors it at 1e-5. */
  topP?: number;
  logprobs?: boolean;
}

export interface ProbeResult {
  facts: AdapterFacts | null;
  /** Why facts is null, when requestAdapter threw. */
  error?: string;
}

export interface WebLlmWorkerHandlers {
  /** The WebGPU adapter as seen from inside the worker, before web-llm itself is loaded. */
  probe(): Promise<ProbeResult>;
  isCached(args: WebLlmTarget): Promise<boolean>;
  /** Downloads (or reads from the cache) and initialises the model; streams web-llm's progress reports. */
  load(args: WebLlmTarget, ctx: HandlerContext<InitReport>): Promise<void>;
  /** Streams tokens; an abort ends it early with the text so far (finishReason 'abort'). */
  chat(args: WebLlmChatArgs, ctx: HandlerContext<TokenEvent>): Promise<ChatResult>;
  /** Deletes the `modelIds`' weights, libraries and configs from web-llm's cache. */
  deleteModels(args: WebLlmModels & { modelIds: string[] }): Promise<void>;
  /** Test hook: an uncaught error a moment later, exactly like a real crash. */
  crash(): null;
}
