// The typed worker protocol: what travels over postMessage, and the types that
// tie a worker's handler object to its page-side client. In the Squoosh way,
// a client is never written by hand: `Remote<H>` derives every method, its
// argument, its result and the events it streams from the handlers' type `H`,
// which the worker's handler object must satisfy (`expose<H>(handlers, self)`).
//
// Neutral ground: `engines/` (page side) and `workers/` (worker side) both
// import this folder and never each other.

/** An error as it crosses the boundary; `name` is the contract (class names survive, objects do not). */
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

/** What a handler gets besides its argument: the caller's abort, and a way to stream events back. */
export interface HandlerContext<E = never> {
  readonly signal: AbortSignal;
  emit(event: E): void;
}

export interface CallOptions<E = never> {
  signal?: AbortSignal;
  onEvent?: (event: E) => void;
}

type Params<F> = F extends (...args: infer P) => unknown ? P : never;
/** A handler's argument; `void` for handlers that take none. */
export type ArgsOf<F> = Params<F> extends [] ? void : Params<F>[0];
/** The events a handler streams: the type parameter of its `ctx`, or `never`. */
export type EventOf<F> = Params<F> extends [unknown, HandlerContext<infer E>] ? E : never;
export type ResultOf<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;

export type RemoteMethod<F> = [ArgsOf<F>] extends [void]
  ? (args?: undefined, opts?: CallOptions<EventOf<F>>) => Promise<ResultOf<F>>
  : (args: ArgsOf<F>, opts?: CallOptions<EventOf<F>>) => Promise<ResultOf<F>>;

/** The page-side view of a worker's handlers: same method names, promises of their results. */
export type Remote<H> = { readonly [K in keyof H & string]: RemoteMethod<H[K]> };

/** A dead worker: every pending call is rejected with this, and crash listeners are told once. */
export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
}

/** An error a handler threw, rebuilt on the page with the same name (and code, when it had one). */
export class RemoteError extends Error {
  readonly code: string | undefined;
  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    this.code = wire.code;
  }
}

export function isPageToWorker(x: unknown): x is PageToWorker {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as { id?: unknown; type?: unknown; method?: unknown };
  return typeof m.id === 'number' && (m.type === 'abort' || (m.type === 'call' && typeof m.method === 'string'));
}

export function isWorkerToPage(x: unknown): x is WorkerToPage {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as { id?: unknown; type?: unknown; error?: unknown };
  if (typeof m.id !== 'number') return false;
  if (m.type === 'event' || m.type === 'result') return true;
  return m.type === 'error' && typeof m.error === 'object' && m.error !== null;
}

/** Plain data for any thrown value (the structured clone of an Error loses its name on some browsers). */
export function toWireError(err: unknown): WireError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name || 'Error', message: err.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  if (typeof err === 'object' && err !== null) {
    const o = err as { name?: unknown; message?: unknown };
    return { name: typeof o.name === 'string' ? o.name : 'Error', message: typeof o.message === 'string' ? o.message : String(err) };
  }
  return { name: 'Error', message: String(err) };
}
