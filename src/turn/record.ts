// Stage 4 of a turn: the record. Pure: from the plan, the privacy decision and
// the ladder's outcome it builds the trace (types and timings only, never
// text), the result the UI shows, and what the router should learn. The
// caller applies what is learned and saves (orchestrator.ts).
import type { Mode, QueryKind, Tier } from '../core/types';
import { explainDetails, explainOutcome, type Plan, type TierCheck } from '../core/policy';
import type { ChatUsage } from '../engines/types';
import type { LadderOutcome } from './ladder';
import type { PrivacyDecision } from './privacy';
import type { RoutingStats } from './stats';
import type { PrivacyRecord, TurnResult } from './types';

export interface TurnTrace {
  id: string;
  at: number;
  conversationId: string;
  kind: string;
  mode: Mode;
  strategy: Plan['strategy'];
  tiers: Tier[];
  hedge: boolean;
  finalTier: Tier;
  privacy: { action: string; sensitivity: number; types: string[] };
  checks: TierCheck[];
  thetaConsistency: number;
  predicted: { localMs: number; cloudMs: number; edgeMs: number | null; totalMs: number; pAccept: number; outputTokens: number };
  actual: { totalMs: number; tiers: { tier: Tier; ms: number; ttftMs: number | null; outputTokens: number; decodeTps: number | null }[] };
  failedTier: Tier | null;
  reason: string;
  /** Set when this turn was one step of a task graph (issue #15). */
  task?: { id: string; step: string; steps: number };
}

/** What the router learns from one turn (applied to RoutingStats by the caller). */
export interface Learned {
  kind: QueryKind;
  /** The device's answer passed or failed the check; null when it was not checked. */
  deviceAccepted: boolean | null;
  /** Usage of each device run (measured token rates). */
  deviceUsage: Pick<ChatUsage, 'prefillTps' | 'decodeTps'>[];
  /** Output lengths of the runs that were not stopped. */
  outputTokens: number[];
}

export interface RecordInput {
  id: string;
  at: number;
  conversationId: string;
  plan: Plan;
  privacy: PrivacyDecision;
  outcome: LadderOutcome;
  /** The network was offline when the turn ended (even if the plan did not know). */
  offline: boolean;
  totalMs: number;
}

export interface TurnRecord {
  trace: TurnTrace;
  result: TurnResult;
  learned: Learned;
}

function learnedFrom(plan: Plan, o: LadderOutcome): Learned {
  const local = o.checks.find((c) => c.tier === 'local');
  return {
    kind: plan.kind,
    deviceAccepted: local ? local.accepted : null,
    deviceUsage: o.runs.filter((r) => r.tier === 'local').map((r) => r.result.usage),
    outputTokens: o.runs.filter((r) => r.result.finishReason !== 'abort').map((r) => r.result.usage.outputTokens),
  };
}

function traceOf(x: RecordInput, reason: string): TurnTrace {
  const { plan, outcome: o } = x;
  return {
    id: x.id, at: x.at, conversationId: x.conversationId,
    kind: plan.kind, mode: plan.mode, strategy: plan.strategy, tiers: plan.tiers, hedge: plan.hedge,
    finalTier: o.final.tier,
    privacy: { action: x.privacy.action, sensitivity: x.privacy.assessment.sensitivity, types: [...new Set(x.privacy.entities.map((e) => e.type))] },
    checks: o.checks,
    thetaConsistency: plan.thetaConsistency,
    predicted: {
      localMs: plan.expected.localMs, cloudMs: plan.expected.cloudMs, edgeMs: plan.expected.edgeMs,
      totalMs: plan.expected.totalMs, pAccept: plan.expected.pAccept, outputTokens: plan.expected.outputTokens,
    },
    actual: {
      totalMs: x.totalMs,
      tiers: o.runs.map((r) => ({ tier: r.tier, ms: r.ms, ttftMs: r.result.usage.timeToFirstTokenMs, outputTokens: r.result.usage.outputTokens, decodeTps: r.result.usage.decodeTps })),
    },
    failedTier: o.failedTier,
    reason,
  };
}

export function recordTurn(x: RecordInput): TurnRecord {
  const { plan, outcome: o } = x;
  const final = o.final;
  const turnOutcome = { plan, finalTier: final.tier, checks: o.checks, failedTier: o.failedTier, offline: x.offline, actualMs: final.ms, skippedDevice: o.skippedDevice };
  const reason = explainOutcome(turnOutcome);
  const finalCheck = [...o.checks].reverse().find((c) => c.tier === final.tier);
  // Unchecked counts as unsure: offline the checker may not even be loaded.
  const reaskSuggested = !!x.privacy.outbound && final.tier === 'local' && (plan.bestEffort || x.offline || !!o.failedTier) && !finalCheck?.accepted;
  const privacy: PrivacyRecord = { ...x.privacy.record, sent: o.sent };
  const u = final.result.usage;
  const result: TurnResult = {
    ...final.tag,
    text: final.text,
    finishReason: final.result.finishReason,
    usage: { promptTokens: u.promptTokens, outputTokens: u.outputTokens, decodeTps: u.decodeTps, timeToFirstTokenMs: u.timeToFirstTokenMs },
    reason,
    details: explainDetails(turnOutcome),
    checks: o.checks,
    bestEffort: plan.bestEffort || !!o.failedTier,
    reaskSuggested,
    discarded: o.discarded,
    privacy,
  };
  return { trace: traceOf(x, reason), result, learned: learnedFrom(plan, o) };
}

/** Applies what one turn taught the router. */
export function applyLearned(stats: RoutingStats, l: Learned): void {
  if (l.deviceAccepted !== null) stats.acceptance.record(l.kind, l.deviceAccepted);
  for (const u of l.deviceUsage) stats.observeDevice(u);
  for (const n of l.outputTokens) stats.outputLengths.record(l.kind, n);
}
