// The local-vs-cloud latency model (pure). See docs/routing.md for the formulas.
//
//   T_local = load (if cold) + promptTokens / prefillTps + outputTokens / decodeTps
//   T_cloud = network + queue + ttft + outputTokens / tps
//     network = rtt (+ 2·rtt for TCP + TLS set-up when the connection is cold)
//               (+ uploadBytes·8 / bandwidthBps when the bandwidth is known)
//     queue   = min(ttft · ρ/(1−ρ), QUEUE_CAP_FACTOR · ttft)   (M/M/1 waiting time,
//               with the unloaded ttft as the service time; ρ = utilization 0..1)

/** Conservative device numbers used when nothing has been measured yet. */
export const DEFAULT_DEVICE = Object.freeze({
  /** A mid-range phone running a ~1–3 B q4 model. */
  decodeTps: 10,
  prefillTps: 80,
  /** Cold load of a cached model (weights from cache to GPU/WASM memory). */
  loadMs: 6000,
  contextWindow: 4096,
});

/** Prefill is typically 5–20× faster than decode; used when only decode is known. */
export const PREFILL_PER_DECODE = 8;

export const DEFAULT_CLOUD = Object.freeze({
  rttMs: 100,
  ttftMs: 400,
  tps: 80,
  load: 0,
});

/** Queueing never adds more than this many service times (keeps ρ→1 finite). */
export const QUEUE_CAP_FACTOR = 10;
/** ρ is clamped below this before the ρ/(1−ρ) term. */
export const MAX_UTILIZATION = 0.99;

export interface LocalLatencyInput {
  promptTokens: number;
  outputTokens: number;
  prefillTps: number;
  decodeTps: number;
  /** Time to load the model; pass it only when the model is cold. */
  loadMs?: number;
}

export interface LocalBreakdown {
  loadMs: number;
  prefillMs: number;
  generateMs: number;
}

export interface LocalEstimate {
  totalMs: number;
  breakdown: LocalBreakdown;
}

export interface CloudLatencyInput {
  promptTokens: number;
  outputTokens: number;
  rttMs: number;
  coldConnection?: boolean;
  /** Request body size; defaults to ~4 bytes per prompt token + 512 bytes of JSON. */
  uploadBytes?: number;
  /** Uplink bandwidth in bits per second; upload time is counted only when known. */
  bandwidthBps?: number;
  /** Server utilization 0..1 (clamped). */
  load: number;
  /** Unloaded server-side time to first token. */
  ttftMs: number;
  /** Server decode rate, tokens per second. */
  tps: number;
}

export interface CloudBreakdown {
  networkMs: number;
  queueMs: number;
  ttftMs: number;
  generateMs: number;
}

export interface CloudEstimate {
  totalMs: number;
  breakdown: CloudBreakdown;
}

/** Inputs are clamped so that any numbers give finite, non-negative times. */
const MAX_QUANTITY = 1e7; // tokens, bytes/1000, milliseconds
const MIN_RATE = 0.01; // tokens per second

function nonNeg(x: number | undefined, fallback = 0): number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? Math.min(x, MAX_QUANTITY) : fallback;
}

function rate(x: number | undefined, fallback: number): number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? Math.max(MIN_RATE, x) : fallback;
}

export function estimateLocal(input: LocalLatencyInput): LocalEstimate {
  const decodeTps = rate(input.decodeTps, DEFAULT_DEVICE.decodeTps);
  const prefillTps = rate(input.prefillTps, decodeTps * PREFILL_PER_DECODE);
  const loadMs = nonNeg(input.loadMs);
  const prefillMs = (nonNeg(input.promptTokens) / prefillTps) * 1000;
  const generateMs = (nonNeg(input.outputTokens) / decodeTps) * 1000;
  return { totalMs: loadMs + prefillMs + generateMs, breakdown: { loadMs, prefillMs, generateMs } };
}

/** M/M/1 mean waiting time in queue, in units of the service time, capped. */
export function queueFactor(load: number): number {
  const rho = Math.min(MAX_UTILIZATION, nonNeg(load));
  return Math.min(QUEUE_CAP_FACTOR, rho / (1 - rho));
}

export function estimateCloud(input: CloudLatencyInput): CloudEstimate {
  const rttMs = nonNeg(input.rttMs);
  const ttftMs = nonNeg(input.ttftMs);
  const tps = rate(input.tps, DEFAULT_CLOUD.tps);
  let networkMs = rttMs + (input.coldConnection ? 2 * rttMs : 0);
  const bw = typeof input.bandwidthBps === 'number' && Number.isFinite(input.bandwidthBps) && input.bandwidthBps > 0
    ? Math.max(1000, input.bandwidthBps) : 0;
  if (bw > 0) {
    const bytes = input.uploadBytes ?? nonNeg(input.promptTokens) * 4 + 512;
    networkMs += ((Math.min(nonNeg(bytes), 1e9) * 8) / bw) * 1000;
  }
  const queueMs = ttftMs * queueFactor(input.load);
  const generateMs = (nonNeg(input.outputTokens) / tps) * 1000;
  return {
    totalMs: networkMs + queueMs + ttftMs + generateMs,
    breakdown: { networkMs, queueMs, ttftMs, generateMs },
  };
}

/** Rough token count of a text (≈ 4 characters per token for English, ≥ 1 per word). */
export function estimateTokens(text: string): number {
  if (!text) return 0;
  const chars = text.length;
  const words = text.trim() ? text.trim().split(/\s+/).length : 0;
  return Math.max(Math.ceil(chars / 4), Math.ceil(words * 1.3));
}

/** Tokens a chat template adds around a single user turn (role markers, BOS…). */
export const TEMPLATE_OVERHEAD_TOKENS = 8;
