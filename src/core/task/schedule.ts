// Predicting a task graph's end-to-end time under the latency model: list
// scheduling on two kinds of lanes — the device runs one generation at a
// time, remote tiers up to `remoteLimit` in parallel. Ready steps start by
// priority = the longest path from them to the end (so the critical path
// goes first). A step may hold its lane for less than its whole time
// (`laneMs`): a device step whose draft is rejected frees the device while
// the remote tier redoes it. Pure and deterministic.
import type { TaskGraph } from './types';

export type Lane = 'device' | 'remote' | 'none';

export interface TimedStep {
  id: string;
  deps: readonly string[];
  lane: Lane;
  /** Until the step's output is there (dependents may start). */
  ms: number;
  /** How long the step holds its lane (default: `ms`); at most `ms`. */
  laneMs?: number;
}

export interface ScheduledStep {
  id: string;
  lane: Lane;
  startMs: number;
  endMs: number;
  /** When the step frees its lane (≤ endMs). */
  laneEndMs: number;
}

export interface Schedule {
  makespanMs: number;
  steps: ScheduledStep[];
  /** The chain of steps that sets the end time, first to last. */
  criticalPath: string[];
}

export const DEFAULT_REMOTE_LIMIT = 4;

/** Longest path (ms) from each step to the end of the graph, itself included. */
export function upwardRank(steps: readonly TimedStep[]): Map<string, number> {
  const children = new Map<string, string[]>(steps.map((s) => [s.id, []]));
  for (const s of steps) for (const d of s.deps) children.get(d)?.push(s.id);
  const byId = new Map(steps.map((s) => [s.id, s]));
  const rank = new Map<string, number>();
  const visit = (id: string): number => {
    const known = rank.get(id);
    if (known !== undefined) return known;
    const r = (byId.get(id)?.ms ?? 0) + Math.max(0, ...(children.get(id) ?? []).map(visit));
    rank.set(id, r);
    return r;
  };
  for (const s of steps) visit(s.id);
  return rank;
}

/** Simulates the run: each lane's capacity, dependencies, priority by upward rank. */
export function simulate(steps: readonly TimedStep[], remoteLimit = DEFAULT_REMOTE_LIMIT): Schedule {
  const rank = upwardRank(steps);
  const cap: Record<Lane, number> = { device: 1, remote: Math.max(1, remoteLimit), none: Infinity };
  const busy: Record<Lane, number> = { device: 0, remote: 0, none: 0 };
  const end = new Map<string, number>();
  const started = new Map<string, ScheduledStep>();
  // Pending events: a lane freed, or a step's output there.
  const events: { at: number; kind: 'free' | 'done'; step: ScheduledStep }[] = [];
  let now = 0;
  while (end.size < steps.length) {
    const ready = steps
      .filter((s) => !started.has(s.id) && s.deps.every((d) => end.has(d)))
      .sort((a, b) => rank.get(b.id)! - rank.get(a.id)!);
    for (const s of ready) {
      if (busy[s.lane] >= cap[s.lane]) continue;
      busy[s.lane]++;
      const ms = Math.max(0, s.ms);
      const st = { id: s.id, lane: s.lane, startMs: now, endMs: now + ms, laneEndMs: now + Math.min(ms, Math.max(0, s.laneMs ?? ms)) };
      started.set(s.id, st);
      events.push({ at: st.laneEndMs, kind: 'free', step: st }, { at: st.endMs, kind: 'done', step: st });
    }
    if (!events.length) throw new Error('the task graph has a cycle or an unknown dependency');
    // Everything that happens at the earliest time, before the next starts.
    now = Math.min(...events.map((e) => e.at));
    for (const ev of events.filter((e) => e.at === now)) {
      if (ev.kind === 'free') busy[ev.step.lane]--;
      else end.set(ev.step.id, ev.step.endMs);
    }
    events.splice(0, events.length, ...events.filter((e) => e.at !== now));
  }
  const scheduled = steps.map((s) => started.get(s.id)!);
  return { makespanMs: Math.max(0, ...scheduled.map((s) => s.endMs)), steps: scheduled, criticalPath: criticalPath(steps, scheduled) };
}

/** Back from the last step: each time the predecessor (dependency or lane-mate) that ended when it started. */
function criticalPath(steps: readonly TimedStep[], sched: readonly ScheduledStep[]): string[] {
  const byId = new Map(sched.map((s) => [s.id, s]));
  const deps = new Map(steps.map((s) => [s.id, s.deps]));
  let cur = sched.reduce<ScheduledStep | undefined>((best, x) => (!best || x.endMs >= best.endMs ? x : best), undefined); // ties: the later step (the final one)
  const path: string[] = [];
  const eps = 1e-6;
  while (cur) {
    path.unshift(cur.id);
    const c = cur;
    const prev = (deps.get(c.id) ?? []).map((d) => byId.get(d)!).find((d) => Math.abs(d.endMs - c.startMs) < eps)
      ?? sched.find((s) => s.lane === c.lane && s.lane !== 'none' && s.id !== c.id && Math.abs(s.laneEndMs - c.startMs) < eps && c.startMs > 0);
    if (!prev || c.startMs <= 0) break;
    cur = prev;
  }
  return path;
}

export function stepsOf(g: TaskGraph, lane: (id: string) => Lane, ms: (id: string) => number): TimedStep[] {
  return g.nodes.map((n) => ({ id: n.id, deps: n.deps, lane: lane(n.id), ms: ms(n.id) }));
}
