// Page side of the bridge: one worker at a time, started on first use. Each call
// has an id, can stream events back and be aborted; a worker that dies (an
// uncaught error, an unreadable message) rejects every pending call and tells
// the crash listeners once, and the next call starts a fresh worker.
import {
  isWorkerToPage, RemoteError, WorkerCrashedError,
  type CallOptions, type PageToWorker, type Remote, type WorkerToPage,
} from './protocol';

/** What the bridge needs of a Worker (a real one, or an in-process look-alike in Node tests). */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: Event) => void): void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  onEvent?: (event: unknown) => void;
}

function messageOf(event: Event): string {
  return 'message' in event && typeof event.message === 'string' ? event.message : '';
}

export class WorkerBridge<H> {
  /** The worker's handlers, called as methods: `bridge.api.load(args, { onEvent, signal })`. */
  readonly api: Remote<H>;
  private worker: WorkerLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly crashListeners = new Set<(err: WorkerCrashedError) => void>();

  constructor(private readonly create: () => WorkerLike, adopt?: WorkerLike) {
    if (adopt) this.attach(adopt);
    this.api = this.remote();
  }

  /** Whether a worker is running now (false before the first call and after a crash or restart). */
  get running(): boolean {
    return this.worker !== null;
  }

  onCrash(listener: (err: WorkerCrashedError) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  /** Stops the current worker (pending calls reject); the next call starts a fresh one. Not a crash. */
  restart(): void {
    this.stop(new WorkerCrashedError('The worker was restarted.'));
  }

  terminate(): void {
    this.stop(new WorkerCrashedError('The worker was stopped.'));
  }

  private stop(err: WorkerCrashedError): void {
    const w = this.worker;
    this.worker = null;
    w?.terminate();
    this.rejectPending(err);
  }

  private attach(w: WorkerLike): WorkerLike {
    this.worker = w;
    w.addEventListener('message', (e) => {
      if (this.worker === w && e instanceof MessageEvent) this.onMessage(e.data);
    });
    w.addEventListener('error', (e) => {
      e.preventDefault(); // we report it ourselves
      const detail = messageOf(e);
      this.crashed(w, new WorkerCrashedError(`The worker stopped unexpectedly${detail ? `: ${detail}` : ''}.`));
    });
    w.addEventListener('messageerror', () => this.crashed(w, new WorkerCrashedError('The worker sent a message that could not be read.')));
    return w;
  }

  private crashed(w: WorkerLike, err: WorkerCrashedError): void {
    if (this.worker !== w) return; // an old worker's last words
    this.stop(err);
    for (const l of [...this.crashListeners]) l(err);
  }

  private onMessage(data: unknown): void {
    if (!isWorkerToPage(data)) return;
    const msg: WorkerToPage = data;
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'event') {
      p.onEvent?.(msg.event);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.value);
    else p.reject(new RemoteError(msg.error));
  }

  private rejectPending(err: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(err);
  }

  private call(method: string, args: unknown, opts: CallOptions<unknown> = {}): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) {
        reject(new DOMException('The operation was aborted.', 'AbortError'));
        return;
      }
      const worker = this.worker ?? this.attach(this.create());
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject, onEvent: opts.onEvent });
      opts.signal?.addEventListener(
        'abort',
        () => {
          if (this.pending.has(id) && this.worker === worker) worker.postMessage({ id, type: 'abort' } satisfies PageToWorker);
        },
        { once: true },
      );
      worker.postMessage({ id, type: 'call', method, args } satisfies PageToWorker);
    });
  }

  /**
   * `api.x(args, opts)` → a call of handler `x`. The result and event types come
   * from `H` (the worker's handlers satisfy the same type), so this is the one
   * place where wire data meets the static types.
   */
  private remote(): Remote<H> {
    const call = this.call.bind(this);
    const methods = new Map<string, (args: unknown, opts?: CallOptions<unknown>) => Promise<unknown>>();
    return new Proxy(Object.create(null) as Remote<H>, {
      get(_target, key) {
        // Not a method: symbols, and `then` (so the api object is never taken for a promise).
        if (typeof key !== 'string' || key === 'then') return undefined;
        let m = methods.get(key);
        if (!m) {
          m = (args, opts) => call(key, args, opts);
          methods.set(key, m);
        }
        return m;
      },
    });
  }
}
