// One request as a task graph (HybridFlow): plan the steps (cloud planner on
// the pseudonymized request, or the local templates), place them with the
// latency model, then run each step through the same stages as a turn —
// privacy on the step's own message with the conversation's pseudonymizer,
// plan(), the ladder (checks, escalation, failure rule), the record — with
// independent steps in parallel. The answer is assembled as steps complete.
import { consistencyRule, plan } from '../../core/policy';
import {
  assembleAnswer, isAssembly, planForLane, stepMessage, stepsOf, upwardRank,
  type StepRecord, type TaskGraph, type TaskRecord,
} from '../../core/task';
import type { Tier } from '../../core/types';
import type { OrchestratorDeps } from '../deps';
import { runLadder } from '../ladder';
import { runTurn } from '../orchestrator';
import { currentNetwork, deviceInput, networkInput } from '../plan';
import { decidePrivacy, type PrivacyDecision } from '../privacy';
import { applyLearned, recordTurn } from '../record';
import type { TurnInput, TurnResult } from '../types';
import { decideTaskPlanning } from './planner';
import { predictTask, stepPlanInput, type PlannedStep, type StepPlanContext } from './predict';
import { executeGraph } from './scheduler';

/** Remote steps at most in flight at once. */
export const REMOTE_PARALLEL_LIMIT = 4;

export interface TaskInput extends TurnInput {
  /** The graph as it changes (a fresh copy each time). */
  onTask?: (task: TaskRecord) => void;
}

export type TaskResult = TurnResult & { task: TaskRecord };

interface Run {
  deps: OrchestratorDeps;
  input: TaskInput;
  /** The user's request, as written. */
  request: string;
  ctx: StepPlanContext;
  graph: TaskGraph;
  task: TaskRecord;
  outputs: Map<string, string>;
  lanes: Map<string, 'device' | 'remote' | 'none'>;
  /** Generated tokens per tier, drafts that were redone included (the share the issue measures). */
  tokens: Record<Tier, number>;
  /** Tokens of the steps' final answers per tier (where the answer came from). */
  answerTokens: Record<Tier, number>;
  sent: boolean;
  consent: Promise<'send' | 'local'> | null;
  taskId: string;
}

const emit = (r: Run) => r.input.onTask?.(structuredClone(r.task));
const stepOf = (r: Run, id: string) => r.task.steps.find((s) => s.id === id)!;

function initialRecord(planning: { source: TaskRecord['source']; reason: string; graph: TaskGraph }, steps: PlannedStep[], pred: Awaited<ReturnType<typeof predictTask>>): TaskRecord {
  return {
    source: planning.source, planReason: planning.reason, final: planning.graph.final,
    predicted: pred.predicted, localTokenShare: pred.localTokenShare,
    steps: steps.map((s): StepRecord => {
      const choice = pred.assignment.choices.get(s.node.id)!;
      const p = s.plan ? planForLane(s.plan, choice.lane) : null;
      return {
        id: s.node.id, prompt: s.node.prompt, deps: [...s.node.deps], kind: s.node.kind, ...(s.node.title ? { title: s.node.title } : {}),
        route: p ? p.tiers[0] ?? null : 'local', status: 'waiting',
        reason: p?.reasons[0] ?? "Put together on this device from the steps' outputs.", output: '', outputTokens: 0, cloudText: null,
      };
    }),
  };
}

/** The step's plan at run time (its message now holds its dependencies' outputs), in its lane. */
async function planAtRunTime(r: Run, id: string, privacy: PrivacyDecision, text: string) {
  const node = r.graph.nodes.find((n) => n.id === id)!;
  let p = plan(stepPlanInput(r.ctx, node, privacy, text));
  if (p.needsConsent && privacy.record.outboundText !== null) {
    // One question per task, not per step.
    r.consent ??= r.deps.consent({ conversationId: r.input.conversationId, outboundText: privacy.record.outboundText, types: [...privacy.consentTypes] });
    if ((await r.consent) === 'send') p = plan(stepPlanInput(r.ctx, node, privacy, text, true));
  }
  return planForLane(p, r.lanes.get(id) ?? 'none');
}

function showProgress(r: Run): void {
  const final = r.graph.nodes.find((n) => n.id === r.graph.final)!;
  if (isAssembly(final)) r.input.onReplace(assembleAnswer(r.graph, r.outputs));
}

async function runStep(r: Run, id: string, signal: AbortSignal, release: () => void = () => {}): Promise<void> {
  const node = r.graph.nodes.find((n) => n.id === id)!;
  const rec = stepOf(r, id);
  if (isAssembly(node)) {
    rec.output = assembleAnswer(r.graph, r.outputs);
    r.outputs.set(id, rec.output);
    return;
  }
  const msg = stepMessage(node, r.outputs);
  // Names the NER finds only in the step's wording or in earlier outputs ("Analysis") are not the user's.
  const privacy = await decidePrivacy({ nlp: r.deps.nlp, pseudonymizer: r.ctx.pseudonymizer }, { messages: [msg], mode: r.ctx.settings.mode, alpha: r.ctx.settings.privacyAlpha, signal, userText: [r.request] });
  const p = await planAtRunTime(r, id, privacy, msg.content);
  if (!p.tiers.length) throw new Error(`Step "${id}": ${p.reasons[0] ?? 'nothing can answer it right now.'}`);
  Object.assign(rec, { route: p.tiers[0], reason: p.reasons[0] ?? rec.reason, status: 'running', cloudText: p.tiers.some((t) => t !== 'local') ? privacy.record.outboundText : null });
  emit(r);
  const isFinal = id === r.graph.final;
  const now = r.deps.now ?? (() => performance.now());
  const t0 = now();
  const outcome = await runLadder({
    tiers: { local: r.deps.local, remote: r.deps.remote, network: r.deps.network, messages: [msg], outbound: privacy.outbound, pseudonymizer: r.ctx.pseudonymizer, maxTokens: r.deps.maxNewTokens, now },
    check: { nlp: r.deps.nlp, question: msg.content, kind: p.kind, rule: (r.deps.acceptRule ?? consistencyRule)(p.thetaConsistency), onStatus: (s) => ((rec.status = s === 'checking' ? 'checking' : 'running'), emit(r)) },
    events: {
      onStage: () => {},
      onEngine: (tag) => ((rec.route = tag.route), emit(r)),
      onToken: (d) => ((rec.output += d), isFinal && r.input.onToken(d)),
      onReplace: (t) => ((rec.output = t), isFinal && r.input.onReplace(t)),
      onDraftDiscarded: (d) => {
        rec.status = 'escalated';
        emit(r);
        // The device is done with this step: the next device step may start while a remote tier redoes it.
        if (d.tier === 'local') release();
      },
    },
    signal,
  }, p);
  r.sent ||= outcome.sent;
  for (const run of outcome.runs) r.tokens[run.tier] += run.result.usage.outputTokens;
  r.answerTokens[outcome.final.tier] += outcome.final.result.usage.outputTokens;
  r.outputs.set(id, outcome.final.text);
  const { trace, result, learned } = recordTurn({ id: `${r.taskId}-${id}`, at: Date.now(), conversationId: r.input.conversationId, plan: p, privacy, outcome, offline: !r.ctx.network.online, totalMs: now() - t0 });
  // The reason for what happened (an escalation, a passed check), as a turn would say it, replaces the plan's.
  Object.assign(rec, {
    output: outcome.final.text, route: outcome.final.tier, status: signal.aborted ? 'cancelled' : 'done',
    outputTokens: outcome.final.result.usage.outputTokens, reason: result.reason ?? rec.reason,
  });
  applyLearned(r.deps.stats, learned);
  await r.deps.recordTrace({ ...trace, task: { id: r.taskId, step: id, steps: r.graph.nodes.length } }).catch(() => {});
  showProgress(r);
  emit(r);
}

function resultOf(r: Run): TaskResult {
  const text = assembleAnswer(r.graph, r.outputs);
  const total = r.tokens.local + r.tokens.edge + r.tokens.cloud;
  const share = total ? r.tokens.local / total : 0;
  // The badge says where the answer came from: a draft redone remotely does not count.
  const a = r.answerTokens;
  const route: Tier = a.local >= a.edge + a.cloud && a.local > 0 ? 'local' : a.cloud >= a.edge ? 'cloud' : 'edge';
  const drafts = total ? (r.tokens.local - a.local) / total : 0;
  const count = (t: Tier) => r.task.steps.filter((s) => s.route === t && r.graph.nodes.find((n) => n.id === s.id)?.kind !== 'assemble').length;
  const written = `${Math.round(share * 100)} % of the generated text was written on this device${drafts >= 0.005 ? ` (${Math.round(drafts * 100)} % in drafts that were redone remotely)` : ''}`;
  const reason = `Split into ${r.graph.nodes.length} steps (${count('local')} on this device, ${count('cloud') + count('edge')} remote); ${written}. ${r.task.planReason}`;
  r.task.localTokenShare = share;
  const aborted = r.input.signal.aborted;
  return {
    route, engine: 'task', modelId: `${r.graph.nodes.length} steps`, device: '', text, reason,
    finishReason: aborted ? 'abort' : 'stop',
    usage: { promptTokens: 0, outputTokens: total, decodeTps: null, timeToFirstTokenMs: null },
    task: structuredClone(r.task),
  };
}

export async function runTask(deps: OrchestratorDeps, input: TaskInput): Promise<TaskResult> {
  const settings = deps.settings();
  const request = input.history[input.history.length - 1]?.content ?? '';
  const pseudonymizer = deps.pseudonymizer(input.conversationId);
  input.onStage('Checking privacy…');
  const privacy = await decidePrivacy({ nlp: deps.nlp, pseudonymizer }, { messages: [{ role: 'user', content: request }], mode: settings.mode, alpha: settings.privacyAlpha, signal: input.signal });
  input.onPrivacy?.(privacy.record);
  const snapshot = await currentNetwork(deps.network, privacy.outbound !== null);
  const network = networkInput(snapshot);
  input.onStage('Planning the steps…');
  const cloudOk = network.online && network.cloudConfigured && snapshot?.proxyReachable !== false;
  const planning = await decideTaskPlanning({ cloud: cloudOk ? deps.remote('cloud') : null, pseudonymizer }, { request, privacy, mode: settings.mode, signal: input.signal });
  if (planning.source === 'single') {
    const single = await runTurn(deps, input);
    const task: TaskRecord = { source: 'single', planReason: planning.reason, final: 'answer', steps: [], predicted: null, localTokenShare: null };
    input.onTask?.(structuredClone(task));
    return { ...single, reason: `${planning.reason} ${single.reason ?? ''}`.trim(), task };
  }
  const ctx: StepPlanContext = {
    pseudonymizer, nlp: deps.nlp, settings, network, device: deviceInput(deps), stats: deps.stats,
    prices: deps.prices, maxTokens: deps.maxNewTokens, capability: deps.capability ?? null, signal: input.signal,
  };
  const pred = await predictTask(ctx, request, planning.graph);
  const lanes = new Map([...pred.assignment.choices].map(([id, c]) => [id, c.lane]));
  const r: Run = {
    deps, input, request, ctx, graph: planning.graph, task: initialRecord(planning, pred.steps, pred), outputs: new Map(), lanes,
    tokens: { local: 0, edge: 0, cloud: 0 }, answerTokens: { local: 0, edge: 0, cloud: 0 }, sent: planning.source === 'cloud-planner', consent: null,
    taskId: deps.newId?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`,
  };
  emit(r);
  input.onStage('Running the steps…');
  const rank = upwardRank(stepsOf(planning.graph, (id) => lanes.get(id) ?? 'none', (id) => pred.assignment.choices.get(id)?.ms ?? 0));
  await executeGraph(
    planning.graph.nodes.map((n) => ({ id: n.id, deps: n.deps, lane: lanes.get(n.id) ?? 'none', priority: rank.get(n.id) ?? 0 })),
    (id, signal, release) => runStep(r, id, signal, release),
    { remoteLimit: REMOTE_PARALLEL_LIMIT, signal: input.signal, onStatus: (id, s) => {
      const rec = stepOf(r, id);
      if (s === 'failed' || s === 'cancelled' || (s === 'done' && rec.status !== 'done')) rec.status = s;
      emit(r);
    } },
  );
  const result = resultOf(r);
  if (privacy.record) result.privacy = { ...privacy.record, sent: r.sent };
  return result;
}
