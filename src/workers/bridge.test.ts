import { describe, expect, it } from 'vitest';
import { WorkerBridge, WorkerCrashedError } from './bridge';
import { InProcessWorker } from '../engines/nlp/in-process-worker';

function make(handlers: Record<string, (args: any, ctx: any) => unknown>) {
  const workers: InProcessWorker[] = [];
  const bridge = new WorkerBridge(() => {
    const w = new InProcessWorker(handlers);
    workers.push(w);
    return w as unknown as Worker;
  });
  return { bridge, workers };
}

describe('worker bridge', () => {
  it('streams events and returns the result', async () => {
    const { bridge } = make({ count: (n: number, ctx) => { for (let i = 0; i < n; i++) ctx.emit(i); return 'done'; } });
    const seen: unknown[] = [];
    await expect(bridge.call('count', 3, { onEvent: (e) => seen.push(e) })).resolves.toBe('done');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('aborts a running call in the worker', async () => {
    const { bridge } = make({
      wait: (_: unknown, ctx) => new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('stopped')))),
    });
    const ctl = new AbortController();
    const p = bridge.call('wait', null, { signal: ctl.signal });
    ctl.abort();
    await expect(p).rejects.toThrow('stopped');
  });

  it('rejects pending calls on a crash and tells listeners once; restart does not loop', async () => {
    const { bridge, workers } = make({ hang: () => new Promise(() => {}), ping: () => 'pong' });
    let crashes = 0;
    bridge.onCrash(() => {
      crashes++;
      bridge.restart(); // what the engine does to recover
    });
    const p = bridge.call('hang', null);
    workers[0].crash();
    await expect(p).rejects.toBeInstanceOf(WorkerCrashedError);
    expect(crashes).toBe(1);
    expect(workers).toHaveLength(2);
    await expect(bridge.call('ping', null)).resolves.toBe('pong');
  });
});
