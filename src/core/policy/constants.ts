// The policy's numbers, named (docs/routing.md §3 explains each one).
import type { Tier } from '../types';
import type { Prices } from './plan-types';

export const DEFAULT_PRICES: Readonly<Prices> = Object.freeze({
  cloudUsdPerMTokIn: 0.5,
  cloudUsdPerMTokOut: 1.5,
  edgeUsdPerMTokIn: 0,
  edgeUsdPerMTokOut: 0,
  localJoulesPerToken: 0.5,
  usdPerKWh: 0.2,
});

export const JOULES_PER_KWH = 3.6e6;

/** Time to score (question, answer) with the cross-encoder. */
export const DEFAULT_CHECK_MS = 80;
export const DEFAULT_MAX_TOKENS = 1024;

/** An edge server on the LAN when nothing is measured yet: RTT, unloaded TTFT, decode rate. */
export const DEFAULT_EDGE = Object.freeze({ rttMs: 10, ttftMs: 250, tps: 40, load: 0 });

/** Accepted answers are not perfect: the check lets some weak ones through. */
export const Q_ACCEPTED: Readonly<Record<Tier, number>> = Object.freeze({ local: 0.92, edge: 0.93, cloud: 0.95 });
/** Quality of an answer that would have failed the check. */
export const Q_REJECTED = 0.2;

/** Latency scores are (Tmin+τ)/(T+τ): differences well under τ barely matter. */
export const LATENCY_TAU_MS = 250;
/** Cost scores are (Cmin+κ)/(C+κ). */
export const COST_KAPPA_USD = 0.01;

/** Exposure of any text that leaves the device… */
export const EXPOSURE_BASE = 0.2;
/** …plus this much per unit of sensitivity when sent as is… */
export const EXPOSURE_PER_SENSITIVITY = 0.8;
/** …or this much when the details are sent as placeholders. */
export const EXPOSURE_PER_SENSITIVITY_PSEUDONYMIZED = 0.4;
/** The edge is on the user's own network: half the cloud's exposure and network dependence. */
export const EDGE_SHARE_OF_REMOTE_RISK = 0.5;

/** Dependence on the network of a remote tier, on top of its failure rate. */
export const REMOTE_AVAILABILITY_PENALTY = 0.2;
/** A remote tier's failure rate when nothing is measured. */
export const DEFAULT_FAILURE = 0.02;

/** Skip the device below this P(accept) when a remote tier can answer (not in privacy-first). */
export const SKIP_LOCAL_BELOW = 0.1;
/** Hedge (performance-first) only when P(escalate) is at least this. */
export const HEDGE_MIN_P_ESCALATE = 0.3;
/** A hedged turn is reported as the cloud's when the device passes less often than this. */
export const HEDGE_ROUTE_P = 0.5;
/** Output tokens that must still fit in the device's window after the prompt. */
export const CONTEXT_HEADROOM_TOKENS = 64;

/** Ties between candidates go to the earlier (more local) one. */
export const UTILITY_EPSILON = 1e-9;
