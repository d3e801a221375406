import { describe, expect, it } from 'vitest';
import { aggregateFileProgress } from './progress';

describe('per-file progress from transformers.js', () => {
  it('sums bytes over files into one bar', () => {
    const seen: Array<[number, number | null]> = [];
    const p = aggregateFileProgress((l, t) => seen.push([l, t]));
    p({ status: 'progress', file: 'config.json', loaded: 100, total: 100 });
    p({ status: 'progress', file: 'onnx/model.onnx', loaded: 400, total: 1000 });
    p({ status: 'done', file: 'onnx/model.onnx' });
    p({ status: 'ready' });
    expect(seen).toEqual([[100, 100], [500, 1100], [1100, 1100]]);
  });
});
