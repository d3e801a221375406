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
  it('keeps the load in progress across a kill (no pagehide), and a new start reads it', () => {
    const storage = memoryStorage();
    localStorageMarker(storage, new EventTarget() as unknown as Window).write(LOAD);
    expect(localStorageMarker(storage, null).read()).toEqual(LOAD);
  });

  it('a tab the user leaves removes it; back from the bfcache, a load still running is marked again', () => {
    const storage = memoryStorage();
    const win = new EventTarget();
    localStorageMarker(storage, win as unknown as Window).write(LOAD);
    win.dispatchEvent(new Event('pagehide'));
    expect(storage.m.has(LOAD_MARKER_KEY)).toBe(false);
    win.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    expect(localStorageMarker(storage, null).read()).toEqual(LOAD);
  });

  it('ignores anything that is not a marker', () => {
    const storage = memoryStorage();
    for (const raw of ['{', '"x"', JSON.stringify({ ...LOAD, stage: 'later' }), JSON.stringify({ ...LOAD, engine: 'gpu' })]) {
      storage.setItem(LOAD_MARKER_KEY, raw);
      expect(localStorageMarker(storage, null).read()).toBeNull();
    }
  });
});
