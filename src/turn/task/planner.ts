// Which planner splits the request. HybridFlow plans with the strong model:
// the cloud planner sees only the pseudonymized request and answers with a
// JSON graph (validated; placeholders restored on the device). The local
// template planner is used offline, in privacy-first, when the request holds
// a never-sendable value, or when the cloud refuses. A plan that fails
// validation runs as a single turn, with the reason shown.
import { clearForOutbound } from '../../core/outbound';
import { DEFAULT_SENSITIVITY, MODE_THRESHOLDS, findNeverSendable, type Pseudonymizer } from '../../core/privacy';
import { planLocally, plannerMessages, singleStep, validateGraph, type TaskGraph, type TaskPlanning } from '../../core/task';
import type { Mode } from '../../core/types';
import type { RemoteEngine } from '../deps';
import type { PrivacyDecision } from '../privacy';

/** Tokens the planner may write (a graph of ≤ 8 steps). */
export const PLANNER_MAX_TOKENS = 700;

export interface PlannerPorts {
  /** The cloud model, or null when it cannot be asked (offline, not configured). */
  cloud: RemoteEngine | null;
  pseudonymizer: Pseudonymizer;
}

export interface PlannerRequest {
  request: string;
  /** The privacy decision on the whole request. */
  privacy: PrivacyDecision;
  mode: Mode;
  signal?: AbortSignal;
}

/**
 * Where the request's private details are (they go only to the steps that
 * use them): what privacy masks, or — when the request may not leave at all —
 * every detail at or above the mode's entity floor. A detail privacy lets
 * through as it is ('allow') is not private here.
 */
export function privateSpans(privacy: PrivacyDecision, mode: Mode): { start: number; end: number }[] {
  const a = privacy.assessment;
  const floor = MODE_THRESHOLDS[mode].entityFloor;
  const picked = a.action === 'allow' ? a.neverSendable
    : a.action === 'pseudonymize' ? [...a.toReplace, ...a.neverSendable]
    : privacy.entities.filter((e) => (DEFAULT_SENSITIVITY[e.type] ?? 0) >= floor);
  return picked.map((e) => ({ start: e.start, end: e.end }));
}

function local(r: PlannerRequest, why: string): TaskPlanning {
  const p = planLocally(r.request, privateSpans(r.privacy, r.mode));
  return p.source === 'single' ? p : { ...p, reason: `${why} ${p.reason}` };
}

/** Restores placeholders in the steps' prompts and titles (the device runs them on the real values). */
function restored(g: TaskGraph, pseudo: Pseudonymizer): TaskGraph {
  return { final: g.final, nodes: g.nodes.map((n) => ({ ...n, prompt: pseudo.restore(n.prompt), ...(n.title ? { title: pseudo.restore(n.title) } : {}) })) };
}

export async function decideTaskPlanning(ports: PlannerPorts, r: PlannerRequest): Promise<TaskPlanning> {
  const masked = r.privacy.record.outboundText;
  if (masked === null) return local(r, 'Your request holds a detail that never leaves this device, so it was planned here.');
  if (r.mode === 'privacy-first') return local(r, 'Privacy-first: planned on this device.');
  if (!ports.cloud) return local(r, 'The cloud planner cannot be reached.');
  const messages = plannerMessages(masked);
  // Fail closed: the planner's own text is constant; the request is the privacy stage's masked text.
  if (messages.some((m) => findNeverSendable(m.content).length)) return local(r, 'Your request holds a detail that never leaves this device.');
  let reply: string;
  try {
    const res = await ports.cloud.chat({ messages: clearForOutbound(messages), maxTokens: PLANNER_MAX_TOKENS, signal: r.signal });
    reply = res.text;
  } catch (err) {
    if (r.signal?.aborted) throw err;
    return local(r, `The cloud planner did not answer (${(err as Error).message}).`);
  }
  const check = validateGraph(reply);
  if (!check.ok) return { graph: singleStep(r.request), source: 'single', reason: `Answered in one step: ${check.reason}.` };
  if (check.graph.nodes.length === 1) return { graph: singleStep(r.request), source: 'single', reason: 'The cloud planner kept the request in one step.' };
  return { graph: restored(check.graph, ports.pseudonymizer), source: 'cloud-planner', reason: 'Planned by the cloud model on the pseudonymized request.' };
}
