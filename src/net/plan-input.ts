// The network snapshot as the pure policy's input (PlanNetwork), and the
// cloud-side latency parameters the panel and the plan share. Pure.
import type { PlanNetwork } from '../core/policy/plan';
import type { NetworkSnapshot, TierHealth } from './types';

/**
 * Concurrent requests a tier serves before it queues (per proxy instance).
 * Utilization ρ = inFlight / (inFlight + capacity): 0 when idle, ½ at
 * `capacity` requests in flight, → 1 as the backlog grows.
 */
export const TIER_CAPACITY = 8;

export function loadFromInFlight(inFlight: number, capacity = TIER_CAPACITY): number {
  if (!(inFlight > 0) || !(capacity > 0)) return 0;
  return inFlight / (inFlight + capacity);
}

export interface TierParams {
  /** Utilization 0..1 for the queueing term. */
  load: number;
  /** Server-side time to first token (ms), when known. */
  ttftMs?: number;
  /** Server decode rate (tokens/s), when known. */
  tps?: number;
}

/**
 * The cloud's latency parameters: the proxy's own EWMAs (all traffic, server
 * side) first, else what this browser observed (its TTFT includes one RTT, which
 * is taken out because the model adds the network separately).
 */
export function cloudParams(s: NetworkSnapshot): TierParams {
  const t = s.tiers.cloud;
  const out: TierParams = { load: loadFromInFlight(t.inFlight) };
  if (t.ttftMsEwma !== null) out.ttftMs = t.ttftMsEwma;
  else if (s.observedCloud.ttftMs !== null) out.ttftMs = Math.max(0, s.observedCloud.ttftMs - (s.rttMs ?? 0));
  const tps = t.tokensPerSecEwma ?? s.observedCloud.tokensPerSec;
  if (tps !== null && tps > 0) out.tps = tps;
  return out;
}

export function edgeParams(s: NetworkSnapshot): TierParams {
  const t = s.tiers.edge;
  const out: TierParams = { load: loadFromInFlight(t.inFlight) };
  if (t.ttftMsEwma !== null) out.ttftMs = t.ttftMsEwma;
  if (t.tokensPerSecEwma !== null) out.tps = t.tokensPerSecEwma;
  return out;
}

function usable(s: NetworkSnapshot, t: TierHealth): boolean {
  return s.online && s.proxyReachable && t.configured && t.healthy;
}

/**
 * PlanNetwork for plan(). Before the first successful probe the tiers are
 * unknown and reported as not configured; an unreachable proxy makes both
 * remote tiers unhealthy. The edge is reached through the same proxy, so it
 * shares the probe RTT.
 */
export function planNetworkFrom(s: NetworkSnapshot): PlanNetwork {
  const cloud = cloudParams(s);
  const edge = edgeParams(s);
  const n: PlanNetwork = {
    online: s.online,
    cloudConfigured: s.tiers.cloud.configured,
    edgeConfigured: s.tiers.edge.configured,
    lossRate: s.lossRate,
    cloudLoad: cloud.load,
    cloudErrorRate: s.tiers.cloud.errorRate,
    cloudHealthy: usable(s, s.tiers.cloud),
    edgeLoad: edge.load,
    edgeErrorRate: s.tiers.edge.errorRate,
    edgeHealthy: usable(s, s.tiers.edge),
  };
  if (s.rttMs !== null) {
    n.rttMs = s.rttMs;
    n.edgeRttMs = s.rttMs;
  }
  if (cloud.ttftMs !== undefined) n.cloudTtftMs = cloud.ttftMs;
  if (cloud.tps !== undefined) n.cloudTps = cloud.tps;
  if (edge.ttftMs !== undefined) n.edgeTtftMs = edge.ttftMs;
  if (edge.tps !== undefined) n.edgeTps = edge.tps;
  return n;
}
