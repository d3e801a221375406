// Every row of docs/devices.md → engine, model, dtype, runtime build, download
// size (expected values written out here, not recomputed), the interrupted-load
// rule, and docs/devices.md being exactly what the rule generates.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/schema';
import { DEVICE_MATRIX, renderDeviceMatrix } from './devices';
import { selectPlan, type InterruptedLoad, type SelectionInput } from './device-plan';

const config = parseConfig(JSON.parse(readFileSync(new URL('../../../public/config.json', import.meta.url), 'utf8')));

const QWEN16 = 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC';
const QWEN32 = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
const LLAMA16 = 'Llama-3.2-1B-Instruct-q4f16_1-MLC';
const LLAMA32 = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';

interface Expect {
  engine: 'webllm' | 'onnx' | 'none';
  /** web-llm ladder (ids). */
  webllm: string[];
  /** ONNX rungs as "dtype@device/runtime/MB". */
  onnx: string[];
  reason: RegExp;
}

const GPU_THEN_CPU_F16 = ['q4f16@webgpu/asyncify/467', 'q8@wasm/plain/495'];
const GPU_THEN_CPU_F32 = ['q4@webgpu/asyncify/756', 'q8@wasm/plain/495'];
const CPU_ONLY = ['q8@wasm/plain/495'];

const expected: Record<string, Expect> = {
  'iPhone, Safari 18': { engine: 'onnx', webllm: [], onnx: CPU_ONLY, reason: /WebGPU unavailable — running on CPU/ },
  'iPhone, Safari 26': { engine: 'webllm', webllm: [QWEN16], onnx: GPU_THEN_CPU_F16, reason: /Qwen2\.5-0\.5B-Instruct-q4f16_1-MLC.*small model \(phone\)/ },
  'iPhone, Safari 26, after the system killed the tab while the model was being set up': {
    engine: 'onnx', webllm: [], onnx: GPU_THEN_CPU_F16, reason: /^The last start stopped while Qwen2\.5-0\.5B-Instruct-q4f16_1-MLC was being set up — the device probably ran out of memory — running a smaller model on the GPU$/,
  },
  'Android phone, Chrome, 8 GB': { engine: 'webllm', webllm: [QWEN16], onnx: GPU_THEN_CPU_F16, reason: /small model \(phone\)/ },
  'Android phone, Chrome, 4 GB, no shader-f16': { engine: 'webllm', webllm: [QWEN32], onnx: GPU_THEN_CPU_F32, reason: /phone, 4 GB memory.*32-bit variant/ },
  'Android phone, Chrome, 2 GB, no shader-f16': { engine: 'onnx', webllm: [], onnx: GPU_THEN_CPU_F32, reason: /No configured WebGPU model fits/ },
  'Android phone, Chrome without WebGPU': { engine: 'onnx', webllm: [], onnx: CPU_ONLY, reason: /WebGPU unavailable/ },
  'Desktop Chrome, GPU with shader-f16': { engine: 'webllm', webllm: [LLAMA16], onnx: GPU_THEN_CPU_F16, reason: /running Llama-3\.2-1B-Instruct-q4f16_1-MLC on the GPU$/ },
  'Desktop Edge, GPU without shader-f16': { engine: 'webllm', webllm: [LLAMA32, QWEN32], onnx: GPU_THEN_CPU_F32, reason: /no shader-f16, 32-bit variant/ },
  'Desktop Firefox without WebGPU': { engine: 'onnx', webllm: [], onnx: CPU_ONLY, reason: /WebGPU unavailable/ },
  'Desktop Firefox with WebGPU': { engine: 'webllm', webllm: [LLAMA32, QWEN32], onnx: GPU_THEN_CPU_F32, reason: /Llama-3\.2-1B-Instruct-q4f32_1-MLC/ },
  'Mac, Safari 18': { engine: 'onnx', webllm: [], onnx: CPU_ONLY, reason: /WebGPU unavailable/ },
  'Mac, Safari 26': { engine: 'webllm', webllm: [LLAMA16], onnx: GPU_THEN_CPU_F16, reason: /Llama-3\.2-1B-Instruct-q4f16_1-MLC/ },
  'Headless Chromium (CI)': { engine: 'webllm', webllm: [QWEN32], onnx: CPU_ONLY, reason: /software GPU/ },
  'Phone GPU below web-llm’s limits': { engine: 'onnx', webllm: [], onnx: GPU_THEN_CPU_F32, reason: /too limited.*maxBufferSize/ },
};

function summary(input: SelectionInput) {
  const plan = selectPlan(input, config);
  return {
    plan,
    webllm: plan.candidates.map((m) => m.id),
    onnx: plan.onnx.map((r) => `${r.dtype}@${r.device}/${r.runtime}/${r.downloadMB}`),
  };
}

describe('selectPlan: the device matrix', () => {
  it('has an expectation for every row and a row for every expectation', () => {
    expect(DEVICE_MATRIX.map((r) => r.name).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(DEVICE_MATRIX.map((r) => [r.name, r] as const))('%s', (name, row) => {
    const want = expected[name];
    const got = summary(row.input);
    expect(got.plan.engine).toBe(want.engine);
    expect(got.webllm).toEqual(want.webllm);
    expect(got.onnx).toEqual(want.onnx);
    expect(got.plan.reason).toMatch(want.reason);
  });

  it('the asyncify build only ever goes with WebGPU; every WASM rung gets the plain build', () => {
    for (const row of DEVICE_MATRIX) {
      for (const r of selectPlan(row.input, config).onnx) expect(r.runtime).toBe(r.device === 'webgpu' ? 'asyncify' : 'plain');
    }
  });

  it('each web-llm ladder step needs strictly less VRAM than the one before', () => {
    for (const row of DEVICE_MATRIX) {
      const v = selectPlan(row.input, config).candidates.map((m) => m.vramMB);
      for (let i = 1; i < v.length; i++) expect(v[i]).toBeLessThan(v[i - 1]);
    }
  });

  it('docs/devices.md is what the rule generates (run `npm run docs:devices` after changing it)', () => {
    const doc = readFileSync(new URL('../../../docs/devices.md', import.meta.url), 'utf8');
    expect(doc).toBe(renderDeviceMatrix(config));
  });
});

describe('selectPlan: a load the last start never finished', () => {
  const desktopNoF16 = DEVICE_MATRIX.find((r) => r.name === 'Desktop Edge, GPU without shader-f16')!.input;
  const iphone18 = DEVICE_MATRIX.find((r) => r.name === 'iPhone, Safari 18')!.input;
  const killed = (over: Partial<InterruptedLoad>): InterruptedLoad => ({ engine: 'webllm', modelId: LLAMA32, device: 'webgpu', stage: 'init', ...over });

  it('killed while initialising the first web-llm model → the strictly lighter one, saying why', () => {
    const { plan, webllm } = summary({ ...desktopNoF16, interrupted: killed({}) });
    expect(plan.engine).toBe('webllm');
    expect(webllm).toEqual([QWEN32]);
    expect(plan.reason).toBe(`The last start stopped while ${LLAMA32} was being set up — the device probably ran out of memory, so this time the lighter ${QWEN32} runs on the GPU`);
  });

  it('killed on the last web-llm rung → ONNX on WebGPU, then WASM', () => {
    const { plan, onnx } = summary({ ...desktopNoF16, interrupted: killed({ modelId: QWEN32 }) });
    expect(plan.engine).toBe('onnx');
    expect(onnx).toEqual(GPU_THEN_CPU_F32);
  });

  it('killed on ONNX WebGPU → ONNX on WASM only', () => {
    const { plan, onnx } = summary({ ...desktopNoF16, interrupted: killed({ engine: 'onnx', modelId: config.onnx.modelId }) });
    expect(plan.engine).toBe('onnx');
    expect(plan.onnxDevice).toBe('wasm');
    expect(onnx).toEqual(CPU_ONLY);
    expect(plan.reason).toMatch(/running on CPU, slower$/);
  });

  it('killed on ONNX WASM (the lightest rung) → no on-device model this time, answers from the edge or cloud', () => {
    const { plan, onnx } = summary({ ...iphone18, interrupted: killed({ engine: 'onnx', modelId: config.onnx.modelId, device: 'wasm' }) });
    expect(plan.engine).toBe('none');
    expect(onnx).toEqual([]);
    expect(plan.reason).toMatch(/answers come from the edge or the cloud\. Retry tries the on-device model again\.$/);
  });

  it('a tab closed during the download is not held against the model', () => {
    const clean = summary(desktopNoF16);
    const closed = summary({ ...desktopNoF16, interrupted: killed({ stage: 'download' }) });
    expect(closed.plan).toEqual(clean.plan);
  });

  it('a killed web-llm load does not change a start that uses ONNX anyway', () => {
    const clean = summary(iphone18);
    expect(summary({ ...iphone18, interrupted: killed({}) }).plan).toEqual(clean.plan);
  });
});
