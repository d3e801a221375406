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

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A step's output under its title: the model's own first line dropped when it only repeats the title ("## Background", "**Background:**"). */
export function titledPart(title: string, output: string): string {
  const own = new RegExp(`^\\s*(?:#{1,6}\\s*)?(?:\\*\\*|__)?\\s*${escapeRe(title)}\\s*:?\\s*(?:\\*\\*|__)?\\s*:?\\s*(?:\\n|$)`, 'i');
  const body = output.replace(own, '').trim();
  return body ? `### ${title}\n\n${body}` : '';
}

/**
 * The answer: an assembly step joins its dependencies' outputs in order, each
 * under its title when it has one; any other final step's output is the answer.
 */
export function assembleAnswer(g: TaskGraph, outputs: ReadonlyMap<string, string>): string {
  const final = g.nodes.find((n) => n.id === g.final);
  if (!final) return '';
  if (final.kind !== 'assemble') return outputs.get(final.id) ?? '';
  const titles = new Map(g.nodes.map((n) => [n.id, n.title]));
  return final.deps
    .map((d) => {
      const out = outputs.get(d)?.trim();
      if (!out) return '';
      const title = titles.get(d);
      return title ? titledPart(title, out) : out;
    })
    .filter(Boolean)
    .join('\n\n');
}
