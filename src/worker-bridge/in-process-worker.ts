// Test helper: a Worker look-alike that serves bridge handlers in the same
// process (Node tests), with structured cloning and asynchronous delivery like
// a real worker, plus a way to crash it.
import { expose } from './expose';
import type { WorkerLike } from './client';

export class InProcessWorker extends EventTarget implements WorkerLike {
  private readonly inside = new EventTarget();
  terminated = false;
  /** Every message the page posted (calls and aborts), for assertions. */
  readonly posted: unknown[] = [];

  constructor(handlers: object) {
    super();
    expose(handlers, {
      postMessage: (m: unknown) => this.deliver(this, m),
      addEventListener: (type, listener) =>
        this.inside.addEventListener(type, (e) => {
          if (e instanceof MessageEvent) listener(e);
        }),
    });
  }

  postMessage(m: unknown): void {
    this.posted.push(m);
    this.deliver(this.inside, m);
  }

  terminate(): void {
    this.terminated = true;
  }

  /** Fires the worker's `error` event, as an uncaught exception in a real worker does. */
  crash(message = 'Simulated crash'): void {
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message }));
  }

  private deliver(target: EventTarget, m: unknown): void {
    if (this.terminated) return;
    const data = structuredClone(m);
    setTimeout(() => {
      if (!this.terminated) target.dispatchEvent(new MessageEvent('message', { data }));
    });
  }
}
