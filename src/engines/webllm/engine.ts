// The on-device WebGPU engine: web-llm's WebWorkerMLCEngine (main-thread
// side) talking to src/workers/llm-webgpu.worker.ts.
//
// web-llm itself is imported lazily (dynamic import) so importing this file
// costs nothing on the first page load.
import type {
  AppConfig as WebLlmAppConfig,
  ChatCompletionChunk,
  ChatCompletionMessageParam,
  InitProgressReport,
  ModelRecord,
  WebWorkerMLCEngine,
} from '@mlc-ai/web-llm';
import type { WebLlmModel } from '../../config/schema';
import { engineErrors, EngineError, mapWorkerError, SMALLER_MODEL_HELPS } from '../../core/engine/errors';
import { mapLogprob, mapUsage, ProgressTracker, type WebLlmUsage } from '../../core/engine/metrics';
import { defaultStorage, guardStorage, type StorageLike } from '../storage-guard';
import type { ChatRequest, ChatResult, EngineInfo, LoadProgress, LocalEngine, TokenLogprob } from '../types';
import { createWebLlmWorker } from './probe';

type WebLlmModule = typeof import('@mlc-ai/web-llm');
export type CacheBackend = NonNullable<WebLlmAppConfig['cacheBackend']>;

let webLlmModule: Promise<WebLlmModule> | null = null;
function loadWebLlm(): Promise<WebLlmModule> {
  webLlmModule ??= import('@mlc-ai/web-llm');
  return webLlmModule;
}

export type { StorageLike };

/** What a Worker must offer (a real Worker, or a fake in tests). */
export type WorkerLike = Pick<Worker, 'postMessage' | 'terminate' | 'addEventListener' | 'removeEventListener'> & {
  onmessage: Worker['onmessage'];
};

export interface WebLlmEngineOptions {
  /** Ordered candidates from selectEngine(): first to load, then smaller retries. */
  candidates: WebLlmModel[];
  /** An already-created (and probed) worker to adopt; otherwise one is created. */
  worker?: WorkerLike;
  /** Creates a fresh worker (first use, after a crash, before a retry). */
  createWorker?: () => WorkerLike;
  /** Base for relative model/lib URLs. Default: `location.href`. */
  baseUrl?: string;
  /** Where web-llm caches weights. Default 'cache' (the Cache API, web-llm's best-tested). */
  cacheBackend?: CacheBackend;
  /** Default: `navigator.storage`. */
  storage?: StorageLike | null;
  /** Told when a device-lost / out-of-memory failure makes the engine switch to a smaller model. */
  onModelFallback?: (from: WebLlmModel, to: WebLlmModel, error: EngineError) => void;
  /** web-llm module (tests). */
  webllm?: Pick<WebLlmModule, 'WebWorkerMLCEngine' | 'prebuiltAppConfig' | 'hasModelInCache' | 'deleteModelAllInfoInCache'>;
  now?: () => number;
}

/** Absolute URL: web-llm requires absolute model URLs. */
export function absoluteUrl(u: string, base: string | undefined): string {
  try {
    return new URL(u).href;
  } catch {
    if (!base) throw engineErrors.modelNotFound({}, `relative URL without a base: ${u}`, undefined, `the URL "${u}" is not absolute`);
    return new URL(u, base).href;
  }
}

/**
 * The web-llm ModelRecord for one configured model: web-llm's prebuilt
 * record for the id, with `url` / `lib` from config.json overriding its
 * `model` / `model_lib` (each optional; a model not in the prebuilt list
 * needs both). `shader-f16` is declared for f16 models (many prebuilt q4f16
 * records omit it), so a missing feature fails fast with ShaderF16SupportError.
 */
export function buildModelRecord(
  m: WebLlmModel,
  prebuilt: readonly ModelRecord[],
  baseUrl: string | undefined,
): ModelRecord {
  const base = prebuilt.find((r) => r.model_id === m.id);
  const model = m.url ? absoluteUrl(m.url, baseUrl) : base?.model;
  const lib = m.lib ? absoluteUrl(m.lib, baseUrl) : base?.model_lib;
  if (!model || !lib) {
    throw engineErrors.modelNotFound(
      { model: m.id },
      `no prebuilt web-llm record for ${m.id} and config gives ${m.url ? 'no lib' : m.lib ? 'no url' : 'neither url nor lib'}`,
      undefined,
      'it is not a web-llm prebuilt model and config.json gives no url and lib for it',
    );
  }
  const features = new Set(base?.required_features ?? []);
  if (m.f16) features.add('shader-f16');
  const record: ModelRecord = {
    ...(base ?? {}),
    model,
    model_id: m.id,
    model_lib: lib,
    vram_required_MB: m.vramMB,
    overrides: { ...(base?.overrides ?? {}), context_window_size: m.contextWindow },
  };
  if (features.size > 0) record.required_features = [...features];
  else delete record.required_features;
  return record;
}

/** The web-llm AppConfig for all candidates (the same one is used for load, isCached and delete). */
export function buildWebLlmAppConfig(
  candidates: readonly WebLlmModel[],
  prebuilt: readonly ModelRecord[],
  baseUrl: string | undefined,
  cacheBackend: CacheBackend = 'cache',
): WebLlmAppConfig {
  return {
    model_list: candidates.map((m) => buildModelRecord(m, prebuilt, baseUrl)),
    cacheBackend,
  };
}

function defaultBaseUrl(): string | undefined {
  const loc = (globalThis as { location?: { href?: string } }).location;
  return loc?.href;
}


function mapFinish(reason: string | null | undefined): ChatResult['finishReason'] | null {
  if (!reason) return null;
  if (reason === 'length') return 'length';
  if (reason === 'abort') return 'abort';
  return 'stop';
}

type Rejecter = (e: EngineError) => void;

export class WebLlmEngine implements LocalEngine {
  private readonly candidates: WebLlmModel[];
  private idx = 0;
  private worker: WorkerLike | null;
  private client: WebWorkerMLCEngine | null = null;
  private loaded = false;
  private crashed = false;
  private loading: Promise<void> | null = null;
  private appConfig: WebLlmAppConfig | null = null;
  private readonly pending = new Set<Rejecter>();
  private readonly now: () => number;
  private detachWorker: (() => void) | null = null;

  constructor(private readonly opts: WebLlmEngineOptions) {
    if (opts.candidates.length === 0) throw new Error('WebLlmEngine needs at least one candidate model');
    this.candidates = [...opts.candidates];
    this.worker = opts.worker ?? null;
    if (this.worker) this.attach(this.worker);
    this.now = opts.now ?? (() => (typeof performance !== 'undefined' ? performance.now() : Date.now()));
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

  // ---- worker lifecycle -------------------------------------------------

  private attach(w: WorkerLike): void {
    const onError = (ev: Event) => {
      // Keep the page from logging it as uncaught; we report it ourselves.
      ev.preventDefault?.();
      this.onCrash(mapWorkerError(ev, { model: this.model.id }));
    };
    const onMessageError = () => this.onCrash(engineErrors.workerCrashed('messageerror from the web-llm worker'));
    w.addEventListener('error', onError);
    w.addEventListener('messageerror', onMessageError);
    this.detachWorker = () => {
      w.removeEventListener('error', onError);
      w.removeEventListener('messageerror', onMessageError);
    };
  }

  private onCrash(err: EngineError): void {
    const e = err.code === 'worker-crashed' ? err : engineErrors.workerCrashed(err.detail, err);
    this.crashed = true;
    this.dropWorker();
    this.rejectAll(e);
  }

  private rejectAll(e: EngineError): void {
    for (const reject of [...this.pending]) reject(e);
    this.pending.clear();
  }

  /** Terminates the worker; the next load() starts a fresh one. */
  private dropWorker(): void {
    this.detachWorker?.();
    this.detachWorker = null;
    try {
      this.worker?.terminate();
    } catch {
      /* already gone */
    }
    this.worker = null;
    this.client = null;
    this.loaded = false;
  }

  private ensureWorker(): WorkerLike {
    if (!this.worker) {
      this.worker = (this.opts.createWorker ?? createWebLlmWorker)();
      this.attach(this.worker);
      this.crashed = false;
    }
    return this.worker;
  }

  /**
   * Races `p` against a worker crash and the abort signal. web-llm's own
   * promises never settle when the worker dies, and an aborted `reload`
   * resolves instead of rejecting — so both are handled here.
   */
  private guard<T>(p: Promise<T>, signal?: AbortSignal, onAbort?: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const done = () => {
        settled = true;
        this.pending.delete(rejecter);
        signal?.removeEventListener('abort', abort);
      };
      const rejecter: Rejecter = (e) => {
        if (settled) return;
        done();
        reject(e);
      };
      const abort = () => {
        if (settled) return;
        done();
        onAbort?.();
        reject(engineErrors.aborted(String(signal?.reason ?? 'aborted')));
      };
      if (signal?.aborted) return abort();
      this.pending.add(rejecter);
      signal?.addEventListener('abort', abort, { once: true });
      p.then(
        (v) => {
          if (settled) return;
          done();
          resolve(v);
        },
        (e: unknown) => {
          if (settled) return;
          done();
          reject(e);
        },
      );
    });
  }

  // ---- LocalEngine -------------------------------------------------------

  load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    if (this.loaded && this.client) return Promise.resolve();
    if (this.loading) return this.loading;
    const run = this.loadWithRetry(onProgress, signal).finally(() => {
      this.loading = null;
    });
    this.loading = run;
    return run;
  }

  private async loadWithRetry(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    let retried = false;
    for (;;) {
      const model = this.model;
      try {
        await this.loadModel(model, onProgress, signal);
        return;
      } catch (e) {
        const err = mapWorkerError(e, { model: model.id });
        if (err.code === 'aborted') throw err;
        if (SMALLER_MODEL_HELPS.has(err.code) && !retried && this.idx + 1 < this.candidates.length) {
          retried = true;
          // A lost device / exhausted heap: start over in a fresh worker.
          this.dropWorker();
          this.idx += 1;
          this.opts.onModelFallback?.(model, this.model, err);
          continue;
        }
        throw err;
      }
    }
  }

  private async getAppConfig(wl: Pick<WebLlmModule, 'prebuiltAppConfig'>): Promise<WebLlmAppConfig> {
    this.appConfig ??= buildWebLlmAppConfig(
      this.candidates,
      wl.prebuiltAppConfig.model_list,
      this.opts.baseUrl ?? defaultBaseUrl(),
      this.opts.cacheBackend ?? 'cache',
    );
    return this.appConfig;
  }

  private webllm(): Promise<NonNullable<WebLlmEngineOptions['webllm']>> {
    return this.opts.webllm ? Promise.resolve(this.opts.webllm) : loadWebLlm();
  }

  private async loadModel(
    model: WebLlmModel,
    onProgress: (p: LoadProgress) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const ctx = { model: model.id };
    if (signal?.aborted) throw engineErrors.aborted();
    onProgress({ fraction: null, loadedBytes: 0, totalBytes: Math.round(model.sizeMB * 1024 * 1024), etaSeconds: null, text: `Preparing ${model.id}…` });

    let wl: NonNullable<WebLlmEngineOptions['webllm']>;
    try {
      wl = await this.guard(this.webllm(), signal);
    } catch (e) {
      const err = mapWorkerError(e, ctx);
      if (err.code === 'aborted') throw err;
      // The lazy chunk did not load (offline, deploy mismatch).
      throw new EngineError('network', `Could not load the on-device engine (${model.id}): network error.`, {
        detail: err.detail,
        cause: e,
      });
    }
    const appConfig = await this.getAppConfig(wl);

    // Storage: ask for persistence (web-llm never does), then check room.
    const storage = this.opts.storage === undefined ? defaultStorage() : this.opts.storage;
    let cached = false;
    try {
      cached = await wl.hasModelInCache(model.id, appConfig);
    } catch {
      cached = false;
    }
    await guardStorage({ storage, modelId: model.id, sizeMB: model.sizeMB, cached });
    if (signal?.aborted) throw engineErrors.aborted();

    const worker = this.ensureWorker();
    const tracker = new ProgressTracker(model.sizeMB, this.now, model.id);
    const report = (r: InitProgressReport) => {
      try {
        onProgress(tracker.update(r));
      } catch {
        /* a UI callback error must not break loading */
      }
    };
    if (!this.client) {
      this.client = new wl.WebWorkerMLCEngine(worker, { appConfig, initProgressCallback: report });
    } else {
      this.client.setAppConfig(appConfig);
      this.client.setInitProgressCallback(report);
    }
    const client = this.client;
    // On abort: terminate the worker — the surest way to stop the downloads
    // (web-llm's reload would only resolve with a warning).
    await this.guard(client.reload(model.id), signal, () => this.dropWorker());
    if (signal?.aborted) {
      this.dropWorker();
      throw engineErrors.aborted();
    }
    this.loaded = true;
    onProgress({ fraction: 1, loadedBytes: Math.round(model.sizeMB * 1024 * 1024), totalBytes: Math.round(model.sizeMB * 1024 * 1024), etaSeconds: 0, text: `${model.id} ready` });
  }

  async chat(req: ChatRequest): Promise<ChatResult> {
    const client = this.client;
    if (!this.loaded || !client) {
      throw this.crashed
        ? engineErrors.workerCrashed('chat() after the web-llm worker crashed; call load() again')
        : new EngineError('unknown', 'The on-device model is not loaded yet.', { detail: 'chat() before load()', retryable: true });
    }
    const ctx = { model: this.model.id };
    const t0 = this.now();
    let ttftMs: number | null = null;
    let text = '';
    let chunks = 0;
    let finish: ChatResult['finishReason'] = 'stop';
    let usage: WebLlmUsage | null = null;
    const logprobs: TokenLogprob[] | null = req.logprobs ? [] : null;
    const signal = req.signal;
    const result = (): ChatResult => ({
      text,
      finishReason: signal?.aborted ? 'abort' : finish,
      usage: mapUsage(usage, { ttftMs, totalMs: this.now() - t0, outputTokens: chunks }),
      logprobs,
    });
    if (signal?.aborted) return result();

    let interrupted = false;
    const interrupt = () => {
      if (interrupted) return;
      interrupted = true;
      try {
        client.interruptGenerate();
      } catch {
        /* worker gone */
      }
    };
    signal?.addEventListener('abort', interrupt, { once: true });
    try {
      const messages = req.messages.map((m) => ({ role: m.role, content: m.content })) as ChatCompletionMessageParam[];
      const stream = await this.guard(
        client.chat.completions.create({
          messages,
          stream: true,
          stream_options: { include_usage: true },
          ...(req.maxTokens !== undefined ? { max_tokens: req.maxTokens } : {}),
          ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
          ...(req.logprobs ? { logprobs: true, top_logprobs: 5 } : {}),
        }),
      );
      const it = stream[Symbol.asyncIterator]();
      for (;;) {
        if (signal?.aborted) {
          // web-llm clears its interrupt flag when generation starts, so an
          // early interruptGenerate() can be lost: closing the stream stops
          // generation in the worker at any point (and releases its lock).
          if (it.return) await this.guard(it.return());
          break;
        }
        const r = await this.guard(it.next());
        if (r.done) break;
        const chunk: ChatCompletionChunk = r.value;
        const choice = chunk.choices[0];
        if (choice) {
          const delta = choice.delta?.content;
          if (delta) {
            ttftMs ??= this.now() - t0;
            chunks += 1;
            text += delta;
            if (!signal?.aborted) req.onToken?.(delta);
          }
          if (logprobs && choice.logprobs?.content) {
            for (const lp of choice.logprobs.content) logprobs.push(mapLogprob(lp));
          }
          finish = mapFinish(choice.finish_reason) ?? finish;
        }
        if (chunk.usage) usage = chunk.usage as WebLlmUsage;
      }
    } catch (e) {
      const err = mapWorkerError(e, ctx);
      if (err.code === 'worker-crashed' || err.code === 'device-lost') this.loaded = false;
      throw err;
    } finally {
      signal?.removeEventListener('abort', interrupt);
    }
    return result();
  }

  async isCached(): Promise<boolean> {
    try {
      const wl = await this.webllm();
      return await wl.hasModelInCache(this.model.id, await this.getAppConfig(wl));
    } catch {
      return false;
    }
  }

  /** Deletes every candidate's weights, library and config from web-llm's cache. */
  async deleteFromCache(): Promise<void> {
    const wl = await this.webllm();
    const appConfig = await this.getAppConfig(wl);
    for (const m of this.candidates) {
      try {
        await wl.deleteModelAllInfoInCache(m.id, appConfig);
      } catch (e) {
        throw mapWorkerError(e, { model: m.id });
      }
    }
  }

  dispose(): void {
    this.rejectAll(engineErrors.aborted('engine disposed'));
    this.dropWorker();
    this.loading = null;
  }
}
