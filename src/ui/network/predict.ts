// What the latency panel shows for the message being typed: predicted total
// time on the device vs. in the cloud with the seed chart's breakdown. Pure
// (no DOM, no runes): the same classifier, output-length prediction and latency
// model as plan(), fed from the network snapshot and the device's measured rates.
import { classifyQuery } from '../../core/capability/classify';
import {
  DEFAULT_CLOUD, DEFAULT_DEVICE, PREFILL_PER_DECODE, TEMPLATE_OVERHEAD_TOKENS, estimateCloud, estimateLocal, estimateTokens,
} from '../../core/latency/model';
import { predictOutputTokens, type OutputLengthStats } from '../../core/latency/output';
import { DEFAULT_MAX_TOKENS } from '../../core/policy/plan';
import { fmtSeconds } from '../../core/policy/describe';
import type { QueryKind } from '../../core/types';
import { cloudParams } from '../../net/plan-input';
import type { NetworkSnapshot } from '../../net/types';

/** The local engine's measured rates (from its usage), or null before the first answer. */
export interface DeviceRates {
  prefillTps: number | null;
  decodeTps: number | null;
}

export interface PredictInput {
  draft: string;
  snapshot: NetworkSnapshot;
  device: DeviceRates | null;
  maxTokens?: number;
  /** Tokens of the earlier conversation sent along with the draft. */
  contextTokens?: number;
  /** Model load time to add when the local model is not in memory. */
  deviceLoadMs?: number;
  history?: OutputLengthStats | null;
}

export interface Segment {
  key: 'load' | 'prefill' | 'generate' | 'network' | 'queue' | 'ttft';
  label: string;
  ms: number;
}

export interface SidePrediction {
  totalMs: number;
  segments: Segment[];
  /** Inputs that are defaults rather than measurements, in plain words. */
  assumed: string[];
}

export type CloudUnavailable = 'offline' | 'not-configured' | 'unreachable' | 'checking';

export interface Prediction {
  kind: QueryKind;
  promptTokens: number;
  outputTokens: number;
  local: SidePrediction;
  cloud: SidePrediction | null;
  cloudUnavailable: CloudUnavailable | null;
  faster: 'local' | 'cloud' | null;
  /** e.g. "Cloud faster: ~2.1 s vs ~5.6 s". */
  verdict: string;
}

const pos = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;

/** "850 ms", "2.1 s", "12 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return fmtSeconds(ms);
}

/** Why the cloud cannot be asked right now, from the snapshot; null = it can. */
export function cloudUnavailable(s: NetworkSnapshot): CloudUnavailable | null {
  if (!s.online) return 'offline';
  if (s.lastSampleAt === null) return s.probeCount ? 'unreachable' : 'checking';
  if (!s.tiers.cloud.configured) return 'not-configured';
  if (!s.proxyReachable) return 'unreachable';
  return null;
}

export function predict(input: PredictInput): Prediction {
  const cls = classifyQuery(input.draft);
  const maxTokens = pos(input.maxTokens) ? input.maxTokens : DEFAULT_MAX_TOKENS;
  const promptTokens = estimateTokens(input.draft) + TEMPLATE_OVERHEAD_TOKENS + (pos(input.contextTokens) ? Math.round(input.contextTokens) : 0);
  const outputTokens = predictOutputTokens(cls.kind, maxTokens, input.history, { wordTarget: cls.features.wordTarget });

  // Device.
  const localAssumed: string[] = [];
  const decodeTps = pos(input.device?.decodeTps) ? input.device.decodeTps : DEFAULT_DEVICE.decodeTps;
  if (!pos(input.device?.decodeTps)) localAssumed.push(`generation speed ${DEFAULT_DEVICE.decodeTps} tok/s (typical phone, not measured yet)`);
  const prefillTps = pos(input.device?.prefillTps) ? input.device.prefillTps : decodeTps * PREFILL_PER_DECODE;
  if (!pos(input.device?.prefillTps)) localAssumed.push(`prompt reading ${Math.round(prefillTps)} tok/s (estimated)`);
  const le = estimateLocal({ promptTokens, outputTokens, prefillTps, decodeTps, loadMs: input.deviceLoadMs });
  const localSegments: Segment[] = [];
  if (le.breakdown.loadMs > 0) localSegments.push({ key: 'load', label: 'Load model', ms: le.breakdown.loadMs });
  localSegments.push(
    { key: 'prefill', label: 'Prefill', ms: le.breakdown.prefillMs },
    { key: 'generate', label: 'Generate', ms: le.breakdown.generateMs },
  );
  const local: SidePrediction = { totalMs: le.totalMs, segments: localSegments, assumed: localAssumed };

  // Cloud.
  const why = cloudUnavailable(input.snapshot);
  let cloud: SidePrediction | null = null;
  if (why === null) {
    const s = input.snapshot;
    const p = cloudParams(s);
    const cloudAssumed: string[] = [];
    if (p.ttftMs === undefined) cloudAssumed.push(`time to first token ${DEFAULT_CLOUD.ttftMs} ms (no cloud answers seen yet)`);
    if (p.tps === undefined) cloudAssumed.push(`cloud speed ${DEFAULT_CLOUD.tps} tok/s (no cloud answers seen yet)`);
    const ce = estimateCloud({
      promptTokens, outputTokens,
      rttMs: s.rttMs ?? DEFAULT_CLOUD.rttMs,
      bandwidthBps: undefined,
      load: p.load,
      ttftMs: p.ttftMs ?? DEFAULT_CLOUD.ttftMs,
      tps: p.tps ?? DEFAULT_CLOUD.tps,
    });
    cloud = {
      totalMs: ce.totalMs,
      segments: [
        { key: 'network', label: 'Network', ms: ce.breakdown.networkMs },
        { key: 'queue', label: 'Queue', ms: ce.breakdown.queueMs },
        { key: 'ttft', label: 'First token', ms: ce.breakdown.ttftMs },
        { key: 'generate', label: 'Generate', ms: ce.breakdown.generateMs },
      ],
      assumed: cloudAssumed,
    };
  }

  let faster: Prediction['faster'] = null;
  let verdict: string;
  if (!cloud) {
    verdict = `On device: ~${fmtSeconds(local.totalMs)}`;
  } else if (cloud.totalMs < local.totalMs) {
    faster = 'cloud';
    verdict = `Cloud faster: ~${fmtSeconds(cloud.totalMs)} vs ~${fmtSeconds(local.totalMs)}`;
  } else {
    faster = 'local';
    verdict = `Device faster: ~${fmtSeconds(local.totalMs)} vs ~${fmtSeconds(cloud.totalMs)}`;
  }
  return { kind: cls.kind, promptTokens, outputTokens, local, cloud, cloudUnavailable: why, faster, verdict };
}
