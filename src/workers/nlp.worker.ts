/// <reference lib="webworker" />
// The NLP worker: NER for the privacy scan and the cross-encoder that checks
// local answers, both via transformers.js + ONNX Runtime Web. The logic lives
// in nlp-handlers.ts (tested in Node); this file only wires the browser bits:
// bundled ORT wasm (no CDN), no blob: wasm imports (CSP), local or hosted models.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { env } from '@huggingface/transformers';
import { expose } from './bridge';
import { createNlpHandlers } from './nlp-handlers';
import { configureLocalModels } from '../nlp/env';
import { loadCrossEncoder, loadTokenClassifier } from '../nlp/load';
import { runNer } from '../nlp/ner';
import { scoreConsistency } from '../nlp/rerank';

declare const self: DedicatedWorkerGlobalScope;

const { handlers } = createNlpHandlers({
  configure(args) {
    configureLocalModels({
      localModelPath: args.localModelPath ?? '/models/',
      allowRemote: args.localModelPath === null,
      wasmPaths: { wasm: new URL(ortWasmUrl, self.location.href).href, mjs: new URL(ortMjsUrl, self.location.href).href },
    });
    // transformers.js's wasm cache imports the ORT factory from a blob: URL,
    // which our CSP forbids; the service worker precaches ORT instead.
    env.useWasmCache = false;
    if (args.localModelPath === null) {
      env.allowLocalModels = false;
      env.remoteHost = args.modelHost.endsWith('/') ? args.modelHost : `${args.modelHost}/`;
    }
  },
  loadTokenClassifier,
  loadCrossEncoder,
  runNer,
  scoreConsistency,
});

expose(handlers, self);
