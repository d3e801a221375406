// transformers.js reports download progress per file; the status bar shows one bar.

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
