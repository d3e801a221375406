/// <reference lib="webworker" />
// The transformers.js worker: the ONNX chat model (role `llm-onnx`) or NER and
// the answer-checking cross-encoder (role `nlp`), chosen by the worker's name.
// One script for both roles, so a phone downloads transformers.js once; each
// role still runs in its own worker. The logic lives in onnx-handlers.ts and
// nlp-handlers.ts (tested in Node); this file wires the browser bits: bundled
// ORT wasm (no CDN), no blob: wasm imports (CSP), local or hosted models.
import { expose } from '../worker-bridge/expose';
import { isTransformersWorkerRole } from '../worker-bridge/transformers';
import type { NlpWorkerHandlers } from '../worker-bridge/nlp';
import type { OnnxWorkerHandlers } from '../worker-bridge/onnx';
import { configureBrowserModels, fetchRuntime } from './browser-models';
import { createNlpHandlers } from './nlp-handlers';
import { createOnnxHandlers } from './onnx-handlers';
import { deleteCachedModel, isModelCached } from './model-cache';
import { loadCausalLM, loadCrossEncoder, loadTokenClassifier } from '../nlp/load';
import { runNer } from '../nlp/ner';
import { scoreConsistency } from '../nlp/rerank';
import { ortBuildFor } from '../core/engine/select';

declare const self: DedicatedWorkerGlobalScope;

if (!isTransformersWorkerRole(self.name)) throw new Error(`transformers.worker needs a role as its name, got "${self.name}"`);

if (self.name === 'nlp') {
  const { handlers } = createNlpHandlers({
    // The privacy models run on WASM: the plain ORT build (asyncify only for WebGPU).
    configure: (args) => configureBrowserModels({ ...args, runtime: ortBuildFor(args.device) }),
    loadTokenClassifier,
    loadCrossEncoder,
    runNer,
    scoreConsistency,
  });
  expose<NlpWorkerHandlers>(handlers, self);
} else {
  expose<OnnxWorkerHandlers>(
    createOnnxHandlers({
      configure: configureBrowserModels,
      fetchRuntime: (args, onProgress) => fetchRuntime(args.runtime, onProgress),
      loadCausalLM,
      isModelCached,
      deleteCachedModel,
    }),
    self,
  );
}
