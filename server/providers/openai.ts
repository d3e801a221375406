// OpenAI-compatible upstream (OpenAI, Groq, Together, OpenRouter, vLLM, Ollama,
// llama.cpp server). Streams are passed through byte for byte.

import type { OpenAIUpstream } from '../config.ts';
import {
  badResponse, discard, networkFailure, postUpstream,
  type ChatParams, type FetchLike, type Provider, type UpstreamOutcome, type Usage,
} from './types.ts';

export function openAIRequestBody(p: ChatParams): Record<string, unknown> {
  const body: Record<string, unknown> = { model: p.model, messages: p.messages, stream: p.stream };
  body[p.maxTokensField] = p.maxTokens;
  if (p.stream && p.includeUsage) body.stream_options = { include_usage: true };
  if (p.temperature !== undefined) body.temperature = p.temperature;
  if (p.top_p !== undefined) body.top_p = p.top_p;
  if (p.stop !== undefined) body.stop = p.stop;
  if (p.presence_penalty !== undefined) body.presence_penalty = p.presence_penalty;
  if (p.frequency_penalty !== undefined) body.frequency_penalty = p.frequency_penalty;
  if (p.seed !== undefined) body.seed = p.seed;
  if (p.user !== undefined) body.user = p.user;
  if (p.logprobs !== undefined) body.logprobs = p.logprobs;
  if (p.top_logprobs !== undefined) body.top_logprobs = p.top_logprobs;
  return body;
}

export function createOpenAIProvider(cfg: OpenAIUpstream, fetchImpl: FetchLike): Provider {
  const id = `${cfg.tier}/openai`;
  const url = `${cfg.baseUrl}/chat/completions`;
  return {
    id,
    kind: 'openai',
    tier: cfg.tier,
    model: cfg.model,
    async send(p: ChatParams, signal: AbortSignal): Promise<UpstreamOutcome> {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: p.stream ? 'text/event-stream' : 'application/json',
      };
      if (cfg.apiKey) headers.authorization = `Bearer ${cfg.apiKey}`;
      const res = await postUpstream(fetchImpl, id, url, { headers, body: JSON.stringify(openAIRequestBody(p)), signal });
      if ('upstreamStatus' in res) return res; // a failure: no answer, or a non-2xx status
      if (p.stream) {
        const ct = res.headers.get('content-type') ?? '';
        if (!res.body || !ct.includes('text/event-stream')) {
          discard(res);
          return badResponse(id, 'a non-SSE answer to a streaming request');
        }
        return { ok: true, kind: 'stream', body: res.body };
      }
      let text: string;
      try {
        text = await res.text();
      } catch (e) {
        if (signal.aborted) throw e;
        return networkFailure(id);
      }
      let usage: Usage | undefined;
      try {
        const json = JSON.parse(text) as { choices?: unknown; usage?: Partial<Usage> };
        if (!json || !Array.isArray(json.choices)) return badResponse(id, 'a completion without choices');
        if (json.usage && typeof json.usage.completion_tokens === 'number') {
          usage = { prompt_tokens: json.usage.prompt_tokens ?? 0, completion_tokens: json.usage.completion_tokens };
        }
      } catch {
        return badResponse(id, 'invalid JSON');
      }
      return { ok: true, kind: 'json', body: text, usage };
    },
  };
}
