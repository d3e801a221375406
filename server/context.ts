// What the middlewares and handlers share: the per-request variables, the
// app-wide state (AppCore), the OpenAI-shaped error body and the two response
// helpers of the hot path. Runtime-neutral (no Node imports).

import type { Context } from 'hono';
import type { Config, TierName } from './config.ts';
import type { HealthBoard } from './health.ts';
import type { HostPolicy } from './hosts.ts';
import type { CounterStore, Limits } from './limits/types.ts';
import type { ProviderRegistry } from './providers/registry.ts';

export interface LogRecord {
  id: string;
  method: string;
  route: string;
  status?: number;
  ms?: number;
  tier?: TierName;
  upstream?: string;
  model?: string;
  stream?: boolean;
  attempts?: number;
  prompt_tokens?: number;
  completion_tokens?: number;
  code?: string;
  /** true while a stream is still running: the stream writes the line when it ends. */
  deferred?: boolean;
}

export type BodyResult = Uint8Array | 'too_large' | 'error';

/** Never-sendable scan of one text: the entity types found (empty = clean). */
export type NeverSendableScan = (text: string) => readonly { type: string }[];

/** Whether the client went away (closed the connection or aborted the request). */
export interface ClientLink {
  readonly gone: boolean;
  /** Calls `fn` once when the client goes away; returns a function that detaches it. */
  onGone(fn: () => void): () => void;
}

/**
 * One API request as the pipeline sees it, whatever the server under it:
 * Hono's context (app.ts, edge runtimes) or Node's raw request (node-chat.ts).
 * The pipeline's steps take an Exchange and return a Reply.
 */
export interface Exchange {
  readonly method: string;
  /** The path without the query. */
  readonly path: string;
  /** The connection's scheme ('http' or 'https'). */
  readonly scheme: string;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  /** The connection's peer address, when the runtime knows it. */
  readonly peer: string | undefined;
  /** The body, stopping past `limit` bytes. */
  readBody(limit: number): Promise<BodyResult>;
  readonly link: ClientLink;
  readonly rec: LogRecord;
  readonly t0: number;
  /** Per-request response headers (request id, CORS, nosniff, cache). */
  base: Record<string, string>;
  /** The limits key: token digest prefix or IP (set by authentication). */
  clientKey: string;
}

/** SSE text, piece by piece; null at the end. */
export interface TextSource {
  next(): Promise<string | null>;
  /** The client went away: stop and release the upstream. */
  cancel(): void;
}

/** A response as plain data; each server writes it its own way. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | TextSource | null;
}

export type Env = {
  Variables: {
    x: Exchange;
  };
};

export type Ctx = Context<Env>;

export interface AppCore {
  config: Config;
  providers: ProviderRegistry;
  store: CounterStore;
  limits: Limits;
  health: HealthBoard;
  hosts: HostPolicy;
  allowedOrigins: ReadonlySet<string>;
  anonymous: boolean;
  tokenDigests: Promise<Uint8Array[]>;
  timingSafeEqual: (a: Uint8Array, b: Uint8Array) => boolean;
  scan: NeverSendableScan;
  /** The client's IP as seen by this server (X-Forwarded-For's last entry with TRUST_PROXY). */
  clientIp: (x: Exchange) => string;
  /** Lets other requests run between chunks of long work (the privacy scan). */
  yieldToLoop: () => Promise<void>;
  writeLog: (rec: LogRecord) => void;
  /** One JSON line for events that are not requests (e.g. a lost budget settlement). */
  logEvent: (event: string, fields: Record<string, unknown>) => void;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'invalid_request_error',
  405: 'invalid_request_error', 413: 'invalid_request_error', 415: 'invalid_request_error', 422: 'invalid_request_error',
  429: 'rate_limit_error', 499: 'invalid_request_error',
};

export function errorBody(status: number, code: string, message: string, param: string | null = null) {
  return { error: { message, type: ERROR_TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error'), param, code } };
}

/** A reply with the per-request headers and `extra` (which wins). */
export function respond(x: Exchange, body: Reply['body'], status: number, extra: Record<string, string>): Reply {
  return { status, headers: Object.assign({}, x.base, extra), body };
}

const JSON_CT = { 'content-type': 'application/json' };

/** An OpenAI-shaped error reply; the code goes into the access log. */
export function fail(x: Exchange, status: number, code: string, message: string, param: string | null = null, headers?: Record<string, string>): Reply {
  x.rec.code = code;
  return respond(x, JSON.stringify(errorBody(status, code, message, param)), status,
    headers ? Object.assign({}, headers, JSON_CT) : JSON_CT);
}

export const retryAfter = (sec: number) => ({ 'retry-after': String(sec) });
