// The validated body → what is forwarded (ChatParams). Fields the upstream
// does not need are dropped here: `user` (an end-user identifier), message
// `name`s, and our own `tier` / `fallover`.

import type { ChatBody } from '../schema.ts';
import type { ChatMessageIn, ChatParams } from '../providers/types.ts';

/** Text of an OpenAI message content (string or text parts), as forwarded. */
export function contentText(content: ChatBody['messages'][number]['content']): string {
  if (typeof content === 'string') return content;
  if (content.length === 1) return content[0].text;
  let s = '';
  for (const p of content) s += p.text;
  return s;
}

export interface Forward {
  params: ChatParams;
  /** Did the client ask for the usage chunk? (the upstream is always asked) */
  clientWantsUsage: boolean;
  /** Prompt size estimate (chars / 4) for the budget reservation. */
  promptEstimate: number;
}

export function toParams(body: ChatBody, maxTokensCap: number): Forward {
  let chars = 0;
  const messages: ChatMessageIn[] = body.messages.map((m) => {
    const content = contentText(m.content);
    chars += content.length;
    return { role: m.role, content };
  });
  const requested = body.max_completion_tokens ?? body.max_tokens ?? maxTokensCap;
  const stop = body.stop == null ? undefined : typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (stop) for (const s of stop) chars += s.length;
  const params: ChatParams = {
    model: '',
    messages,
    stream: body.stream === true,
    maxTokens: Math.min(requested, maxTokensCap),
    maxTokensField: body.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens',
    temperature: body.temperature ?? undefined,
    top_p: body.top_p ?? undefined,
    stop,
    presence_penalty: body.presence_penalty ?? undefined,
    frequency_penalty: body.frequency_penalty ?? undefined,
    seed: body.seed ?? undefined,
    logprobs: body.logprobs ?? undefined,
    top_logprobs: body.top_logprobs ?? undefined,
  };
  return { params, clientWantsUsage: body.stream_options?.include_usage === true, promptEstimate: Math.ceil(chars / 4) };
}
