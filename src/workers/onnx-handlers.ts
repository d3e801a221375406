// The ONNX chat engine's worker logic, free of worker globals so Node tests can
// drive it with the tiny LM: load once per arguments, stream a generation,
// report and delete the cached model files.
import type { OnnxLoadArgs, OnnxWorkerHandlers } from '../worker-bridge/onnx';
import type { LoadedModel, LoadOptions } from '../nlp/load';
import { generate } from '../nlp/generate';
import { aggregateFileProgress } from '../nlp/progress';
import { crashSoon } from './crash';

export interface OnnxModelDeps {
  /** Points transformers.js at the model sources; called before each new load. */
  configure(args: OnnxLoadArgs): void;
  loadCausalLM(id: string, opts: LoadOptions): Promise<LoadedModel>;
  isModelCached(id: string): Promise<boolean>;
  deleteCachedModel(id: string): Promise<unknown>;
  /**
   * Downloads the ONNX Runtime's wasm for this load's build and hands its bytes
   * to ORT (browser only; Node's ORT has its own binary). Reports its bytes so
   * the loading bar counts the runtime like a model file.
   */
  fetchRuntime?(args: OnnxLoadArgs, onProgress: (loaded: number, total: number | null) => void): Promise<void>;
}

/** The runtime's entry in the per-file progress (a name the weights-file test never matches). */
export const RUNTIME_FILE = 'ONNX Runtime (ort-wasm)';

export function createOnnxHandlers(deps: OnnxModelDeps): OnnxWorkerHandlers {
  let lm: LoadedModel | null = null;
  let lmKey = '';
  let contextWindow = 512;
  // ORT reads its wasm once per worker: fetched by the first load only.
  let runtimeIn = false;

  return {
    async load(args, ctx) {
      const key = JSON.stringify(args);
      if (lm && lmKey === key) return { reused: true };
      deps.configure(args);
      // Once the weights file is complete, ONNX Runtime builds the session: the
      // memory-hungry part, where a phone's system kills the tab if anywhere.
      let stage: 'download' | 'init' = 'download';
      let runtimeBytes = 0;
      const report = aggregateFileProgress((loadedBytes, totalBytes, text) => ctx.emit({ loadedBytes, totalBytes, text, stage, runtimeBytes }));
      const onProgress: typeof report = (p) => {
        if (p.status === 'done' && p.file && /\.onnx(_data)?$/.test(p.file)) stage = 'init';
        report(p);
      };
      if (deps.fetchRuntime && !runtimeIn) {
        // Before the model's files: ORT needs the bytes before its first session.
        await deps.fetchRuntime(args, (loaded, total) => {
          runtimeBytes = total ?? 0;
          const done = total !== null && loaded >= total;
          onProgress({ status: done ? 'done' : 'progress', file: RUNTIME_FILE, loaded, total: total ?? undefined });
        });
        runtimeIn = true;
      }
      lm = await deps.loadCausalLM(args.modelId, { device: args.device, dtype: args.dtype, onProgress });
      contextWindow = args.contextWindow;
      lmKey = key;
      return { reused: false };
    },

    async chat(args, ctx) {
      if (!lm) throw new Error('The on-device model is not loaded.');
      return generate(lm, args.messages, {
        maxNewTokens: args.maxTokens ?? 128,
        contextWindow,
        signal: ctx.signal,
        logprobs: args.logprobs ?? true,
        onToken: (delta) => ctx.emit({ delta }),
      });
    },

    isCached(args) {
      return deps.isModelCached(args.modelId);
    },

    async deleteFromCache(args) {
      await deps.deleteCachedModel(args.modelId);
      lm = null;
      lmKey = '';
    },

    crash: crashSoon,
  };
}
