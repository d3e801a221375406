import type { LoadProgress } from './types';

/** Turns byte counts into LoadProgress with an ETA from the observed rate. */
export class ByteProgressTracker {
  private startedAt: number | null = null;
  private startBytes = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  update(loadedBytes: number, totalBytes: number | null, text: string): LoadProgress {
    const t = this.now();
    if (this.startedAt === null) {
      this.startedAt = t;
      this.startBytes = loadedBytes;
    }
    const elapsed = (t - this.startedAt) / 1000;
    const rate = elapsed > 0.25 ? (loadedBytes - this.startBytes) / elapsed : 0;
    const fraction = totalBytes && totalBytes > 0 ? Math.min(1, loadedBytes / totalBytes) : null;
    const etaSeconds = totalBytes && rate > 0 ? Math.max(0, (totalBytes - loadedBytes) / rate) : null;
    return { fraction, loadedBytes, totalBytes, etaSeconds, text };
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export function formatEta(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '';
  if (s < 1) return 'less than a second left';
  if (s < 60) return `${Math.round(s)} s left`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s left`;
}
