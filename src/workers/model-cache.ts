// transformers.js keeps downloaded model files in the Cache API under
// 'transformers-cache'. These helpers read that cache; they never touch
// web-llm's `webllm/*` caches.
const CACHE = 'transformers-cache';

const matchesModel = (url: string, modelId: string) => url.includes(`/${modelId}/`);

export async function isModelCached(modelId: string): Promise<boolean> {
  if (typeof caches === 'undefined') return false;
  const cache = await caches.open(CACHE);
  const keys = await cache.keys();
  return keys.some((r) => matchesModel(r.url, modelId) && /\.onnx(\?|$)/.test(r.url));
}

export async function deleteCachedModel(modelId: string): Promise<number> {
  if (typeof caches === 'undefined') return 0;
  const cache = await caches.open(CACHE);
  const keys = (await cache.keys()).filter((r) => matchesModel(r.url, modelId));
  await Promise.all(keys.map((k) => cache.delete(k)));
  return keys.length;
}

export async function cachedModelBytes(modelId: string): Promise<number> {
  if (typeof caches === 'undefined') return 0;
  const cache = await caches.open(CACHE);
  let total = 0;
  for (const req of await cache.keys()) {
    if (!matchesModel(req.url, modelId)) continue;
    const res = await cache.match(req);
    const len = Number(res?.headers.get('content-length'));
    total += Number.isFinite(len) && len > 0 ? len : (await res?.clone().arrayBuffer())?.byteLength ?? 0;
  }
  return total;
}
