// Wires the real pieces into a LocalEngineManager: the adapter probe runs in
// the web-llm worker (which is then reused), selection is the pure core rule.
import type { AppConfig } from '../../config/schema';
import { factsFromAdapter, type AdapterLike } from '../../core/engine/adapter';
import { fallbackAfterWebLlmFailure, selectEngine, type AdapterFacts, type DeviceHints } from '../../core/engine/select';
import { LocalEngineManager } from './manager';
import { OnnxEngine } from '../onnx/engine';
import { LazyEngine } from '../lazy';
import type { WebLlmBridge } from '../webllm/worker';
import { builtinModelName, type BuiltinProbe } from '../../core/engine/builtin';
import { findLanguageModel } from '../builtin/prompt-api';
import { builtinOptions } from '../builtin/options';

function deviceHints(): DeviceHints {
  const nav = navigator as Navigator & { userAgentData?: { mobile?: boolean }; deviceMemory?: number };
  const mobile = nav.userAgentData?.mobile ?? /Android|iPhone|iPad|Mobile/i.test(nav.userAgent);
  return { mobile, deviceMemoryGB: nav.deviceMemory };
}

/** Main-thread probe used when web-llm is off: only decides ONNX's device. */
async function probeOnMainThread(): Promise<AdapterFacts | null> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<AdapterLike | null> } }).gpu;
  const adapter = await gpu?.requestAdapter().catch(() => null);
  return adapter ? factsFromAdapter(adapter) : null;
}

/** The name the UI gives the browser's model (the API does not say which it is). */
function browserModelName(): string {
  const nav = navigator as Navigator & { userAgentData?: { brands?: { brand: string }[] } };
  return builtinModelName((nav.userAgentData?.brands ?? []).map((b) => b.brand), nav.userAgent);
}

export interface LocalEngineOptions {
  /** The user's setting "Use the browser's built-in model when it has one" (default: allowed). */
  useBuiltin?: () => boolean;
}

export function createLocalEngineManager(config: AppConfig, opts: LocalEngineOptions = {}): LocalEngineManager {
  let probed: WebLlmBridge | null = null;
  const name = browserModelName();
  return new LocalEngineManager({
    config,
    builtin: {
      name,
      allowed: opts.useBuiltin ?? (() => true),
      async probe(): Promise<BuiltinProbe> {
        const api = findLanguageModel();
        return api ? api.availability(builtinOptions()) : 'absent';
      },
      create() {
        const api = findLanguageModel()!;
        return new LazyEngine({ kind: 'builtin', modelId: name, device: 'browser', contextWindow: 4096 }, async () => {
          const { BuiltinEngine } = await import('../builtin/engine');
          return new BuiltinEngine({ api, name });
        });
      },
    },
    hints: deviceHints,
    select: selectEngine,
    fallback: fallbackAfterWebLlmFailure,
    async probe() {
      if (!config.webllm.enabled) return probeOnMainThread();
      const { webLlmBridge, probeAdapter } = await import('../webllm/worker');
      const bridge = webLlmBridge();
      const facts = await probeAdapter(bridge);
      if (facts) probed = bridge;
      else bridge.terminate();
      return facts;
    },
    createWebLlm(plan) {
      const bridge = probed;
      probed = null;
      const first = plan.candidates[0];
      return new LazyEngine(
        { kind: 'webllm', modelId: first.id, device: 'webgpu', contextWindow: first.contextWindow },
        async () => {
          const { WebLlmEngine } = await import('../webllm/engine');
          return new WebLlmEngine({ candidates: plan.candidates, bridge: bridge ?? undefined });
        },
        () => bridge?.terminate(),
      );
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
