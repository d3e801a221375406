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

export type Env = {
  Variables: {
    rec: LogRecord;
    t0: number;
    /** Per-request response headers (request id, CORS, nosniff, cache). */
    base: Record<string, string>;
    /** The limits key: token digest prefix or IP. */
    client: string;
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
  readBody: (c: Ctx, limit: number) => Promise<BodyResult>;
  /** A request header by lower-case name (Node reads the socket's parsed headers: no Headers object). */
  header: (c: Ctx, name: string) => string | undefined;
  /** The client's IP as seen by this server (X-Forwarded-For's last entry with TRUST_PROXY). */
  clientIp: (c: Ctx) => string;
  /** Lets other requests run between chunks of long work (the privacy scan). */
  yieldToLoop: () => Promise<void>;
  writeLog: (rec: LogRecord) => void;
  /** One JSON line for events that are not requests (e.g. a lost budget settlement). */
  logEvent: (event: string, fields: Record<string, unknown>) => void;
}

/** Marks a Response that already carries the per-request headers. */
export const BASE_APPLIED = Symbol('edgewise.baseHeaders');

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'invalid_request_error',
  405: 'invalid_request_error', 413: 'invalid_request_error', 415: 'invalid_request_error', 422: 'invalid_request_error',
  429: 'rate_limit_error', 499: 'invalid_request_error',
};

export function errorBody(status: number, code: string, message: string, param: string | null = null) {
  return { error: { message, type: ERROR_TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error'), param, code } };
}

/**
 * A response with the per-request headers and `extra` (which wins), built
 * with a plain header object: no Headers instance on the hot path (the Node
 * adapter writes plain objects straight to writeHead).
 */
export function respond(c: Ctx, body: string | ReadableStream<Uint8Array> | null, status: number, extra: Record<string, string>): Response {
  const res = new Response(body, { status, headers: { ...c.get('base'), ...extra } });
  (res as unknown as Record<symbol, boolean>)[BASE_APPLIED] = true;
  return res;
}

const JSON_CT = { 'content-type': 'application/json' };

/** An OpenAI-shaped error response; the code goes into the access log. */
export function fail(c: Ctx, status: number, code: string, message: string, param: string | null = null, headers?: Record<string, string>): Response {
  c.get('rec').code = code;
  return respond(c, JSON.stringify(errorBody(status, code, message, param)), status,
    headers ? { ...headers, 'content-type': 'application/json' } : JSON_CT);
}

export const retryAfter = (sec: number) => ({ 'retry-after': String(sec) });
