// A small request/response bridge over postMessage (in the spirit of Squoosh's):
// each call has an id, can stream events back, can be aborted, and every pending
// call is rejected when the worker crashes so the caller can restart it.

export interface WireError {
  name: string;
  message: string;
  code?: string;
}

export type WorkerToPage =
  | { id: number; type: 'event'; event: unknown }
  | { id: number; type: 'result'; value: unknown }
  | { id: number; type: 'error'; error: WireError };

export type PageToWorker =
  | { id: number; type: 'call'; method: string; args: unknown }
  | { id: number; type: 'abort' };

export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
}

export class RemoteError extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
    this.name = wire.name;
  }
  get code(): string | undefined {
    return this.wire.code;
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  onEvent?: (e: unknown) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
  onEvent?: (event: unknown) => void;
}

/** Page side. `create` makes a fresh worker; `restart()` uses it after a crash. */
export class WorkerBridge {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private crashListeners = new Set<(err: Error) => void>();

  constructor(private readonly create: () => Worker) {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const w = this.create();
    w.addEventListener('message', (e: MessageEvent<WorkerToPage>) => this.onMessage(e.data));
    w.addEventListener('error', (e) => {
      e.preventDefault();
      this.crash(new WorkerCrashedError(`The worker stopped unexpectedly${e.message ? `: ${e.message}` : ''}.`));
    });
    w.addEventListener('messageerror', () => this.crash(new WorkerCrashedError('The worker sent a message that could not be read.')));
    return w;
  }

  private onMessage(msg: WorkerToPage): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'event') p.onEvent?.(msg.event);
    else {
      this.pending.delete(msg.id);
      if (msg.type === 'result') p.resolve(msg.value);
      else p.reject(new RemoteError(msg.error));
    }
  }

  private rejectPending(err: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(err);
  }

  private crash(err: Error): void {
    this.rejectPending(err);
    for (const l of this.crashListeners) l(err);
  }

  onCrash(listener: (err: Error) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  call<T>(method: string, args: unknown, opts: CallOptions = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (opts.signal?.aborted) {
        reject(new DOMException('Aborted', 'AbortError'));
        return;
      }
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onEvent: opts.onEvent });
      opts.signal?.addEventListener('abort', () => this.worker.postMessage({ id, type: 'abort' } satisfies PageToWorker), { once: true });
      this.worker.postMessage({ id, type: 'call', method, args } satisfies PageToWorker);
    });
  }

  /** Terminates the current worker (rejecting pending calls) and starts a fresh one. */
  restart(): void {
    this.worker.terminate();
    this.rejectPending(new WorkerCrashedError('The worker was restarted.'));
    this.worker = this.spawn();
  }

  terminate(): void {
    this.worker.terminate();
    this.rejectPending(new WorkerCrashedError('The worker was stopped.'));
  }
}

export interface HandlerContext {
  signal: AbortSignal;
  emit: (event: unknown) => void;
}

export type Handlers = Record<string, (args: any, ctx: HandlerContext) => unknown>;

/** Worker side: serves `handlers` over the bridge protocol. */
export function expose(handlers: Handlers, scope: { postMessage(m: unknown): void; addEventListener(t: 'message', l: (e: MessageEvent) => void): void }): void {
  const controllers = new Map<number, AbortController>();
  scope.addEventListener('message', async (e: MessageEvent<PageToWorker>) => {
    const msg = e.data;
    if (!msg || typeof msg !== 'object' || typeof msg.id !== 'number') return;
    if (msg.type === 'abort') {
      controllers.get(msg.id)?.abort();
      return;
    }
    if (msg.type !== 'call') return;
    const handler = handlers[msg.method];
    const ctl = new AbortController();
    controllers.set(msg.id, ctl);
    try {
      if (!handler) throw new Error(`Unknown method ${msg.method}`);
      const value = await handler(msg.args, {
        signal: ctl.signal,
        emit: (event) => scope.postMessage({ id: msg.id, type: 'event', event } satisfies WorkerToPage),
      });
      scope.postMessage({ id: msg.id, type: 'result', value } satisfies WorkerToPage);
    } catch (err) {
      const error = err as { name?: string; message?: string; code?: string };
      scope.postMessage({
        id: msg.id,
        type: 'error',
        error: { name: error?.name ?? 'Error', message: String(error?.message ?? err), code: error?.code },
      } satisfies WorkerToPage);
    } finally {
      controllers.delete(msg.id);
    }
  });
}
