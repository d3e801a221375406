// The latency-policy simulation: over a grid of device speed × RTT × cloud
// load × output length, how close is the route plan() picks to the faster of
// the device and the cloud? The policy is told the true parameters (this
// measures the decision, not the estimator) and the capability question is
// taken out (every local answer accepted, check 0 ms) so "the faster side" is
// well defined — the same set-up as table A of bench/routing.ts.
import type { QueryKind } from '../types';
import { plan, type PlanSettings } from '../policy/plan';
import { estimateCloud, estimateLocal, PREFILL_PER_DECODE } from '../latency/model';
import { classifyQuery } from '../capability/classify';
import { DEFAULT_LOCAL_PROFILE, type CapabilityProfile } from '../capability/profile';

export interface GridAxes {
  decodeTps: readonly number[];
  rttMs: readonly number[];
  load: readonly number[];
  outputTokens: readonly number[];
}

export const DEFAULT_AXES: Readonly<GridAxes> = Object.freeze({
  decodeTps: [5, 10, 20, 35, 50, 70, 100],
  rttMs: [10, 50, 100, 200, 350, 500],
  load: [0, 0.3, 0.6, 0.9],
  outputTokens: [10, 30, 100, 300, 600, 1000],
});

export interface GridCloud {
  ttftMs: number;
  tps: number;
  promptTokens: number;
}

export const DEFAULT_GRID_CLOUD: Readonly<GridCloud> = Object.freeze({ ttftMs: 400, tps: 80, promptTokens: 50 });

/** One (decode, RTT) cell, aggregated over load × output tokens. */
export interface GridCell {
  decodeTps: number;
  rttMs: number;
  /** Mean of T(route picked) / min(T_local, T_cloud): 1 = always the faster side. */
  meanRatio: number;
  maxRatio: number;
  /** Share of the points routed to the device. */
  localShare: number;
  points: number;
}

export interface LatencyGrid {
  axes: GridAxes;
  cells: GridCell[];
  /** Over every point of the grid. */
  overall: { points: number; meanRatio: number; maxRatio: number; localShare: number };
}

const ALWAYS_ACCEPT: CapabilityProfile = {
  ...DEFAULT_LOCAL_PROFILE,
  prior: Object.fromEntries(Object.keys(DEFAULT_LOCAL_PROFILE.prior).map((k) => [k, 1])) as Record<QueryKind, number>,
  constraintFactor: 1,
};

const TEXT = 'What is the difference between a list and a tuple?';

export function latencyGrid(
  settings: PlanSettings = { mode: 'balanced' },
  axes: GridAxes = DEFAULT_AXES,
  cloud: GridCloud = DEFAULT_GRID_CLOUD,
): LatencyGrid {
  const classification = classifyQuery(TEXT);
  const cells: GridCell[] = [];
  let all = 0;
  let sum = 0;
  let max = 0;
  let local = 0;
  for (const decode of axes.decodeTps) {
    for (const rtt of axes.rttMs) {
      let cSum = 0;
      let cMax = 0;
      let cLocal = 0;
      let cN = 0;
      for (const load of axes.load) {
        for (const out of axes.outputTokens) {
          const prefill = decode * PREFILL_PER_DECODE;
          const L = estimateLocal({ promptTokens: cloud.promptTokens, outputTokens: out, prefillTps: prefill, decodeTps: decode }).totalMs;
          const C = estimateCloud({ promptTokens: cloud.promptTokens, outputTokens: out, rttMs: rtt, load, ttftMs: cloud.ttftMs, tps: cloud.tps }).totalMs;
          const p = plan({
            query: { text: TEXT, classification },
            privacy: { action: 'allow', sensitivity: 0 },
            network: { online: true, cloudConfigured: true, rttMs: rtt, cloudLoad: load, cloudTtftMs: cloud.ttftMs, cloudTps: cloud.tps },
            device: { localAvailable: true, decodeTps: decode, prefillTps: prefill },
            settings: { ...settings, localProfile: ALWAYS_ACCEPT, checkMs: 0 },
            promptTokens: cloud.promptTokens,
            outputTokens: out,
          });
          const onDevice = p.route === 'local';
          const ratio = (onDevice ? L : C) / Math.min(L, C);
          cSum += ratio;
          cMax = Math.max(cMax, ratio);
          if (onDevice) cLocal += 1;
          cN += 1;
        }
      }
      cells.push({ decodeTps: decode, rttMs: rtt, meanRatio: cSum / cN, maxRatio: cMax, localShare: cLocal / cN, points: cN });
      all += cN;
      sum += cSum;
      max = Math.max(max, cMax);
      local += cLocal;
    }
  }
  return {
    axes: { decodeTps: [...axes.decodeTps], rttMs: [...axes.rttMs], load: [...axes.load], outputTokens: [...axes.outputTokens] },
    cells,
    overall: { points: all, meanRatio: all ? sum / all : NaN, maxRatio: max, localShare: all ? local / all : NaN },
  };
}

/** The grid as a fixed-width text table: rows device tok/s, columns RTT, cells mean ratio. */
export function formatGridTable(g: LatencyGrid): string {
  const head = `decode\\RTT`.padEnd(12) + g.axes.rttMs.map((r) => `${r} ms`.padStart(9)).join('');
  const rows = g.axes.decodeTps.map((d) => {
    const cells = g.axes.rttMs.map((r) => {
      const c = g.cells.find((x) => x.decodeTps === d && x.rttMs === r)!;
      return c.meanRatio.toFixed(3).padStart(9);
    });
    return `${d} tok/s`.padEnd(12) + cells.join('');
  });
  return [head, ...rows].join('\n');
}
