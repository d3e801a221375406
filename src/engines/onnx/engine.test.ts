// The ONNX engine with the REAL tiny LM: page-side engine, typed bridge and the
// worker's handlers in an in-process worker (Node's onnxruntime instead of ORT
// Web). Streams, aborts, and the crash → recover lifecycle.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { configureLocalModels, loadCausalLM } from '../../nlp';
import { InProcessWorker } from '../../worker-bridge/in-process-worker';
import { createOnnxHandlers } from '../../workers/onnx-handlers';
import { OnnxEngine } from './engine';

const MODELS_DIR = fileURLToPath(new URL('../../../models/', import.meta.url));
beforeAll(() => configureLocalModels({ localModelPath: MODELS_DIR, allowRemote: false }));

/** The plain ORT build's real size; Node's ORT does not need it, so the test only reports its bytes. */
const RUNTIME_BYTES = statSync(fileURLToPath(new URL('../../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm', import.meta.url))).size;

function setup(opts: { runtimeFetches?: number[] } = {}) {
  const workers: InProcessWorker[] = [];
  const engine = new OnnxEngine(
    { modelId: 'tiny-lm', dtype: 'fp32', device: 'wasm', contextWindow: 256, localModelPath: MODELS_DIR, modelHost: 'https://example.invalid', sizeMB: 5 },
    () => {
      const w = new InProcessWorker(
        createOnnxHandlers({
          configure: () => configureLocalModels({ localModelPath: MODELS_DIR, allowRemote: false }),
          // Node runs onnxruntime-node ('cpu'); the browser worker runs 'wasm'/'webgpu'.
          loadCausalLM: (id, opts) => loadCausalLM(id, { ...opts, device: 'cpu' }),
          isModelCached: async () => true,
          deleteCachedModel: async () => 0,
          ...(opts.runtimeFetches && {
            fetchRuntime: async (_args: unknown, onProgress: (loaded: number, total: number | null) => void) => {
              opts.runtimeFetches!.push(RUNTIME_BYTES);
              for (let i = 0; i <= 4; i++) onProgress(Math.round((RUNTIME_BYTES * i) / 4), RUNTIME_BYTES);
            },
          }),
        }),
      );
      workers.push(w);
      return w;
    },
    null,
  );
  return { engine, workers };
}

const hello = { messages: [{ role: 'user' as const, content: 'hello' }], maxTokens: 24 };

describe('OnnxEngine (tiny LM in an in-process worker)', () => {
  it('loads with progress and streams an answer whose tokens add up to the text', async () => {
    const { engine } = setup();
    const progress: number[] = [];
    await engine.load((p) => progress.push(p.loadedBytes));
    expect(progress.length).toBeGreaterThan(0);
    const tokens: string[] = [];
    const r = await engine.chat({ ...hello, onToken: (t) => tokens.push(t) });
    expect(r.text).toMatch(/hello|hi|help/i);
    expect(tokens.join('')).toBe(r.text);
    expect(r.usage.outputTokens).toBeGreaterThan(0);
    engine.dispose();
  });

  it('a worker crash: told once, the next chat fails in plain words, recover() brings it back', async () => {
    const { engine, workers } = setup();
    await engine.load(() => {});
    const crashes: Error[] = [];
    engine.onCrash((e) => crashes.push(e));
    const during = engine.chat({ messages: [{ role: 'user', content: 'Write a long essay about the history of Rome' }], maxTokens: 200 });
    workers[0].crash();
    await expect(during).rejects.toMatchObject({ code: 'worker-crashed', retryable: true });
    expect(crashes).toHaveLength(1);
    await expect(engine.chat(hello)).rejects.toThrow(/not loaded/);
    await engine.recover();
    expect(workers).toHaveLength(2);
    expect((await engine.chat(hello)).text).toMatch(/hello|hi|help/i);
    engine.dispose();
  });

  it('counts the ONNX Runtime wasm in the bar: fetched first, in the total, never "all in" before the model files', async () => {
    const fetches: number[] = [];
    const { engine } = setup({ runtimeFetches: fetches });
    const seen: { loaded: number; total: number | null; fraction: number | null }[] = [];
    await engine.load((p) => seen.push({ loaded: p.loadedBytes, total: p.totalBytes, fraction: p.fraction }));
    expect(fetches).toHaveLength(1);
    // Every report after the first carries the runtime in its total (config size 5 MiB + the runtime).
    for (const s of seen.slice(1)) expect(s.total!).toBeGreaterThanOrEqual(RUNTIME_BYTES);
    // The runtime alone (all its bytes in, no model file yet) is not the whole bar.
    const runtimeDone = seen.find((s) => s.loaded === RUNTIME_BYTES);
    expect(runtimeDone?.fraction).toBeLessThan(1);
    // At the end, every byte counted is in: the runtime and the model's files.
    const last = seen[seen.length - 1];
    expect(last.loaded).toBeGreaterThan(RUNTIME_BYTES);
    expect(last.fraction).toBe(1);
    // A load in the same worker with other arguments does not fetch the runtime again (ORT reads it once).
    engine.dispose();
  });
});
