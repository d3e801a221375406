// Which Cache API caches the service worker may delete. Pure (no DOM, no SW
// globals) so the rule is unit-tested and the service worker runs this exact code.
//
// The engines own their model caches: web-llm keeps weights, configs and model
// libraries in `webllm/model`, `webllm/config`, `webllm/wasm`; transformers.js
// keeps ONNX/NLP model files in `transformers-cache`. A cleanup must never
// delete them — they are hundreds of megabytes the user downloaded on purpose.

/** Caches that belong to the engines, never to the service worker. */
export function isEngineCache(name: string): boolean {
  return name.startsWith('webllm/') || name === 'transformers-cache';
}

/**
 * The outdated Workbox precaches among `names`: Workbox's own rule (a name with
 * `-precache-`, of this registration's scope, other than the current one), and
 * never an engine cache whatever its name.
 */
export function outdatedPrecaches(names: readonly string[], current: string, scope: string): string[] {
  return names.filter(
    (n) => !isEngineCache(n) && n !== current && n.includes('-precache-') && n.includes(scope),
  );
}
