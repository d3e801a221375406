// The JSON schema of a task graph as a planner returns it (zod).
import { z } from 'zod';
import { MAX_NODES, STEP_KINDS } from './kinds';

export { MAX_NODES };
export const MAX_PROMPT_CHARS = 4000;
export const MAX_TITLE_CHARS = 120;

export const NodeIdSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'a step id is a letter then up to 31 letters, digits, - or _');

export const TaskNodeSchema = z.object({
  id: NodeIdSchema,
  prompt: z.string().trim().min(1, 'a step has an empty prompt').max(MAX_PROMPT_CHARS),
  deps: z.array(NodeIdSchema).max(MAX_NODES).default([]),
  kind: z.enum(STEP_KINDS as [string, ...string[]]).optional(),
  // A heading is cosmetic: a bad one is dropped, not a reason to reject the plan.
  title: z.string().trim().min(1).max(MAX_TITLE_CHARS).optional().catch(undefined),
});

export const TaskGraphSchema = z.object({
  nodes: z.array(TaskNodeSchema).min(1, 'the plan has no steps'),
  final: NodeIdSchema,
});
