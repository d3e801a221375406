// Where each step runs, for the graph as a whole (HybridFlow's scheduling):
// every step is first planned on its own by plan() (privacy, capability,
// latency with the step's length, the user's mode). Then, with the latency
// model and the scheduler's simulation:
//   1. a step the device would make the whole answer later than sending the
//      whole request to the cloud moves to its remote ladder (not in
//      privacy-first, never over privacy);
//   2. a remote step the device answers well enough moves to the device when
//      it has the slack to: the answer is predicted no later than before
//      (balanced: no later than BALANCED_SLACK_FACTOR × the whole request in
//      the cloud), biggest first.
// The device part of a ladder is still checked and escalated like a turn.
import type { Mode, Tier } from '../types';
import type { Plan, Strategy } from '../policy/plan-types';
import { remoteLadder } from '../policy/ladders';
import { simulate, type Lane, type Schedule, type TimedStep } from './schedule';

/** A step goes to the device by the scheduler only when its answer passes the check at least this often. */
export const DEVICE_MIN_P_ACCEPT = 0.5;
/**
 * Balanced mode lets the device take steps while the whole answer is
 * predicted no later than this factor × the whole request in the cloud
 * (performance-first: no later than the graph as planned; privacy-first: the
 * device always goes first).
 */
export const BALANCED_SLACK_FACTOR = 1.1;

export interface StepPlan {
  id: string;
  deps: readonly string[];
  /** 'assemble' steps generate nothing. */
  assembly: boolean;
  outputTokens: number;
  plan: Plan | null;
}

export interface StepChoice {
  id: string;
  lane: Lane;
  tiers: Tier[];
  ms: number;
  /** Expected generated tokens on the device and remotely (escalations counted by probability). */
  localTokens: number;
  remoteTokens: number;
  /** Why the scheduler changed plan()'s choice; null when it did not. */
  moved: 'to-device' | 'to-remote' | null;
}

export interface Assignment {
  choices: Map<string, StepChoice>;
  schedule: Schedule;
  localTokenShare: number;
}

interface Option {
  lane: Lane;
  tiers: Tier[];
  ms: number;
  localTokens: number;
  remoteTokens: number;
}

function remoteOption(p: Plan, n: number): Option | null {
  const remote = remoteLadder(p.allowed);
  if (!remote.length) return null;
  if (p.tiers.length && p.tiers[0] !== 'local') return { lane: 'remote', tiers: [...p.tiers], ms: p.expected.totalMs, localTokens: 0, remoteTokens: n };
  const tiers: Tier[] = p.allowed.cloud ? ['cloud'] : ['edge'];
  return { lane: 'remote', tiers, ms: (tiers[0] === 'cloud' ? p.latency.cloudMs : p.latency.edgeMs) ?? Infinity, localTokens: 0, remoteTokens: n };
}

function deviceOption(p: Plan, n: number): Option | null {
  if (!p.allowed.local || p.constraints.includes('context-window')) return null;
  if (p.tiers[0] === 'local') {
    const escalates = p.tiers.length > 1;
    return { lane: 'device', tiers: [...p.tiers], ms: p.expected.totalMs, localTokens: n, remoteTokens: escalates ? (1 - p.expected.pAccept) * n : 0 };
  }
  const remote = remoteLadder(p.allowed);
  return { lane: 'device', tiers: ['local', ...remote], ms: p.expected.localFirstMs, localTokens: n, remoteTokens: remote.length ? (1 - p.expected.pAccept) * n : 0 };
}

const NONE: Option = { lane: 'none', tiers: [], ms: 0, localTokens: 0, remoteTokens: 0 };

function initial(s: StepPlan): Option {
  if (s.assembly || !s.plan || !s.plan.tiers.length) return NONE;
  return s.plan.tiers[0] === 'local' ? deviceOption(s.plan, s.outputTokens)! : remoteOption(s.plan, s.outputTokens)!;
}

function timed(steps: readonly StepPlan[], pick: Map<string, Option>): TimedStep[] {
  return steps.map((s) => ({ id: s.id, deps: s.deps, lane: pick.get(s.id)!.lane, ms: pick.get(s.id)!.ms }));
}

export interface AssignOptions {
  mode: Mode;
  /** The whole request answered by the cloud in one go (the baseline). */
  allCloudMs: number | null;
  remoteLimit?: number;
}

/** Moves one step at a time while the move is allowed and accepted by `keep`; returns the moves made. */
function improve(
  steps: readonly StepPlan[], pick: Map<string, Option>, moved: Map<string, StepChoice['moved']>,
  candidates: () => { id: string; to: Option }[], keep: (before: number, after: number) => boolean, limit: number,
): void {
  for (const c of candidates()) {
    const before = simulate(timed(steps, pick), limit).makespanMs;
    const old = pick.get(c.id)!;
    pick.set(c.id, c.to);
    const after = simulate(timed(steps, pick), limit).makespanMs;
    if (keep(before, after)) moved.set(c.id, c.to.lane === 'device' ? 'to-device' : 'to-remote');
    else pick.set(c.id, old);
  }
}

export function assignSteps(steps: readonly StepPlan[], opts: AssignOptions): Assignment {
  const limit = opts.remoteLimit ?? 4;
  const pick = new Map(steps.map((s) => [s.id, initial(s)]));
  const moved = new Map<string, StepChoice['moved']>();
  const budget0 = opts.allCloudMs ?? Infinity;
  if (opts.mode !== 'privacy-first') {
    // 1. Device steps that make the answer later than the whole request in the cloud.
    improve(steps, pick, moved, () => {
      const sched = simulate(timed(steps, pick), limit);
      if (sched.makespanMs <= budget0) return [];
      return sched.criticalPath
        .map((id) => steps.find((s) => s.id === id)!)
        .filter((s) => pick.get(s.id)!.lane === 'device' && s.plan && remoteOption(s.plan, s.outputTokens))
        .map((s) => ({ id: s.id, to: remoteOption(s.plan!, s.outputTokens)! }));
    }, (before, after) => after < before, limit);
    // 2. Remote steps the device can take in its slack, biggest first.
    const now = simulate(timed(steps, pick), limit).makespanMs;
    const budget = opts.mode === 'balanced' ? Math.max(now, budget0 === Infinity ? now : budget0 * BALANCED_SLACK_FACTOR) : now;
    improve(steps, pick, moved, () => steps
      .filter((s) => pick.get(s.id)!.lane === 'remote' && s.plan && s.plan.expected.pAccept >= DEVICE_MIN_P_ACCEPT && deviceOption(s.plan, s.outputTokens))
      .sort((a, b) => b.outputTokens - a.outputTokens)
      .map((s) => ({ id: s.id, to: deviceOption(s.plan!, s.outputTokens)! })), (_b, after) => after <= budget + 1e-6, limit);
  }
  const schedule = simulate(timed(steps, pick), limit);
  const choices = new Map<string, StepChoice>();
  let local = 0;
  let remote = 0;
  for (const s of steps) {
    const o = pick.get(s.id)!;
    local += o.localTokens;
    remote += o.remoteTokens;
    choices.set(s.id, { id: s.id, lane: o.lane, tiers: o.tiers, ms: o.ms, localTokens: o.localTokens, remoteTokens: o.remoteTokens, moved: moved.get(s.id) ?? null });
  }
  return { choices, schedule, localTokenShare: local + remote > 0 ? local / (local + remote) : 0 };
}

/**
 * plan() decided for a step on its own; the graph's scheduler prefers a lane.
 * Returns the step's plan with the ladder for that lane — only where plan()
 * allows the tiers (privacy and connectivity are never overridden).
 */
export function planForLane(p: Plan, lane: Lane): Plan {
  if (lane === 'none' || !p.tiers.length) return p;
  const first = p.tiers[0];
  if (lane === 'device' && first !== 'local' && p.allowed.local) {
    const remote = remoteLadder(p.allowed);
    const strategy: Strategy = remote.length ? 'local-verify' : 'local-only';
    return {
      ...p, tiers: ['local', ...remote], strategy, hedge: false, route: 'local', bestEffort: !remote.length,
      reasons: ['Runs on this device while remote steps are in progress: the whole answer is not predicted to be later.', ...p.reasons],
    };
  }
  if (lane === 'remote' && first === 'local') {
    const remote = remoteLadder(p.allowed);
    if (!remote.length) return p;
    const tiers: Tier[] = p.allowed.cloud ? ['cloud'] : ['edge'];
    return {
      ...p, tiers, strategy: tiers[0] === 'cloud' ? 'cloud-direct' : 'edge-direct', hedge: false, route: tiers[0], bestEffort: tiers[0] === 'edge',
      reasons: ['Sent to the remote model: on the device this step would hold up the whole answer.', ...p.reasons],
    };
  }
  return p;
}
