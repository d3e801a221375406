// Worker side of the bridge: serves a handler object. `expose<H>(handlers, self)`
// type-checks the object against the handlers' type the page-side client is
// derived from, so both ends change together.
import { isPageToWorker, toWireError, type HandlerContext, type WorkerToPage } from './protocol';

/** The worker's global scope, as far as the bridge needs it. */
export interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export function expose<H extends object>(handlers: H, scope: WorkerScope): void {
  const controllers = new Map<number, AbortController>();
  const post = (m: WorkerToPage) => scope.postMessage(m);

  scope.addEventListener('message', (e) => {
    const msg: unknown = e.data;
    if (!isPageToWorker(msg)) return; // not ours (e.g. a library's own messages)
    if (msg.type === 'abort') {
      controllers.get(msg.id)?.abort();
      return;
    }
    const { id, method, args } = msg;
    const ctl = new AbortController();
    controllers.set(id, ctl);
    const ctx: HandlerContext<unknown> = { signal: ctl.signal, emit: (event) => post({ id, type: 'event', event }) };
    void (async () => {
      try {
        const handler: unknown = Object.hasOwn(handlers, method) ? Reflect.get(handlers, method) : undefined;
        if (typeof handler !== 'function') throw new Error(`Unknown method ${method}`);
        const value: unknown = await Reflect.apply(handler, handlers, [args, ctx]);
        post({ id, type: 'result', value });
      } catch (err) {
        post({ id, type: 'error', error: toWireError(err) });
      } finally {
        controllers.delete(id);
      }
    })();
  });
}
