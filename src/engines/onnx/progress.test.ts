// The ONNX engine's progress bar and load stage, with a scripted worker: the
// config's true size for the chosen dtype is the total until the weights file
// reports its own, and 'init' starts when the weights are complete.
import { describe, expect, it } from 'vitest';
import { OnnxEngine } from './engine';
import { InProcessWorker } from '../../worker-bridge/in-process-worker';
import type { OnnxLoadArgs, OnnxWorkerHandlers } from '../../worker-bridge/onnx';
import type { LoadProgress } from '../types';

const MiB = 1024 * 1024;

function engine(over: { cached?: boolean; sizeMB?: number } = {}) {
  const loads: OnnxLoadArgs[] = [];
  const handlers: OnnxWorkerHandlers = {
    async load(args, ctx) {
      loads.push(args);
      ctx.emit({ loadedBytes: 20_000, totalBytes: 20_000, text: 'Loaded tokenizer.json', stage: 'download' });
      ctx.emit({ loadedBytes: 100 * MiB, totalBytes: 500 * MiB, text: 'Downloading onnx/model_q8.onnx', stage: 'download' });
      ctx.emit({ loadedBytes: 500 * MiB, totalBytes: 500 * MiB, text: 'Loaded onnx/model_q8.onnx', stage: 'init' });
      return { reused: false };
    },
    chat: async () => { throw new Error('unused'); },
    isCached: async () => over.cached ?? false,
    deleteFromCache: async () => {},
    crash: () => null,
  };
  const e = new OnnxEngine(
    { modelId: 'onnx-community/Qwen2.5-0.5B-Instruct', dtype: 'q8', device: 'wasm', contextWindow: 4096, localModelPath: null, modelHost: 'https://huggingface.co', sizeMB: over.sizeMB ?? 495 },
    () => new InProcessWorker(handlers),
    { estimate: async () => ({ quota: 100_000 * MiB, usage: 0 }) },
  );
  return { e, loads };
}

describe('OnnxEngine load progress', () => {
  it('shows the chosen dtype’s true size until the weights report theirs, then the real total; init after the weights', async () => {
    const { e, loads } = engine();
    const seen: LoadProgress[] = [];
    await e.load((p) => seen.push(p));
    e.dispose();
    expect(seen.map((p) => p.totalBytes)).toEqual([495 * MiB, 495 * MiB, 500 * MiB, 500 * MiB]);
    expect(seen.map((p) => p.stage)).toEqual(['download', 'download', 'download', 'init']);
    expect(loads[0]).toMatchObject({ dtype: 'q8', device: 'wasm', runtime: 'plain' });
  });

  it('a model already on the device is set up from the first event (a kill then is held against it)', async () => {
    const { e } = engine({ cached: true });
    const seen: LoadProgress[] = [];
    await e.load((p) => seen.push(p));
    e.dispose();
    expect(new Set(seen.map((p) => p.stage))).toEqual(new Set(['init']));
  });

  it('refuses a download that does not fit, with the chosen dtype’s size in the words', async () => {
    const small = new OnnxEngine(
      { modelId: 'm', dtype: 'q4', device: 'webgpu', contextWindow: 4096, localModelPath: null, modelHost: 'https://huggingface.co', sizeMB: 756 },
      () => new InProcessWorker({ isCached: async () => false } as unknown as OnnxWorkerHandlers),
      { estimate: async () => ({ quota: 600 * MiB, usage: 0 }) },
    );
    await expect(small.load(() => {})).rejects.toMatchObject({ code: 'quota-exceeded', userMessage: 'Not enough storage space to download the model (needs ~756 MB, 600 MB free).' });
    small.dispose();
  });
});
