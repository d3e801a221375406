// The transformers.js (ONNX Runtime Web) engine, page side: a bridge client of
// the transformers.js worker in its `llm-onnx` role, with the shared crash →
// recover lifecycle.
import { WorkerBridge, type WorkerLike } from '../../worker-bridge/client';
import type { OnnxLoadArgs, OnnxWorkerHandlers } from '../../worker-bridge/onnx';
import type { NlpDtype } from '../../nlp/load';
import type { OrtBuild } from '../../core/engine/select';
import { EngineError, engineErrors } from '../../core/engine/errors';
import { toEngineError } from '../errors';
import { CrashRecovery } from '../lifecycle';
import { ByteProgressTracker } from '../progress';
import { defaultStorage, guardStorage, type StorageLike } from '../storage-guard';
import { createTransformersWorker } from '../transformers-worker';
import type { ChatRequest, ChatResult, EngineInfo, LoadProgress, LocalEngine } from '../types';

export interface OnnxEngineOptions {
  modelId: string;
  dtype: NlpDtype;
  device: 'webgpu' | 'wasm';
  /** ONNX Runtime build; default: asyncify on WebGPU, plain on WASM. */
  runtime?: OrtBuild;
  contextWindow: number;
  localModelPath: string | null;
  modelHost: string;
  /** Download size of the chosen dtype: the storage check and the progress bar's total. */
  sizeMB: number;
}

const MiB = 1024 * 1024;

export class OnnxEngine implements LocalEngine {
  readonly info: EngineInfo;
  private readonly bridge: WorkerBridge<OnnxWorkerHandlers>;
  private readonly life: CrashRecovery;
  private loaded = false;
  private readonly loadArgs: OnnxLoadArgs;
  private readonly sizeMB: number;

  constructor(
    opts: OnnxEngineOptions,
    createWorker: () => WorkerLike = () => createTransformersWorker('llm-onnx'),
    private readonly storage: StorageLike | null = defaultStorage(),
  ) {
    this.sizeMB = opts.sizeMB;
    this.info = { kind: 'onnx', modelId: opts.modelId, device: opts.device, contextWindow: opts.contextWindow };
    this.loadArgs = {
      modelId: opts.modelId,
      dtype: opts.dtype,
      device: opts.device,
      runtime: opts.runtime ?? (opts.device === 'webgpu' ? 'asyncify' : 'plain'),
      localModelPath: opts.localModelPath,
      modelHost: opts.modelHost,
      contextWindow: opts.contextWindow,
    };
    this.bridge = new WorkerBridge<OnnxWorkerHandlers>(createWorker);
    this.life = new CrashRecovery({
      restart: () => {
        this.bridge.restart();
        this.loaded = false;
      },
      reload: (onProgress) => this.load(onProgress),
    });
    this.life.watch(this.bridge, (err) => engineErrors.workerCrashed(err.message, err), () => (this.loaded = false));
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  onCrash(listener: (err: Error) => void): () => void {
    return this.life.onCrash(listener);
  }

  /** A fresh worker with the model loaded again (from the cache). */
  recover(onProgress?: (p: LoadProgress) => void): Promise<void> {
    return this.life.recover(onProgress);
  }

  async load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    const tracker = new ByteProgressTracker();
    const ctx = { model: this.info.modelId };
    const cached = this.loadArgs.localModelPath !== null || (await this.isCached());
    await guardStorage({ storage: this.storage, modelId: this.info.modelId, sizeMB: this.sizeMB, cached });
    // transformers.js only learns each file's size when it starts: until the
    // weights file starts, the total would be the tokenizer's few MB. The
    // config's size for this dtype (MiB) stands in until then.
    const expected = Math.round(this.sizeMB * MiB);
    onProgress({ ...tracker.update(0, expected, `Preparing ${this.info.modelId}…`), stage: cached ? 'init' : 'download' });
    try {
      await this.bridge.api.load(this.loadArgs, {
        signal,
        onEvent: (e) => {
          // Until the weights file reports its size (over half the expected total), the expected size stands.
          // The runtime's wasm (fetched first, its size known at once) is added on top.
          const runtime = e.runtimeBytes ?? 0;
          const files = (e.totalBytes ?? 0) - runtime;
          const total = runtime + (files >= expected / 2 ? files : expected) || null;
          onProgress({ ...tracker.update(e.loadedBytes, total, e.text), stage: cached ? 'init' : e.stage });
        },
      });
      this.loaded = true;
    } catch (err) {
      throw toEngineError(err, ctx);
    }
  }

  async chat(req: ChatRequest): Promise<ChatResult> {
    if (!this.loaded) throw new EngineError('unknown', 'The on-device model is not loaded yet.', { retryable: true });
    try {
      return await this.bridge.api.chat(
        { messages: req.messages, maxTokens: req.maxTokens, logprobs: req.logprobs ?? true },
        { signal: req.signal, onEvent: (e) => req.onToken?.(e.delta) },
      );
    } catch (err) {
      throw toEngineError(err, { model: this.info.modelId });
    }
  }

  isCached(): Promise<boolean> {
    return this.bridge.api.isCached(this.loadArgs).catch(() => false);
  }

  async deleteFromCache(): Promise<void> {
    await this.bridge.api.deleteFromCache(this.loadArgs);
    this.loaded = false;
  }

  /** Test hook: makes the worker crash for real (an uncaught error in the worker). */
  crashForTest(): void {
    void this.bridge.api.crash().catch(() => {});
  }

  dispose(): void {
    this.bridge.terminate();
    this.loaded = false;
  }
}
