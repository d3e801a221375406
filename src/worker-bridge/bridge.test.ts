// The typed bridge over an in-process worker (structured cloning, asynchronous
// delivery, real crash events): calls, streamed events, aborts, crashes and
// restarts, and the types that tie the client to the handlers.
import { describe, expect, it } from 'vitest';
import { WorkerBridge } from './client';
import { InProcessWorker } from './in-process-worker';
import { RemoteError, WorkerCrashedError, type HandlerContext } from './protocol';

interface TestHandlers {
  count(n: number, ctx: HandlerContext<{ i: number }>): Promise<string>;
  wait(args: void, ctx: HandlerContext): Promise<never>;
  hang(): Promise<never>;
  fail(args: { code: string }): never;
  ping(): string;
}

function handlers(): TestHandlers {
  return {
    async count(n, ctx) {
      for (let i = 0; i < n; i++) ctx.emit({ i });
      return 'done';
    },
    wait(_args, ctx) {
      return new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new DOMException('stopped', 'AbortError'))));
    },
    hang: () => new Promise(() => {}),
    fail({ code }) {
      throw Object.assign(new RangeError('out of range'), { code });
    },
    ping: () => 'pong',
  };
}

function make() {
  const workers: InProcessWorker[] = [];
  const bridge = new WorkerBridge<TestHandlers>(() => {
    const w = new InProcessWorker(handlers());
    workers.push(w);
    return w;
  });
  return { bridge, workers };
}

describe('worker bridge', () => {
  it('starts the worker on first use, streams typed events and returns the result', async () => {
    const { bridge, workers } = make();
    expect(workers).toHaveLength(0);
    const seen: number[] = [];
    await expect(bridge.api.count(3, { onEvent: (e) => seen.push(e.i) })).resolves.toBe('done');
    expect(seen).toEqual([0, 1, 2]);
    expect(workers).toHaveLength(1);
    await expect(bridge.api.ping()).resolves.toBe('pong');
    expect(workers).toHaveLength(1);
  });

  it('aborts a running call in the worker', async () => {
    const { bridge, workers } = make();
    const ctl = new AbortController();
    const p = bridge.api.wait(undefined, { signal: ctl.signal });
    ctl.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError', message: 'stopped' });
    expect(workers[0].posted).toContainEqual({ id: 1, type: 'abort' });
    // An already-aborted signal never reaches the worker.
    await expect(bridge.api.ping(undefined, { signal: ctl.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(workers[0].posted).toHaveLength(2);
  });

  it('rebuilds a handler error with its name and code', async () => {
    const { bridge } = make();
    const err = await bridge.api.fail({ code: 'E_RANGE' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ name: 'RangeError', message: 'out of range', code: 'E_RANGE' });
  });

  it('rejects a method the worker does not have', async () => {
    const bridge = new WorkerBridge<TestHandlers & { missing(): void }>(() => new InProcessWorker(handlers()));
    await expect(bridge.api.missing()).rejects.toThrow('Unknown method missing');
  });

  it('rejects pending calls on a crash, tells listeners once, and the next call starts a fresh worker', async () => {
    const { bridge, workers } = make();
    const crashes: Error[] = [];
    bridge.onCrash((e) => crashes.push(e));
    const p = bridge.api.hang();
    const q = bridge.api.hang();
    await Promise.resolve();
    workers[0].crash('RangeError: boom');
    await expect(p).rejects.toBeInstanceOf(WorkerCrashedError);
    await expect(q).rejects.toThrow('The worker stopped unexpectedly: RangeError: boom.');
    expect(crashes).toHaveLength(1);
    expect(workers[0].terminated).toBe(true);
    expect(bridge.running).toBe(false);
    // The dead worker's late error is not a second crash.
    workers[0].crash();
    expect(crashes).toHaveLength(1);
    await expect(bridge.api.ping()).resolves.toBe('pong');
    expect(workers).toHaveLength(2);
  });

  it('restart() rejects pending calls without reporting a crash', async () => {
    const { bridge, workers } = make();
    let crashes = 0;
    bridge.onCrash(() => crashes++);
    const p = bridge.api.hang();
    await Promise.resolve();
    bridge.restart();
    await expect(p).rejects.toThrow('The worker was restarted.');
    expect(crashes).toBe(0);
    expect(workers[0].terminated).toBe(true);
    await expect(bridge.api.ping()).resolves.toBe('pong');
    expect(workers).toHaveLength(2);
  });

  it('adopts an existing worker, and ignores messages that are not the protocol', async () => {
    const adopted = new InProcessWorker(handlers());
    let created = 0;
    const bridge = new WorkerBridge<TestHandlers>(() => (created++, new InProcessWorker(handlers())), adopted);
    adopted.dispatchEvent(new MessageEvent('message', { data: { kind: 'somebody-else', uuid: 'x' } }));
    adopted.dispatchEvent(new MessageEvent('message', { data: { id: 99, type: 'result', value: 1 } }));
    await expect(bridge.api.ping()).resolves.toBe('pong');
    expect(created).toBe(0);
  });

  it('is never mistaken for a promise', async () => {
    const { bridge } = make();
    const api = await Promise.resolve(bridge.api);
    await expect(api.ping()).resolves.toBe('pong');
  });

  it('types the client from the handlers (checked by the type check)', () => {
    const { bridge } = make();
    const typed = () => {
      // @ts-expect-error — wrong argument type
      void bridge.api.count('3');
      // @ts-expect-error — no such method
      void bridge.api.cnt(3);
      // @ts-expect-error — count's events carry `i`, not `j`
      void bridge.api.count(3, { onEvent: (e) => e.j });
      const r: Promise<string> = bridge.api.count(1);
      return r;
    };
    expect(typeof typed).toBe('function');
  });
});
