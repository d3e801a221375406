// Plans every step of a task graph through the turn's own stages — the
// privacy decision on the step's message with the conversation's
// pseudonymizer, then plan() with the step's length and kind — and lets the
// graph's scheduler (core/task/assign.ts) place each step. Used before a task
// runs (the prediction and the lanes), by the task CLI and by bench:tasks.
import { classifyQuery } from '../../core/capability';
import { estimateTokens, TEMPLATE_OVERHEAD_TOKENS } from '../../core/latency';
import { plan, type Plan, type PlanCapability, type PlanDevice, type PlanInput, type Prices } from '../../core/policy';
import type { Pseudonymizer } from '../../core/privacy';
import type { ChatMessage, Tier } from '../../core/types';
import { assignSteps, isAssembly, stepProfile, topologicalOrder, type Assignment, type StepPlan, type TaskGraph, type TaskNode } from '../../core/task';
import type { NlpClient } from '../../engines/nlp/types';
import type { RoutingSettings } from '../deps';
import { planInputFor } from '../plan';
import { decidePrivacy, type PrivacyDecision } from '../privacy';
import type { RoutingStats } from '../stats';

export interface StepPlanContext {
  pseudonymizer: Pseudonymizer;
  nlp: Pick<NlpClient, 'ner'> | null;
  settings: RoutingSettings;
  network: PlanInput['network'];
  device: PlanDevice;
  stats: Pick<RoutingStats, 'acceptance' | 'outputLengths'>;
  prices: Partial<Prices>;
  maxTokens: number;
  capability?: ((q: { text: string; classification: ReturnType<typeof classifyQuery> }) => PlanCapability | null) | null;
  signal?: AbortSignal;
}

export interface PlannedStep {
  node: TaskNode;
  privacy: PrivacyDecision | null;
  plan: Plan | null;
  outputTokens: number;
}

/** What the dependencies' outputs add to a step's prompt: the heading, and a separator each (tokens). */
export const DEP_HEADING_TOKENS = 8;
export const DEP_SEPARATOR_TOKENS = 3;

/**
 * plan()'s input for one step: the turn's mapping, the step's kind and length.
 * `depTokens`: prompt tokens its dependencies' outputs will add (a
 * prediction before they exist; at run time they are in `text`).
 */
export function stepPlanInput(ctx: StepPlanContext, node: TaskNode, privacy: PrivacyDecision, text: string, hasConsent = false, depTokens = 0): PlanInput {
  const profile = stepProfile(node.kind);
  // Kind and length from the step's own ask; the prompt's length (context included) from the prompt.
  const whole = classifyQuery(text);
  const own = node.ask ? classifyQuery(node.ask) : null;
  const base = own ? { ...own, features: { ...own.features, tokens: whole.features.tokens } } : whole;
  const kinded = profile.queryKind ? { ...base, kind: profile.queryKind } : base;
  const classification = depTokens > 0 ? { ...kinded, features: { ...kinded.features, tokens: kinded.features.tokens + depTokens } } : kinded;
  const input = planInputFor({
    question: text, privacy, network: null, device: ctx.device, settings: ctx.settings, stats: ctx.stats,
    prices: ctx.prices, maxTokens: ctx.maxTokens, classification,
    outputTokens: profile.outputTokens || undefined,
    capability: ctx.capability?.({ text, classification }) ?? null,
  }, hasConsent);
  const promptTokens = depTokens > 0 ? estimateTokens(text) + TEMPLATE_OVERHEAD_TOKENS + depTokens : undefined;
  return { ...input, network: ctx.network, ...(promptTokens ? { promptTokens } : {}) };
}

/**
 * Privacy, then plan(), for one step's message (`depTokens`: see
 * stepPlanInput). `userText`: what the user wrote (the request) — names the
 * NER finds only in the step's own wording are not the user's.
 */
export async function planStep(ctx: StepPlanContext, node: TaskNode, message: ChatMessage, userText: readonly string[], depTokens = 0): Promise<PlannedStep> {
  if (isAssembly(node)) return { node, privacy: null, plan: null, outputTokens: 0 };
  const privacy = await decidePrivacy(
    { nlp: ctx.nlp, pseudonymizer: ctx.pseudonymizer },
    { messages: [message], mode: ctx.settings.mode, alpha: ctx.settings.privacyAlpha, signal: ctx.signal, userText },
  );
  const p = plan(stepPlanInput(ctx, node, privacy, message.content, false, depTokens));
  return { node, privacy, plan: p, outputTokens: p.expected.outputTokens };
}

/** Prompt tokens a step's dependencies' outputs are expected to add (stepMessage's layout). */
export function depTokensOf(node: TaskNode, planned: ReadonlyMap<string, Pick<PlannedStep, 'outputTokens'>>): number {
  if (!node.deps.length) return 0;
  return DEP_HEADING_TOKENS + node.deps.reduce((n, d) => n + (planned.get(d)?.outputTokens ?? 0) + DEP_SEPARATOR_TOKENS, 0);
}

export interface TaskPrediction {
  steps: PlannedStep[];
  assignment: Assignment;
  predicted: { dagMs: number; allCloudMs: number; allLocalMs: number };
  /** Generated tokens expected on the device (escalations counted by probability). */
  localTokenShare: number;
  /** Generated tokens of all steps (the same work done in one go by the baselines). */
  totalTokens: number;
}

/** The whole request in one go, on one tier: the same generated tokens, one stream. */
function baselines(ctx: StepPlanContext, request: string, tokens: number): { allCloudMs: number; allLocalMs: number } {
  const p = plan({
    query: { text: request }, privacy: { action: 'allow', sensitivity: 0 }, network: ctx.network, device: ctx.device,
    settings: { mode: ctx.settings.mode }, outputTokens: Math.max(1, tokens), maxTokens: Math.max(ctx.maxTokens, tokens),
  });
  return { allCloudMs: p.latency.cloudMs, allLocalMs: p.latency.localMs };
}

/**
 * Plans each step on its own message — its dependencies' outputs are not
 * known yet, so their expected lengths are counted in its prompt (the
 * device's prefill) — then places them.
 */
export async function predictTask(ctx: StepPlanContext, request: string, graph: TaskGraph): Promise<TaskPrediction> {
  const planned = new Map<string, PlannedStep>();
  for (const node of topologicalOrder(graph)) {
    planned.set(node.id, await planStep(ctx, node, { role: 'user', content: node.prompt }, [request], depTokensOf(node, planned)));
  }
  const steps = graph.nodes.map((n) => planned.get(n.id)!);
  const totalTokens = steps.reduce((n, s) => n + s.outputTokens, 0);
  const { allCloudMs, allLocalMs } = baselines(ctx, request, totalTokens);
  const stepPlans: StepPlan[] = steps.map((s) => ({ id: s.node.id, deps: s.node.deps, assembly: isAssembly(s.node), outputTokens: s.outputTokens, plan: s.plan }));
  const assignment = assignSteps(stepPlans, { mode: ctx.settings.mode, allCloudMs: ctx.network.online && ctx.network.cloudConfigured ? allCloudMs : null });
  return {
    steps, assignment, totalTokens,
    predicted: { dagMs: assignment.schedule.makespanMs, allCloudMs, allLocalMs },
    localTokenShare: assignment.localTokenShare,
  };
}

/** Exactly what would leave the device for a step routed to these tiers; null when nothing would. */
export function cloudTextOf(step: PlannedStep, tiers: readonly Tier[]): string | null {
  if (!step.privacy || !tiers.some((t) => t !== 'local')) return null;
  return step.privacy.record.outboundText;
}
