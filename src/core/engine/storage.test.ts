import { describe, expect, it } from 'vitest';
import { checkSpace } from './storage';

const MiB = 1024 * 1024;

describe('checkSpace', () => {
  it.each([
    // [quota MB, usage MB, needed MB, ok, freeMB]
    [10_000, 0, 290, true, 10_000],
    [10_000, 9_880, 290, false, 120],
    [400, 50, 290, true, 350], // 290 × 1.1 + 20 = 339 ≤ 350
    [350, 20, 290, false, 330], // 339 > 330: margin for the Cache API write
    [1000, 1200, 290, false, 0], // usage over quota → 0 free
  ])('quota %d MB, usage %d MB, need %d MB → ok=%s', (quota, usage, need, ok, free) => {
    const r = checkSpace({ quota: quota * MiB, usage: usage * MiB }, need);
    expect(r.ok).toBe(ok);
    expect(r.freeMB).toBeCloseTo(free, 5);
  });

  it('writes the banner message when short', () => {
    const r = checkSpace({ quota: 10_000 * MiB, usage: 9_880 * MiB }, 290);
    expect(r.message).toBe('Not enough storage space to download the model (needs ~290 MB, 120 MB free).');
  });

  it('formats GB', () => {
    const r = checkSpace({ quota: 1500 * MiB, usage: 0 }, 2048);
    expect(r.message).toBe('Not enough storage space to download the model (needs ~2.0 GB, 1.5 GB free).');
  });

  it('lets the download try when the browser does not report a quota', () => {
    expect(checkSpace({}, 290)).toMatchObject({ ok: true, freeMB: null });
    expect(checkSpace({ quota: 0, usage: 0 }, 290).ok).toBe(true);
    expect(checkSpace({ quota: Number.NaN }, 290).ok).toBe(true);
  });

  it('treats a missing usage as zero', () => {
    expect(checkSpace({ quota: 1000 * MiB }, 290)).toMatchObject({ ok: true, freeMB: 1000 });
  });
});
