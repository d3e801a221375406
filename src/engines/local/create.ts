// Wires the real pieces into a LocalEngineManager: the adapter probe runs in
// the web-llm worker (which is then reused), selection is the pure core rule.
import type { AppConfig } from '../../config/schema';
import { fallbackAfterWebLlmFailure, selectEngine, type AdapterFacts, type DeviceHints } from '../../core/engine/select';
import { LocalEngineManager, type RecoverableEngine } from './manager';
import { OnnxEngine } from '../onnx/engine';

function deviceHints(): DeviceHints {
  const nav = navigator as Navigator & { userAgentData?: { mobile?: boolean }; deviceMemory?: number };
  const mobile = nav.userAgentData?.mobile ?? /Android|iPhone|iPad|Mobile/i.test(nav.userAgent);
  return { mobile, deviceMemoryGB: nav.deviceMemory };
}

/** Main-thread probe used when web-llm is off: only decides ONNX's device. */
async function probeOnMainThread(): Promise<AdapterFacts | null> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<any> } }).gpu;
  const adapter: any = await gpu?.requestAdapter().catch(() => null);
  if (!adapter) return null;
  const info = adapter.info ?? {};
  return {
    available: true,
    isFallbackAdapter: Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter),
    shaderF16: adapter.features.has('shader-f16'),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
  };
}

export function createLocalEngineManager(config: AppConfig): LocalEngineManager {
  let probedWorker: Worker | null = null;
  return new LocalEngineManager({
    config,
    hints: deviceHints,
    select: selectEngine,
    fallback: fallbackAfterWebLlmFailure,
    async probe() {
      if (!config.webllm.enabled) return probeOnMainThread();
      const { createWebLlmWorker, probeAdapter } = await import('../webllm/probe');
      probedWorker = createWebLlmWorker();
      const facts = await probeAdapter(probedWorker);
      if (!facts) {
        probedWorker.terminate();
        probedWorker = null;
      }
      return facts;
    },
    createWebLlm(plan) {
      const worker = probedWorker;
      probedWorker = null;
      return new LazyWebLlmEngine(plan.candidates, worker);
    },
    createOnnx(device) {
      return new OnnxEngine({
        modelId: config.onnx.modelId,
        dtype: config.onnx.dtype,
        device,
        contextWindow: config.onnx.contextWindow,
        localModelPath: config.localModelPath,
        modelHost: config.modelHost,
        sizeMB: config.onnx.sizeMB,
      });
    },
  });
}

/** Keeps web-llm's engine module out of the first page load. */
class LazyWebLlmEngine implements RecoverableEngine {
  private inner: import('../webllm/engine').WebLlmEngine | null = null;
  constructor(
    private readonly candidates: AppConfig['webllm']['tiers']['small'],
    private readonly worker: Worker | null,
  ) {}
  get info() {
    return this.inner?.info ?? { kind: 'webllm' as const, modelId: this.candidates[0].id, device: 'webgpu', contextWindow: this.candidates[0].contextWindow };
  }
  private async get() {
    if (!this.inner) {
      const { WebLlmEngine } = await import('../webllm/engine');
      this.inner = new WebLlmEngine({ candidates: this.candidates, worker: this.worker ?? undefined });
    }
    return this.inner;
  }
  async load(onProgress: Parameters<RecoverableEngine['load']>[0], signal?: AbortSignal) {
    await (await this.get()).load(onProgress, signal);
  }
  async chat(req: Parameters<RecoverableEngine['chat']>[0]) {
    return (await this.get()).chat(req);
  }
  async isCached() {
    return (await this.get()).isCached();
  }
  async deleteFromCache() {
    await (await this.get()).deleteFromCache();
  }
  dispose() {
    this.inner?.dispose();
    if (!this.inner) this.worker?.terminate();
  }
}
