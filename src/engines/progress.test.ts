import { describe, expect, it } from 'vitest';
import { ByteProgressTracker, formatBytes, formatEta } from './progress';

describe('download progress', () => {
  it('reports percent and an ETA from the observed rate', () => {
    let t = 0;
    const tr = new ByteProgressTracker(() => t);
    expect(tr.update(0, 1000, 'x').etaSeconds).toBeNull();
    t = 1000; // 1 s later, 250 bytes in: 750 left at 250 B/s
    const p = tr.update(250, 1000, 'x');
    expect(p.fraction).toBeCloseTo(0.25);
    expect(p.etaSeconds).toBeCloseTo(3);
  });
  it('has no fraction or ETA when the total is unknown', () => {
    const p = new ByteProgressTracker(() => 0).update(10, null, 'x');
    expect(p.fraction).toBeNull();
    expect(p.etaSeconds).toBeNull();
  });
  it('formats sizes and times for people', () => {
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatEta(75)).toBe('1 min 15 s left');
  });
});

describe('per-file progress from transformers.js', () => {
  it('sums bytes over files into one bar', async () => {
    const { aggregateFileProgress } = await import('./progress');
    const seen: Array<[number, number | null]> = [];
    const p = aggregateFileProgress((l, t) => seen.push([l, t]));
    p({ status: 'progress', file: 'config.json', loaded: 100, total: 100 });
    p({ status: 'progress', file: 'onnx/model.onnx', loaded: 400, total: 1000 });
    p({ status: 'done', file: 'onnx/model.onnx' });
    p({ status: 'ready' });
    expect(seen).toEqual([[100, 100], [500, 1100], [1100, 1100]]);
  });
});
