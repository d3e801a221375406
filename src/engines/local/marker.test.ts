// The kill marker's browser store: what survives a killed tab, and what a tab
// the user leaves (pagehide) cleans up.
import { describe, expect, it } from 'vitest';
import { LOAD_MARKER_KEY, localStorageMarker } from './create';
import type { InterruptedLoad } from '../../core/engine/device-plan';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

const LOAD: InterruptedLoad = { engine: 'webllm', modelId: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', device: 'webgpu', stage: 'init' };

describe('localStorageMarker', () => {
  it('keeps the load in progress across a kill (no pagehide); the next start takes it once', async () => {
    const storage = memoryStorage();
    localStorageMarker(storage, new EventTarget() as unknown as Window, null).write(LOAD);
    const next = localStorageMarker(storage, null, null);
    expect(await next.take()).toEqual(LOAD);
    expect(await next.take()).toBeNull();
  });

  it('a marker whose Web Lock is still held belongs to another live tab: left alone', async () => {
    const storage = memoryStorage();
    const held = new Set<string>();
    const locks = {
      request: async (name: string, cb: () => Promise<void>) => {
        held.add(name);
        await cb();
        held.delete(name);
      },
      query: async () => ({ held: [...held].map((name) => ({ name })) }),
    };
    const loading = localStorageMarker(storage, null, locks);
    loading.write(LOAD);
    await Promise.resolve();
    const other = localStorageMarker(storage, null, locks);
    expect(await other.take()).toBeNull();
    expect(storage.m.has(LOAD_MARKER_KEY)).toBe(true);
    loading.write(null); // load done: lock released, marker gone
    await new Promise((r) => setTimeout(r, 0));
    expect(held.size).toBe(0);
    expect(await other.take()).toBeNull();
  });

  it('a tab the user leaves removes it; back from the bfcache, a load still running is marked again', async () => {
    const storage = memoryStorage();
    const win = new EventTarget();
    localStorageMarker(storage, win as unknown as Window, null).write(LOAD);
    win.dispatchEvent(new Event('pagehide'));
    expect(storage.m.has(LOAD_MARKER_KEY)).toBe(false);
    win.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    expect(await localStorageMarker(storage, null, null).take()).toEqual(LOAD);
  });

  it('ignores anything that is not a marker', async () => {
    const storage = memoryStorage();
    for (const raw of ['{', '"x"', JSON.stringify({ ...LOAD, stage: 'later' }), JSON.stringify({ ...LOAD, engine: 'gpu' })]) {
      storage.setItem(LOAD_MARKER_KEY, raw);
      expect(await localStorageMarker(storage, null, null).take()).toBeNull();
    }
  });
});
