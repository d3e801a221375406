/// <reference lib="webworker" />
// The ONNX chat engine's worker: transformers.js + ONNX Runtime Web (WebGPU or
// WASM). ORT's wasm/mjs are bundled with the app (no CDN at run time).
import { expose } from './bridge';
import type { OnnxLoadArgs, OnnxWorkerEvent } from './llm-onnx.protocol';
import { configureBrowserModels } from './browser-models';
import { loadCausalLM, type NlpDtype } from '../nlp/load';
import { generate, type CausalLM } from '../nlp/generate';
import type { ChatMessage } from '../core/types';
import { deleteCachedModel, isModelCached } from './model-cache';
import { aggregateFileProgress } from '../engines/progress';

declare const self: DedicatedWorkerGlobalScope;

let lm: CausalLM | null = null;
let lmKey = '';
let contextWindow = 512;

expose(
  {
    async load(args: OnnxLoadArgs, ctx) {
      const key = JSON.stringify(args);
      if (lm && lmKey === key) return { reused: true };
      configureBrowserModels(args);
      const progress = aggregateFileProgress((loadedBytes, totalBytes, text) =>
        ctx.emit({ type: 'progress', loadedBytes, totalBytes, text } satisfies OnnxWorkerEvent),
      );
      lm = await loadCausalLM(args.modelId, { device: args.device, dtype: args.dtype as NlpDtype, onProgress: progress });
      contextWindow = args.contextWindow;
      lmKey = key;
      return { reused: false };
    },

    async chat(args: { messages: ChatMessage[]; maxTokens?: number; logprobs?: boolean }, ctx) {
      if (!lm) throw new Error('The on-device model is not loaded.');
      return generate(lm, args.messages, {
        maxNewTokens: args.maxTokens ?? 128,
        contextWindow,
        signal: ctx.signal,
        logprobs: args.logprobs ?? true,
        onToken: (delta: string) => ctx.emit({ type: 'token', delta } satisfies OnnxWorkerEvent),
      });
    },

    isCached(args: OnnxLoadArgs) {
      return isModelCached(args.modelId);
    },

    async deleteFromCache(args: OnnxLoadArgs) {
      await deleteCachedModel(args.modelId);
      lm = null;
      lmKey = '';
    },

    /** Test hook: an uncaught error, exactly like a real crash. */
    crash() {
      setTimeout(() => {
        throw new Error('Simulated worker crash');
      });
      return null;
    },
  },
  self,
);
