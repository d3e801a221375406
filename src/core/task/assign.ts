// Where each step runs, for the graph as a whole (HybridFlow's scheduling):
// every step is first planned on its own by plan() (privacy, capability,
// latency with the step's length, the user's mode). Then, with the latency
// model and the scheduler's simulation, an exact search over the lanes of the
// steps that may run on either side (at most 2^(MAX_NODES−1) simulations):
//   - a step plan() sent to the device may go to its remote ladder (not in
//     privacy-first, never over privacy: a never-sendable step has none);
//   - a remote step may go to the device only when the device answers it
//     well enough (pAccept ≥ DEVICE_MIN_P_ACCEPT), never just for share;
//   - among the placements predicted no later than the budget (balanced:
//     BALANCED_SLACK_FACTOR × the whole request in the cloud; performance-
//     first: the fastest placement; no cloud baseline: plan()'s own
//     placement), the one with the most tokens generated on the device wins,
//     then the earliest answer, then the fewest changes to plan()'s choices.
//     When no placement meets the budget, the fastest one is taken.
// A device step holds the device only until its draft is checked: a rejected
// draft is redone remotely while the device goes on (`laneMs`).
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
  /** Expected time until the step's output is there (escalation counted by probability). */
  ms: number;
  /** Time the step holds its lane (the device: until its draft is checked). */
  laneMs: number;
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
  laneMs: number;
  localTokens: number;
  remoteTokens: number;
}

function remoteOption(p: Plan, n: number): Option | null {
  const remote = remoteLadder(p.allowed);
  if (!remote.length) return null;
  if (p.tiers.length && p.tiers[0] !== 'local') return { lane: 'remote', tiers: [...p.tiers], ms: p.expected.totalMs, laneMs: p.expected.totalMs, localTokens: 0, remoteTokens: n };
  const tiers: Tier[] = p.allowed.cloud ? ['cloud'] : ['edge'];
  const ms = (tiers[0] === 'cloud' ? p.latency.cloudMs : p.latency.edgeMs) ?? Infinity;
  return { lane: 'remote', tiers, ms, laneMs: ms, localTokens: 0, remoteTokens: n };
}

/** The device first; its lane is held until the draft is checked (a rejected one is redone remotely meanwhile). */
function deviceOption(p: Plan, n: number): Option | null {
  if (!p.allowed.local || p.constraints.includes('context-window')) return null;
  const held = (checked: boolean, ms: number) => Math.min(ms, p.expected.localMs + (checked ? p.expected.checkMs : 0));
  if (p.tiers[0] === 'local') {
    const escalates = p.tiers.length > 1;
    const ms = p.expected.totalMs;
    return { lane: 'device', tiers: [...p.tiers], ms, laneMs: held(escalates, ms), localTokens: n, remoteTokens: escalates ? (1 - p.expected.pAccept) * n : 0 };
  }
  const remote = remoteLadder(p.allowed);
  const ms = p.expected.localFirstMs;
  return { lane: 'device', tiers: ['local', ...remote], ms, laneMs: held(remote.length > 0, ms), localTokens: n, remoteTokens: remote.length ? (1 - p.expected.pAccept) * n : 0 };
}

const NONE: Option = { lane: 'none', tiers: [], ms: 0, laneMs: 0, localTokens: 0, remoteTokens: 0 };

function initial(s: StepPlan): Option {
  if (s.assembly || !s.plan || !s.plan.tiers.length) return NONE;
  return s.plan.tiers[0] === 'local' ? deviceOption(s.plan, s.outputTokens)! : remoteOption(s.plan, s.outputTokens)!;
}

function timed(steps: readonly StepPlan[], pick: Map<string, Option>): TimedStep[] {
  return steps.map((s) => {
    const o = pick.get(s.id)!;
    return { id: s.id, deps: s.deps, lane: o.lane, ms: o.ms, laneMs: o.laneMs };
  });
}

export interface AssignOptions {
  mode: Mode;
  /** The whole request answered by the cloud in one go (the baseline). */
  allCloudMs: number | null;
  remoteLimit?: number;
}

/** The lanes a step may take: plan()'s choice first, then the other side where allowed. */
function optionsOf(s: StepPlan, mode: Mode): Option[] {
  const first = initial(s);
  if (first.lane === 'none' || mode === 'privacy-first' || !s.plan) return [first];
  if (first.lane === 'device') {
    const remote = remoteOption(s.plan, s.outputTokens);
    return remote ? [first, remote] : [first];
  }
  const device = s.plan.expected.pAccept >= DEVICE_MIN_P_ACCEPT ? deviceOption(s.plan, s.outputTokens) : null;
  return device ? [first, device] : [first];
}

interface Candidate {
  pick: Map<string, Option>;
  makespanMs: number;
  localTokens: number;
  changes: number;
}

/** Every placement of the steps with two options (plan()'s first), simulated. */
function enumerate(steps: readonly StepPlan[], options: Map<string, Option[]>, limit: number): Candidate[] {
  const free = steps.filter((s) => options.get(s.id)!.length > 1);
  const out: Candidate[] = [];
  for (let mask = 0; mask < 1 << free.length; mask++) {
    const pick = new Map(steps.map((s) => [s.id, options.get(s.id)![0]]));
    free.forEach((s, i) => { if (mask & (1 << i)) pick.set(s.id, options.get(s.id)![1]); });
    const localTokens = [...pick.values()].reduce((n, o) => n + o.localTokens, 0);
    out.push({ pick, makespanMs: simulate(timed(steps, pick), limit).makespanMs, localTokens, changes: popcount(mask) });
  }
  return out;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}

const EPS_MS = 1e-6;
const EPS_TOKENS = 1e-9;

/** The budget the answer must be predicted within (see the top of the file). */
function budgetOf(opts: AssignOptions, cands: readonly Candidate[]): number {
  const fastest = Math.min(...cands.map((c) => c.makespanMs));
  const planned = cands[0].makespanMs; // mask 0: plan()'s own choices
  if (opts.mode === 'performance-first') return fastest;
  if (opts.allCloudMs === null || !Number.isFinite(opts.allCloudMs)) return planned;
  const budget = opts.allCloudMs * BALANCED_SLACK_FACTOR;
  return fastest <= budget + EPS_MS ? budget : fastest;
}

/** Most device tokens within the budget, then earliest, then fewest changes (then enumeration order). */
function best(cands: readonly Candidate[], budget: number): Candidate {
  let win: Candidate | null = null;
  for (const c of cands) {
    if (c.makespanMs > budget + EPS_MS) continue;
    if (!win) win = c;
    else if (c.localTokens > win.localTokens + EPS_TOKENS) win = c;
    else if (Math.abs(c.localTokens - win.localTokens) <= EPS_TOKENS) {
      if (c.makespanMs < win.makespanMs - EPS_MS || (Math.abs(c.makespanMs - win.makespanMs) <= EPS_MS && c.changes < win.changes)) win = c;
    }
  }
  return win ?? cands[0];
}

export function assignSteps(steps: readonly StepPlan[], opts: AssignOptions): Assignment {
  const limit = opts.remoteLimit ?? 4;
  const options = new Map(steps.map((s) => [s.id, optionsOf(s, opts.mode)]));
  const cands = enumerate(steps, options, limit);
  const pick = best(cands, budgetOf(opts, cands)).pick;
  const schedule = simulate(timed(steps, pick), limit);
  const choices = new Map<string, StepChoice>();
  let local = 0;
  let remote = 0;
  for (const s of steps) {
    const o = pick.get(s.id)!;
    local += o.localTokens;
    remote += o.remoteTokens;
    const was = options.get(s.id)![0].lane;
    const moved = o.lane === was ? null : o.lane === 'device' ? 'to-device' : 'to-remote';
    choices.set(s.id, { id: s.id, lane: o.lane, tiers: o.tiers, ms: o.ms, laneMs: o.laneMs, localTokens: o.localTokens, remoteTokens: o.remoteTokens, moved });
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
      reasons: [`Runs on this device alongside the remote steps: the whole answer is predicted to take at most ${Math.round((BALANCED_SLACK_FACTOR - 1) * 100)} % longer than sending it all to the cloud.`, ...p.reasons],
    };
  }
  if (lane === 'remote' && first === 'local') {
    const remote = remoteLadder(p.allowed);
    if (!remote.length) return p;
    const tiers: Tier[] = p.allowed.cloud ? ['cloud'] : ['edge'];
    return {
      ...p, tiers, strategy: tiers[0] === 'cloud' ? 'cloud-direct' : 'edge-direct', hedge: false, route: tiers[0], bestEffort: tiers[0] === 'edge',
      reasons: ['The device is busy with other steps, and there this one would hold up the whole answer', ...p.reasons],
    };
  }
  return p;
}
