// The task graph's layout for the UI: steps in columns by depth (a step sits
// one column right of its deepest dependency), and plain words for statuses.
import type { StepRecord, StepStatus } from '../../core/task/types';

export function layers(steps: readonly StepRecord[]): StepRecord[][] {
  const depth = new Map<string, number>();
  const byId = new Map(steps.map((s) => [s.id, s]));
  const d = (id: string, seen = new Set<string>()): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const v = Math.max(-1, ...(byId.get(id)?.deps ?? []).map((x) => d(x, seen))) + 1;
    depth.set(id, v);
    return v;
  };
  const out: StepRecord[][] = [];
  for (const s of steps) (out[d(s.id)] ??= []).push(s);
  return out.filter(Boolean);
}

export const STATUS_WORDS: Readonly<Record<StepStatus, string>> = Object.freeze({
  waiting: 'waiting',
  running: 'running',
  checking: 'checked',
  escalated: 'escalated',
  done: 'done',
  failed: 'failed',
  cancelled: 'stopped',
});
