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

export interface FileProgress {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
}

/**
 * transformers.js reports progress per file; the user wants one bar. Sums
 * bytes over the files seen so far (the total grows as files start).
 */
export function aggregateFileProgress(report: (loaded: number, total: number | null, text: string) => void) {
  const files = new Map<string, { loaded: number; total: number }>();
  return (p: FileProgress) => {
    if (!p.file) return;
    if (p.status === 'progress' || p.status === 'done' || p.status === 'initiate') {
      const prev = files.get(p.file) ?? { loaded: 0, total: 0 };
      const total = p.total ?? prev.total;
      const loaded = p.status === 'done' ? Math.max(prev.loaded, total) : p.loaded ?? prev.loaded;
      files.set(p.file, { loaded, total });
      let l = 0;
      let t = 0;
      for (const f of files.values()) {
        l += f.loaded;
        t += f.total;
      }
      report(l, t > 0 ? t : null, p.status === 'done' ? `Loaded ${p.file}` : `Downloading ${p.file}`);
    }
  };
}
