// The device matrix of docs/devices.md: typical inputs per browser / device
// class, run through selectPlan() by scripts/devices-doc.ts (which writes the
// doc) and by device-plan.test.ts (which pins every row). PURE data + render.
import type { AdapterFacts, EnginePlan, SelectConfig } from './select';
import { selectPlan, type SelectionInput } from './device-plan';
import { formatMB } from './errors';

export interface DeviceRow {
  name: string;
  /** What the row assumes about the device, in plain words. */
  assumes: string;
  input: SelectionInput;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

const UA = {
  iphoneSafari18:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1',
  // iOS 26 freezes the OS part of the UA at 18_6; Version/ carries the Safari version.
  iphoneSafari26:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Mobile/15E148 Safari/604.1',
  androidChrome:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36',
  desktopChrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  desktopEdge:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0',
  firefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0',
  macSafari18:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15',
  macSafari26:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15',
  headlessChromium:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36',
} as const;

function gpu(over: Partial<AdapterFacts>): AdapterFacts {
  return {
    available: true,
    isFallbackAdapter: false,
    shaderF16: true,
    maxBufferSize: 4 * GiB,
    maxStorageBufferBindingSize: 2 * GiB,
    vendor: '',
    architecture: '',
    ...over,
  };
}

// WebKit caps buffers at 1 GiB (NOTES: iOS kills tabs near 1.5 GB).
const appleMobile = gpu({ vendor: 'apple', architecture: 'common-3', maxBufferSize: GiB, maxStorageBufferBindingSize: GiB });
const appleMac = gpu({ vendor: 'apple', architecture: 'metal-3', maxBufferSize: GiB, maxStorageBufferBindingSize: GiB });
const adreno = gpu({ vendor: 'qualcomm', architecture: 'adreno-7xx', maxBufferSize: GiB, maxStorageBufferBindingSize: GiB });
const mali = gpu({ vendor: 'arm', architecture: 'valhall', shaderF16: false, maxBufferSize: GiB, maxStorageBufferBindingSize: GiB });

export const DEVICE_MATRIX: readonly DeviceRow[] = [
  {
    name: 'iPhone, Safari 18',
    assumes: 'no WebGPU (off by default before Safari 26)',
    input: { adapter: null, userAgent: UA.iphoneSafari18, builtinAvailable: false },
  },
  {
    name: 'iPhone, Safari 26',
    assumes: 'WebGPU with shader-f16, 1 GiB buffers',
    input: { adapter: appleMobile, userAgent: UA.iphoneSafari26, builtinAvailable: false },
  },
  {
    name: 'iPhone, Safari 26, after the system killed the tab while the model was being set up',
    assumes: 'as above, and the last start left an unfinished initialisation of the first web-llm model',
    input: {
      adapter: appleMobile,
      userAgent: UA.iphoneSafari26,
      builtinAvailable: false,
      interrupted: { engine: 'webllm', modelId: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', device: 'webgpu', stage: 'init' },
    },
  },
  {
    name: 'Android phone, Chrome, 8 GB',
    assumes: 'WebGPU with shader-f16 (Adreno), deviceMemory 8',
    input: { adapter: adreno, userAgent: UA.androidChrome, deviceMemoryGB: 8, builtinAvailable: false },
  },
  {
    name: 'Android phone, Chrome, 4 GB, no shader-f16',
    assumes: 'WebGPU without shader-f16 (Mali), deviceMemory 4',
    input: { adapter: mali, userAgent: UA.androidChrome, deviceMemoryGB: 4, builtinAvailable: false },
  },
  {
    name: 'Android phone, Chrome, 2 GB, no shader-f16',
    assumes: 'WebGPU without shader-f16, deviceMemory 2 (VRAM budget 1 GB)',
    input: { adapter: mali, userAgent: UA.androidChrome, deviceMemoryGB: 2, builtinAvailable: false },
  },
  {
    name: 'Android phone, Chrome without WebGPU',
    assumes: 'no adapter (older Android or GPU blocklisted)',
    input: { adapter: null, userAgent: UA.androidChrome, deviceMemoryGB: 4, builtinAvailable: false },
  },
  {
    name: 'Desktop Chrome, GPU with shader-f16',
    assumes: 'discrete or recent integrated GPU, deviceMemory 8',
    input: { adapter: gpu({ vendor: 'nvidia', architecture: 'ampere' }), userAgent: UA.desktopChrome, deviceMemoryGB: 8, builtinAvailable: false },
  },
  {
    name: 'Desktop Edge, GPU without shader-f16',
    assumes: 'older integrated GPU, deviceMemory 8',
    input: { adapter: gpu({ vendor: 'intel', architecture: 'gen-9', shaderF16: false }), userAgent: UA.desktopEdge, deviceMemoryGB: 8, builtinAvailable: false },
  },
  {
    name: 'Desktop Firefox without WebGPU',
    assumes: 'no adapter (platforms where Firefox has not shipped WebGPU)',
    input: { adapter: null, userAgent: UA.firefox, builtinAvailable: false },
  },
  {
    name: 'Desktop Firefox with WebGPU',
    assumes: 'WebGPU without shader-f16, no deviceMemory',
    input: { adapter: gpu({ vendor: 'intel', architecture: 'xe', shaderF16: false }), userAgent: UA.firefox, builtinAvailable: false },
  },
  {
    name: 'Mac, Safari 18',
    assumes: 'no WebGPU',
    input: { adapter: null, userAgent: UA.macSafari18, builtinAvailable: false },
  },
  {
    name: 'Mac, Safari 26',
    assumes: 'WebGPU with shader-f16, 1 GiB buffers, no deviceMemory',
    input: { adapter: appleMac, userAgent: UA.macSafari26, builtinAvailable: false },
  },
  {
    name: 'Headless Chromium (CI)',
    assumes: 'SwiftShader software adapter, no shader-f16, deviceMemory 8',
    input: {
      adapter: gpu({ isFallbackAdapter: true, vendor: 'google', architecture: 'swiftshader', shaderF16: false, maxBufferSize: GiB, maxStorageBufferBindingSize: GiB }),
      userAgent: UA.headlessChromium,
      deviceMemoryGB: 8,
      builtinAvailable: false,
    },
  },
  {
    name: 'Phone GPU below web-llm’s limits',
    assumes: 'WebGPU with a 128 MiB max buffer',
    input: { adapter: gpu({ vendor: 'arm', architecture: 'bifrost', shaderF16: false, maxBufferSize: 128 * MiB, maxStorageBufferBindingSize: 128 * MiB }), userAgent: UA.androidChrome, deviceMemoryGB: 3, builtinAvailable: false },
  },
];

/** One line of the matrix: what runs first and what it falls back to. */
export interface MatrixLine {
  engine: EnginePlan['engine'];
  /** First model, "web-llm <id>" or "ONNX <dtype> on <device>". */
  first: string;
  /** What is downloaded for the first model. */
  downloadMB: number | null;
  /** Runtime build of the ONNX worker that answers (web-llm: none). */
  runtime: string;
  /** The rest of the ladder, in order. */
  then: string[];
  reason: string;
}

export function matrixLine(row: DeviceRow, config: SelectConfig): MatrixLine {
  const plan = selectPlan(row.input, config);
  const onnx = plan.onnx.map((r) => `ONNX ${r.dtype} on ${r.device} (${r.runtime} build, ${formatMB(r.downloadMB)})`);
  if (plan.engine === 'webllm') {
    const [first, ...rest] = plan.candidates;
    return {
      engine: plan.engine,
      first: `web-llm ${first.id}`,
      downloadMB: first.sizeMB,
      runtime: '—',
      then: [...rest.map((m) => `web-llm ${m.id} (${formatMB(m.sizeMB)})`), ...onnx],
      reason: plan.reason,
    };
  }
  if (plan.engine === 'onnx') {
    const [first, ...rest] = plan.onnx;
    return { engine: plan.engine, first: `ONNX ${first.dtype} on ${first.device}`, downloadMB: first.downloadMB, runtime: first.runtime, then: rest.map((_, i) => onnx[i + 1]), reason: plan.reason };
  }
  return { engine: 'none', first: 'no on-device model (edge / cloud only)', downloadMB: null, runtime: '—', then: [], reason: plan.reason };
}

/** docs/devices.md, generated (scripts/devices-doc.ts) from the rows above and public/config.json. */
export function renderDeviceMatrix(config: SelectConfig & { nlp: { nerModelId: string; rerankerModelId: string; dtype: string } }): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    '# Which on-device model runs where',
    '',
    '<!-- Generated by `npm run docs:devices` from src/core/engine/devices.ts and public/config.json. Do not edit by hand. -->',
    '',
    'The app picks the on-device engine with one pure rule (`selectPlan()` in `src/core/engine/device-plan.ts`) from the',
    'WebGPU adapter’s features and limits, the user agent, `navigator.deviceMemory` and the load the last start left',
    'unfinished. This table runs that rule on typical inputs for each browser / device class (the "assumes" column is the',
    'input, not a measurement of every such device). "Then" is the fallback ladder: web-llm models strictly lighter in',
    'VRAM after a lost device / out-of-memory error, then ONNX on WebGPU, then ONNX once more on WASM.',
    '',
    'ONNX Runtime: the asyncify build only where ONNX runs on WebGPU; every WASM model (and the privacy worker, always)',
    'uses the plain build — the asyncify build crashes with out-of-memory on Safari below 26.',
    `The privacy worker always loads ${config.nlp.nerModelId} and ${config.nlp.rerankerModelId} (${config.nlp.dtype}) on WASM with the plain build.`,
    '',
    '| Browser / device | Assumes | Engine | First model | Download | ORT build | Then | Why (shown to the user) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const row of DEVICE_MATRIX) {
    const l = matrixLine(row, config);
    const dl = l.downloadMB === null ? '—' : formatMB(l.downloadMB);
    lines.push(`| ${esc(row.name)} | ${esc(row.assumes)} | ${l.engine} | ${esc(l.first)} | ${dl} | ${l.runtime} | ${esc(l.then.join(' → ') || '—')} | ${esc(l.reason)} |`);
  }
  lines.push('');
  return lines.join('\n');
}
