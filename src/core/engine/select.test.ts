import { describe, expect, it } from 'vitest';
import type { WebLlmModel } from '../../config/schema';
import { fallbackAfterWebLlmFailure, selectEngine, type AdapterFacts, type DeviceHints, type SelectConfig } from './select';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

const m = (id: string, f16: boolean, vramMB: number, sizeMB = 300): WebLlmModel => ({
  id,
  f16,
  vramMB,
  sizeMB,
  contextWindow: 4096,
});

// Same shape as public/config.json.
const QWEN16 = m('Qwen2.5-0.5B-Instruct-q4f16_1-MLC', true, 945, 280);
const QWEN32 = m('Qwen2.5-0.5B-Instruct-q4f32_1-MLC', false, 1061, 290);
const LLAMA16 = m('Llama-3.2-1B-Instruct-q4f16_1-MLC', true, 880, 700);
const LLAMA32 = m('Llama-3.2-1B-Instruct-q4f32_1-MLC', false, 1129, 720);

function cfg(over: { enabled?: boolean; device?: 'auto' | 'webgpu' | 'wasm'; small?: WebLlmModel[]; large?: WebLlmModel[] } = {}): SelectConfig {
  return {
    webllm: {
      enabled: over.enabled ?? true,
      tiers: { small: over.small ?? [QWEN16, QWEN32], large: over.large ?? [LLAMA16, LLAMA32] },
    },
    onnx: { modelId: 'x', dtype: 'auto', device: over.device ?? 'auto', contextWindow: 4096, sizesMB: { q4f16: 467, q4: 756, q8: 495 } },
  };
}

const desktopGpu: AdapterFacts = {
  available: true,
  isFallbackAdapter: false,
  shaderF16: true,
  maxBufferSize: 4 * GiB,
  maxStorageBufferBindingSize: 2 * GiB,
  vendor: 'nvidia',
  architecture: 'ampere',
};
// What headless Chromium with --enable-unsafe-webgpu reports (NOTES-stack.md).
const swiftshader: AdapterFacts = {
  available: true,
  isFallbackAdapter: true,
  shaderF16: false,
  maxBufferSize: GiB,
  maxStorageBufferBindingSize: GiB,
  vendor: 'google',
  architecture: 'swiftshader',
};
const phoneGpu: AdapterFacts = {
  available: true,
  isFallbackAdapter: false,
  shaderF16: true,
  maxBufferSize: 256 * MiB,
  maxStorageBufferBindingSize: 128 * MiB,
  vendor: 'qualcomm',
  architecture: 'adreno-7xx',
};
const laptop: DeviceHints = { mobile: false, deviceMemoryGB: 8 };

interface Row {
  name: string;
  adapter: AdapterFacts | null;
  hints: DeviceHints;
  config?: SelectConfig;
  engine: 'webllm' | 'onnx';
  ids?: string[];
  onnxDevice: 'webgpu' | 'wasm';
  reason: RegExp;
}

const rows: Row[] = [
  { name: 'no adapter → onnx on wasm', adapter: null, hints: laptop, engine: 'onnx', onnxDevice: 'wasm', reason: /^WebGPU unavailable — running on CPU, slower$/ },
  { name: 'adapter not available → onnx on wasm', adapter: { ...desktopGpu, available: false }, hints: laptop, engine: 'onnx', onnxDevice: 'wasm', reason: /WebGPU unavailable/ },
  { name: 'no adapter even if onnx.device=webgpu → wasm', adapter: null, hints: laptop, config: cfg({ device: 'webgpu' }), engine: 'onnx', onnxDevice: 'wasm', reason: /CPU/ },
  { name: 'webllm disabled + real GPU → onnx on webgpu', adapter: desktopGpu, hints: laptop, config: cfg({ enabled: false }), engine: 'onnx', onnxDevice: 'webgpu', reason: /turned off in config — running a smaller model on the GPU/ },
  { name: 'webllm disabled + onnx.device=wasm → wasm', adapter: desktopGpu, hints: laptop, config: cfg({ enabled: false, device: 'wasm' }), engine: 'onnx', onnxDevice: 'wasm', reason: /CPU/ },
  { name: 'desktop f16 GPU → large f16 only (the small f16 model needs more VRAM)', adapter: desktopGpu, hints: laptop, engine: 'webllm', ids: [LLAMA16.id], onnxDevice: 'webgpu', reason: /running Llama-3.2-1B-Instruct-q4f16_1-MLC on the GPU/ },
  { name: 'desktop without shader-f16 → q4f32 variants', adapter: { ...desktopGpu, shaderF16: false }, hints: laptop, engine: 'webllm', ids: [LLAMA32.id, QWEN32.id], onnxDevice: 'webgpu', reason: /no shader-f16, 32-bit variant/ },
  { name: 'unknown deviceMemory (Firefox/Safari) → large tier', adapter: desktopGpu, hints: { mobile: false }, engine: 'webllm', ids: [LLAMA16.id], onnxDevice: 'webgpu', reason: /Llama/ },
  { name: 'phone → small tier only', adapter: { ...desktopGpu }, hints: { mobile: true, deviceMemoryGB: 8 }, engine: 'webllm', ids: [QWEN16.id], onnxDevice: 'webgpu', reason: /small model \(phone\)/ },
  { name: 'deviceMemory 4 → small tier', adapter: desktopGpu, hints: { mobile: false, deviceMemoryGB: 4 }, engine: 'webllm', ids: [QWEN16.id], onnxDevice: 'webgpu', reason: /4 GB memory/ },
  { name: 'small buffers (256 MiB) → small tier', adapter: phoneGpu, hints: { mobile: false, deviceMemoryGB: 8 }, engine: 'webllm', ids: [QWEN16.id], onnxDevice: 'webgpu', reason: /small GPU buffers/ },
  { name: 'SwiftShader fallback adapter → allowed, small q4f32, onnx on wasm', adapter: swiftshader, hints: laptop, engine: 'webllm', ids: [QWEN32.id], onnxDevice: 'wasm', reason: /slow: software GPU.*small model \(software GPU\).*no shader-f16/ },
  { name: 'software adapter by name even without the flag', adapter: { ...swiftshader, isFallbackAdapter: false }, hints: laptop, engine: 'webllm', ids: [QWEN32.id], onnxDevice: 'wasm', reason: /software GPU/ },
  { name: 'fallback adapter with onnx.device=webgpu → onnx may use webgpu', adapter: swiftshader, hints: laptop, config: cfg({ device: 'webgpu' }), engine: 'webllm', ids: [QWEN32.id], onnxDevice: 'webgpu', reason: /Qwen/ },
  { name: 'below web-llm minimum binding size → onnx', adapter: { ...phoneGpu, maxStorageBufferBindingSize: 64 * MiB }, hints: laptop, engine: 'onnx', onnxDevice: 'webgpu', reason: /too limited.*maxStorageBufferBindingSize/ },
  { name: 'below web-llm minimum buffer size → onnx', adapter: { ...phoneGpu, maxBufferSize: 128 * MiB }, hints: laptop, engine: 'onnx', onnxDevice: 'webgpu', reason: /maxBufferSize/ },
  { name: 'too few storage buffers per stage → onnx', adapter: { ...desktopGpu, maxStorageBuffersPerShaderStage: 8 }, hints: laptop, engine: 'onnx', onnxDevice: 'webgpu', reason: /maxStorageBuffersPerShaderStage/ },
  { name: '2 GB device: q4f32 1061 MB over the 1024 MB budget is skipped', adapter: { ...desktopGpu, shaderF16: false }, hints: { mobile: true, deviceMemoryGB: 2 }, engine: 'onnx', onnxDevice: 'webgpu', reason: /No configured WebGPU model fits/ },
  { name: '2 GB device with f16: q4f16 945 MB fits', adapter: desktopGpu, hints: { mobile: true, deviceMemoryGB: 2 }, engine: 'webllm', ids: [QWEN16.id], onnxDevice: 'webgpu', reason: /Qwen/ },
  { name: 'large tier does not fit → small tier directly', adapter: desktopGpu, hints: laptop, config: cfg({ large: [m('Big-q4f16', true, 9000)] }), engine: 'webllm', ids: [QWEN16.id], onnxDevice: 'webgpu', reason: /large model does not fit/ },
  { name: 'only f16 models configured, no shader-f16 → onnx', adapter: swiftshader, hints: laptop, config: cfg({ small: [QWEN16], large: [LLAMA16] }), engine: 'onnx', onnxDevice: 'wasm', reason: /lacks 16-bit shaders/ },
  { name: 'duplicate ids across tiers are tried once', adapter: { ...desktopGpu, shaderF16: false }, hints: laptop, config: cfg({ large: [LLAMA32, QWEN32], small: [QWEN32] }), engine: 'webllm', ids: [LLAMA32.id, QWEN32.id], onnxDevice: 'webgpu', reason: /Llama/ },
];

describe('selectEngine', () => {
  it.each(rows)('$name', (row) => {
    const plan = selectEngine(row.adapter, row.hints, row.config ?? cfg());
    expect(plan.engine).toBe(row.engine);
    expect(plan.onnxDevice).toBe(row.onnxDevice);
    expect(plan.reason).toMatch(row.reason);
    if (row.engine === 'webllm') {
      expect(plan.candidates.map((c) => c.id)).toEqual(row.ids);
      expect(plan.tier).not.toBeNull();
    } else {
      expect(plan.candidates).toEqual([]);
      expect(plan.tier).toBeNull();
    }
  });

  it('never offers an f16 model to an adapter without shader-f16', () => {
    for (const mem of [1, 2, 4, 8, undefined]) {
      for (const mobile of [true, false]) {
        const plan = selectEngine({ ...desktopGpu, shaderF16: false }, { mobile, deviceMemoryGB: mem }, cfg());
        expect(plan.candidates.every((c) => !c.f16)).toBe(true);
      }
    }
  });

  it('fallback plan after a web-llm failure names the failure', () => {
    const plan = fallbackAfterWebLlmFailure(swiftshader, cfg(), 'network error');
    expect(plan).toMatchObject({ engine: 'onnx', onnxDevice: 'wasm', candidates: [] });
    expect(plan.reason).toBe('WebGPU model could not load (network error) — running on CPU, slower');
  });
});
