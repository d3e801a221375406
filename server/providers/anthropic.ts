// Anthropic Messages API, translated to and from the OpenAI chat format.
// Streaming: Anthropic SSE events (message_start, content_block_delta,
// message_delta, message_stop, error, ping) become OpenAI
// `chat.completion.chunk` items for the relay, then done.

import type { AnthropicUpstream } from '../config.ts';
import type { SseEvent } from '../sse.ts';
import { DONE_ITEM, badEvent, sseSource, upstreamErrorEvent } from './stream.ts';
import {
  ResponseTooLarge, badResponse, byteReader, discard, networkFailure, postUpstream, readTextCapped, tooLarge,
  type Cancel, type ChatParams, type FetchLike, type Provider, type ReadCaps, type StreamItem, type UpstreamOutcome,
} from './types.ts';

interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: string;
}

export function toAnthropicRequest(p: ChatParams): Record<string, unknown> {
  const system: string[] = [];
  const messages: AnthropicMessage[] = [];
  for (const m of p.messages) {
    if (m.role === 'system' || m.role === 'developer') {
      system.push(m.content);
      continue;
    }
    const last = messages[messages.length - 1];
    // The Messages API wants alternating turns: merge consecutive same-role messages.
    if (last && last.role === m.role) last.content += `\n\n${m.content}`;
    else messages.push({ role: m.role, content: m.content });
  }
  // It must start with a user turn.
  if (messages.length === 0 || messages[0].role !== 'user') messages.unshift({ role: 'user', content: '(continue)' });
  const body: Record<string, unknown> = { model: p.model, max_tokens: p.maxTokens, messages };
  if (system.length) body.system = system.join('\n\n');
  if (p.stream) body.stream = true;
  // OpenAI's temperature range is 0..2, Anthropic's 0..1.
  if (p.temperature !== undefined) body.temperature = Math.min(1, p.temperature);
  if (p.top_p !== undefined) body.top_p = p.top_p;
  if (p.stop !== undefined && p.stop.length) body.stop_sequences = p.stop;
  return body;
}

export function mapStopReason(r: string | null | undefined): string | null {
  switch (r) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    case null:
    case undefined:
      return null;
    default:
      return 'stop';
  }
}

interface AnthropicResponse {
  id?: string;
  model?: string;
  content?: { type: string; text?: string }[];
  stop_reason?: string | null;
  usage?: { input_tokens?: number; output_tokens?: number };
}

export function fromAnthropicResponse(a: AnthropicResponse, created = Math.floor(Date.now() / 1000)) {
  const text = (a.content ?? []).filter((b) => b.type === 'text').map((b) => b.text ?? '').join('');
  const prompt = a.usage?.input_tokens ?? 0;
  const completion = a.usage?.output_tokens ?? 0;
  return {
    id: `chatcmpl-${a.id ?? 'anthropic'}`,
    object: 'chat.completion' as const,
    created,
    model: a.model ?? '',
    choices: [{ index: 0, message: { role: 'assistant' as const, content: text }, logprobs: null, finish_reason: mapStopReason(a.stop_reason) ?? 'stop' }],
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
}

/**
 * Anthropic SSE events → OpenAI `chat.completion.chunk` items. `message_stop`
 * ends with a usage chunk (always: the budget settles from it; the relay
 * strips it for clients that did not ask) and done; an `error` event becomes
 * our error item (the upstream's words are never passed on).
 */
export function anthropicEventTranslator(providerId: string, fallbackModel: string) {
  let id = 'chatcmpl-anthropic';
  let model = fallbackModel;
  const created = Math.floor(Date.now() / 1000);
  let inputTokens = 0;
  let outputTokens = 0;
  const chunk = (delta: Record<string, unknown>, finish: string | null): StreamItem =>
    ({ type: 'chunk', chunk: { id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] } });
  return (ev: SseEvent, out: StreamItem[]): void => {
    let data: any;
    try {
      data = JSON.parse(ev.data);
    } catch {
      out.push(badEvent(providerId, 'an event that is not JSON'));
      return;
    }
    const type: string = ev.event || data?.type;
    switch (type) {
      case 'message_start': {
        const m = data.message ?? {};
        if (typeof m.id === 'string') id = `chatcmpl-${m.id}`;
        if (typeof m.model === 'string') model = m.model;
        inputTokens = num(m.usage?.input_tokens);
        outputTokens = num(m.usage?.output_tokens);
        out.push(chunk({ role: 'assistant', content: '' }, null));
        break;
      }
      case 'content_block_delta':
        if (data.delta?.type === 'text_delta' && typeof data.delta.text === 'string') out.push(chunk({ content: data.delta.text }, null));
        break;
      case 'message_delta':
        if (typeof data.usage?.output_tokens === 'number') outputTokens = num(data.usage.output_tokens);
        if (typeof data.usage?.input_tokens === 'number' && data.usage.input_tokens > 0) inputTokens = num(data.usage.input_tokens);
        if (data.delta?.stop_reason !== undefined) out.push(chunk({}, mapStopReason(data.delta.stop_reason) ?? 'stop'));
        break;
      case 'message_stop':
        out.push({
          type: 'chunk',
          chunk: {
            id, object: 'chat.completion.chunk', created, model, choices: [],
            usage: { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens },
          },
        });
        out.push(DONE_ITEM);
        break;
      case 'error':
        out.push(upstreamErrorEvent(providerId));
        break;
      default:
        break; // ping, content_block_start, content_block_stop
    }
  };
}

const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : 0);

export function createAnthropicProvider(cfg: AnthropicUpstream, fetchImpl: FetchLike, caps: ReadCaps): Provider {
  const id = 'cloud/anthropic';
  const url = `${cfg.baseUrl}/v1/messages`;
  return {
    id,
    kind: 'anthropic',
    tier: 'cloud',
    model: cfg.model,
    async send(p: ChatParams, cancel: Cancel): Promise<UpstreamOutcome> {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: p.stream ? 'text/event-stream' : 'application/json',
        'x-api-key': cfg.apiKey,
        'anthropic-version': cfg.version,
      };
      const res = await postUpstream(fetchImpl, id, url, headers, JSON.stringify(toAnthropicRequest(p)), cancel);
      if ('upstreamStatus' in res) return res; // a failure: no answer, or a non-2xx status
      if (p.stream) {
        const reader = (res.headers.get('content-type') ?? '').includes('text/event-stream') ? byteReader(res) : null;
        if (!reader) {
          discard(res);
          return badResponse(id, 'a non-SSE answer to a streaming request');
        }
        return { ok: true, kind: 'stream', source: sseSource(reader, caps.eventChars, anthropicEventTranslator(id, p.model)) };
      }
      let text: string;
      try {
        text = await readTextCapped(res, caps.responseBytes);
      } catch (e) {
        if (cancel.aborted) throw e;
        if (e instanceof ResponseTooLarge) return tooLarge(id, caps.responseBytes);
        return networkFailure(id);
      }
      let json: AnthropicResponse;
      try {
        json = JSON.parse(text) as AnthropicResponse;
      } catch {
        return badResponse(id, 'invalid JSON');
      }
      if (!json || !Array.isArray(json.content)) return badResponse(id, 'a message without content');
      const oa = fromAnthropicResponse(json);
      return { ok: true, kind: 'json', body: JSON.stringify(oa), usage: oa.usage };
    },
  };
}
