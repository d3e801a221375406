// The transformers.js (ONNX Runtime Web) engine, main-thread side. The model runs
// in src/workers/llm-onnx.worker.ts; this class only speaks the bridge protocol.
import { WorkerBridge, RemoteError, WorkerCrashedError } from '../../workers/bridge';
import { ByteProgressTracker } from '../progress';
import type { ChatRequest, ChatResult, EngineInfo, LoadProgress, LocalEngine } from '../types';
import type { OnnxLoadArgs, OnnxWorkerEvent } from '../../workers/llm-onnx.protocol';
import { EngineError, mapWorkerError } from '../../core/engine/errors';
import { defaultStorage, guardStorage, type StorageLike } from '../storage-guard';

export interface OnnxEngineOptions {
  modelId: string;
  dtype: string;
  device: 'webgpu' | 'wasm';
  contextWindow: number;
  localModelPath: string | null;
  modelHost: string;
  sizeMB: number;
}

export class OnnxEngine implements LocalEngine {
  readonly info: EngineInfo;
  private bridge: WorkerBridge;
  private loaded = false;
  private loadArgs: OnnxLoadArgs;
  private readonly sizeMB: number;

  constructor(
    opts: OnnxEngineOptions,
    createWorker?: () => Worker,
    private readonly storage: StorageLike | null = defaultStorage(),
  ) {
    this.sizeMB = opts.sizeMB;
    this.info = { kind: 'onnx', modelId: opts.modelId, device: opts.device, contextWindow: opts.contextWindow };
    this.loadArgs = {
      modelId: opts.modelId,
      dtype: opts.dtype,
      device: opts.device,
      localModelPath: opts.localModelPath,
      modelHost: opts.modelHost,
      contextWindow: opts.contextWindow,
    };
    this.bridge = new WorkerBridge(
      createWorker ?? (() => new Worker(new URL('../../workers/llm-onnx.worker.ts', import.meta.url), { type: 'module', name: 'llm-onnx' })),
    );
  }

  /** Called with the error when the worker dies; the engine restarts it on the next call. */
  onCrash(listener: (err: Error) => void): () => void {
    return this.bridge.onCrash((err) => {
      this.loaded = false;
      listener(err);
    });
  }

  async load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    const tracker = new ByteProgressTracker();
    const cached = this.loadArgs.localModelPath !== null || (await this.isCached().catch(() => false));
    await guardStorage({ storage: this.storage, modelId: this.info.modelId, sizeMB: this.sizeMB, cached });
    try {
      await this.bridge.call('load', this.loadArgs, {
        signal,
        onEvent: (e) => {
          const ev = e as OnnxWorkerEvent;
          if (ev.type === 'progress') onProgress(tracker.update(ev.loadedBytes, ev.totalBytes, ev.text));
        },
      });
      this.loaded = true;
    } catch (err) {
      throw toEngineError(err);
    }
  }

  async chat(req: ChatRequest): Promise<ChatResult> {
    if (!this.loaded) throw new EngineError('unknown', 'The on-device model is not loaded yet.', { retryable: true });
    try {
      return await this.bridge.call<ChatResult>(
        'chat',
        { messages: req.messages, maxTokens: req.maxTokens, logprobs: req.logprobs ?? true },
        {
          signal: req.signal,
          onEvent: (e) => {
            const ev = e as OnnxWorkerEvent;
            if (ev.type === 'token') req.onToken?.(ev.delta);
          },
        },
      );
    } catch (err) {
      throw toEngineError(err);
    }
  }

  /** Restarts a crashed worker and reloads the model from the cache. */
  async recover(onProgress: (p: LoadProgress) => void): Promise<void> {
    this.bridge.restart();
    this.loaded = false;
    await this.load(onProgress);
  }

  isCached(): Promise<boolean> {
    return this.bridge.call<boolean>('isCached', this.loadArgs);
  }

  async deleteFromCache(): Promise<void> {
    await this.bridge.call('deleteFromCache', this.loadArgs);
  }

  /** Test hook: makes the worker crash for real (an uncaught error in the worker). */
  crashForTest(): void {
    void this.bridge.call('crash', null).catch(() => {});
  }

  dispose(): void {
    this.bridge.terminate();
  }
}

function toEngineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  if (err instanceof WorkerCrashedError) return new EngineError('worker-crashed', 'The on-device model stopped unexpectedly. It was restarted; try again.', { retryable: true });
  if (err instanceof RemoteError) return mapWorkerError(`${err.name}: ${err.message}`, { model: '' });
  return mapWorkerError(err);
}
