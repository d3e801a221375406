// One interface for every upstream. A provider turns a validated OpenAI-format
// request into an upstream call and hands back OpenAI-format output: a
// `chat.completion` JSON text, or a stream of `chat.completion.chunk` SSE bytes.

import type { TierName } from '../config.ts';

export type Role = 'system' | 'developer' | 'user' | 'assistant';

export interface ChatMessageIn {
  role: Role;
  content: string;
}

/** A validated, normalized chat request (content parts already joined into strings). */
export interface ChatParams {
  /** The upstream's model id (resolved from "auto" or the allowlist). */
  model: string;
  messages: ChatMessageIn[];
  stream: boolean;
  includeUsage: boolean;
  maxTokens: number;
  /** Which field the client used; forwarded under the same name to OpenAI-compatible upstreams. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  temperature?: number;
  top_p?: number;
  stop?: string[];
  presence_penalty?: number;
  frequency_penalty?: number;
  seed?: number;
  user?: string;
  logprobs?: boolean;
  top_logprobs?: number;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

export type UpstreamOutcome =
  | { ok: true; kind: 'stream'; body: ReadableStream<Uint8Array> }
  | { ok: true; kind: 'json'; body: string; usage?: Usage }
  | UpstreamFailure;

export interface UpstreamFailure {
  ok: false;
  /** HTTP status the upstream answered with (0 = no answer: network error). */
  upstreamStatus: number;
  retryable: boolean;
  /** Our error code, e.g. upstream_unavailable. */
  code: string;
  /** Our message: never the upstream's body (it may echo keys or content). */
  message: string;
}

/** The part of a fetch Response the providers use (a real Response satisfies it). */
export interface UpstreamResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
  json(): Promise<unknown>;
  /** Optional cheap way to throw the body away (nodeFetch). */
  dispose?(): void;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<UpstreamResponse>;

export interface Provider {
  /** e.g. "cloud/openai". */
  readonly id: string;
  readonly kind: 'openai' | 'anthropic';
  readonly tier: TierName;
  readonly model: string;
  send(params: ChatParams, signal: AbortSignal): Promise<UpstreamOutcome>;
}

/** Retry before the first byte on 408/409/425/429 and 5xx (Anthropic's 529 included). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}

export function failureForStatus(providerId: string, status: number): UpstreamFailure {
  let code = 'upstream_error';
  if (status === 429) code = 'upstream_rate_limited';
  else if (status === 401 || status === 403) code = 'upstream_auth_failed';
  else if (status >= 500 || status === 408) code = 'upstream_unavailable';
  else if (status >= 400) code = 'upstream_rejected';
  return {
    ok: false,
    upstreamStatus: status,
    retryable: isRetryableStatus(status),
    code,
    message: `Upstream ${providerId} answered HTTP ${status}`,
  };
}

export function networkFailure(providerId: string): UpstreamFailure {
  return { ok: false, upstreamStatus: 0, retryable: true, code: 'upstream_unreachable', message: `Upstream ${providerId} could not be reached` };
}

export function badResponse(providerId: string, what: string): UpstreamFailure {
  return { ok: false, upstreamStatus: 200, retryable: true, code: 'upstream_bad_response', message: `Upstream ${providerId} sent ${what}` };
}

/** Discard a body we will not read, without throwing. */
/**
 * POSTs a request to an upstream. No answer → `upstream_unreachable`, a non-2xx
 * status → the failure for that status (body discarded); an abort rethrows.
 */
export async function postUpstream(
  fetchImpl: FetchLike,
  providerId: string,
  url: string,
  init: { headers: Record<string, string>; body: string; signal: AbortSignal },
): Promise<UpstreamResponse | UpstreamFailure> {
  let res: UpstreamResponse;
  try {
    res = await fetchImpl(url, { method: 'POST', ...init });
  } catch (e) {
    if (init.signal.aborted) throw e;
    return networkFailure(providerId);
  }
  if (!res.ok) {
    discard(res);
    return failureForStatus(providerId, res.status);
  }
  return res;
}

export function discard(res: UpstreamResponse): void {
  if (res.dispose) res.dispose();
  else res.body?.cancel().catch(() => {});
}

export const encoder = new TextEncoder();

export function sseData(obj: unknown): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(obj)}\n\n`);
}

export const SSE_DONE = encoder.encode('data: [DONE]\n\n');
