// Deleting a model from the device through its engine's own path:
// the loaded model → the manager (engine.deleteFromCache(), then unloaded);
// another web-llm model → web-llm's deleteModelAllInfoInCache in a web-llm
// worker, with the same AppConfig the engine uses; an ONNX/NLP model → deleteCachedModel
// (transformers-cache); unknown leftovers → exactly the listed entries.
import type { AppConfig } from '../config/schema';
import type { LocalEngineManager } from '../engines/local/manager';
import { deleteCachedModel } from '../workers/model-cache';
import { deleteEntries, type ModelUsage } from './model-storage';
import { clearOfflineReady } from './offline-ready';

export async function deleteModel(
  u: ModelUsage,
  deps: { manager: Pick<LocalEngineManager, 'deleteLoadedModel'>; config: AppConfig },
): Promise<void> {
  const handled = u.known && (await deps.manager.deleteLoadedModel(u.id));
  if (!handled && u.known && u.kind === 'transformers') {
    await deleteCachedModel(u.id);
  } else if (!handled && u.known && u.kind === 'webllm') {
    const { deleteWebLlmModel } = await import('../engines/webllm/worker');
    const candidates = [...deps.config.webllm.tiers.small, ...deps.config.webllm.tiers.large];
    const unique = candidates.filter((m, i) => candidates.findIndex((c) => c.id === m.id) === i);
    await deleteWebLlmModel(u.id, unique, location.href);
  }
  // Whatever the engine path missed (or all of it, for unknown files).
  await deleteEntries(u.entries);
  await clearOfflineReady(u.id);
}
