/// <reference lib="webworker" />
// The NLP worker: NER for the privacy scan and the cross-encoder that checks
// local answers, both via transformers.js + ONNX Runtime Web. The logic lives
// in nlp-handlers.ts (tested in Node); this file only wires the browser bits:
// bundled ORT wasm (no CDN), no blob: wasm imports (CSP), local or hosted models.
import { expose } from './bridge';
import { createNlpHandlers } from './nlp-handlers';
import { configureBrowserModels } from './browser-models';
import { loadCrossEncoder, loadTokenClassifier } from '../nlp/load';
import { runNer } from '../nlp/ner';
import { scoreConsistency } from '../nlp/rerank';

declare const self: DedicatedWorkerGlobalScope;

const { handlers } = createNlpHandlers({
  configure(args) {
    configureBrowserModels(args);
  },
  loadTokenClassifier,
  loadCrossEncoder,
  runNer,
  scoreConsistency,
});

expose(handlers, self);
