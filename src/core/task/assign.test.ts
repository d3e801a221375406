// The graph's scheduler: the exact search over lanes, its budget, and the
// rules it never breaks (privacy, the device's capability). Plans are minimal
// stand-ins with the fields the scheduler reads.
import { describe, expect, it } from 'vitest';
import type { Plan } from '../policy/plan-types';
import type { Tier } from '../types';
import { assignSteps, DEVICE_MIN_P_ACCEPT, planForLane, simulate, type StepPlan } from './index';

interface Fake { local: number; cloud: number; p: number; first: Tier; cloudAllowed?: boolean }

/** A plan() result: device and cloud times (ms), P(accept), the tier plan() chose first. */
function fakePlan(f: Fake): Plan {
  const cloudAllowed = f.cloudAllowed ?? true;
  const check = 100;
  const localFirst = f.local + (cloudAllowed ? check + (1 - f.p) * f.cloud : 0);
  const tiers: Tier[] = f.first === 'local' ? (cloudAllowed ? ['local', 'cloud'] : ['local']) : ['cloud'];
  return {
    tiers, allowed: { local: true, edge: false, cloud: cloudAllowed }, constraints: [],
    expected: { localMs: f.local, cloudMs: f.cloud, edgeMs: null, checkMs: check, localFirstMs: localFirst, totalMs: f.first === 'local' ? localFirst : f.cloud, pAccept: f.p },
    latency: { localMs: f.local, cloudMs: f.cloud, edgeMs: null },
  } as unknown as Plan;
}

const step = (id: string, deps: string[], tokens: number, f: Fake): StepPlan => ({ id, deps, assembly: false, outputTokens: tokens, plan: fakePlan(f) });
const join = (deps: string[]): StepPlan => ({ id: 'final', deps, assembly: true, outputTokens: 0, plan: null });

describe('lanes by exact search', () => {
  it('finds the placement with the most device tokens within the budget where biggest-first would not', () => {
    // Budget 1.1 × 10 s = 11 s on the device lane: 6 + 5 fits (1100 tokens), the biggest (700) with anything else does not.
    const steps = [
      step('big', [], 700, { local: 7000, cloud: 2000, p: 1, first: 'cloud' }),
      step('m1', [], 600, { local: 5900, cloud: 2000, p: 1, first: 'cloud' }),
      step('m2', [], 500, { local: 4900, cloud: 2000, p: 1, first: 'cloud' }),
      join(['big', 'm1', 'm2']),
    ];
    const a = assignSteps(steps, { mode: 'balanced', allCloudMs: 10_000 });
    expect(a.choices.get('big')!.lane).toBe('remote');
    expect(a.choices.get('m1')!.lane).toBe('device');
    expect(a.choices.get('m2')!.lane).toBe('device');
    expect(a.choices.get('m1')!.moved).toBe('to-device');
    expect(a.schedule.makespanMs).toBeLessThanOrEqual(11_000);
  });

  it('never puts a step the device answers badly on the device, however much slack there is', () => {
    const steps = [step('hard', [], 500, { local: 1000, cloud: 5000, p: DEVICE_MIN_P_ACCEPT - 0.01, first: 'cloud' }), join(['hard'])];
    const a = assignSteps(steps, { mode: 'balanced', allCloudMs: 100_000 });
    expect(a.choices.get('hard')!.lane).toBe('remote');
    expect(a.localTokenShare).toBe(0);
  });

  it('never moves a step that may not leave off the device, even over the budget', () => {
    const steps = [step('private', [], 300, { local: 30_000, cloud: 2000, p: 0.6, first: 'local', cloudAllowed: false }), join(['private'])];
    const a = assignSteps(steps, { mode: 'balanced', allCloudMs: 2000 });
    expect(a.choices.get('private')!.lane).toBe('device');
    expect(a.choices.get('private')!.tiers).toEqual(['local']);
  });

  it('over the budget whatever it does, it takes the fastest placement', () => {
    const steps = [
      step('a', [], 200, { local: 8000, cloud: 3000, p: 0.9, first: 'local' }),
      step('b', ['a'], 200, { local: 8000, cloud: 3000, p: 0.9, first: 'local' }),
      join(['b']),
    ];
    const a = assignSteps(steps, { mode: 'balanced', allCloudMs: 3000 });
    expect(a.choices.get('a')!.lane).toBe('remote');
    expect(a.choices.get('b')!.lane).toBe('remote');
    expect(a.schedule.makespanMs).toBe(6000);
  });

  it('privacy-first keeps plan()’s choices; performance-first takes device work only where the answer is no later', () => {
    const steps = [
      step('r', [], 400, { local: 8000, cloud: 6000, p: 0.9, first: 'cloud' }),
      step('d', [], 100, { local: 1000, cloud: 1500, p: 0.9, first: 'cloud' }),
      join(['r', 'd']),
    ];
    const pf = assignSteps(steps, { mode: 'privacy-first', allCloudMs: 100_000 });
    expect([pf.choices.get('r')!.lane, pf.choices.get('d')!.lane]).toEqual(['remote', 'remote']);
    const perf = assignSteps(steps, { mode: 'performance-first', allCloudMs: 100_000 });
    expect(perf.choices.get('r')!.lane).toBe('remote');
    expect(perf.choices.get('d')!.lane).toBe('device');
    expect(perf.schedule.makespanMs).toBe(6000);
  });

  it('a device step holds the device only until its draft is checked; its output counts the expected escalation', () => {
    const steps = [
      step('s1', [], 100, { local: 2000, cloud: 1000, p: 0.5, first: 'local' }),
      step('s2', [], 100, { local: 2000, cloud: 1000, p: 0.5, first: 'local' }),
      join(['s1', 's2']),
    ];
    const a = assignSteps(steps, { mode: 'balanced', allCloudMs: 100_000 });
    const at = Object.fromEntries(a.schedule.steps.map((s) => [s.id, s]));
    expect(a.choices.get('s1')!.laneMs).toBe(2100);
    expect(a.choices.get('s1')!.ms).toBe(2600);
    const [first, second] = [at.s1, at.s2].sort((x, y) => x.startMs - y.startMs);
    expect(second.startMs).toBe(first.laneEndMs); // not first.endMs
    expect(a.schedule.makespanMs).toBe(4200 + 500);
    expect(a.localTokenShare).toBeCloseTo(200 / (200 + 100));
  });
});

describe('simulation with lanes freed early', () => {
  it('the next device step starts when the lane is free; a dependent waits for the output', () => {
    const s = simulate([
      { id: 'x', deps: [], lane: 'device', ms: 3000, laneMs: 1000 },
      { id: 'y', deps: [], lane: 'device', ms: 1000 },
      { id: 'z', deps: ['x'], lane: 'device', ms: 500 },
    ]);
    const at = Object.fromEntries(s.steps.map((x) => [x.id, [x.startMs, x.endMs, x.laneEndMs]]));
    expect(at.x).toEqual([0, 3000, 1000]);
    expect(at.y).toEqual([1000, 2000, 2000]);
    expect(at.z).toEqual([3000, 3500, 3500]);
    expect(s.makespanMs).toBe(3500);
  });
});

describe('a step in the lane the scheduler chose', () => {
  const withReasons = (f: Fake, reasons: string[]) => ({ ...fakePlan(f), reasons, strategy: 'local-verify', route: f.first, hedge: false, bestEffort: false }) as Plan;
  it('moved off the device: the cloud alone, and a reason that says why (never the plan\'s "on device is faster")', () => {
    const p = planForLane(withReasons({ local: 3000, cloud: 2000, p: 0.65, first: 'local' }, ['On device is faster for this question']), 'remote');
    expect(p.tiers).toEqual(['cloud']);
    expect(p.reasons[0]).toBe('The device is busy with other steps, and there this one would hold up the whole answer');
  });
  it('moved to the device: the device first, the cloud behind its check, and the budget in the reason', () => {
    const p = planForLane(withReasons({ local: 3000, cloud: 2000, p: 0.65, first: 'cloud' }, ['The cloud is faster for this question']), 'device');
    expect(p.tiers).toEqual(['local', 'cloud']);
    expect(p.reasons[0]).toMatch(/^Runs on this device alongside the remote steps: .* at most 10 % longer/);
  });
  it('never onto a tier the plan does not allow', () => {
    const kept = withReasons({ local: 3000, cloud: 2000, p: 0.65, first: 'local', cloudAllowed: false }, ['Kept on device: contains a card number']);
    expect(planForLane(kept, 'remote')).toBe(kept);
  });
});
