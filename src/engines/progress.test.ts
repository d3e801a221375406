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
