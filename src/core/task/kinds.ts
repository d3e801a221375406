// Per step kind: the query kind plan() routes the step as, and its expected
// output length (tokens). An 'assemble' step is not generated: the answer is
// put together from its dependencies' outputs.
import type { QueryKind } from '../types';
import type { StepKind, StepProfile, TaskNode } from './types';

/** At most this many steps: more costs more in planning and joining than it saves. */
export const MAX_NODES = 8;

export const STEP_KINDS: readonly StepKind[] = ['outline', 'section', 'analysis', 'summary', 'facts', 'compare', 'answer', 'personal', 'assemble'];

const PROFILES: Readonly<Record<StepKind, StepProfile>> = Object.freeze({
  // The plan of the whole answer: needs the strong model's judgement.
  outline: { queryKind: 'analysis', outputTokens: 120 },
  // A section written to a given outline: restating and expanding known points.
  section: { queryKind: 'knowledge', outputTokens: 200 },
  analysis: { queryKind: 'analysis', outputTokens: 260 },
  summary: { queryKind: 'knowledge', outputTokens: 110 },
  facts: { queryKind: 'knowledge', outputTokens: 160 },
  compare: { queryKind: 'analysis', outputTokens: 220 },
  // One question of several: routed by what it asks (the classifier decides).
  answer: { queryKind: null, outputTokens: 0 },
  // The part built from the user's own details.
  personal: { queryKind: 'knowledge', outputTokens: 120 },
  assemble: { queryKind: null, outputTokens: 0 },
});

export function stepProfile(kind: StepKind | undefined): StepProfile {
  return PROFILES[kind ?? 'answer'];
}

/** An 'assemble' step joins its dependencies' outputs; nothing is generated. */
export function isAssembly(node: Pick<TaskNode, 'kind'>): boolean {
  return node.kind === 'assemble';
}
