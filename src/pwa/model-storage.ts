// What the engines keep on this device, per model: web-llm's `webllm/*` Cache
// API caches and transformers.js's `transformers-cache` (read on the main
// thread — the Cache API is shared by the whole origin). Grouping is pure and
// unit-tested; reading and deleting use the engines' own paths.
import type { AppConfig } from '../config/schema';
import { isEngineCache } from './cache-policy';

export type ModelCacheKind = 'webllm' | 'transformers';

export interface CachedEntry {
  cache: string;
  url: string;
  bytes: number;
}

export interface KnownModel {
  id: string;
  kind: ModelCacheKind;
  role: string;
  /** web-llm: the weights folder URL from config.json, when given. */
  url?: string;
  /** web-llm: the model library URL from config.json, when given. */
  lib?: string;
}

export interface ModelUsage {
  id: string;
  kind: ModelCacheKind;
  role: string;
  bytes: number;
  /** Exactly the cached entries counted here (what a delete removes at least). */
  entries: CachedEntry[];
  /** A model named in config.json (false: found in a cache but unknown, e.g. from an older config). */
  known: boolean;
}

/** Every model config.json can make the app download. */
export function knownModels(config: AppConfig): KnownModel[] {
  const out: KnownModel[] = [];
  const seen = new Set<string>();
  const add = (m: KnownModel) => {
    const k = `${m.kind}:${m.id}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(m);
    }
  };
  if (config.webllm.enabled) {
    for (const m of [...config.webllm.tiers.small, ...config.webllm.tiers.large]) {
      add({ id: m.id, kind: 'webllm', role: 'Chat model (web-llm, WebGPU)', url: m.url, lib: m.lib });
    }
  }
  add({ id: config.onnx.modelId, kind: 'transformers', role: 'Chat model (ONNX)' });
  add({ id: config.nlp.nerModelId, kind: 'transformers', role: 'Privacy scanner (NER)' });
  add({ id: config.nlp.rerankerModelId, kind: 'transformers', role: 'Answer checker (reranker)' });
  return out;
}

const kindOf = (cache: string): ModelCacheKind | null =>
  cache.startsWith('webllm/') ? 'webllm' : cache === 'transformers-cache' ? 'transformers' : null;

function path(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function matchesKnown(e: CachedEntry, m: KnownModel): boolean {
  const p = path(e.url);
  if (p.includes(`/${m.id}/`)) return true;
  if (m.kind !== 'webllm') return false;
  if (m.url && e.url.startsWith(m.url.replace(/\/?$/, '/'))) return true;
  if (m.lib && e.url === m.lib) return true;
  return e.cache === 'webllm/wasm' && isLibraryOf(p.slice(p.lastIndexOf('/') + 1), m.id);
}

/**
 * Does a prebuilt web-llm model library belong to this model id? Libraries are
 * named after the architecture, not the model: in web-llm 0.2.86
 * `Qwen2.5-0.5B-Instruct-q4f16_1-MLC` runs `Qwen2-0.5B-Instruct-q4f16_1_cs1k-webgpu.wasm`
 * and `Llama-3.2-1B-Instruct-q4f32_1-MLC` runs `Llama-3.2-1B-Instruct-q4f32_1_cs1k-webgpu.wasm`.
 * Same quantization, and the same name or the name with its minor version dropped.
 */
export function isLibraryOf(libFile: string, modelId: string): boolean {
  const lib = /^(.+)-(q\d\w*?)(?:-ctx\d+k)?(?:_cs\d+k)?-webgpu\.wasm$/.exec(libFile);
  const model = /^(.+)-(q\d\w*?)-MLC$/.exec(modelId);
  if (!lib || !model || lib[2] !== model[2]) return false;
  const [libName, modelName] = [lib[1], model[1]];
  return libName === modelName || libName === modelName.replace(/(\d)\.\d+/, '$1');
}

/** A best-effort id for a cached file no configured model claims. */
export function guessModelId(e: CachedEntry): string {
  const segs = path(e.url).split('/').filter(Boolean);
  const r = segs.indexOf('resolve');
  if (r >= 1) return segs.slice(Math.max(0, r - 2), r).join('/'); // hub URL: <org>/<name>/resolve/<rev>/<file>
  const m = segs.indexOf('models');
  if (m >= 0 && segs.length > m + 2) return segs[m + 1]; // local model folder: /models/<id>/...
  return e.cache.startsWith('webllm/') ? 'web-llm (other files)' : 'other files';
}

/** Groups cached files by model: configured models first (in config order), then the rest. */
export function groupByModel(entries: readonly CachedEntry[], known: readonly KnownModel[]): ModelUsage[] {
  // Longer ids first so "org/name" wins over "name".
  const byLength = [...known].sort((a, b) => b.id.length - a.id.length);
  const groups = new Map<string, ModelUsage>();
  const group = (id: string, kind: ModelCacheKind, role: string, isKnown: boolean) => {
    const k = `${kind}:${id}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { id, kind, role, bytes: 0, entries: [], known: isKnown }));
    return g;
  };
  for (const m of known) group(m.id, m.kind, m.role, true);
  for (const e of entries) {
    const kind = kindOf(e.cache);
    if (!kind) continue;
    const m = byLength.find((k) => k.kind === kind && matchesKnown(e, k));
    const g = m ? group(m.id, m.kind, m.role, true) : group(guessModelId(e), kind, kind === 'webllm' ? 'web-llm files' : 'transformers.js files', false);
    g.bytes += e.bytes;
    g.entries.push(e);
  }
  return [...groups.values()].filter((g) => g.known || g.entries.length > 0);
}

async function entryBytes(res: Response | undefined): Promise<number> {
  if (!res) return 0;
  const len = Number(res.headers.get('content-length'));
  if (Number.isFinite(len) && len > 0) return len;
  return (await res.blob()).size;
}

/** Every file in the engines' caches (never the service worker's own caches). */
export async function readEngineCaches(cacheStorage: CacheStorage = caches): Promise<CachedEntry[]> {
  const out: CachedEntry[] = [];
  for (const name of await cacheStorage.keys()) {
    if (!isEngineCache(name)) continue;
    const cache = await cacheStorage.open(name);
    for (const req of await cache.keys()) {
      out.push({ cache: name, url: req.url, bytes: await entryBytes(await cache.match(req)) });
    }
  }
  return out;
}

/** Removes exactly these entries (used for files no configured model claims). */
export async function deleteEntries(entries: readonly CachedEntry[], cacheStorage: CacheStorage = caches): Promise<void> {
  for (const e of entries) {
    const cache = await cacheStorage.open(e.cache);
    await cache.delete(e.url);
  }
}
