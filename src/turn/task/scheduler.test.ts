// The graph executor with fake engines on a fake clock: no timers, no
// wall-clock time — a step "takes" virtual milliseconds and the test moves
// the clock.
import { describe, expect, it } from 'vitest';
import { executeGraph, type ExecStep } from './scheduler';

class FakeClock {
  now = 0;
  private timers: { at: number; fire: () => void }[] = [];
  /** Resolves after `ms` virtual milliseconds; rejects when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = { at: this.now + ms, fire: resolve };
      this.timers.push(t);
      signal.addEventListener('abort', () => {
        this.timers = this.timers.filter((x) => x !== t);
        reject(new Error('aborted'));
      }, { once: true });
    });
  }
  get pending(): number {
    return this.timers.length;
  }
  /** Fires the next timer(s) and lets the promise chains settle. */
  async step(): Promise<boolean> {
    if (!this.timers.length) return false;
    this.timers.sort((a, b) => a.at - b.at);
    const at = this.timers[0].at;
    this.now = at;
    const due = this.timers.filter((t) => t.at === at);
    this.timers = this.timers.filter((t) => t.at !== at);
    for (const t of due) t.fire();
    for (let i = 0; i < 10; i++) await Promise.resolve();
    return true;
  }
  async runAll(): Promise<void> {
    while (await this.step()) { /* next */ }
  }
}

function harness(durations: Record<string, number>, fail: Record<string, boolean> = {}) {
  const clock = new FakeClock();
  const log: { id: string; start: number; end?: number; aborted?: boolean }[] = [];
  let device = 0;
  let remote = 0;
  let maxDevice = 0;
  let maxRemote = 0;
  const lanes: Record<string, 'device' | 'remote'> = {};
  const run = async (id: string, signal: AbortSignal) => {
    const lane = lanes[id];
    const entry: (typeof log)[number] = { id, start: clock.now };
    log.push(entry);
    if (lane === 'device') maxDevice = Math.max(maxDevice, ++device);
    else maxRemote = Math.max(maxRemote, ++remote);
    try {
      await clock.sleep(durations[id], signal);
      if (fail[id]) throw new Error(`${id} could not be answered`);
      entry.end = clock.now;
    } catch (e) {
      if (signal.aborted) entry.aborted = true;
      throw e;
    } finally {
      if (lane === 'device') device--;
      else remote--;
    }
  };
  return { clock, log, run, lanes, max: () => ({ device: maxDevice, remote: maxRemote }) };
}

const GRAPH: ExecStep[] = [
  { id: 'outline', deps: [], lane: 'remote', priority: 10 },
  { id: 'personal', deps: [], lane: 'device', priority: 2 },
  { id: 'background', deps: ['outline'], lane: 'device', priority: 6 },
  { id: 'analysis', deps: ['outline'], lane: 'remote', priority: 8 },
  { id: 'recs', deps: ['outline'], lane: 'remote', priority: 5 },
  { id: 'summary', deps: ['background', 'analysis', 'recs'], lane: 'device', priority: 2 },
  { id: 'final', deps: ['summary', 'personal'], lane: 'none', priority: 0 },
];
const MS = { outline: 2000, personal: 1500, background: 3000, analysis: 4000, recs: 2500, summary: 1000, final: 0 };

describe('task graph executor (fake engines, fake clock)', () => {
  it('runs in topological order: independent steps in parallel, the device one at a time', async () => {
    const h = harness(MS);
    for (const s of GRAPH) if (s.lane !== 'none') h.lanes[s.id] = s.lane;
    const done = executeGraph(GRAPH, h.run, { remoteLimit: 4, signal: new AbortController().signal });
    await h.clock.runAll();
    const statuses = await done;
    expect([...statuses.values()].every((s) => s === 'done')).toBe(true);
    const at = Object.fromEntries(h.log.map((e) => [e.id, [e.start, e.end]]));
    expect(at.outline).toEqual([0, 2000]);
    expect(at.personal).toEqual([0, 1500]); // the device works while the cloud writes the outline
    expect(at.analysis).toEqual([2000, 6000]);
    expect(at.recs).toEqual([2000, 4500]);
    expect(at.background).toEqual([2000, 5000]);
    expect(at.summary).toEqual([6000, 7000]); // after its last dependency
    expect(at.final[0]).toBe(7000);
    expect(h.max()).toEqual({ device: 1, remote: 2 });
  });

  it('a device step that frees its lane (its draft was rejected) lets the next device step start while it is redone', async () => {
    const clock = new FakeClock();
    const starts: Record<string, number> = {};
    const ends: Record<string, number> = {};
    const steps: ExecStep[] = [
      { id: 'x', deps: [], lane: 'device', priority: 3 },
      { id: 'y', deps: [], lane: 'device', priority: 2 },
      { id: 'z', deps: ['x'], lane: 'device', priority: 1 },
    ];
    const run = async (id: string, signal: AbortSignal, release: () => void) => {
      starts[id] = clock.now;
      await clock.sleep(1000, signal); // the device's draft
      if (id === 'x') {
        release(); // rejected: the remote tier redoes it, the device goes on
        release(); // twice is harmless
        await clock.sleep(2000, signal);
      }
      ends[id] = clock.now;
    };
    const done = executeGraph(steps, run, { remoteLimit: 4, signal: new AbortController().signal });
    await clock.runAll();
    await done;
    expect(starts).toEqual({ x: 0, y: 1000, z: 3000 }); // y at once, z only after x's output
    expect(ends).toEqual({ x: 3000, y: 2000, z: 4000 });
  });

  it('remote steps beyond the limit wait for a free slot', async () => {
    const steps: ExecStep[] = ['a', 'b', 'c'].map((id) => ({ id, deps: [], lane: 'remote', priority: 1 }));
    const h = harness({ a: 1000, b: 1000, c: 1000 });
    const done = executeGraph(steps, h.run, { remoteLimit: 2, signal: new AbortController().signal });
    await h.clock.runAll();
    await done;
    expect(h.max().remote).toBe(2);
    expect(h.log.find((e) => e.id === 'c')!.start).toBe(1000);
  });

  it('Stop cancels every running step and starts no new one', async () => {
    const h = harness(MS);
    for (const s of GRAPH) if (s.lane !== 'none') h.lanes[s.id] = s.lane;
    const stop = new AbortController();
    const seen: string[] = [];
    const done = executeGraph(GRAPH, h.run, { remoteLimit: 4, signal: stop.signal, onStatus: (id, s) => seen.push(`${id}:${s}`) });
    await h.clock.step(); // personal done at 1500
    await h.clock.step(); // outline done at 2000: background, analysis, recs start
    expect(h.clock.pending).toBe(3);
    stop.abort();
    const statuses = await done;
    expect(h.clock.pending).toBe(0);
    expect(h.log.filter((e) => e.aborted).map((e) => e.id).sort()).toEqual(['analysis', 'background', 'recs']);
    expect(statuses.get('summary')).toBe('cancelled');
    expect(statuses.get('final')).toBe('cancelled');
    expect(statuses.get('outline')).toBe('done');
    expect(h.log.some((e) => e.id === 'summary')).toBe(false);
    expect(seen).toContain('analysis:cancelled');
  });

  it('a failing step cancels the rest and the run rejects with its error', async () => {
    const h = harness(MS, { recs: true });
    for (const s of GRAPH) if (s.lane !== 'none') h.lanes[s.id] = s.lane;
    const done = executeGraph(GRAPH, h.run, { remoteLimit: 4, signal: new AbortController().signal });
    const outcome = done.then(() => null, (e: Error) => e.message);
    await h.clock.runAll();
    expect(await outcome).toBe('recs could not be answered');
    expect(h.log.filter((e) => e.aborted).map((e) => e.id).sort()).toEqual(['analysis', 'background']);
    expect(h.log.some((e) => e.id === 'summary')).toBe(false);
  });
});
