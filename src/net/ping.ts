// Parsing of the proxy's GET /v1/ping body, tolerant of missing or odd fields
// (an older or newer proxy must not break the monitor). Pure.
import type { TierHealth } from './types';

export interface PingBody {
  /** Server time (ms since epoch), if sent. */
  time: number | null;
  tiers: { cloud: TierHealth; edge: TierHealth };
}

export const UNKNOWN_TIER: Readonly<TierHealth> = Object.freeze({
  configured: false,
  healthy: false,
  ttftMsEwma: null,
  tokensPerSecEwma: null,
  inFlight: 0,
  errorRate: 0,
});

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const nonNegOrNull = (x: unknown): number | null => (finite(x) && x >= 0 ? x : null);

export function parseTier(x: unknown): TierHealth {
  if (!x || typeof x !== 'object') return { ...UNKNOWN_TIER };
  const t = x as Record<string, unknown>;
  const configured = t.configured === true;
  return {
    configured,
    healthy: configured && t.healthy === true,
    ttftMsEwma: nonNegOrNull(t.ttftMsEwma),
    tokensPerSecEwma: finite(t.tokensPerSecEwma) && t.tokensPerSecEwma > 0 ? t.tokensPerSecEwma : null,
    inFlight: finite(t.inFlight) && t.inFlight > 0 ? Math.floor(t.inFlight) : 0,
    errorRate: finite(t.errorRate) ? Math.min(1, Math.max(0, t.errorRate)) : 0,
  };
}

/** null when the body is not a ping answer at all (e.g. an HTML page). */
export function parsePing(body: unknown): PingBody | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  if (!b.tiers || typeof b.tiers !== 'object') return null;
  const tiers = b.tiers as Record<string, unknown>;
  return { time: finite(b.time) ? b.time : null, tiers: { cloud: parseTier(tiers.cloud), edge: parseTier(tiers.edge) } };
}
