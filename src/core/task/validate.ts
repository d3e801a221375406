// Checks a planner's output before anything runs: well-formed JSON of the
// schema, at most MAX_NODES steps, unique ids, known dependencies, no cycle,
// and every step leading to the final one. Anything wrong → a reason in plain
// words (the request then runs as a single turn and the reason is shown).
import { MAX_NODES, TaskGraphSchema } from './schema';
import type { StepKind, TaskGraph, TaskNode } from './types';

export type GraphCheck = { ok: true; graph: TaskGraph } | { ok: false; reason: string };

const fail = (reason: string): GraphCheck => ({ ok: false, reason });

/** The JSON object in a model's reply: the whole text, a ```json block, or the outermost braces. */
export function extractJson(text: string): unknown {
  const trimmed = text.trim();
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(trimmed);
  const candidates = [trimmed, fenced?.[1] ?? '', trimmed.slice(trimmed.indexOf('{'), trimmed.lastIndexOf('}') + 1)];
  for (const c of candidates) {
    if (!c.trim()) continue;
    try {
      return JSON.parse(c);
    } catch {
      /* try the next form */
    }
  }
  throw new SyntaxError('not JSON');
}

/** A cycle among the steps, as ids in order (first repeated at the end), or null. */
export function findCycle(nodes: readonly Pick<TaskNode, 'id' | 'deps'>[]): string[] | null {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'open') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'open');
    stack.push(id);
    for (const d of byId.get(id)?.deps ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const n of nodes) {
    const c = visit(n.id);
    if (c) return c;
  }
  return null;
}

/** The ids the final step depends on, directly or not (itself included). */
function ancestorsOf(final: string, byId: Map<string, TaskNode>): Set<string> {
  const seen = new Set<string>();
  const todo = [final];
  while (todo.length) {
    const id = todo.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    todo.push(...(byId.get(id)?.deps ?? []));
  }
  return seen;
}

function structureProblem(g: TaskGraph): string | null {
  const ids = new Set<string>();
  for (const n of g.nodes) {
    if (ids.has(n.id)) return `two steps share the id "${n.id}"`;
    ids.add(n.id);
  }
  for (const n of g.nodes) {
    for (const d of n.deps) {
      if (d === n.id) return `step "${n.id}" depends on itself`;
      if (!ids.has(d)) return `step "${n.id}" depends on an unknown step "${d}"`;
    }
  }
  if (!ids.has(g.final)) return `the final step "${g.final}" is not in the plan`;
  const cycle = findCycle(g.nodes);
  if (cycle) return `the steps depend on each other in a circle (${cycle.join(' → ')})`;
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const used = ancestorsOf(g.final, byId);
  const unused = g.nodes.find((n) => !used.has(n.id));
  if (unused) return `step "${unused.id}" does not lead to the final answer`;
  const assembly = g.nodes.find((n) => n.kind === 'assemble' && n.id !== g.final);
  if (assembly) return `only the final step may be an assembly (step "${assembly.id}")`;
  return null;
}

/** Validates a planner's output: a parsed object, or the reply's text. */
export function validateGraph(raw: unknown): GraphCheck {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = extractJson(raw);
    } catch {
      return fail('the planner did not answer with JSON');
    }
  }
  const count = (value as { nodes?: unknown } | null)?.nodes;
  if (Array.isArray(count) && count.length > MAX_NODES) return fail(`the plan has ${count.length} steps (at most ${MAX_NODES})`);
  const parsed = TaskGraphSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return fail(`the plan is not in the expected form${where}: ${issue?.message ?? 'invalid'}`);
  }
  const graph: TaskGraph = {
    final: parsed.data.final,
    nodes: parsed.data.nodes.map((n) => ({ id: n.id, prompt: n.prompt, deps: [...new Set(n.deps)], ...(n.kind ? { kind: n.kind as StepKind } : {}), ...(n.title ? { title: n.title } : {}) })),
  };
  const problem = structureProblem(graph);
  return problem ? fail(`the plan is unusable: ${problem}`) : { ok: true, graph };
}

/** The steps in an order where each comes after its dependencies (input order kept where free). */
export function topologicalOrder(g: TaskGraph): TaskNode[] {
  const done = new Set<string>();
  const out: TaskNode[] = [];
  while (out.length < g.nodes.length) {
    const next = g.nodes.find((n) => !done.has(n.id) && n.deps.every((d) => done.has(d)));
    if (!next) throw new Error('the task graph has a cycle');
    done.add(next.id);
    out.push(next);
  }
  return out;
}

/** A request that is not split: one step, the request itself. */
export function singleStep(request: string): TaskGraph {
  return { nodes: [{ id: 'answer', prompt: request, deps: [], kind: 'answer' }], final: 'answer' };
}
