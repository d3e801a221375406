// One turn: privacy → plan → ladder → record. Each stage is its own module
// with an immutable hand-off (privacy.ts, plan.ts, ladder.ts, record.ts); the
// decisions are pure functions in src/core. A task-graph node runs the same
// stages with its own messages.
import { consistencyRule, tiersWithoutDevice } from '../core/policy';
import { classifyQuery } from '../core/capability';
import type { OrchestratorDeps } from './deps';
import { decidePrivacy } from './privacy';
import { currentNetwork, decidePlan, deviceInput } from './plan';
import { runLadder } from './ladder';
import { applyLearned, recordTurn } from './record';
import type { TurnInput, TurnResult } from './types';
import { STAGE_WORDING } from '../core/wording';

export type { OrchestratorDeps, RoutingSettings, RemoteEngine, RemoteChatRequest } from './deps';
export type { TurnTrace } from './record';
export { buildOutbound } from './privacy';

const NOTHING_CAN_ANSWER = 'Nothing can answer right now: the on-device model is unavailable and the cloud cannot be reached.';

function newTraceId(): string {
  return `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** Runs one turn. Throws only when nothing could answer (with a plain-words message). */
export async function runTurn(deps: OrchestratorDeps, input: TurnInput): Promise<TurnResult> {
  const now = deps.now ?? (() => performance.now());
  const t0 = now();
  const settings = deps.settings();
  const question = input.history[input.history.length - 1]?.content ?? '';

  const pseudonymizer = deps.pseudonymizer(input.conversationId);

  input.onStage(deps.nlpWarm?.() === false ? STAGE_WORDING.loadingPrivacy : STAGE_WORDING.privacy);
  const privacy = await decidePrivacy(
    { nlp: deps.nlp, pseudonymizer },
    { messages: input.history, mode: settings.mode, alpha: settings.privacyAlpha, signal: input.signal },
  );
  input.onPrivacy?.(privacy.record);
  input.onStage(STAGE_WORDING.deciding);

  const network = await currentNetwork(deps.network, privacy.outbound !== null);
  const classification = classifyQuery(question);
  const plan = await decidePlan(deps.consent, {
    question, classification, privacy, network, settings,
    device: deviceInput(deps), stats: deps.stats, prices: deps.prices, maxTokens: deps.maxNewTokens,
    force: input.force, capability: deps.capability?.({ text: question, classification }) ?? null,
  }, { conversationId: input.conversationId, onStage: input.onStage });
  if (plan.strategy === 'unavailable' || plan.tiers.length === 0) throw new Error(plan.reasons[0] ?? NOTHING_CAN_ANSWER);

  const outcome = await runLadder({
    tiers: {
      local: deps.local, remote: deps.remote, network: deps.network, conversationId: input.conversationId, messages: input.history, outbound: privacy.outbound,
      pseudonymizer, maxTokens: deps.maxNewTokens, now,
    },
    check: { nlp: deps.nlp, question, kind: plan.kind, rule: (deps.acceptRule ?? consistencyRule)(plan.thetaConsistency), onStatus: input.onStatus },
    events: input,
    signal: input.signal,
    skip: input.skipDevice ? { signal: input.skipDevice, tiers: tiersWithoutDevice(plan) } : undefined,
  }, plan);

  const { trace, result, learned } = recordTurn({
    id: deps.newId?.() ?? newTraceId(), at: Date.now(), conversationId: input.conversationId,
    plan, privacy, outcome, offline: network ? !network.online : false, totalMs: now() - t0,
  });
  applyLearned(deps.stats, learned);
  await deps.recordTrace(trace).catch(() => {});
  return result;
}
