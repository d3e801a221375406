// The on-device WebGPU engine, page side: a bridge client of the web-llm worker
// (src/workers/llm-webgpu.worker.ts), where web-llm's MLCEngine runs. Here:
// which candidate to load (one retry with the next smaller model after a lost
// device or out-of-memory), the storage check, progress with bytes and ETA,
// errors in plain words, and the shared crash → recover lifecycle.
import type { WebLlmModel } from '../../config/schema';
import { engineErrors, EngineError, SMALLER_MODEL_HELPS } from '../../core/engine/errors';
import { ProgressTracker } from '../../core/engine/metrics';
import { fitToBudget } from '../../core/engine/trim';
import type { ChatMessage } from '../../core/types';
import { WorkerBridge, type WorkerLike } from '../../worker-bridge/client';
import type { CacheBackend, WebLlmModels, WebLlmTarget, WebLlmWorkerHandlers } from '../../worker-bridge/webllm';
import { CrashRecovery } from '../lifecycle';
import { defaultStorage, guardStorage, type StorageLike } from '../storage-guard';
import type { ChatRequest, ChatResult, EngineInfo, LoadProgress, LocalEngine } from '../types';
import { mapWebLlmError } from './errors';
import { createWebLlmWorker } from './worker';

export type { StorageLike, CacheBackend };

export interface WebLlmEngineOptions {
  /** Ordered candidates from selectEngine(): first to load, then smaller retries. */
  candidates: WebLlmModel[];
  /** The bridge to an already-probed worker to adopt; otherwise one is made with `createWorker`. */
  bridge?: WorkerBridge<WebLlmWorkerHandlers>;
  /** Starts a web-llm worker (first use, after a crash, before a retry). */
  createWorker?: () => WorkerLike;
  /** Base for relative model/lib URLs. Default: `location.href`. */
  baseUrl?: string;
  /** Where web-llm caches weights. Default 'cache' (the Cache API, web-llm's best-tested). */
  cacheBackend?: CacheBackend;
  /** Default: `navigator.storage`. */
  storage?: StorageLike | null;
  /** Told when a device-lost / out-of-memory failure makes the engine switch to a smaller model. */
  onModelFallback?: (from: WebLlmModel, to: WebLlmModel, error: EngineError) => void;
  now?: () => number;
}

function defaultBaseUrl(): string {
  return (globalThis as { location?: { href?: string } }).location?.href ?? '';
}

const MiB = 1024 * 1024;

/** web-llm's max_tokens when the request gives none is the model's; we budget for this many. */
const DEFAULT_ANSWER_TOKENS = 512;

/**
 * Sampling for the answers the router scores. web-llm reports log-probs after
 * temperature scaling (softmax(logits / T)); at T = 1 they are the model's own
 * distribution, and top_p at web-llm's floor (1e-5; it must be > 0) makes the choice the most likely token —
 * greedy, like the ONNX engine — so one confidence threshold fits both.
 */
export const SCORED_SAMPLING = { temperature: 1, topP: 1e-5 } as const;

export class WebLlmEngine implements LocalEngine {
  private readonly candidates: WebLlmModel[];
  private idx = 0;
  private readonly bridge: WorkerBridge<WebLlmWorkerHandlers>;
  private readonly life: CrashRecovery;
  private loaded = false;
  private loading: Promise<void> | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: WebLlmEngineOptions) {
    if (opts.candidates.length === 0) throw new Error('WebLlmEngine needs at least one candidate model');
    this.candidates = [...opts.candidates];
    this.bridge = opts.bridge ?? new WorkerBridge<WebLlmWorkerHandlers>(opts.createWorker ?? createWebLlmWorker);
    this.now = opts.now ?? (() => (typeof performance !== 'undefined' ? performance.now() : Date.now()));
    this.life = new CrashRecovery({
      restart: () => {
        this.unload();
        this.loading = null; // a load the crash broke is over; recovery starts its own
      },
      reload: (onProgress) => this.load(onProgress),
    });
    this.life.watch(
      this.bridge,
      (err) => engineErrors.workerCrashed(err.message, err),
      () => (this.loaded = false),
    );
  }

  /** The model currently chosen (changes after a smaller-model retry). */
  get model(): WebLlmModel {
    return this.candidates[this.idx];
  }

  get info(): EngineInfo {
    return { kind: 'webllm', modelId: this.model.id, device: 'webgpu', contextWindow: this.model.contextWindow };
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  onCrash(listener: (err: Error) => void): () => void {
    return this.life.onCrash(listener);
  }

  /** A fresh worker with the current model loaded again (from web-llm's cache). */
  recover(onProgress?: (p: LoadProgress) => void): Promise<void> {
    return this.life.recover(onProgress);
  }

  private get models(): WebLlmModels {
    return { models: this.candidates, baseUrl: this.opts.baseUrl ?? defaultBaseUrl(), cacheBackend: this.opts.cacheBackend ?? 'cache' };
  }

  private target(model: WebLlmModel): WebLlmTarget {
    return { ...this.models, modelId: model.id };
  }

  /** Stops the worker (the surest way to stop downloads); the next call starts a fresh one. */
  private unload(): void {
    this.bridge.restart();
    this.loaded = false;
  }

  load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    if (this.loaded) return Promise.resolve();
    if (this.loading) return this.loading;
    const run: Promise<void> = this.loadWithRetry(onProgress, signal).finally(() => {
      if (this.loading === run) this.loading = null;
    });
    this.loading = run;
    return run;
  }

  /**
   * After a lost device / out-of-memory, the next candidate that needs strictly
   * less VRAM than the one that failed, in a fresh worker; a heavier or equal
   * one would fail the same way. The ladder is finite, so no retry cap.
   */
  private async loadWithRetry(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const model = this.model;
      try {
        await this.loadModel(model, onProgress, signal);
        return;
      } catch (e) {
        const err = mapWebLlmError(e, { model: model.id });
        if (err.code === 'aborted') throw err;
        const next = SMALLER_MODEL_HELPS.has(err.code) ? this.candidates.findIndex((m, i) => i > this.idx && m.vramMB < model.vramMB) : -1;
        if (next < 0) throw err;
        this.unload(); // a lost device / exhausted heap: start over in a fresh worker
        this.idx = next;
        this.opts.onModelFallback?.(model, this.model, err);
      }
    }
  }

  private async loadModel(model: WebLlmModel, onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw engineErrors.aborted();
    const totalBytes = Math.round(model.sizeMB * MiB);
    onProgress({ fraction: null, loadedBytes: 0, totalBytes, etaSeconds: null, text: `Preparing ${model.id}…` });

    // Storage: ask for persistence (web-llm never does), then check room.
    const storage = this.opts.storage === undefined ? defaultStorage() : this.opts.storage;
    if (storage) {
      const cached = await this.bridge.api.isCached(this.target(model)).catch(() => false);
      await guardStorage({ storage, modelId: model.id, sizeMB: model.sizeMB, cached });
    }
    if (signal?.aborted) throw engineErrors.aborted();

    const tracker = new ProgressTracker(model.sizeMB, this.now, model.id);
    const stop = () => this.unload();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      await this.bridge.api.load(this.target(model), {
        onEvent: (report) => {
          try {
            onProgress(tracker.update(report));
          } catch {
            /* a UI callback error must not break loading */
          }
        },
      });
    } catch (e) {
      throw signal?.aborted ? engineErrors.aborted() : e;
    } finally {
      signal?.removeEventListener('abort', stop);
    }
    if (signal?.aborted) {
      this.unload();
      throw engineErrors.aborted();
    }
    this.loaded = true;
    onProgress({ fraction: 1, loadedBytes: totalBytes, totalBytes, etaSeconds: 0, text: `${model.id} ready` });
  }

  async chat(req: ChatRequest): Promise<ChatResult> {
    if (!this.loaded) {
      throw new EngineError('worker-crashed', 'The on-device model is not ready yet; it is loading or restarting.', {
        detail: 'chat() while the web-llm model is not loaded',
        retryable: true,
      });
    }
    if (req.signal?.aborted) {
      return { text: '', finishReason: 'abort', usage: { promptTokens: 0, outputTokens: 0, prefillTps: null, decodeTps: null, timeToFirstTokenMs: null, totalMs: 0 }, logprobs: req.logprobs ? [] : null };
    }
    // Fit the history into the context window (web-llm throws past it); if our
    // estimate was still too generous, once more with half the room.
    const answer = req.maxTokens ?? DEFAULT_ANSWER_TOKENS;
    const room = Math.max(64, this.model.contextWindow - answer);
    try {
      return await this.chatWithin(req, fitToBudget(req.messages, room));
    } catch (err) {
      if (!(err instanceof EngineError) || err.code !== 'context-exceeded') throw err;
      return this.chatWithin(req, fitToBudget(req.messages, Math.floor(room / 2)));
    }
  }

  private async chatWithin(req: ChatRequest, messages: ChatMessage[]): Promise<ChatResult> {
    const sampling = req.temperature === undefined ? SCORED_SAMPLING : { temperature: req.temperature };
    try {
      return await this.bridge.api.chat(
        { messages, maxTokens: req.maxTokens, ...sampling, logprobs: req.logprobs },
        { signal: req.signal, onEvent: (e) => req.onToken?.(e.delta) },
      );
    } catch (e) {
      const err = mapWebLlmError(e, { model: this.model.id });
      // A lost GPU device leaves the worker alive but the model unusable: recover
      // the same way as after a crash.
      if (err.code === 'device-lost') {
        this.unload();
        this.life.crashed(err);
      }
      throw err;
    }
  }

  async isCached(): Promise<boolean> {
    return this.bridge.api.isCached(this.target(this.model)).catch(() => false);
  }

  /** Deletes every candidate's weights, library and config from web-llm's cache. */
  async deleteFromCache(): Promise<void> {
    try {
      await this.bridge.api.deleteModels({ ...this.models, modelIds: this.candidates.map((m) => m.id) });
    } catch (e) {
      throw mapWebLlmError(e, { model: this.model.id });
    }
    this.loaded = false;
  }

  /** Test hook: makes the worker crash for real (an uncaught error in the worker). */
  crashForTest(): void {
    void this.bridge.api.crash().catch(() => {});
  }

  dispose(): void {
    this.bridge.terminate();
    this.loaded = false;
    this.loading = null;
  }
}
