// A conversation as the Prompt API takes it, and trimming it to the context
// window before it overflows: the system message stays, the oldest turns go
// first, and what is kept always starts with a user message.
import type { ChatMessage } from '../../core/types';
import type { LanguageModelMessage } from './prompt-api';

/** The spec allows a system message only first: later ones become user messages. */
export function toPromptMessages(messages: readonly ChatMessage[]): LanguageModelMessage[] {
  return messages.map((m, i) => ({ role: m.role === 'system' && i > 0 ? 'user' : m.role, content: m.content }));
}

export function sameMessages(a: readonly ChatMessage[], b: readonly ChatMessage[]): boolean {
  return a.length === b.length && a.every((m, i) => m.role === b[i].role && m.content === b[i].content);
}

/** Drops the oldest turn (after the system message): one message, then any assistant left at the front. */
export function dropOldest(history: readonly LanguageModelMessage[]): LanguageModelMessage[] {
  const start = history[0]?.role === 'system' ? 1 : 0;
  if (history.length <= start) return [...history];
  const out = [...history.slice(0, start), ...history.slice(start + 1)];
  while (out.length > start && out[start].role === 'assistant') out.splice(start, 1);
  return out;
}

export function hasTurns(history: readonly LanguageModelMessage[]): boolean {
  return history.some((m) => m.role !== 'system');
}

/**
 * The longest recent history that fits with `next` and `reserve` tokens for the
 * answer, measured by the browser. `null` when even `next` alone (with the
 * system message) does not fit.
 */
export async function fitHistory(
  history: readonly LanguageModelMessage[],
  next: LanguageModelMessage,
  measure: (input: LanguageModelMessage[]) => Promise<number>,
  window: number,
  reserve: number,
): Promise<LanguageModelMessage[] | null> {
  let kept = [...history];
  for (;;) {
    const need = await measure([...kept, next]);
    if (need + reserve <= window) return kept;
    if (!hasTurns(kept)) return null;
    kept = dropOldest(kept);
  }
}
