// Test helper: a Worker look-alike that serves bridge handlers in the same
// process (Node tests), with structured cloning and asynchronous delivery like
// a real worker, plus a way to crash it.
import { expose, type Handlers } from '../../workers/bridge';

export class InProcessWorker extends EventTarget {
  private readonly inside = new EventTarget();
  terminated = false;

  constructor(handlers: Handlers) {
    super();
    expose(handlers, {
      postMessage: (m: unknown) => this.deliver(this, m),
      addEventListener: (t, l) => this.inside.addEventListener(t, l as EventListener),
    });
  }

  postMessage(m: unknown): void {
    this.deliver(this.inside, m);
  }

  terminate(): void {
    this.terminated = true;
  }

  /** Fires the worker's `error` event, as an uncaught exception in a real worker does. */
  crash(message = 'Simulated crash'): void {
    const e = Object.assign(new Event('error', { cancelable: true }), { message });
    this.dispatchEvent(e);
  }

  private deliver(target: EventTarget, m: unknown): void {
    if (this.terminated) return;
    const data = structuredClone(m);
    setTimeout(() => {
      if (!this.terminated) target.dispatchEvent(new MessageEvent('message', { data }));
    });
  }
}
