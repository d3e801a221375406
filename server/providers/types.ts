// One interface for every upstream. A provider turns a validated OpenAI-format
// request into an upstream call and hands back OpenAI-format output: a
// `chat.completion` JSON text, or a stream of `chat.completion.chunk` SSE bytes.

import { concatBytes } from '../bytes.ts';
import type { TierName } from '../config.ts';

export type Role = 'system' | 'developer' | 'user' | 'assistant';

export interface ChatMessageIn {
  role: Role;
  content: string;
}

/**
 * A validated, normalized chat request (content parts already joined into
 * strings): exactly what may be forwarded. Every string in it passes the
 * privacy gate (chat/privacy-gate.ts), so a new field is checked by default.
 * Streams always ask the upstream for usage (the budget settles from it).
 */
export interface ChatParams {
  /** The upstream's model id (resolved from "auto" or the allowlist). */
  model: string;
  messages: ChatMessageIn[];
  stream: boolean;
  maxTokens: number;
  /** Which field the client used; forwarded under the same name to OpenAI-compatible upstreams. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  temperature?: number;
  top_p?: number;
  stop?: string[];
  presence_penalty?: number;
  frequency_penalty?: number;
  seed?: number;
  logprobs?: boolean;
  top_logprobs?: number;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** One step of an upstream stream, already in OpenAI terms. */
export type StreamItem =
  /** A `chat.completion.chunk` object (re-serialized by the relay). */
  | { type: 'chunk'; chunk: Record<string, unknown> }
  | { type: 'done' }
  /** The upstream reported an error or sent something unusable: the stream ends with our error event. */
  | { type: 'error'; code: 'upstream_stream_error' | 'upstream_bad_response' | 'upstream_event_too_large'; message: string };

/** An upstream stream as items. */
export interface ChunkSource {
  /** Items completed by the next upstream read (maybe none); null at the end of the body. Rejects on a broken connection or an abort. */
  next(): Promise<StreamItem[] | null>;
  /** Stop reading and drop the connection. */
  cancel(): void;
  /** The answer is complete: stop reading, let the connection end by itself (keep-alive). */
  release(): void;
}

export type UpstreamOutcome =
  | { ok: true; kind: 'stream'; source: ChunkSource }
  /** `contentChars`: length of the answer text, for the budget when the upstream gives no usage. */
  | { ok: true; kind: 'json'; body: string; usage?: Usage; contentChars?: number }
  | UpstreamFailure;

/** Raw upstream bytes, read one chunk at a time. */
export interface ByteReader {
  /** The next chunk, or null at the end. Rejects on a broken connection or an abort. */
  read(): Promise<Uint8Array | null>;
  cancel(): void;
  /** Optional: stop reading but let the rest of the body arrive (keep-alive); default cancel(). */
  release?(): void;
}

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
  /** Optional reader without a web stream (nodeFetch). */
  chunkReader?(): ByteReader;
  /** Optional: the whole body, rejecting with ResponseTooLarge past `limit` bytes (nodeFetch). */
  bytesCapped?(limit: number): Promise<Uint8Array>;
}

/**
 * Cancels one upstream call. An AbortSignal costs microseconds to make, so it
 * is made only when a fetch implementation asks for one (the platform's
 * fetch); nodeFetch listens with onAbort.
 */
export class Cancel {
  aborted = false;
  private fns: (() => void)[] = [];
  private ctl: AbortController | undefined;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.ctl?.abort();
    const fns = this.fns;
    this.fns = [];
    for (const fn of fns) fn();
  }

  /** Calls `fn` once on abort (not when already aborted); returns a function that detaches it. */
  onAbort(fn: () => void): () => void {
    if (this.aborted) return () => {};
    this.fns.push(fn);
    return () => {
      const i = this.fns.indexOf(fn);
      if (i >= 0) this.fns.splice(i, 1);
    };
  }

  get signal(): AbortSignal {
    if (!this.ctl) {
      this.ctl = new AbortController();
      if (this.aborted) this.ctl.abort();
    }
    return this.ctl.signal;
  }
}

export interface UpstreamInit {
  method: string;
  headers: Record<string, string>;
  body: string;
  cancel: Cancel;
}

export type FetchLike = (input: string, init: UpstreamInit) => Promise<UpstreamResponse>;

/** A FetchLike over the platform's fetch (edge runtimes, the demo upstream). */
export function webFetch(f: (input: Request) => Promise<Response> = (r) => fetch(r)): FetchLike {
  return (input, init) => f(new Request(input, { method: init.method, headers: init.headers, body: init.body, signal: init.cancel.signal }));
}

export interface Provider {
  /** e.g. "cloud/openai". */
  readonly id: string;
  readonly kind: string;
  readonly tier: TierName;
  readonly model: string;
  send(params: ChatParams, cancel: Cancel): Promise<UpstreamOutcome>;
}

/** Caps on what is read from an upstream (config.maxUpstream*). */
export interface ReadCaps {
  eventChars: number;
  responseBytes: number;
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

/**
 * POSTs a request to an upstream. No answer → `upstream_unreachable`, a non-2xx
 * status → the failure for that status (body discarded); an abort rethrows.
 */
export async function postUpstream(
  fetchImpl: FetchLike,
  providerId: string,
  url: string,
  headers: Record<string, string>,
  body: string,
  cancel: Cancel,
): Promise<UpstreamResponse | UpstreamFailure> {
  let res: UpstreamResponse;
  try {
    res = await fetchImpl(url, { method: 'POST', headers, body, cancel });
  } catch (e) {
    if (cancel.aborted) throw e;
    return networkFailure(providerId);
  }
  if (!res.ok) {
    discard(res);
    return failureForStatus(providerId, res.status);
  }
  return res;
}

/** Discard a body we will not read, without throwing. */
export function discard(res: UpstreamResponse): void {
  if (res.dispose) res.dispose();
  else res.body?.cancel().catch(() => {});
}

/** The body as a ByteReader (nodeFetch's own, else over the web stream). */
export function byteReader(res: UpstreamResponse): ByteReader | null {
  if (res.chunkReader) return res.chunkReader();
  const body = res.body;
  if (!body) return null;
  const reader = body.getReader();
  return {
    async read() {
      const r = await reader.read();
      return r.done ? null : r.value;
    },
    cancel() {
      reader.cancel().catch(() => {});
    },
  };
}

export class ResponseTooLarge extends Error {}

/** Not retried: the same question would get the same oversized answer. */
export function tooLarge(providerId: string, limit: number): UpstreamFailure {
  return { ok: false, upstreamStatus: 200, retryable: false, code: 'upstream_bad_response', message: `Upstream ${providerId} sent an answer larger than ${limit} bytes` };
}

/** The whole body as text, refusing (ResponseTooLarge) past `limit` bytes without buffering the rest. */
export async function readTextCapped(res: UpstreamResponse, limit: number): Promise<string> {
  if (res.bytesCapped) return decoder.decode(await res.bytesCapped(limit));
  const r = byteReader(res);
  if (!r) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const ch = await r.read();
    if (ch === null) break;
    total += ch.byteLength;
    if (total > limit) {
      r.cancel();
      throw new ResponseTooLarge();
    }
    chunks.push(ch);
  }
  return decoder.decode(concatBytes(chunks, total));
}

const decoder = new TextDecoder();

export const encoder = new TextEncoder();

export function sseData(obj: unknown): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(obj)}\n\n`);
}

export const SSE_DONE = encoder.encode('data: [DONE]\n\n');
