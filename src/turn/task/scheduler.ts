// Runs a task graph's steps: each starts once its dependencies are done,
// highest priority first (the longest remaining path), the device one
// generation at a time, remote tiers up to a limit in parallel. A failed
// step cancels the steps still running and the run rejects with its error;
// the caller's abort cancels every running step and starts no new one.
// A step may free its lane before it ends (`release`): a device step whose
// draft was rejected lets the next device step start while the remote tier
// redoes it.
import type { Lane } from '../../core/task';

export interface ExecStep {
  id: string;
  deps: readonly string[];
  lane: Lane;
  /** Higher starts first among ready steps (the upward rank). */
  priority: number;
}

export type ExecStatus = 'waiting' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ExecOptions {
  remoteLimit: number;
  signal: AbortSignal;
  onStatus?: (id: string, status: ExecStatus) => void;
}

/** `run(id, signal, release)` does one step; resolves the final statuses (rejects with the first step error). */
export function executeGraph(
  steps: readonly ExecStep[],
  run: (id: string, signal: AbortSignal, release: () => void) => Promise<void>,
  opts: ExecOptions,
): Promise<Map<string, ExecStatus>> {
  const status = new Map<string, ExecStatus>(steps.map((s) => [s.id, 'waiting']));
  const cap: Record<Lane, number> = { device: 1, remote: Math.max(1, opts.remoteLimit), none: Infinity };
  const busy: Record<Lane, number> = { device: 0, remote: 0, none: 0 };
  const inner = new AbortController();
  const order = [...steps].sort((a, b) => b.priority - a.priority);
  const set = (id: string, s: ExecStatus) => {
    status.set(id, s);
    opts.onStatus?.(id, s);
  };
  return new Promise((resolve, reject) => {
    let failed: unknown = null;
    let running = 0;
    const cancelRest = () => {
      for (const s of steps) if (status.get(s.id) === 'waiting') set(s.id, 'cancelled');
    };
    const settle = () => {
      if (running > 0) return;
      if (failed !== null) reject(failed);
      else resolve(status);
    };
    const onAbort = () => {
      inner.abort();
      cancelRest();
      settle();
    };
    opts.signal.addEventListener('abort', onAbort, { once: true });
    const pump = () => {
      if (inner.signal.aborted) return settle();
      for (const s of order) {
        if (status.get(s.id) !== 'waiting' || busy[s.lane] >= cap[s.lane]) continue;
        if (!s.deps.every((d) => status.get(d) === 'done')) continue;
        busy[s.lane]++;
        running++;
        set(s.id, 'running');
        let held = true;
        const free = () => {
          if (!held) return false;
          held = false;
          busy[s.lane]--;
          return true;
        };
        const release = () => {
          if (free() && !inner.signal.aborted) pump();
        };
        run(s.id, inner.signal, release).then(
          () => set(s.id, inner.signal.aborted ? 'cancelled' : 'done'),
          (err) => {
            if (inner.signal.aborted && failed === null) return set(s.id, 'cancelled');
            set(s.id, 'failed');
            if (failed === null) {
              failed = err;
              inner.abort();
              cancelRest();
            }
          },
        ).finally(() => {
          free();
          running--;
          if ([...status.values()].every((v) => v !== 'waiting' && v !== 'running')) {
            opts.signal.removeEventListener('abort', onAbort);
            return settle();
          }
          pump();
        });
      }
      if (running === 0) settle();
    };
    if (opts.signal.aborted) onAbort();
    else pump();
  });
}
