// The web-llm worker, page side: starting it, the adapter probe (asked inside
// the worker, where web-llm will later request its own device), and deleting
// models that are not loaded (the Storage panel). web-llm itself never loads
// on the page.
import type { AdapterFacts } from '../../core/engine/select';
import type { WebLlmModel } from '../../config/schema';
import { WorkerBridge } from '../../worker-bridge/client';
import type { WebLlmWorkerHandlers } from '../../worker-bridge/webllm';

export type WebLlmBridge = WorkerBridge<WebLlmWorkerHandlers>;

/** The web-llm worker, bundled by Vite as its own chunk. */
export function createWebLlmWorker(): Worker {
  return new Worker(new URL('../../workers/llm-webgpu.worker.ts', import.meta.url), { type: 'module', name: 'llm-webgpu' });
}

export function webLlmBridge(): WebLlmBridge {
  return new WorkerBridge<WebLlmWorkerHandlers>(createWebLlmWorker);
}

/**
 * The adapter facts from inside the worker. Null when there is no adapter,
 * when the probe fails, or after `timeoutMs` (a hung requestAdapter on a
 * broken driver must not block start-up).
 */
export async function probeAdapter(bridge: WebLlmBridge, timeoutMs = 8000): Promise<AdapterFacts | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  try {
    const probed = bridge.api.probe().then((r) => r.facts, () => null);
    return await Promise.race([probed, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Deletes one web-llm model from its cache through a short-lived worker, with
 * the AppConfig built from every configured model (as the engine builds it).
 */
export async function deleteWebLlmModel(modelId: string, models: WebLlmModel[], baseUrl: string): Promise<void> {
  const bridge = webLlmBridge();
  try {
    await bridge.api.deleteModels({ models, baseUrl, cacheBackend: 'cache', modelIds: [modelId] });
  } finally {
    bridge.terminate();
  }
}
