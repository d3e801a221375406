// Main-thread client of the NLP worker (the transformers.js worker in its `nlp`
// role): NER for the privacy scan and the reranker's consistency score. The
// worker starts on first use and each model loads on first use, once. A crash
// goes through the same lifecycle as the chat engines: the client restarts the
// worker and loads again the models it had, and calls made meanwhile wait.
import type { NlpDtype } from '../../nlp/load';
import { WorkerBridge, type WorkerLike } from '../../worker-bridge/client';
import { RemoteError, WorkerCrashedError } from '../../worker-bridge/protocol';
import type { NlpLoadArgs, NlpLoadResult, NlpRole, NlpWorkerHandlers } from '../../worker-bridge/nlp';
import type { Entity } from '../../core/types';
import { CrashRecovery, superviseCrashes } from '../lifecycle';
import type { LoadProgress } from '../types';
import { createTransformersWorker } from '../transformers-worker';
import type { NlpClient } from './types';

export interface NlpClientOptions {
  nerModelId: string;
  rerankerModelId: string;
  /** `config.localModelPath`: a URL path such as `/models/`, or null for the model host only. */
  localModelPath: string | null;
  /** `config.modelHost`. */
  modelHost: string;
  /** Default 'wasm' (NER and the reranker are small; WebGPU buys little for them). */
  device?: 'wasm' | 'webgpu';
  /** `config.nlp.dtype`: which weights file to load (q8 for the production models). */
  dtype?: NlpDtype;
}

export type NlpErrorCode = 'load-failed' | 'worker-crashed' | 'failed' | 'disposed';

/** An NLP failure with plain words in `message`; never contains the input text. */
export class NlpError extends Error {
  override name = 'NlpError';
  constructor(readonly code: NlpErrorCode, message: string, opts?: { cause?: unknown }) {
    super(message, opts);
  }
}

function abortError(): DOMException {
  return new DOMException('The operation was aborted.', 'AbortError');
}

function isAbort(err: unknown): boolean {
  return (err as { name?: string } | null)?.name === 'AbortError';
}

function crashError(cause: unknown): NlpError {
  return new NlpError('worker-crashed', 'The on-device language helper stopped unexpectedly; it is being restarted.', { cause });
}

function toNlpError(err: unknown): unknown {
  if (isAbort(err) || err instanceof NlpError) return err;
  if (err instanceof WorkerCrashedError) return crashError(err);
  if (err instanceof RemoteError) return new NlpError(err.name === 'NlpLoadError' ? 'load-failed' : 'failed', err.message, { cause: err });
  return new NlpError('failed', err instanceof Error ? err.message : String(err), { cause: err });
}

export class WorkerNlpClient implements NlpClient {
  private readonly loadArgs: NlpLoadArgs;
  private readonly bridge: WorkerBridge<NlpWorkerHandlers>;
  private readonly life: CrashRecovery;
  /** Models this client has had loaded, so a recovery loads them again. */
  private readonly roles = new Set<NlpRole>();
  private disposed = false;
  private readyPromise: Promise<void> | null = null;

  constructor(opts: NlpClientOptions, createWorker: () => WorkerLike = () => createTransformersWorker('nlp')) {
    this.loadArgs = {
      nerModelId: opts.nerModelId,
      rerankerModelId: opts.rerankerModelId,
      localModelPath: opts.localModelPath,
      modelHost: opts.modelHost,
      device: opts.device ?? 'wasm',
      dtype: opts.dtype,
    };
    this.bridge = new WorkerBridge<NlpWorkerHandlers>(createWorker);
    this.life = new CrashRecovery({
      restart: () => this.bridge.restart(),
      reload: async () => {
        if (this.roles.size > 0) await this.bridge.api.load({ load: this.loadArgs, roles: [...this.roles] }).catch((e: unknown) => Promise.reject(toNlpError(e)));
      },
    });
    this.life.watch(this.bridge, crashError, () => (this.readyPromise = null));
    // A failed recovery is not an error of its own: the next call loads lazily.
    superviseCrashes(this.life);
  }

  onCrash(listener: (err: Error) => void): () => void {
    return this.life.onCrash(listener);
  }

  /** A fresh worker with the models it had loaded again. */
  recover(onProgress?: (p: LoadProgress) => void): Promise<void> {
    return this.life.recover(onProgress);
  }

  ready(): Promise<void> {
    this.readyPromise ??= this.load(['ner', 'reranker']).then(
      () => undefined,
      (err: unknown) => {
        this.readyPromise = null; // a later call may succeed (network back, worker restarted)
        throw err;
      },
    );
    return this.readyPromise;
  }

  async ner(text: string, signal?: AbortSignal): Promise<Entity[]> {
    if (text.trim() === '') return [];
    const entities = await this.call((api) => api.ner({ load: this.loadArgs, text }, { signal }), signal);
    this.roles.add('ner');
    return entities;
  }

  async consistency(question: string, answer: string, signal?: AbortSignal): Promise<number> {
    const score = await this.call((api) => api.consistency({ load: this.loadArgs, question, answer }, { signal }), signal);
    this.roles.add('reranker');
    return score;
  }

  /** Test hook: makes the worker crash for real (an uncaught error in the worker). */
  crashForTest(): void {
    void this.bridge.api.crash().catch(() => {});
  }

  dispose(): void {
    this.disposed = true;
    this.bridge.terminate();
    this.readyPromise = null;
  }

  private async load(roles: NlpRole[]): Promise<NlpLoadResult> {
    const loaded = await this.call((api) => api.load({ load: this.loadArgs, roles }));
    for (const r of roles) this.roles.add(r);
    return loaded;
  }

  private async call<T>(run: (api: WorkerBridge<NlpWorkerHandlers>['api']) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw abortError();
    if (this.disposed) throw new NlpError('disposed', 'The on-device language helper was shut down.');
    // A recovery under way owns the worker: wait for it (its failure is not this call's).
    const recovering = this.life.pending;
    if (recovering) await recovering.catch(() => {});
    const pending = run(this.bridge.api);
    if (!signal) return pending.catch((err: unknown) => Promise.reject(toNlpError(err)));
    // The worker cannot interrupt an inference midway: settle at once on abort
    // and let the worker's late reply be dropped.
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(abortError());
      signal.addEventListener('abort', onAbort, { once: true });
      pending.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(toNlpError(err));
        },
      );
    });
  }
}
