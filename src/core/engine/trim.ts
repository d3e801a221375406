// Fitting a conversation into a model's context window. PURE: every local
// engine trims with the same rule (ONNX counts with its tokenizer, web-llm
// with estimateTokens: its tokenizer lives in the worker, inside web-llm).
import type { ChatMessage } from '../types';

/**
 * Drop the oldest non-system messages until `countTokens(messages) <= budget`.
 * System messages and the final message are always kept; a history never
 * starts with an orphan assistant reply. If even the minimal history does not
 * fit, the minimal history is returned (the caller truncates further).
 */
export function trimHistory(
  messages: readonly ChatMessage[],
  countTokens: (messages: ChatMessage[]) => number,
  budget: number,
): ChatMessage[] {
  let msgs = messages.slice();
  if (msgs.length === 0) return msgs;
  while (countTokens(msgs) > budget) {
    const last = msgs.length - 1;
    const idx = msgs.findIndex((m, i) => m.role !== 'system' && i < last);
    if (idx < 0) break;
    msgs = msgs.filter((_, i) => i !== idx);
    // After dropping a user turn, also drop the assistant reply it had.
    const next = msgs.findIndex((m, i) => m.role !== 'system' && i < msgs.length - 1);
    if (next >= 0 && msgs[next].role === 'assistant') msgs = msgs.filter((_, i) => i !== next);
  }
  return msgs;
}

/** Tokens a chat template adds around each message (role markers, separators), generously. */
export const TEMPLATE_TOKENS_PER_MESSAGE = 8;

/**
 * An upper-end token estimate without the tokenizer: ASCII at 3 characters a
 * token (BPE tokenizers average ~4 on English), every other character a token
 * of its own (CJK and emoji can cost one or more each).
 */
export function estimateTokens(messages: readonly ChatMessage[]): number {
  let n = 0;
  for (const m of messages) {
    let ascii = 0;
    let other = 0;
    for (const ch of m.content) {
      if (ch.charCodeAt(0) < 128) ascii += 1;
      else other += 1;
    }
    n += Math.ceil(ascii / 3) + other + TEMPLATE_TOKENS_PER_MESSAGE;
  }
  return n;
}

/**
 * The conversation trimmed to `budget` estimated tokens: oldest turns first
 * (trimHistory), then — if the last message alone is still too long — its
 * beginning, keeping the most recent text (as the ONNX engine keeps the most
 * recent tokens).
 */
export function fitToBudget(messages: readonly ChatMessage[], budget: number): ChatMessage[] {
  const kept = trimHistory(messages, estimateTokens, budget);
  let over = estimateTokens(kept) - budget;
  if (over <= 0 || kept.length === 0) return kept;
  const last = kept[kept.length - 1];
  const chars = [...last.content];
  // Drop characters from the front until the estimate fits (each ≥ 1/3 token).
  let cut = 0;
  while (over > 0 && cut < chars.length) {
    const ch = chars[cut];
    cut += 1;
    over -= ch.charCodeAt(0) < 128 ? 1 / 3 : 1;
  }
  return [...kept.slice(0, -1), { ...last, content: chars.slice(cut).join('') }];
}
