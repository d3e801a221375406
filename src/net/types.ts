// What the network monitor knows, as plain data the pure policy can read.

/** Per-tier upstream health as reported by the proxy's GET /v1/ping. */
export interface TierHealth {
  configured: boolean;
  healthy: boolean;
  ttftMsEwma: number | null;
  tokensPerSecEwma: number | null;
  inFlight: number;
  errorRate: number;
}

export interface NetworkSnapshot {
  /** navigator.onLine and its events. */
  online: boolean;
  /** The last probe to /v1/ping succeeded. */
  proxyReachable: boolean;
  /** EWMA of probe round-trip times (ms); null before the first sample. */
  rttMs: number | null;
  jitterMs: number | null;
  /** Share of recent probes that failed or timed out (0..1). */
  lossRate: number;
  /** performance.now()-based time of the last successful probe; null if none. */
  lastSampleAt: number | null;
  tiers: { cloud: TierHealth; edge: TierHealth };
  /** Network Information API, where it exists. */
  effectiveType?: string;
  downlinkMbps?: number;
  saveData?: boolean;
  /** Network Information API's own RTT estimate (ms, rounded to 25 ms by browsers). */
  connectionRttMs?: number;
  /** The most recent successful probe's round-trip time (ms), unsmoothed. */
  lastRttMs?: number | null;
  /** Probes attempted so far (successful or lost). */
  probeCount?: number;
  /** Why periodic probing is paused, if it is. */
  paused?: 'hidden' | 'offline' | 'stopped' | null;
  /** The cloud's speed learned from real responses in this browser. */
  observedCloud: { ttftMs: number | null; tokensPerSec: number | null };
}
