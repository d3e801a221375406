// OpenAI-compatible upstream (OpenAI, Groq, Together, OpenRouter, vLLM, Ollama,
// llama.cpp server). Stream events are parsed and handed to the relay, which
// re-serializes them; an upstream error event is never passed on.

import type { OpenAIUpstream } from '../config.ts';
import type { SseEvent } from '../sse.ts';
import { DONE_ITEM, badEvent, sseSource, upstreamErrorEvent } from './stream.ts';
import {
  ResponseTooLarge, badResponse, byteReader, tooLarge, discard, networkFailure, postUpstream, readTextCapped,
  type Cancel, type ChatParams, type FetchLike, type Provider, type ReadCaps, type StreamItem, type UpstreamOutcome, type Usage,
} from './types.ts';

export function openAIRequestBody(p: ChatParams): Record<string, unknown> {
  const body: Record<string, unknown> = { model: p.model, messages: p.messages, stream: p.stream };
  body[p.maxTokensField] = p.maxTokens;
  // Always: the budget settles from the upstream's count (stripped for clients that did not ask).
  if (p.stream) body.stream_options = { include_usage: true };
  if (p.temperature !== undefined) body.temperature = p.temperature;
  if (p.top_p !== undefined) body.top_p = p.top_p;
  if (p.stop !== undefined) body.stop = p.stop;
  if (p.presence_penalty !== undefined) body.presence_penalty = p.presence_penalty;
  if (p.frequency_penalty !== undefined) body.frequency_penalty = p.frequency_penalty;
  if (p.seed !== undefined) body.seed = p.seed;
  if (p.logprobs !== undefined) body.logprobs = p.logprobs;
  if (p.top_logprobs !== undefined) body.top_logprobs = p.top_logprobs;
  return body;
}

/** One OpenAI SSE event → items. */
export function openAIEventTranslator(providerId: string) {
  return (ev: SseEvent, out: StreamItem[]): void => {
    const d = ev.data;
    if (d === '[DONE]') {
      out.push(DONE_ITEM);
      return;
    }
    let obj: unknown;
    try {
      obj = JSON.parse(d);
    } catch {
      out.push(badEvent(providerId, 'an event that is not JSON'));
      return;
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      out.push(badEvent(providerId, 'an event that is not a JSON object'));
      return;
    }
    const o = obj as Record<string, unknown>;
    if (ev.event === 'error' || (o.error !== undefined && o.error !== null)) {
      out.push(upstreamErrorEvent(providerId));
      return;
    }
    if (Array.isArray(o.choices)) out.push({ type: 'chunk', chunk: o });
    // anything else (a vendor's keep-alive object) is dropped
  };
}

export function createOpenAIProvider(cfg: OpenAIUpstream, fetchImpl: FetchLike, caps: ReadCaps): Provider {
  const id = `${cfg.tier}/openai`;
  const url = `${cfg.baseUrl}/chat/completions`;
  const translate = openAIEventTranslator(id);
  return {
    id,
    kind: 'openai',
    tier: cfg.tier,
    model: cfg.model,
    async send(p: ChatParams, cancel: Cancel): Promise<UpstreamOutcome> {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: p.stream ? 'text/event-stream' : 'application/json',
      };
      if (cfg.apiKey) headers.authorization = `Bearer ${cfg.apiKey}`;
      const res = await postUpstream(fetchImpl, id, url, headers, JSON.stringify(openAIRequestBody(p)), cancel);
      if ('upstreamStatus' in res) return res; // a failure: no answer, or a non-2xx status
      if (p.stream) {
        const ct = res.headers.get('content-type') ?? '';
        const reader = ct.includes('text/event-stream') ? byteReader(res) : null;
        if (!reader) {
          discard(res);
          return badResponse(id, 'a non-SSE answer to a streaming request');
        }
        return { ok: true, kind: 'stream', source: sseSource(reader, caps.eventChars, translate) };
      }
      let text: string;
      try {
        text = await readTextCapped(res, caps.responseBytes);
      } catch (e) {
        if (cancel.aborted) throw e;
        if (e instanceof ResponseTooLarge) return tooLarge(id, caps.responseBytes);
        return networkFailure(id);
      }
      let usage: Usage | undefined;
      let contentChars = 0;
      try {
        const json = JSON.parse(text) as { choices?: { message?: { content?: unknown } }[]; usage?: Partial<Usage> };
        if (!json || !Array.isArray(json.choices)) return badResponse(id, 'a completion without choices');
        if (json.usage && typeof json.usage.completion_tokens === 'number') {
          usage = { prompt_tokens: json.usage.prompt_tokens ?? 0, completion_tokens: json.usage.completion_tokens };
        } else {
          const content = json.choices[0]?.message?.content;
          if (typeof content === 'string') contentChars = content.length;
        }
      } catch {
        return badResponse(id, 'invalid JSON');
      }
      return { ok: true, kind: 'json', body: text, usage, contentChars };
    },
  };
}
