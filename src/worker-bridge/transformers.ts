// One worker script hosts both transformers.js roles, so the library (and ONNX
// Runtime's glue) ships once: each role runs in its own instance of it (its
// own thread, memory and crash), chosen by the worker's name.
export const TRANSFORMERS_WORKER_ROLES = ['llm-onnx', 'nlp'] as const;
export type TransformersWorkerRole = (typeof TRANSFORMERS_WORKER_ROLES)[number];

export function isTransformersWorkerRole(name: string): name is TransformersWorkerRole {
  return (TRANSFORMERS_WORKER_ROLES as readonly string[]).includes(name);
}
