// One OpenAI `chat.completion.chunk` SSE event (or the proxy's error event)
// reduced to what the client needs. Pure.
import { mapLogprob, type WebLlmTokenLogprob } from '../../core/engine/metrics';
import type { TokenLogprob } from '../types';

export interface StreamUsage {
  promptTokens: number;
  completionTokens: number;
}

export type ChunkEvent =
  | { kind: 'done' }
  | { kind: 'error'; message: string; code?: string }
  | { kind: 'invalid' }
  | {
    kind: 'chunk';
    delta: string;
    finishReason: string | null;
    usage: StreamUsage | null;
    logprobs: TokenLogprob[];
  };

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : null);

/** Parses the `data:` field of one SSE event. */
export function parseChunk(data: string): ChunkEvent {
  const d = data.trim();
  if (d === '[DONE]') return { kind: 'done' };
  let obj: unknown;
  try {
    obj = JSON.parse(d);
  } catch {
    return { kind: 'invalid' };
  }
  if (!obj || typeof obj !== 'object') return { kind: 'invalid' };
  const o = obj as Record<string, unknown>;
  if (o.error !== undefined && o.error !== null) {
    const e = o.error as Record<string, unknown>;
    return {
      kind: 'error',
      message: typeof e?.message === 'string' ? e.message : 'stream error',
      code: typeof e?.code === 'string' ? e.code : undefined,
    };
  }
  const choice = Array.isArray(o.choices) ? (o.choices[0] as Record<string, unknown> | undefined) : undefined;
  const delta = choice?.delta as Record<string, unknown> | undefined;
  const content = typeof delta?.content === 'string' ? delta.content : '';
  const finishReason = typeof choice?.finish_reason === 'string' ? choice.finish_reason : null;
  const u = o.usage as Record<string, unknown> | null | undefined;
  const completion = num(u?.completion_tokens);
  const usage = u && completion !== null ? { promptTokens: num(u.prompt_tokens) ?? 0, completionTokens: completion } : null;
  const lp = (choice?.logprobs as { content?: unknown } | null | undefined)?.content;
  const logprobs = Array.isArray(lp)
    ? lp.filter((x): x is WebLlmTokenLogprob => !!x && typeof x.token === 'string' && typeof x.logprob === 'number').map(mapLogprob)
    : [];
  return { kind: 'chunk', delta: content, finishReason, usage, logprobs };
}
