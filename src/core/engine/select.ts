// Which local engine and which web-llm model to run on this device.
// PURE: adapter facts come from the probe in the web-llm worker
// (src/workers/llm-webgpu.worker.ts), device hints from the page
// (navigator.userAgentData / deviceMemory); nothing here touches the DOM.
import type { AppConfig, OnnxDtype, WebLlmModel } from '../../config/schema';

/** What the WebGPU adapter reported, as seen from inside the worker. */
export interface AdapterFacts {
  available: boolean;
  /** Software adapter (SwiftShader, WARP, llvmpipe…): works, but slowly. */
  isFallbackAdapter: boolean;
  shaderF16: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
  vendor: string;
  architecture: string;
  /** Optional extra limits web-llm requires (checked when present). */
  maxComputeWorkgroupStorageSize?: number;
  maxStorageBuffersPerShaderStage?: number;
}

export interface DeviceHints {
  mobile: boolean;
  /** navigator.deviceMemory (Chromium only, rounded, capped at 8). */
  deviceMemoryGB?: number;
}

export type ModelTier = 'small' | 'large';

/**
 * onnxruntime-web build: only the asyncify build has the WebGPU provider, and
 * it crashes with out-of-memory on Safari < 26 (transformers.js #1242), so
 * every model that runs on WASM gets the plain build.
 */
export type OrtBuild = 'asyncify' | 'plain';

/** One ONNX rung: where it runs, which weights, which runtime build, what it downloads. */
export interface OnnxChoice {
  device: 'webgpu' | 'wasm';
  dtype: OnnxDtype;
  runtime: OrtBuild;
  downloadMB: number;
}

export interface EnginePlan {
  /** 'none': no on-device model this start (answers from the edge or the cloud). */
  engine: 'webllm' | 'onnx' | 'none';
  /** Plain words for the UI, e.g. "WebGPU unavailable — running on CPU, slower". */
  reason: string;
  /**
   * web-llm models to try, in order: the chosen one first, then the smaller
   * ones to retry with after a device-lost / out-of-memory failure. Empty for onnx.
   */
  candidates: WebLlmModel[];
  /** Where the ONNX engine should run if it is used (now or as the fallback). */
  onnxDevice: 'webgpu' | 'wasm';
  /**
   * The ONNX rungs, in order: on WebGPU then once more on WASM, or WASM only.
   * Filled by selectPlan(); empty when even ONNX is skipped (engine 'none').
   */
  onnx: OnnxChoice[];
  /** The tier the first candidate came from; null for onnx. */
  tier: ModelTier | null;
}

export type SelectConfig = Pick<AppConfig, 'webllm' | 'onnx'>;

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Adapters whose buffers are smaller than this get the small tier. */
export const SMALL_BUFFER_BYTES = GiB;
/** Devices with this much RAM or less (navigator.deviceMemory) get the small tier. */
export const SMALL_DEVICE_MEMORY_GB = 4;
/** Share of device RAM we allow a model's VRAM to take (GPUs share RAM on phones/iGPUs). */
export const VRAM_SHARE_OF_DEVICE_MEMORY = 0.5;

/**
 * The minimum limits web-llm 0.2.86 requests from the adapter
 * (tvmjs `detectGPUDevice`): below them it refuses to start, so we do not try.
 */
export const WEBLLM_MIN_LIMITS = {
  maxBufferSize: 256 * MiB,
  maxStorageBufferBindingSize: 128 * MiB,
  maxComputeWorkgroupStorageSize: 32 * 1024,
  maxStorageBuffersPerShaderStage: 10,
} as const;

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|\bwarp\b|software|microsoft basic render/i;

/** A software adapter: flagged as fallback, or known software rasterizers by name. */
export function isSoftwareAdapter(a: AdapterFacts): boolean {
  return a.isFallbackAdapter || SOFTWARE_ADAPTER.test(`${a.vendor} ${a.architecture}`);
}

/** The first limit below web-llm's minimum, as a phrase, or null when all are met. */
export function missingWebLlmLimit(a: AdapterFacts): string | null {
  if (a.maxBufferSize < WEBLLM_MIN_LIMITS.maxBufferSize) return 'maxBufferSize';
  if (a.maxStorageBufferBindingSize < WEBLLM_MIN_LIMITS.maxStorageBufferBindingSize) {
    return 'maxStorageBufferBindingSize';
  }
  if (
    a.maxComputeWorkgroupStorageSize !== undefined &&
    a.maxComputeWorkgroupStorageSize < WEBLLM_MIN_LIMITS.maxComputeWorkgroupStorageSize
  ) {
    return 'maxComputeWorkgroupStorageSize';
  }
  if (
    a.maxStorageBuffersPerShaderStage !== undefined &&
    a.maxStorageBuffersPerShaderStage < WEBLLM_MIN_LIMITS.maxStorageBuffersPerShaderStage
  ) {
    return 'maxStorageBuffersPerShaderStage';
  }
  return null;
}

/**
 * How much VRAM (MB) a model may need on this device, or Infinity when unknown.
 *
 * WebGPU exposes no total-memory figure: `maxBufferSize` and
 * `maxStorageBufferBindingSize` bound ONE buffer / ONE binding, while a model
 * allocates many (a 1 GiB-limit adapter runs a 1.1 GB model fine). So the
 * adapter limits gate web-llm as a whole (WEBLLM_MIN_LIMITS) and push small
 * adapters to the small tier, and the per-model budget comes from device RAM
 * (`navigator.deviceMemory`, where GPUs share memory with the CPU).
 */
export function vramBudgetMB(hints: DeviceHints): number {
  if (hints.deviceMemoryGB === undefined || !(hints.deviceMemoryGB > 0)) return Infinity;
  return hints.deviceMemoryGB * 1024 * VRAM_SHARE_OF_DEVICE_MEMORY;
}

/**
 * The models of one tier that can run on this adapter: the f16 variants when
 * the adapter has `shader-f16` (smaller, faster), otherwise the f32 variants;
 * models over the VRAM budget are skipped. Many q4f16 records in web-llm do
 * not declare `shader-f16`, so the config's `f16` flag is the source of truth.
 */
export function pickTierModels(
  models: readonly WebLlmModel[],
  shaderF16: boolean,
  budgetMB: number,
): WebLlmModel[] {
  const fitting = models.filter((m) => m.vramMB <= budgetMB);
  const f16 = fitting.filter((m) => m.f16);
  const f32 = fitting.filter((m) => !m.f16);
  if (shaderF16 && f16.length > 0) return f16;
  return f32;
}

function onnxDeviceFor(adapter: AdapterFacts | null, config: SelectConfig): 'webgpu' | 'wasm' {
  const usable = adapter !== null && adapter.available;
  if (!usable) return 'wasm';
  if (config.onnx.device === 'wasm') return 'wasm';
  if (config.onnx.device === 'webgpu') return 'webgpu';
  // 'auto': a software adapter emulates the GPU on the CPU; ORT's WASM
  // backend (SIMD, threads) is faster there than WebGPU-on-SwiftShader.
  return isSoftwareAdapter(adapter) ? 'wasm' : 'webgpu';
}

/** "running on CPU, slower" / "running a smaller model on the GPU". */
export function onnxPlanWhere(device: 'webgpu' | 'wasm'): string {
  return device === 'webgpu' ? 'running a smaller model on the GPU' : 'running on CPU, slower';
}

/** The ONNX plan, with `why` (plain words) in front of where it runs. */
export function onnxPlan(adapter: AdapterFacts | null, config: SelectConfig, why: string): EnginePlan {
  const onnxDevice = onnxDeviceFor(adapter, config);
  return {
    engine: 'onnx',
    reason: `${why} — ${onnxPlanWhere(onnxDevice)}`,
    candidates: [],
    onnxDevice,
    onnx: onnxRungs(adapter, config),
    tier: null,
  };
}

function describeAdapter(a: AdapterFacts): string {
  const name = [a.vendor, a.architecture].filter((s) => s && s.trim()).join(' ');
  return name || 'GPU';
}

/**
 * Chooses the engine and the ordered web-llm candidates.
 *
 * Rules, in order:
 * 1. No adapter (or `webllm.enabled: false`) → ONNX, on WASM (or on WebGPU
 *    when an adapter exists and `onnx.device` allows it).
 * 2. Adapter below web-llm's minimum limits → ONNX.
 * 3. Small tier when the device is a phone, has ≤ 4 GB RAM, the adapter's
 *    buffers are < 1 GiB, or the adapter is a software (fallback) one — a
 *    fallback adapter is still allowed to run web-llm (it is the only WebGPU
 *    path in CI) but only with the small tier, slowly. Otherwise large tier.
 * 4. Within a tier: f16 variants only with `shader-f16`, else the f32
 *    variants; models whose vramMB exceeds the VRAM budget are skipped.
 * 5. Candidates = chosen tier's models, then (when the large tier was chosen)
 *    the small tier's, as the smaller models to retry with. If the chosen
 *    tier has none that fit, the small tier is used directly.
 * 6. No candidate at all → ONNX, saying why.
 */
export function selectEngine(
  adapter: AdapterFacts | null,
  hints: DeviceHints,
  config: SelectConfig,
): EnginePlan {
  if (adapter === null || !adapter.available) {
    return onnxPlan(null, config, 'WebGPU unavailable');
  }
  if (!config.webllm.enabled) {
    return onnxPlan(adapter, config, 'On-device WebGPU model turned off in config');
  }
  const missing = missingWebLlmLimit(adapter);
  if (missing !== null) {
    return onnxPlan(adapter, config, `This GPU is too limited for the WebGPU model (${missing})`);
  }

  const software = isSoftwareAdapter(adapter);
  const smallReasons: string[] = [];
  if (hints.mobile) smallReasons.push('phone');
  if (hints.deviceMemoryGB !== undefined && hints.deviceMemoryGB <= SMALL_DEVICE_MEMORY_GB) {
    smallReasons.push(`${hints.deviceMemoryGB} GB memory`);
  }
  if (Math.min(adapter.maxBufferSize, adapter.maxStorageBufferBindingSize) < SMALL_BUFFER_BYTES) {
    smallReasons.push('small GPU buffers');
  }
  if (software) smallReasons.push('software GPU');

  const budget = vramBudgetMB(hints);
  const small = pickTierModels(config.webllm.tiers.small, adapter.shaderF16, budget);
  const large = pickTierModels(config.webllm.tiers.large, adapter.shaderF16, budget);

  let tier: ModelTier = smallReasons.length > 0 ? 'small' : 'large';
  let candidates: WebLlmModel[] = tier === 'small' ? small : [...large, ...small];
  if (tier === 'large' && large.length === 0) {
    tier = 'small';
    smallReasons.push('large model does not fit');
  }
  candidates = strictlyLighterLadder(candidates);

  if (candidates.length === 0) {
    const allModels = [...config.webllm.tiers.small, ...config.webllm.tiers.large];
    const onlyF16 = !adapter.shaderF16 && allModels.every((m) => m.f16);
    const why = onlyF16
      ? 'This GPU lacks 16-bit shaders (shader-f16) and no 32-bit model is configured'
      : 'No configured WebGPU model fits this device’s memory';
    return onnxPlan(adapter, config, why);
  }

  const notes: string[] = [];
  if (smallReasons.length > 0) notes.push(`small model (${smallReasons.join(', ')})`);
  if (!adapter.shaderF16) notes.push('no shader-f16, 32-bit variant');
  let reason = `WebGPU available (${describeAdapter(adapter)}) — running ${candidates[0].id} on the GPU`;
  if (software) reason += ', slow: software GPU';
  if (notes.length > 0) reason += `; ${notes.join('; ')}`;
  return {
    engine: 'webllm',
    reason,
    candidates,
    onnxDevice: onnxDeviceFor(adapter, config),
    onnx: onnxRungs(adapter, config),
    tier,
  };
}

/**
 * The retry ladder after a lost device / out-of-memory: the chosen model, then
 * only models that need strictly less VRAM than the one before (a retry with a
 * heavier or equal model would fail the same way). Duplicates are tried once.
 */
export function strictlyLighterLadder(models: readonly WebLlmModel[]): WebLlmModel[] {
  const out: WebLlmModel[] = [];
  for (const m of models) {
    const last = out.at(-1);
    if (!last || m.vramMB < last.vramMB) out.push(m);
  }
  return out;
}

/** The weights for an ONNX rung: the config's dtype, or per device when it is 'auto'. */
export function onnxDtypeFor(device: 'webgpu' | 'wasm', shaderF16: boolean, config: SelectConfig): OnnxDtype {
  if (config.onnx.dtype !== 'auto') return config.onnx.dtype;
  if (device === 'wasm') return 'q8';
  return shaderF16 ? 'q4f16' : 'q4';
}

/** Download size of the ONNX weights in `dtype` (validated present by the config schema). */
export function onnxDownloadMB(config: SelectConfig, dtype: OnnxDtype): number {
  return config.onnx.sizesMB[dtype] ?? Math.max(0, ...Object.values(config.onnx.sizesMB).map((v) => v ?? 0));
}

/** The asyncify build only for WebGPU (it alone has the WebGPU provider); the plain build everywhere else. */
export function ortBuildFor(device: string): OrtBuild {
  return device === 'webgpu' ? 'asyncify' : 'plain';
}

export function onnxChoice(device: 'webgpu' | 'wasm', shaderF16: boolean, config: SelectConfig): OnnxChoice {
  const dtype = onnxDtypeFor(device, shaderF16, config);
  return { device, dtype, runtime: ortBuildFor(device), downloadMB: onnxDownloadMB(config, dtype) };
}

/** ONNX on WebGPU then once more on WASM (a GPU failure often is not a CPU one), or WASM only. */
export function onnxRungs(adapter: AdapterFacts | null, config: SelectConfig): OnnxChoice[] {
  const device = onnxDeviceFor(adapter, config);
  const wasm = onnxChoice('wasm', false, config);
  if (device === 'wasm') return [wasm];
  return [onnxChoice('webgpu', Boolean(adapter?.shaderF16), config), wasm];
}

/**
 * The plan after web-llm failed to load (all retries spent): ONNX, with the
 * failure in plain words, e.g. "On-device WebGPU model failed (network error)
 * — running on CPU, slower".
 */
export function fallbackAfterWebLlmFailure(
  adapter: AdapterFacts | null,
  config: SelectConfig,
  failure: string,
): EnginePlan {
  return onnxPlan(adapter, config, `WebGPU model could not load (${failure})`);
}
