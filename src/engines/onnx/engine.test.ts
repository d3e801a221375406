// The ONNX engine with the REAL tiny LM: page-side engine, typed bridge and the
// worker's handlers in an in-process worker (Node's onnxruntime instead of ORT
// Web). Streams, aborts, and the crash → recover lifecycle.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { configureLocalModels, loadCausalLM } from '../../nlp';
import { InProcessWorker } from '../../worker-bridge/in-process-worker';
import { createOnnxHandlers } from '../../workers/onnx-handlers';
import { OnnxEngine } from './engine';

const MODELS_DIR = fileURLToPath(new URL('../../../models/', import.meta.url));
beforeAll(() => configureLocalModels({ localModelPath: MODELS_DIR, allowRemote: false }));

function setup() {
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
});
