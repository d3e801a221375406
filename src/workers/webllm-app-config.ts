// config.json's web-llm models → web-llm's AppConfig, inside the web-llm worker
// (it needs web-llm's prebuilt model list, which only the worker loads).
import type { AppConfig as WebLlmAppConfig, ModelRecord } from '@mlc-ai/web-llm';
import type { WebLlmModel } from '../config/schema';
import { MODEL_RECORD_ERROR, type CacheBackend } from '../worker-bridge/webllm';

/** config.json names a model web-llm cannot use; the message says why, in plain words. */
export class ModelRecordError extends Error {
  override name = MODEL_RECORD_ERROR;
}

/** Absolute URL: web-llm requires absolute model URLs. */
export function absoluteUrl(u: string, base: string | undefined): string {
  try {
    return new URL(u).href;
  } catch {
    if (!base) throw new ModelRecordError(`the URL "${u}" is not absolute`);
    return new URL(u, base).href;
  }
}

/**
 * The web-llm ModelRecord for one configured model: web-llm's prebuilt
 * record for the id, with `url` / `lib` from config.json overriding its
 * `model` / `model_lib` (each optional; a model not in the prebuilt list
 * needs both). `shader-f16` is declared for f16 models (many prebuilt q4f16
 * records omit it), so a missing feature fails fast with ShaderF16SupportError.
 */
export function buildModelRecord(m: WebLlmModel, prebuilt: readonly ModelRecord[], baseUrl: string | undefined): ModelRecord {
  const base = prebuilt.find((r) => r.model_id === m.id);
  const model = m.url ? absoluteUrl(m.url, baseUrl) : base?.model;
  const lib = m.lib ? absoluteUrl(m.lib, baseUrl) : base?.model_lib;
  if (!model || !lib) {
    const missing = m.url ? 'no lib' : m.lib ? 'no url' : 'no url and lib';
    throw new ModelRecordError(`it is not a web-llm prebuilt model and config.json gives ${missing} for it`);
  }
  const features = new Set(base?.required_features ?? []);
  if (m.f16) features.add('shader-f16');
  const record: ModelRecord = {
    ...(base ?? {}),
    model,
    model_id: m.id,
    model_lib: lib,
    vram_required_MB: m.vramMB,
    overrides: { ...(base?.overrides ?? {}), context_window_size: m.contextWindow },
  };
  if (features.size > 0) record.required_features = [...features];
  else delete record.required_features;
  return record;
}

/** The web-llm AppConfig for all candidates (the same one is used for load, isCached and delete). */
export function buildWebLlmAppConfig(
  candidates: readonly WebLlmModel[],
  prebuilt: readonly ModelRecord[],
  baseUrl: string | undefined,
  cacheBackend: CacheBackend = 'cache',
): WebLlmAppConfig {
  return { model_list: candidates.map((m) => buildModelRecord(m, prebuilt, baseUrl)), cacheBackend };
}
