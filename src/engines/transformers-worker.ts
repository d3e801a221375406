// The one place that starts the transformers.js worker script (so Vite bundles
// it once): the ONNX chat engine and the NLP client each run their own instance.
import type { TransformersWorkerRole } from '../worker-bridge/transformers';

export function createTransformersWorker(role: TransformersWorkerRole): Worker {
  return new Worker(new URL('../workers/transformers.worker.ts', import.meta.url), { type: 'module', name: role });
}
