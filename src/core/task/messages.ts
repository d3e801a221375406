// What a step's model sees, and the assembled answer. A step's message is its
// own prompt plus the outputs of the steps it depends on — nothing else of the
// request, so a private detail stays in the steps that were given it.
import type { ChatMessage } from '../types';
import type { TaskGraph, TaskNode } from './types';

export function stepMessage(node: Pick<TaskNode, 'prompt' | 'deps'>, outputs: ReadonlyMap<string, string>): ChatMessage {
  const parts = node.deps.map((d) => outputs.get(d)?.trim()).filter((t): t is string => !!t);
  const content = parts.length ? `${node.prompt}\n\nResults of the earlier steps:\n\n${parts.join('\n\n---\n\n')}` : node.prompt;
  return { role: 'user', content };
}

/** The answer: an assembly step joins its dependencies' outputs in order; any other final step's output is the answer. */
export function assembleAnswer(g: TaskGraph, outputs: ReadonlyMap<string, string>): string {
  const final = g.nodes.find((n) => n.id === g.final);
  if (!final) return '';
  if (final.kind !== 'assemble') return outputs.get(final.id) ?? '';
  return final.deps.map((d) => outputs.get(d)?.trim()).filter(Boolean).join('\n\n');
}
