// The structured-output prompt of the cloud planner. It sees only the
// pseudonymized request (placeholders such as <PERSON_1> in place of private
// details) and answers with one JSON object of the task-graph schema.
import type { ChatMessage } from '../types';
import { MAX_NODES } from './kinds';
import { STEP_KINDS } from './kinds';

/** Marks a planner request (the demo upstream answers it with a graph). */
export const PLANNER_MARKER = 'EDGEWISE-TASK-PLANNER/1';

export function plannerMessages(maskedRequest: string): ChatMessage[] {
  const system = [
    `${PLANNER_MARKER}`,
    'Split the user request into at most ' + MAX_NODES + ' steps that can be answered separately, then joined.',
    'Answer with ONE JSON object and nothing else:',
    '{"nodes":[{"id":"outline","prompt":"…","deps":[],"kind":"outline"},{"id":"background","prompt":"…","deps":[],"kind":"section","title":"Background"},…],"final":"<id of the last step>"}',
    '- title: the heading of the step\'s part in the joined answer (a section name, the question); none for steps not shown, like the outline.',
    `- kind is one of: ${STEP_KINDS.join(', ')}; "assemble" (final step only) joins its deps' outputs in order without generating.`,
    '- deps lists the ids whose outputs a step truly needs; a step that needs only the request has none (it starts at once). No cycles; every step must lead to the final one.',
    '- easy steps (background, key facts, restating, a summary from an outline) may run on a small on-device model; keep hard reasoning (the outline, analysis, a comparison) in steps of their own.',
    '- each prompt is self-contained and carries only what that step needs; keep placeholders like <PERSON_1> exactly as written, and only in the steps that need them.',
    '- steps that do not depend on each other will run in parallel.',
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: maskedRequest },
  ];
}

/** The request in a planner conversation (for the demo upstream). */
export function plannerRequestOf(messages: readonly { role?: string; content?: unknown }[]): string | null {
  const sys = messages.find((m) => m.role === 'system');
  if (typeof sys?.content !== 'string' || !sys.content.startsWith(PLANNER_MARKER)) return null;
  const user = [...messages].reverse().find((m) => m.role === 'user');
  return typeof user?.content === 'string' ? user.content : null;
}
