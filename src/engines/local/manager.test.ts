// The manager's lifecycle with fake engines (selection, fallback, Retry), and
// crash → recover for each engine kind with the REAL page-side engines, bridge,
// lifecycle and worker handlers in in-process workers (models scripted: no
// GPU, no model files).
import * as webllm from '@mlc-ai/web-llm';
import type { ChatCompletionChunk } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { LocalEngineManager, RESTARTED_NOTICE, RESTARTING_NOTICE, type LoadMarkerStore, type LocalStatus, type ManagerDeps } from './manager';
import type { InterruptedLoad } from '../../core/engine/device-plan';
import { parseConfig } from '../../config/schema';
import { readFileSync } from 'node:fs';
import { fallbackAfterWebLlmFailure, type AdapterFacts } from '../../core/engine/select';
import { selectPlan } from '../../core/engine/device-plan';
import { EngineError } from '../../core/engine/errors';
import type { ChatResult, LoadProgress, LocalEngine } from '../types';
import { CrashRecovery } from '../lifecycle';
import { LazyEngine } from '../lazy';
import { OnnxEngine } from '../onnx/engine';
import { WebLlmEngine } from '../webllm/engine';
import { InProcessWorker } from '../../worker-bridge/in-process-worker';
import type { OnnxWorkerHandlers } from '../../worker-bridge/onnx';
import { createWebLlmHandlers, type MlcEngineLike } from '../../workers/webllm-handlers';

const config = parseConfig(JSON.parse(readFileSync(new URL('../../../public/config.json', import.meta.url), 'utf8')));
const demoConfig = { ...config, demo: true };
const gpu: AdapterFacts = {
  available: true, isFallbackAdapter: false, shaderF16: true, maxBufferSize: 4 * 2 ** 30,
  maxStorageBufferBindingSize: 2 ** 31, vendor: 'apple', architecture: 'metal-3',
};
const DESKTOP_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
const PHONE_UA = 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36';
const USAGE = { promptTokens: 1, outputTokens: 1, prefillTps: 1, decodeTps: 1, timeToFirstTokenMs: 1, totalMs: 1 };

class FakeEngine implements LocalEngine {
  loads = 0;
  crashHooks = 0;
  private readonly life = new CrashRecovery({ restart: () => {}, reload: (p) => this.load(p) });
  constructor(
    readonly info: LocalEngine['info'],
    private loadError: Error | null = null,
  ) {}
  async load(onProgress: (p: LoadProgress) => void) {
    this.loads++;
    onProgress({ fraction: 0.5, loadedBytes: 5, totalBytes: 10, etaSeconds: 1, text: 'half' });
    if (this.loadError) throw this.loadError;
  }
  async chat(): Promise<ChatResult> {
    return { text: 'hi', finishReason: 'stop', usage: USAGE, logprobs: null };
  }
  async isCached() { return false; }
  async deleteFromCache() {}
  dispose() {}
  onCrash(l: (e: Error) => void) { return this.life.onCrash(l); }
  recover(p?: (p: LoadProgress) => void) { return this.life.recover(p); }
  crash(e = new Error('boom')) { this.life.crashed(e); }
  crashForTest() { this.crashHooks++; }
  failNextLoad(e: Error | null) { this.loadError = e; }
}

function deps(over: Partial<ManagerDeps> & { webllmError?: Error; onnxError?: Error; facts?: AdapterFacts | null }) {
  const made: FakeEngine[] = [];
  const d: ManagerDeps = {
    config,
    probe: async () => (over.facts === undefined ? gpu : over.facts),
    device: () => ({ userAgent: DESKTOP_UA, deviceMemoryGB: 8, builtinAvailable: false }),
    select: selectPlan,
    fallback: fallbackAfterWebLlmFailure,
    createWebLlm: (plan) => {
      const e = new FakeEngine({ kind: 'webllm', modelId: plan.candidates[0].id, device: 'webgpu', contextWindow: 4096 }, over.webllmError ?? null);
      made.push(e);
      return e;
    },
    createOnnx: ({ device }) => {
      const e = new FakeEngine({ kind: 'onnx', modelId: config.onnx.modelId, device, contextWindow: 4096 }, over.onnxError ?? null);
      made.push(e);
      return e;
    },
    ...over,
  };
  return { d, made };
}

/** Resolves with the first status that matches (the current one included). */
function statusWhere(m: LocalEngineManager, ok: (s: LocalStatus) => boolean): Promise<LocalStatus> {
  return new Promise((resolve) => {
    const off = m.onStatus((s) => {
      if (ok(s)) {
        queueMicrotask(() => off());
        resolve(s);
      }
    });
  });
}

describe('local engine manager', () => {
  it('loads web-llm on a capable GPU and reports progress, then ready', async () => {
    const { d } = deps({});
    const m = new LocalEngineManager(d);
    const phases: string[] = [];
    m.onStatus((s) => phases.push(s.phase + (s.progress ? `:${s.progress.fraction}` : '')));
    const engine = await m.ready();
    expect(engine.info.kind).toBe('webllm');
    expect(engine.info.modelId).toMatch(/q4f16/);
    // loading → download progress → the warm-up that measures the device → ready
    expect(phases).toEqual(['starting', 'probing', 'loading', 'loading:0.5', 'loading:null', 'ready']);
    expect(m.current.notice).toBeUndefined();
    expect(m.current.measured).toEqual({ prefillTps: 1, decodeTps: 1 });
  });

  it('falls back to ONNX when web-llm cannot load, and says why', async () => {
    const err = new EngineError('network', 'Could not download the on-device model (Qwen): network error.', { retryable: true });
    const { d } = deps({ webllmError: err });
    const m = new LocalEngineManager(d);
    const engine = await m.ready();
    expect(engine.info.kind).toBe('onnx');
    expect(m.current.phase).toBe('ready');
    expect(m.current.notice).toContain('Could not download the on-device model (Qwen): network error.');
    expect(m.current.notice).toMatch(/Falling back to the ONNX engine/);
    expect(m.current.chain[0]).toMatch(/^web-llm .*network error/);
  });

  it('says WebGPU is unavailable when there is no adapter', async () => {
    const { d } = deps({ facts: null });
    const m = new LocalEngineManager(d);
    const engine = await m.ready();
    expect(engine.info).toMatchObject({ kind: 'onnx', device: 'wasm' });
    expect(m.current.notice).toMatch(/WebGPU unavailable — running on CPU, slower/);
  });

  it('ends in a plain-words error when every engine fails, and Retry starts again', async () => {
    const { d, made } = deps({ facts: null, onnxError: new EngineError('network', 'Could not download the model.', { retryable: true }) });
    const m = new LocalEngineManager(d);
    await expect(m.ready()).rejects.toThrow();
    expect(m.current.phase).toBe('error');
    expect(m.current.error).toBe('Could not download the model.');
    made[0].failNextLoad(null);
    d.createOnnx = ({ device }) => new FakeEngine({ kind: 'onnx', modelId: 'x', device, contextWindow: 1 });
    await expect(m.retry()).resolves.toBeTruthy();
    expect(m.current.phase).toBe('ready');
  });

  it('restarts a crashed engine and becomes ready again; ready() waits for it', async () => {
    const { d, made } = deps({ facts: null });
    const m = new LocalEngineManager(d);
    await m.ready();
    const onnx = made[0];
    onnx.crash();
    expect(m.current.phase).toBe('loading');
    expect(m.current.notice).toBe(RESTARTING_NOTICE);
    const again = await m.ready();
    expect(again).toBe(onnx);
    expect(onnx.loads).toBe(2);
    expect(m.current).toMatchObject({ phase: 'ready', notice: RESTARTED_NOTICE });
  });

  it('a crash while measuring the device restarts the engine before it is ready', async () => {
    const { d, made } = deps({ facts: null });
    const m = new LocalEngineManager(d);
    const starting = m.ready();
    await statusWhere(m, (s) => s.progress?.text === 'Measuring this device’s speed…');
    made[0].crash();
    await starting;
    expect(made[0].loads).toBe(2);
    expect(m.current).toMatchObject({ phase: 'ready', notice: `WebGPU unavailable — running on CPU, slower. ${RESTARTED_NOTICE}` });
  });

  it('honours the crash test hook only in the demo config', async () => {
    const prod = deps({ facts: null });
    const m = new LocalEngineManager(prod.d);
    await m.ready();
    expect(m.crashForTest()).toBe(false);
    expect(prod.made[0].crashHooks).toBe(0);
    const demo = deps({ facts: null, config: demoConfig });
    const dm = new LocalEngineManager(demo.d);
    await dm.ready();
    expect(dm.crashForTest()).toBe(true);
    expect(demo.made[0].crashHooks).toBe(1);
  });
});

/** An in-memory LoadMarkerStore (localStorage in the browser): it outlives a manager like storage outlives a tab. */
function memoryMarker(): LoadMarkerStore & { value: InterruptedLoad | null; writes: (InterruptedLoad | null)[] } {
  const store = {
    value: null as InterruptedLoad | null,
    writes: [] as (InterruptedLoad | null)[],
    take: () => {
      const v = store.value;
      store.value = null;
      return v;
    },
    write: (m: InterruptedLoad | null) => {
      store.value = m;
      store.writes.push(m);
    },
  };
  return store;
}

/** An engine whose load reports the files complete ('init') and then never returns: the tab is killed there. */
class KilledWhileInitialising extends FakeEngine {
  override async load(onProgress: (p: LoadProgress) => void) {
    this.loads++;
    onProgress({ fraction: 0.4, loadedBytes: 4, totalBytes: 10, etaSeconds: null, text: 'Downloading', stage: 'download' });
    onProgress({ fraction: 1, loadedBytes: 10, totalBytes: 10, etaSeconds: null, text: 'Loading model into GPU memory', stage: 'init' });
    return new Promise<void>(() => {});
  }
}

const NO_F16_GPU: AdapterFacts = { ...gpu, shaderF16: false };

describe('ONNX WebGPU → WASM retry', () => {
  it('an out-of-memory failure on WebGPU is retried once on WASM, and the status says so', async () => {
    const { d } = deps({ facts: null });
    const made: FakeEngine[] = [];
    d.select = (input, cfg) => ({ ...selectPlan(input, cfg), engine: 'onnx', candidates: [], tier: null, onnx: [
      { device: 'webgpu', dtype: 'q4f16', runtime: 'asyncify', downloadMB: 467 },
      { device: 'wasm', dtype: 'q8', runtime: 'plain', downloadMB: 495 },
    ] });
    const oom = new EngineError('out-of-memory', 'Not enough memory to run the on-device model.');
    d.createOnnx = ({ device }) => {
      const e = new FakeEngine({ kind: 'onnx', modelId: 'm', device, contextWindow: 1 }, device === 'webgpu' ? oom : null);
      made.push(e);
      return e;
    };
    const m = new LocalEngineManager(d);
    const engine = await m.ready();
    expect(engine.info.device).toBe('wasm');
    expect(made.map((e) => e.info.device)).toEqual(['webgpu', 'wasm']);
    expect(m.current.notice).toBe('Not enough memory to run the on-device model. Trying the ONNX model again on the CPU (slower).');
    expect(m.current.chain).toEqual(['ONNX m on webgpu: Not enough memory to run the on-device model.', 'onnx m on wasm']);
  });

  it('a lost device on WebGPU is retried on WASM too; a network error is not (WASM would fail the same way)', async () => {
    for (const [err, devices] of [
      [new EngineError('device-lost', 'The GPU stopped.'), ['webgpu', 'wasm']],
      [new EngineError('network', 'Could not download the model.'), ['webgpu']],
    ] as const) {
      const { d } = deps({ facts: NO_F16_GPU, config: { ...config, webllm: { ...config.webllm, enabled: false } } });
      const made: string[] = [];
      d.createOnnx = ({ device }) => {
        made.push(device);
        return new FakeEngine({ kind: 'onnx', modelId: 'm', device, contextWindow: 1 }, device === 'webgpu' ? err : null);
      };
      const m = new LocalEngineManager(d);
      if (err.code === 'network') await expect(m.ready()).rejects.toThrow();
      else await m.ready();
      expect(made).toEqual(devices);
    }
  });
});

describe('a load the system killed (the marker)', () => {
  it('a load killed while initialising leaves a marker; the next start picks the lighter path and says why', async () => {
    const marker = memoryMarker();
    const first = deps({ facts: NO_F16_GPU });
    first.d.marker = marker;
    first.d.createWebLlm = (plan) => new KilledWhileInitialising({ kind: 'webllm', modelId: plan.candidates[0].id, device: 'webgpu', contextWindow: 4096 });
    const killed = new LocalEngineManager(first.d);
    void killed.ready();
    await statusWhere(killed, (s) => s.progress?.stage === 'init');
    expect(marker.value).toEqual({ engine: 'webllm', modelId: 'Llama-3.2-1B-Instruct-q4f32_1-MLC', device: 'webgpu', stage: 'init' });

    // The tab is gone; the next start reads the marker.
    const next = deps({ facts: NO_F16_GPU });
    next.d.marker = marker;
    const m = new LocalEngineManager(next.d);
    const engine = await m.ready();
    expect(engine.info.modelId).toBe('Qwen2.5-0.5B-Instruct-q4f32_1-MLC');
    expect(m.current.notice).toBe(
      'The last start stopped while Llama-3.2-1B-Instruct-q4f32_1-MLC was being set up — the device probably ran out of memory, so this time the lighter Qwen2.5-0.5B-Instruct-q4f32_1-MLC runs on the GPU',
    );
    expect(marker.value).toBeNull(); // finished: nothing left behind
  });

  it('a tab closed during the download is not punished: the next start loads the same model', async () => {
    const marker = memoryMarker();
    marker.value = { engine: 'webllm', modelId: 'Llama-3.2-1B-Instruct-q4f32_1-MLC', device: 'webgpu', stage: 'download' };
    const { d } = deps({ facts: NO_F16_GPU });
    d.marker = marker;
    const m = new LocalEngineManager(d);
    const engine = await m.ready();
    expect(engine.info.modelId).toBe('Llama-3.2-1B-Instruct-q4f32_1-MLC');
    expect(m.current.notice).toBeUndefined();
  });

  it('killed on the lightest rung → no on-device model: turns are told why and nothing loads until Retry', async () => {
    const marker = memoryMarker();
    marker.value = { engine: 'onnx', modelId: config.onnx.modelId, device: 'wasm', stage: 'init' };
    const { d, made } = deps({ facts: null });
    d.marker = marker;
    const m = new LocalEngineManager(d);
    await expect(m.ready()).rejects.toThrow(/answers come from the edge or the cloud/);
    expect(m.current.phase).toBe('error');
    expect(m.current.error).toMatch(/^The last start stopped while onnx-community\/Qwen2\.5-0\.5B-Instruct was being set up/);
    await expect(m.ready()).rejects.toThrow(/edge or the cloud/); // a turn does not start the killed load again
    expect(made).toHaveLength(0);
    const engine = await m.retry();
    expect(engine.info).toMatchObject({ kind: 'onnx', device: 'wasm' });
    expect(made).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------
// Real engines: page side + bridge + worker handlers, in in-process workers.
// ---------------------------------------------------------------------------

const QWEN = config.webllm.tiers.small.find((m) => !m.f16)!;
const noGpuF16: AdapterFacts = { ...gpu, shaderF16: false };

/** web-llm's MLCEngine, scripted: loads unless told to fail, answers "Hi". */
function scriptedMlc(state: { reloads: number; failReloadFrom?: number; hangFirst?: boolean; onReload?: () => void }): MlcEngineLike {
  const chunk: ChatCompletionChunk = {
    id: 'x', object: 'chat.completion.chunk', created: 0, model: QWEN.id,
    choices: [{ index: 0, finish_reason: 'stop', delta: { role: 'assistant', content: 'Hi' }, logprobs: null }],
  };
  return {
    setAppConfig() {},
    setInitProgressCallback() {},
    async reload() {
      state.reloads++;
      state.onReload?.();
      if (state.hangFirst && state.reloads === 1) return new Promise<void>(() => {});
      if (state.failReloadFrom !== undefined && state.reloads >= state.failReloadFrom) throw new TypeError('Failed to fetch');
    },
    interruptGenerate() {},
    chat: { completions: { create: async () => (async function* () { yield chunk; })() } },
  };
}

function onnxHandlers(state: { loads: number; failLoadFrom?: number }): OnnxWorkerHandlers {
  return {
    async load(_args, ctx) {
      state.loads++;
      ctx.emit({ loadedBytes: 5, totalBytes: 10, text: 'Downloading onnx/model.onnx', stage: 'download' });
      if (state.failLoadFrom !== undefined && state.loads >= state.failLoadFrom) throw new TypeError('Failed to fetch');
      return { reused: false };
    },
    async chat(_args, ctx) {
      ctx.emit({ delta: 'Hi' });
      return { text: 'Hi', finishReason: 'stop', usage: USAGE, logprobs: null };
    },
    isCached: async () => true,
    deleteFromCache: async () => {},
    crash: () => null,
  };
}

function realEngines(opts: { webllm?: { failReloadFrom?: number; hangFirst?: boolean; onReload?: () => void }; onnx?: { failLoadFrom?: number }; facts?: AdapterFacts | null } = {}) {
  const webllmWorkers: InProcessWorker[] = [];
  const onnxWorkers: InProcessWorker[] = [];
  const wl = { reloads: 0, ...opts.webllm };
  const ox = { loads: 0, ...opts.onnx };
  const d: ManagerDeps = {
    config,
    probe: async () => (opts.facts === undefined ? noGpuF16 : opts.facts),
    device: () => ({ userAgent: PHONE_UA, builtinAvailable: false }),
    select: selectPlan,
    fallback: fallbackAfterWebLlmFailure,
    // As create.ts does: the web-llm engine behind a lazy import.
    createWebLlm: (plan) =>
      new LazyEngine({ kind: 'webllm', modelId: plan.candidates[0].id, device: 'webgpu', contextWindow: 4096 }, async () =>
        new WebLlmEngine({
          candidates: plan.candidates,
          storage: null,
          baseUrl: 'http://127.0.0.1/',
          createWorker: () => {
            const w = new InProcessWorker(
              createWebLlmHandlers({
                runtime: async () => ({
                  createEngine: () => scriptedMlc(wl),
                  prebuiltModels: webllm.prebuiltAppConfig.model_list,
                  hasModelInCache: async () => true,
                  deleteModelAllInfoInCache: async () => {},
                }),
                gpu: () => undefined,
                now: () => performance.now(),
              }),
            );
            webllmWorkers.push(w);
            return w;
          },
        }),
      ),
    createOnnx: ({ device }) =>
      new OnnxEngine(
        { modelId: 'tiny-lm', dtype: 'fp32', device, contextWindow: 256, localModelPath: '/models/', modelHost: 'https://example.invalid', sizeMB: 5 },
        () => {
          const w = new InProcessWorker(onnxHandlers(ox));
          onnxWorkers.push(w);
          return w;
        },
        null,
      ),
  };
  return { m: new LocalEngineManager(d), webllmWorkers, onnxWorkers, wl, ox };
}

describe('crash → recover, per engine kind (real engines and lifecycle)', () => {
  it('web-llm: a worker crash once ready restarts the worker, reloads the model, and it answers again', async () => {
    const { m, webllmWorkers, wl } = realEngines();
    const engine = await m.ready();
    expect(engine.info.kind).toBe('webllm');
    webllmWorkers[0].crash();
    expect(m.current).toMatchObject({ phase: 'loading', notice: RESTARTING_NOTICE });
    const again = await m.ready();
    expect(again).toBe(engine);
    expect(m.current).toMatchObject({ phase: 'ready', engine: 'webllm', notice: RESTARTED_NOTICE });
    expect(webllmWorkers).toHaveLength(2);
    expect(webllmWorkers[0].terminated).toBe(true);
    expect(wl.reloads).toBe(2);
    expect((await again.chat({ messages: [{ role: 'user', content: 'hello' }] })).text).toBe('Hi');
  });

  it('web-llm: a crash while loading restarts the worker once and loads there', async () => {
    let reloading!: () => void;
    const firstReload = new Promise<void>((r) => (reloading = r));
    const { m, webllmWorkers, wl } = realEngines({ webllm: { hangFirst: true, onReload: () => reloading() } });
    const notices: Array<string | undefined> = [];
    m.onStatus((s) => notices.push(s.notice));
    const ready = m.ready();
    await firstReload;
    webllmWorkers[0].crash();
    const engine = await ready;
    expect(engine.info.kind).toBe('webllm');
    expect(m.current).toMatchObject({ phase: 'ready', notice: RESTARTED_NOTICE });
    expect(notices).toContain(RESTARTING_NOTICE);
    expect(webllmWorkers).toHaveLength(2);
    expect(wl.reloads).toBe(2);
  });

  it('web-llm: when the restarted model cannot load, falls back to ONNX and says why', async () => {
    const { m, webllmWorkers, onnxWorkers } = realEngines({ webllm: { failReloadFrom: 2 } });
    await m.ready();
    webllmWorkers[0].crash();
    const engine = await m.ready();
    expect(engine.info.kind).toBe('onnx');
    expect(m.current.phase).toBe('ready');
    expect(m.current.notice).toMatch(/network error\. Falling back to the ONNX engine/);
    expect(m.current.chain.join(' | ')).toMatch(/^webllm .* \| web-llm .*network error\. \| onnx tiny-lm on webgpu$/);
    expect(onnxWorkers).toHaveLength(1);
    expect(webllmWorkers.every((w) => w.terminated)).toBe(true);
  });

  it('ONNX: a worker crash restarts it and reloads the model', async () => {
    const { m, onnxWorkers, ox } = realEngines({ facts: null });
    const engine = await m.ready();
    expect(engine.info.kind).toBe('onnx');
    onnxWorkers[0].crash();
    expect(m.current).toMatchObject({ phase: 'loading', notice: RESTARTING_NOTICE });
    const progress = statusWhere(m, (s) => s.phase === 'loading' && s.progress?.loadedBytes === 5);
    expect(await m.ready()).toBe(engine);
    await progress; // the reload's download progress reached the status bar
    expect(onnxWorkers).toHaveLength(2);
    expect(ox.loads).toBe(2);
    expect((await engine.chat({ messages: [{ role: 'user', content: 'hello' }] })).text).toBe('Hi');
  });

  it('ONNX: when the restart cannot load the model, the status says so in plain words and Retry works', async () => {
    const { m, onnxWorkers, ox } = realEngines({ facts: null, onnx: { failLoadFrom: 2 } });
    await m.ready();
    onnxWorkers[0].crash();
    await expect(m.ready()).rejects.toMatchObject({ code: 'network' });
    expect(m.current.phase).toBe('error');
    expect(m.current.error).toBe('The on-device model crashed and could not restart: Could not download the on-device model (tiny-lm): network error.');
    ox.failLoadFrom = undefined;
    await m.retry();
    expect(m.current.phase).toBe('ready');
  });
});
