// Per-tier upstream health learned from real responses, reported by /v1/ping
// as the client's queueing signal. Per instance (not shared through Redis).

import type { TierName } from './config.ts';

export interface TierHealthSnapshot {
  configured: boolean;
  healthy: boolean;
  /** EWMA of time to first token in ms (null until a stream has been seen). */
  ttftMsEwma: number | null;
  /** EWMA of generation speed in tokens/s after the first token. */
  tokensPerSecEwma: number | null;
  inFlight: number;
  /** EWMA (alpha 0.2) of the failure indicator over recent requests, 0..1. */
  errorRate: number;
  samples: number;
}

const ALPHA = 0.2;
const ewma = (prev: number | null, x: number) => (prev === null ? x : prev + ALPHA * (x - prev));
const round = (x: number | null, d = 1) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

export class TierHealth {
  ttft: number | null = null;
  tps: number | null = null;
  inFlight = 0;
  errorRate = 0;
  samples = 0;

  constructor(readonly configured: boolean) {}

  start(): void {
    this.inFlight++;
  }

  /** `ok` false = the attempt failed (status, timeout, mid-stream error). */
  end(ok: boolean, timing?: { ttftMs?: number; tokens?: number; genMs?: number }): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.samples++;
    this.errorRate = this.samples === 1 ? (ok ? 0 : 1) : this.errorRate + ALPHA * ((ok ? 0 : 1) - this.errorRate);
    if (ok && timing) {
      if (timing.ttftMs !== undefined) this.ttft = ewma(this.ttft, timing.ttftMs);
      if (timing.tokens !== undefined && timing.tokens >= 2 && timing.genMs !== undefined && timing.genMs > 0) {
        // tokens after the first one over the time since the first one
        this.tps = ewma(this.tps, ((timing.tokens - 1) * 1000) / timing.genMs);
      }
    }
  }

  /** An attempt that was cancelled by the client: neither success nor failure. */
  cancel(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  snapshot(): TierHealthSnapshot {
    return {
      configured: this.configured,
      healthy: this.configured && this.errorRate < 0.5,
      ttftMsEwma: round(this.ttft),
      tokensPerSecEwma: round(this.tps),
      inFlight: this.inFlight,
      errorRate: round(this.errorRate, 3) ?? 0,
      samples: this.samples,
    };
  }
}

export type HealthBoard = Record<TierName, TierHealth>;
