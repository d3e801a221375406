// Main-thread client of the NLP worker (src/workers/nlp.worker.ts): NER for the
// privacy scan and the reranker's consistency score. The worker is started on
// first use, each model loads on first use and once, and a crashed worker is
// replaced on the next call.
import type { NlpDtype } from '../../nlp/load';
import { RemoteError, WorkerBridge, WorkerCrashedError } from '../../workers/bridge';
import type {
  NlpConsistencyRequest, NlpLoadArgs, NlpLoadRequest, NlpLoadResult, NlpNerRequest, NlpRole,
} from '../../workers/nlp.protocol';
import type { Entity } from '../../core/types';
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

function toNlpError(err: unknown): unknown {
  if (isAbort(err) || err instanceof NlpError) return err;
  if (err instanceof WorkerCrashedError)
    return new NlpError('worker-crashed', 'The on-device language helper stopped unexpectedly; it will restart on the next request.', { cause: err });
  if (err instanceof RemoteError) {
    if (err.name === 'AbortError') return abortError();
    return new NlpError(err.name === 'NlpLoadError' ? 'load-failed' : 'failed', err.message, { cause: err });
  }
  return new NlpError('failed', err instanceof Error ? err.message : String(err), { cause: err });
}

const defaultWorker = (): Worker =>
  new Worker(new URL('../../workers/nlp.worker.ts', import.meta.url), { type: 'module', name: 'nlp' });

export class WorkerNlpClient implements NlpClient {
  private readonly loadArgs: NlpLoadArgs;
  private bridge: WorkerBridge | null = null;
  private crashed = false;
  private restarting = false;
  private disposed = false;
  private readyPromise: Promise<void> | null = null;
  private readonly crashListeners = new Set<(err: Error) => void>();

  constructor(opts: NlpClientOptions, private readonly createWorker: () => Worker = defaultWorker) {
    this.loadArgs = {
      nerModelId: opts.nerModelId,
      rerankerModelId: opts.rerankerModelId,
      localModelPath: opts.localModelPath,
      modelHost: opts.modelHost,
      device: opts.device ?? 'wasm',
      dtype: opts.dtype,
    };
  }

  /** Called when the worker dies; the next call starts a fresh one. */
  onCrash(listener: (err: Error) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
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
    return this.call<Entity[]>('ner', { load: this.loadArgs, text } satisfies NlpNerRequest, signal);
  }

  consistency(question: string, answer: string, signal?: AbortSignal): Promise<number> {
    return this.call<number>('consistency', { load: this.loadArgs, question, answer } satisfies NlpConsistencyRequest, signal);
  }

  /** Test hook: makes the worker crash for real (an uncaught error in the worker). */
  crashForTest(): void {
    void this.call('crash', null).catch(() => {});
  }

  dispose(): void {
    this.disposed = true;
    this.bridge?.terminate();
    this.bridge = null;
    this.readyPromise = null;
  }

  private load(roles: NlpRole[]): Promise<NlpLoadResult> {
    return this.call<NlpLoadResult>('load', { load: this.loadArgs, roles } satisfies NlpLoadRequest);
  }

  private getBridge(): WorkerBridge {
    if (this.disposed) throw new NlpError('disposed', 'The on-device language helper was shut down.');
    if (!this.bridge) {
      const bridge = new WorkerBridge(this.createWorker);
      bridge.onCrash((err) => {
        if (this.restarting || this.bridge !== bridge) return;
        this.crashed = true;
        this.readyPromise = null;
        for (const l of this.crashListeners) l(err);
      });
      this.bridge = bridge;
    } else if (this.crashed) {
      this.crashed = false;
      this.restarting = true; // restart() reports itself as a crash: not a new one
      try {
        this.bridge.restart();
      } finally {
        this.restarting = false;
      }
    }
    return this.bridge;
  }

  private async call<T>(method: string, args: unknown, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw abortError();
    let bridge: WorkerBridge;
    try {
      bridge = this.getBridge();
    } catch (err) {
      throw toNlpError(err);
    }
    const pending = bridge.call<T>(method, args, { signal });
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
