import { describe, expect, it } from 'vitest';
import { LocalEngineManager, type ManagerDeps, type RecoverableEngine } from './manager';
import { parseConfig } from '../../config/schema';
import { readFileSync } from 'node:fs';
import { fallbackAfterWebLlmFailure, selectEngine, type AdapterFacts } from '../../core/engine/select';
import { EngineError } from '../../core/engine/errors';
import type { ChatResult, LoadProgress } from '../types';

const config = parseConfig(JSON.parse(readFileSync(new URL('../../../public/config.json', import.meta.url), 'utf8')));
const gpu: AdapterFacts = {
  available: true, isFallbackAdapter: false, shaderF16: true, maxBufferSize: 4 * 2 ** 30,
  maxStorageBufferBindingSize: 2 ** 31, vendor: 'apple', architecture: 'metal-3',
};

class FakeEngine implements RecoverableEngine {
  crashListener: ((e: Error) => void) | null = null;
  loads = 0;
  constructor(
    readonly info: RecoverableEngine['info'],
    private loadError: Error | null = null,
  ) {}
  async load(onProgress: (p: LoadProgress) => void) {
    this.loads++;
    onProgress({ fraction: 0.5, loadedBytes: 5, totalBytes: 10, etaSeconds: 1, text: 'half' });
    if (this.loadError) throw this.loadError;
  }
  async chat(): Promise<ChatResult> {
    return { text: 'hi', finishReason: 'stop', usage: { promptTokens: 1, outputTokens: 1, prefillTps: 1, decodeTps: 1, timeToFirstTokenMs: 1, totalMs: 1 }, logprobs: null };
  }
  async isCached() { return false; }
  async deleteFromCache() {}
  dispose() {}
  onCrash(l: (e: Error) => void) { this.crashListener = l; return () => {}; }
  async recover(onProgress: (p: LoadProgress) => void) { await this.load(onProgress); }
  failNextLoad(e: Error | null) { this.loadError = e; }
}

function deps(over: Partial<ManagerDeps> & { webllmError?: Error; onnxError?: Error; facts?: AdapterFacts | null }) {
  const made: FakeEngine[] = [];
  const d: ManagerDeps = {
    config,
    probe: async () => (over.facts === undefined ? gpu : over.facts),
    hints: () => ({ mobile: false, deviceMemoryGB: 8 }),
    select: selectEngine,
    fallback: fallbackAfterWebLlmFailure,
    createWebLlm: (plan) => {
      const e = new FakeEngine({ kind: 'webllm', modelId: plan.candidates[0].id, device: 'webgpu', contextWindow: 4096 }, over.webllmError ?? null);
      made.push(e);
      return e;
    },
    createOnnx: (device) => {
      const e = new FakeEngine({ kind: 'onnx', modelId: config.onnx.modelId, device, contextWindow: 4096 }, over.onnxError ?? null);
      made.push(e);
      return e;
    },
    ...over,
  };
  return { d, made };
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
    d.createOnnx = (device) => new FakeEngine({ kind: 'onnx', modelId: 'x', device, contextWindow: 1 });
    await expect(m.retry()).resolves.toBeTruthy();
    expect(m.current.phase).toBe('ready');
  });

  it('restarts a crashed engine and becomes ready again', async () => {
    const { d, made } = deps({ facts: null });
    const m = new LocalEngineManager(d);
    await m.ready();
    const onnx = made[0];
    onnx.crashListener!(new Error('boom'));
    expect(m.current.phase).toBe('loading');
    expect(m.current.notice).toMatch(/stopped unexpectedly/);
    const again = await m.ready();
    expect(again).toBe(onnx);
    expect(onnx.loads).toBe(2);
    expect(m.current.phase).toBe('ready');
  });
});
