import { describe, expect, it } from 'vitest';
import { loadView } from './load-progress';

const bytes = (loaded: number, total: number) => ({ fraction: loaded / total, loadedBytes: loaded, totalBytes: total, etaSeconds: 3, text: 'model.onnx' });

describe('loadView', () => {
  it('the browser’s built-in model shows the browser’s words: waiting for a click, then its download', () => {
    const wait = loadView({ fraction: null, loadedBytes: 0, totalBytes: null, etaSeconds: null, text: 'Your browser can download its built-in model: click or type anywhere to start.' }, 0, 'builtin');
    expect(wait).toMatchObject({ pct: 0, detail: expect.stringContaining('click or type anywhere') });
    const half = loadView({ fraction: 0.5, loadedBytes: 0, totalBytes: null, etaSeconds: null, text: 'Your browser is downloading its built-in model… 50%' }, wait.pct, 'builtin');
    expect(half.pct).toBe(40);
    expect(half.detail).toContain('50%');
    expect(loadView({ fraction: 1, loadedBytes: 0, totalBytes: null, etaSeconds: null, text: 'done' }, half.pct, 'builtin').pct).toBeLessThan(100);
  });

  it('never reaches 100 % while loading, even with every byte in', () => {
    let pct = 0;
    for (const p of [bytes(1, 4), bytes(4, 4), { fraction: 1, loadedBytes: 4, totalBytes: 4, etaSeconds: 0, text: 'ready' }]) {
      pct = loadView(p, pct).pct;
      expect(pct).toBeLessThan(100);
    }
    expect(loadView(bytes(4, 4), 0).phase).toBe('Downloading and preparing the model');
  });

  it('a file whose size is not known yet is still downloading, even with every known byte in', () => {
    const v = loadView({ fraction: 1, loadedBytes: 2048, totalBytes: 2048, etaSeconds: 0, text: 'Downloading model.onnx' }, 0);
    expect(v.phase).toBe('Downloading the model');
    expect(v.detail).toBe('2 KB so far');
    expect(v.pct).toBeLessThan(80);
  });

  it('never goes back, not even for the speed measurement that reports no bytes', () => {
    let last = 0;
    const seen: number[] = [];
    for (const p of [bytes(1, 10), bytes(9, 10), bytes(10, 10), { fraction: null, loadedBytes: 0, totalBytes: null, etaSeconds: null, text: 'Measuring this device’s speed…' }, undefined]) {
      last = loadView(p, last).pct;
      seen.push(last);
    }
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen[3]).toBeGreaterThan(seen[1]);
  });

  it('names the phase and shows bytes and time left while downloading', () => {
    const v = loadView({ fraction: 0.5, loadedBytes: 2 * 1024 ** 2, totalBytes: 4 * 1024 ** 2, etaSeconds: 12, text: 'x' }, 0);
    expect(v.phase).toBe('Downloading the model');
    expect(v.detail).toBe('2.0 MB of 4.0 MB · about 12 s left');
    expect(v.pct).toBe(40);
  });
});
