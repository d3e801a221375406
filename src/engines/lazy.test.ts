import { describe, expect, it } from 'vitest';
import { CrashRecovery } from './lifecycle';
import { LazyEngine } from './lazy';
import type { LocalEngine } from './types';

const info = { kind: 'webllm' as const, modelId: 'Qwen-MLC', device: 'webgpu', contextWindow: 4096 };

function engine(): LocalEngine & { crash(): void; loads: number } {
  const life = new CrashRecovery({ restart: () => {}, reload: async () => void e.loads++ });
  const e = {
    info: { ...info, modelId: 'Smaller-MLC' },
    loads: 0,
    async load() { e.loads++; },
    chat: async () => ({ text: 'hi', finishReason: 'stop' as const, usage: { promptTokens: 1, outputTokens: 1, prefillTps: null, decodeTps: null, timeToFirstTokenMs: null, totalMs: 1 }, logprobs: null }),
    isCached: async () => true,
    deleteFromCache: async () => {},
    onCrash: (l: (err: Error) => void) => life.onCrash(l),
    recover: () => life.recover(),
    crash: () => life.crashed(new Error('boom')),
    dispose() {},
  };
  return e;
}

describe('LazyEngine', () => {
  it('says what it will be until its code is loaded, then forwards the whole lifecycle, crashes included', async () => {
    const inner = engine();
    const lazy = new LazyEngine(info, async () => inner);
    expect(lazy.info.modelId).toBe('Qwen-MLC');
    const crashes: Error[] = [];
    lazy.onCrash((e) => crashes.push(e));
    await lazy.load(() => {});
    expect(lazy.info.modelId).toBe('Smaller-MLC');
    inner.crash();
    expect(crashes.map((e) => e.message)).toEqual(['boom']);
    await lazy.recover();
    expect(inner.loads).toBe(2);
  });

  it('words a chunk that cannot be fetched as a network error, and tries again next time', async () => {
    let attempts = 0;
    const lazy = new LazyEngine(info, async () => {
      if (++attempts === 1) throw new TypeError('Failed to fetch dynamically imported module: /assets/engine-x.js');
      return engine();
    });
    await expect(lazy.load(() => {})).rejects.toMatchObject({ code: 'network', userMessage: 'Could not download the on-device model (Qwen-MLC): network error.' });
    await lazy.load(() => {});
    expect(attempts).toBe(2);
  });

  it('disposed before its code ran: frees what it would have adopted', () => {
    let discarded = 0;
    new LazyEngine(info, async () => engine(), () => discarded++).dispose();
    expect(discarded).toBe(1);
  });
});
