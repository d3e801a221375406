// Anthropic Messages API, translated to and from the OpenAI chat format.
// Streaming: Anthropic SSE events (message_start, content_block_delta,
// message_delta, message_stop, error, ping) become OpenAI
// `chat.completion.chunk` events followed by `data: [DONE]`.

import { createParser } from 'eventsource-parser';
import type { AnthropicUpstream } from '../config.ts';
import {
  SSE_DONE, badResponse, discard, networkFailure, postUpstream, sseData,
  type ChatParams, type FetchLike, type Provider, type UpstreamOutcome,
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
 * A TransformStream from Anthropic SSE bytes to OpenAI chunk SSE bytes.
 * An upstream `error` event becomes an OpenAI-style error event + [DONE].
 */
export function anthropicToOpenAIStream(includeUsage: boolean, fallbackModel: string): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  let id = 'chatcmpl-anthropic';
  let model = fallbackModel;
  const created = Math.floor(Date.now() / 1000);
  let inputTokens = 0;
  let outputTokens = 0;
  let finished = false;
  let out: TransformStreamDefaultController<Uint8Array>;
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    sseData({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const parser = createParser({
    onEvent(ev) {
      if (finished) return;
      let data: any;
      try {
        data = JSON.parse(ev.data);
      } catch {
        return; // ignore malformed events rather than killing the stream
      }
      const type: string = ev.event ?? data?.type;
      switch (type) {
        case 'message_start': {
          const m = data.message ?? {};
          if (typeof m.id === 'string') id = `chatcmpl-${m.id}`;
          if (typeof m.model === 'string') model = m.model;
          inputTokens = m.usage?.input_tokens ?? 0;
          outputTokens = m.usage?.output_tokens ?? 0;
          out.enqueue(chunk({ role: 'assistant', content: '' }, null));
          break;
        }
        case 'content_block_delta':
          if (data.delta?.type === 'text_delta' && typeof data.delta.text === 'string') {
            out.enqueue(chunk({ content: data.delta.text }, null));
          }
          break;
        case 'message_delta':
          if (typeof data.usage?.output_tokens === 'number') outputTokens = data.usage.output_tokens;
          if (typeof data.usage?.input_tokens === 'number' && data.usage.input_tokens > 0) inputTokens = data.usage.input_tokens;
          if (data.delta?.stop_reason !== undefined) out.enqueue(chunk({}, mapStopReason(data.delta.stop_reason) ?? 'stop'));
          break;
        case 'message_stop':
          if (includeUsage) {
            out.enqueue(sseData({
              id, object: 'chat.completion.chunk', created, model, choices: [],
              usage: { prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens },
            }));
          }
          out.enqueue(SSE_DONE);
          finished = true;
          break;
        case 'error': {
          const t = typeof data.error?.type === 'string' ? data.error.type : 'api_error';
          out.enqueue(sseData({
            error: { message: `Upstream cloud/anthropic failed mid-stream (${t.replace(/[^\w]/g, '')})`, type: 'upstream_error', code: 'upstream_stream_error' },
          }));
          out.enqueue(SSE_DONE);
          finished = true;
          break;
        }
        default:
          break; // ping, content_block_start, content_block_stop
      }
    },
  });
  return new TransformStream<Uint8Array, Uint8Array>({
    start(c) {
      out = c;
    },
    transform(bytes) {
      parser.feed(decoder.decode(bytes, { stream: true }));
    },
    flush() {
      // A stream that ends without message_stop is truncated: the caller
      // (app.ts) notices the missing [DONE] and appends the error event.
    },
  });
}

export function createAnthropicProvider(cfg: AnthropicUpstream, fetchImpl: FetchLike): Provider {
  const id = 'cloud/anthropic';
  const url = `${cfg.baseUrl}/v1/messages`;
  return {
    id,
    kind: 'anthropic',
    tier: 'cloud',
    model: cfg.model,
    async send(p: ChatParams, signal: AbortSignal): Promise<UpstreamOutcome> {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: p.stream ? 'text/event-stream' : 'application/json',
        'x-api-key': cfg.apiKey,
        'anthropic-version': cfg.version,
      };
      const res = await postUpstream(fetchImpl, id, url, { headers, body: JSON.stringify(toAnthropicRequest(p)), signal });
      if ('upstreamStatus' in res) return res; // a failure: no answer, or a non-2xx status
      if (p.stream) {
        if (!res.body || !(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
          discard(res);
          return badResponse(id, 'a non-SSE answer to a streaming request');
        }
        return { ok: true, kind: 'stream', body: res.body.pipeThrough(anthropicToOpenAIStream(p.includeUsage, p.model)) };
      }
      let json: AnthropicResponse;
      try {
        json = (await res.json()) as AnthropicResponse;
      } catch (e) {
        if (signal.aborted) throw e;
        return badResponse(id, 'invalid JSON');
      }
      if (!json || !Array.isArray(json.content)) return badResponse(id, 'a message without content');
      const oa = fromAnthropicResponse(json);
      return { ok: true, kind: 'json', body: JSON.stringify(oa), usage: oa.usage };
    },
  };
}
