// The proxy as one Hono app that runs on Node and on edge runtimes
// (Workers/Deno/Bun): no Node-only import is reachable from here. Node
// specifics (client IP, Redis, crypto.timingSafeEqual, static files) come in
// through `deps` or are added by node.ts around this app.

import { Hono, type Context } from 'hono';
import { findNeverSendable as defaultFindNeverSendable } from '../src/core/privacy/index.ts';
import type { Entity } from '../src/core/types.ts';
import { tierConfigured, type Config, type TierName } from './config.ts';
import { TierHealth, type HealthBoard } from './health.ts';
import { MemoryStore } from './limits/memory.ts';
import { Limits, type CounterStore } from './limits/types.ts';
import { createAnthropicProvider } from './providers/anthropic.ts';
import { createOpenAIProvider } from './providers/openai.ts';
import {
  SSE_DONE, encoder, sseData,
  type ChatMessageIn, type ChatParams, type FetchLike, type Provider, type UpstreamFailure, type Usage,
} from './providers/types.ts';
import { chatBodySchema, describeIssue, jsonDepthExceeds, type ChatBody } from './schema.ts';

export interface AppDeps {
  /** fetch used for upstream calls (default: globalThis.fetch). */
  fetch?: FetchLike;
  /** Counter store for rate limits and budgets (default: in memory). */
  limits?: CounterStore;
  /** The peer address of the connection (Node: from the socket; Workers: CF-Connecting-IP). */
  clientIp?: (c: Context) => string | undefined;
  /** One log line per request (default: console.log). */
  log?: (line: string) => void;
  /** Constant-time comparison of two equal-length byte arrays (Node passes crypto.timingSafeEqual). */
  timingSafeEqual?: (a: Uint8Array, b: Uint8Array) => boolean;
  /** Defence in depth (default: src/core/privacy). */
  findNeverSendable?: (text: string) => Entity[];
  /**
   * Read the request body, stopping past `limit` bytes (default: the web
   * stream of c.req.raw; Node passes a faster reader over the socket).
   */
  readBody?: (c: Context, limit: number) => Promise<BodyResult>;
}

export type BodyResult = Uint8Array | 'too_large' | 'error';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Portable body reader over the request's web stream. */
export async function readWebBody(req: Request, limit: number): Promise<BodyResult> {
  const body = req.body;
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        // Stop reading; the server adapter drains or closes the rest.
        reader.releaseLock();
        return 'too_large';
      }
      chunks.push(value);
    }
  } catch {
    return 'error';
  }
  if (chunks.length === 1) return chunks[0];
  const all = new Uint8Array(total);
  let o = 0;
  for (const ch of chunks) {
    all.set(ch, o);
    o += ch.byteLength;
  }
  return all;
}

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

type Env = { Variables: { rec: LogRecord; t0: number; base: Record<string, string> } };

/** Marks a Response that already carries the per-request headers (request id, CORS, nosniff, ...). */
const BASE_APPLIED = Symbol('edgewise.baseHeaders');

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'invalid_request_error',
  405: 'invalid_request_error', 413: 'invalid_request_error', 415: 'invalid_request_error', 422: 'invalid_request_error',
  429: 'rate_limit_error', 499: 'invalid_request_error',
};

export function errorBody(status: number, code: string, message: string, param: string | null = null) {
  return { error: { message, type: ERROR_TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error'), param, code } };
}

function xorEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

async function sha256(s: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(s)));
}

const hex = (b: Uint8Array, n: number) => Array.from(b.subarray(0, n), (x) => x.toString(16).padStart(2, '0')).join('');

class ClientGone extends Error {}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new ClientGone());
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new ClientGone());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Text of an OpenAI message content (string or text parts). */
function contentText(content: ChatBody['messages'][number]['content']): string {
  return typeof content === 'string' ? content : content.map((p) => p.text).join('');
}

function statusForFailure(f: UpstreamFailure): number {
  switch (f.code) {
    case 'upstream_rate_limited':
      return 429;
    case 'upstream_timeout':
      return 504;
    case 'upstream_rejected':
      return 400;
    default:
      return 502;
  }
}

const JSON_CT = { 'content-type': 'application/json' };
const EXPOSE_HEADERS = 'x-request-id, x-edgewise-tier, x-edgewise-upstream, x-edgewise-model';

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

export function createApp(config: Config, deps: AppDeps = {}): Hono<Env> {
  const fetchImpl: FetchLike = deps.fetch ?? ((input, init) => fetch(input, init));
  const log = deps.log ?? ((line: string) => console.log(line));
  const tse = deps.timingSafeEqual ?? xorEqual;
  const neverSendable = deps.findNeverSendable ?? defaultFindNeverSendable;
  const store = deps.limits ?? new MemoryStore();
  const limits = new Limits(store, config);
  const anonymous = config.proxyTokens.length === 0;
  const tokenDigests = Promise.all(config.proxyTokens.map(sha256));

  const providers: Provider[] = config.upstreams.map((u) =>
    u.kind === 'anthropic' ? createAnthropicProvider(u, fetchImpl) : createOpenAIProvider(u, fetchImpl));
  const health: HealthBoard = {
    cloud: new TierHealth(tierConfigured(config, 'cloud')),
    edge: new TierHealth(tierConfigured(config, 'edge')),
  };
  const allowedOrigins = new Set(config.allowedOrigins);

  const app = new Hono<Env>();

  const writeLog = (rec: LogRecord) => {
    if (!config.logRequests) return;
    const { deferred: _d, ...rest } = rec;
    try {
      log(JSON.stringify({ t: new Date().toISOString(), ...rest }));
    } catch {
      /* logging must never break a request */
    }
  };

  /**
   * A response with the per-request headers and `extra` (which wins), built
   * with a plain header object: no Headers instance is created on the hot
   * path (the Node adapter writes plain objects straight to writeHead).
   */
  const respond = (c: Context<Env>, body: string | ReadableStream<Uint8Array> | null, status: number, extra: Record<string, string>): Response => {
    const res = new Response(body, { status, headers: { ...c.get('base'), ...extra } });
    (res as unknown as Record<symbol, boolean>)[BASE_APPLIED] = true;
    return res;
  };

  const fail = (c: Context<Env>, status: number, code: string, message: string, param: string | null = null, headers?: Record<string, string>) => {
    c.get('rec').code = code;
    return respond(c, JSON.stringify(errorBody(status, code, message, param)), status,
      headers ? { ...headers, 'content-type': 'application/json' } : JSON_CT);
  };

  const originAllowed = (origin: string, host: string | undefined): boolean => {
    if (allowedOrigins.has(origin)) return true;
    try {
      return host !== undefined && new URL(origin).host === host;
    } catch {
      return false;
    }
  };

  const clientIp = (c: Context<Env>): string => {
    if (config.trustProxy) {
      const xff = c.req.header('x-forwarded-for');
      if (xff) {
        const parts = xff.split(',');
        const last = parts[parts.length - 1].trim();
        if (last) return last.slice(0, 64);
      }
    }
    return deps.clientIp?.(c) ?? 'unknown';
  };

  // Request id, CORS, access log.
  app.use('*', async (c, next) => {
    const t0 = performance.now();
    const given = c.req.header('x-request-id');
    const id = given && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    const rec: LogRecord = { id, method: c.req.method, route: c.req.path.slice(0, 100) };
    c.set('rec', rec);
    c.set('t0', t0);
    const origin = c.req.header('origin');
    const allowed = origin !== undefined && originAllowed(origin, c.req.header('host'));
    if (c.req.method === 'OPTIONS' && origin !== undefined && c.req.header('access-control-request-method')) {
      rec.status = allowed ? 204 : 403;
      rec.ms = Math.round((performance.now() - t0) * 100) / 100;
      writeLog(rec);
      if (!allowed) return c.json(errorBody(403, 'origin_not_allowed', 'This origin may not call the API'), 403, { 'x-request-id': id, vary: 'Origin' });
      return c.body(null, 204, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'authorization, content-type, x-request-id',
        'access-control-max-age': '600',
        vary: 'Origin',
        'x-request-id': id,
      });
    }
    // Per-request headers as a plain object: the hot paths (chat answers and
    // errors, via respond()) spread it into their own plain header object;
    // any other response gets the missing ones added after the handler (a
    // header the handler set itself wins, as with c.header before it).
    const base: Record<string, string> = allowed
      ? {
        'x-request-id': id, vary: 'Origin', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store',
        'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSE_HEADERS,
      }
      : { 'x-request-id': id, vary: 'Origin', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };
    c.set('base', base);
    await next();
    const res = c.res;
    if (!(res as unknown as Record<symbol, boolean>)[BASE_APPLIED]) {
      const h = res.headers;
      for (const k in base) if (!h.has(k)) h.set(k, base[k]);
    }
    if (!rec.deferred) {
      rec.status = c.res.status;
      rec.ms = Math.round((performance.now() - t0) * 100) / 100;
      writeLog(rec);
    }
  });

  app.onError((err, c) => {
    const rec = c.get('rec');
    if (rec) rec.code = `internal_error:${err?.name ?? 'Error'}`;
    return c.json(errorBody(500, 'internal_error', 'Internal error'), 500);
  });
  app.notFound((c) => c.json(errorBody(404, 'not_found', `No route ${c.req.method} ${c.req.path.slice(0, 100)}`), 404));

  app.get('/healthz', async (c) => {
    let ok = true;
    try {
      ok = (await store.ping?.()) ?? true;
    } catch {
      ok = false;
    }
    return c.json({ status: ok ? 'ok' : 'degraded', limits: ok ? 'ok' : 'unavailable' }, ok ? 200 : 503);
  });

  app.get('/v1/ping', (c) =>
    c.json({ time: Date.now(), tiers: { cloud: health.cloud.snapshot(), edge: health.edge.snapshot() } }, 200, { 'cache-control': 'no-store' }));

  /** Auth + origin for API routes; returns the client key (for limits) or a Response. */
  const guard = async (c: Context<Env>): Promise<string | Response> => {
    const origin = c.req.header('origin');
    if (origin !== undefined && !originAllowed(origin, c.req.header('host'))) {
      return fail(c, 403, 'origin_not_allowed', 'This origin may not call the API');
    }
    if (anonymous) return `ip:${clientIp(c)}`;
    const auth = c.req.header('authorization');
    const m = auth ? /^Bearer[ ]+([\x21-\x7e]{1,512})\s*$/i.exec(auth) : null;
    if (!m) return fail(c, 401, 'missing_token', 'Missing bearer token: send "Authorization: Bearer <token>"');
    const presented = await sha256(m[1]);
    let match = -1;
    const digests = await tokenDigests;
    for (let i = 0; i < digests.length; i++) if (tse(presented, digests[i]) && match < 0) match = i;
    if (match < 0) return fail(c, 401, 'invalid_token', 'Invalid bearer token');
    return `tok:${hex(digests[match], 6)}`;
  };

  app.get('/v1/models', async (c) => {
    const g = await guard(c);
    if (g instanceof Response) return g;
    return c.json({
      object: 'list',
      data: [
        { id: 'auto', object: 'model', created: 0, owned_by: 'edgewise', tier: null },
        ...providers.map((p) => ({ id: p.model, object: 'model', created: 0, owned_by: p.kind, tier: p.tier })),
      ],
    });
  });

  // ---- POST /v1/chat/completions -------------------------------------------
  app.post('/v1/chat/completions', async (c) => {
    const rec = c.get('rec');
    const g = await guard(c);
    if (g instanceof Response) return g;
    const client = g;

    let verdict;
    try {
      verdict = await limits.hitRequest(client);
    } catch {
      return fail(c, 503, 'limits_unavailable', 'Rate limits cannot be checked right now; try again shortly');
    }
    if (!verdict.ok) return fail(c, 429, verdict.code, verdict.message, null, { 'retry-after': String(verdict.retryAfterSec) });

    const ct = c.req.header('content-type') ?? '';
    if (!/^application\/json\s*(;.*)?$/i.test(ct)) {
      return fail(c, 415, 'unsupported_media_type', 'Content-Type must be application/json');
    }

    // Body with a byte limit that also holds for chunked uploads.
    const declared = c.req.header('content-length');
    if (declared !== undefined && !(Number(declared) <= config.maxBodyBytes)) {
      return fail(c, 413, 'body_too_large', `Request body exceeds ${config.maxBodyBytes} bytes`);
    }
    const got = await (deps.readBody ? deps.readBody(c, config.maxBodyBytes) : readWebBody(c.req.raw, config.maxBodyBytes));
    if (got === 'too_large') return fail(c, 413, 'body_too_large', `Request body exceeds ${config.maxBodyBytes} bytes`);
    if (got === 'error') return fail(c, 400, 'body_read_error', 'The request body could not be read');
    let text: string;
    try {
      text = utf8.decode(got);
    } catch {
      return fail(c, 400, 'invalid_encoding', 'The request body must be UTF-8');
    }

    if (jsonDepthExceeds(text)) return fail(c, 400, 'nesting_too_deep', 'The JSON body is nested too deeply');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return fail(c, 400, 'invalid_json', 'We could not parse the JSON body of your request');
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      return fail(c, 400, 'invalid_body', 'The request body must be a JSON object');
    }
    const parsed = chatBodySchema.safeParse(raw);
    if (!parsed.success) {
      const { message, param } = describeIssue(parsed.error);
      return fail(c, 400, 'invalid_request', message, param);
    }
    const body = parsed.data;

    // Tier and model (allowlist: configured models or "auto").
    let tier: TierName;
    let first: Provider | undefined;
    if (body.model === 'auto') {
      tier = body.tier ?? (tierConfigured(config, 'cloud') || !tierConfigured(config, 'edge') ? 'cloud' : 'edge');
    } else {
      first = providers.find((p) => p.model === body.model);
      if (!first) return fail(c, 400, 'model_not_found', `The model is not available here; use "auto" or one of GET /v1/models`, 'model');
      if (body.tier && body.tier !== first.tier) {
        return fail(c, 400, 'model_tier_mismatch', `The model belongs to the ${first.tier} tier, not ${body.tier}`, 'tier');
      }
      tier = first.tier;
    }
    rec.tier = tier;
    if (!tierConfigured(config, tier)) {
      return fail(c, 503, 'tier_not_configured', `The ${tier} tier is not configured on this proxy`);
    }
    const fallover = body.fallover ?? tier === 'cloud';
    const other: TierName = tier === 'cloud' ? 'edge' : 'cloud';
    const plan: Provider[] = [
      ...(first ? [first] : []),
      ...providers.filter((p) => p.tier === tier && p !== first),
      ...(fallover ? providers.filter((p) => p.tier === other) : []),
    ];

    // Defence in depth: never forward what must never leave the device.
    const messages: ChatMessageIn[] = body.messages.map((m) => ({ role: m.role, content: contentText(m.content) }));
    const found = new Set<string>();
    try {
      for (const m of messages) for (const e of neverSendable(m.content)) found.add(e.type);
    } catch {
      return fail(c, 422, 'sensitive_content', 'The privacy check could not verify this request, so it was not sent');
    }
    if (found.size) {
      return fail(c, 422, 'sensitive_content',
        `Refused: the request contains data that must never leave the device (${[...found].sort().join(', ')}). Remove it or answer on the device.`);
    }

    try {
      const b = await limits.checkBudget(client);
      if (!b.ok) return fail(c, 429, b.code, b.message, null, { 'retry-after': String(b.retryAfterSec) });
    } catch {
      return fail(c, 503, 'limits_unavailable', 'Budgets cannot be checked right now; try again shortly');
    }

    const requested = body.max_completion_tokens ?? body.max_tokens ?? config.maxTokensCap;
    const params: ChatParams = {
      model: '',
      messages,
      stream: body.stream === true,
      includeUsage: body.stream_options?.include_usage === true,
      maxTokens: Math.min(requested, config.maxTokensCap),
      maxTokensField: body.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens',
      temperature: body.temperature ?? undefined,
      top_p: body.top_p ?? undefined,
      stop: body.stop == null ? undefined : typeof body.stop === 'string' ? [body.stop] : body.stop,
      presence_penalty: body.presence_penalty ?? undefined,
      frequency_penalty: body.frequency_penalty ?? undefined,
      seed: body.seed ?? undefined,
      user: body.user,
      logprobs: body.logprobs ?? undefined,
      top_logprobs: body.top_logprobs ?? undefined,
    };
    const promptEstimate = Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 4);
    rec.stream = params.stream;
    return forward(c, plan, params, client, promptEstimate);
  });

  app.all('/v1/chat/completions', (c) => fail(c, 405, 'method_not_allowed', 'Use POST'));

  // ---- upstream calls -------------------------------------------------------
  type Attempt =
    | { ok: true; kind: 'json'; body: string; usage?: Usage; provider: Provider; t0: number }
    | {
      ok: true; kind: 'stream'; reader: ReadableStreamDefaultReader<Uint8Array>; first: Uint8Array;
      provider: Provider; ctl: AbortController; unlink: () => void; t0: number;
    }
    | UpstreamFailure;

  async function attempt(p: Provider, params: ChatParams, clientSignal: AbortSignal): Promise<Attempt> {
    const ctl = new AbortController();
    const onAbort = () => ctl.abort();
    clientSignal.addEventListener('abort', onAbort, { once: true });
    const unlink = () => clientSignal.removeEventListener('abort', onAbort);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort();
    }, config.upstreamTimeoutMs);
    const h = health[p.tier];
    const t0 = performance.now();
    h.start();
    try {
      const out = await p.send({ ...params, model: p.model }, ctl.signal);
      if (!out.ok) {
        clearTimeout(timer);
        unlink();
        h.end(false);
        return out;
      }
      if (out.kind === 'json') {
        clearTimeout(timer);
        unlink();
        h.end(true);
        return { ...out, provider: p, t0 };
      }
      // Read up to the first byte before committing: until then we may retry.
      const reader = out.body.getReader();
      let r = await reader.read();
      while (!r.done && r.value.byteLength === 0) r = await reader.read();
      clearTimeout(timer);
      if (r.done) {
        unlink();
        h.end(false);
        return { ok: false, upstreamStatus: 200, retryable: true, code: 'upstream_bad_response', message: `Upstream ${p.id} sent an empty stream` };
      }
      return { ok: true, kind: 'stream', reader, first: r.value, provider: p, ctl, unlink, t0 };
    } catch (e) {
      clearTimeout(timer);
      unlink();
      if (clientSignal.aborted) {
        h.cancel();
        throw new ClientGone();
      }
      h.end(false);
      if (timedOut) {
        return { ok: false, upstreamStatus: 0, retryable: true, code: 'upstream_timeout', message: `Upstream ${p.id} did not answer within ${config.upstreamTimeoutMs} ms` };
      }
      return { ok: false, upstreamStatus: 0, retryable: true, code: 'upstream_unreachable', message: `Upstream ${p.id} could not be reached` };
    }
  }

  async function forward(c: Context<Env>, plan: Provider[], params: ChatParams, client: string, promptEstimate: number): Promise<Response> {
    const rec = c.get('rec');
    const signal = c.req.raw.signal;
    let last: UpstreamFailure | undefined;
    let n = 0;
    try {
      outer: for (const p of plan) {
        for (let r = 0; r <= config.upstreamRetries; r++) {
          if (n > 0 && config.retryBackoffMs > 0) await sleep(config.retryBackoffMs * 2 ** Math.min(n - 1, 4), signal);
          n++;
          const a = await attempt(p, params, signal);
          rec.attempts = n;
          if (a.ok) {
            rec.tier = p.tier;
            rec.upstream = p.id;
            rec.model = p.model;
            return a.kind === 'json' ? sendJson(c, a, client, promptEstimate) : sendStream(c, a, params, client, promptEstimate);
          }
          last = a;
          if (!a.retryable) {
            if (a.code === 'upstream_auth_failed') continue outer; // this upstream is misconfigured; try the next
            break outer;
          }
        }
      }
    } catch (e) {
      if (e instanceof ClientGone) return fail(c, 499, 'client_closed', 'The client closed the request');
      throw e;
    }
    const f = last ?? { ok: false, upstreamStatus: 0, retryable: false, code: 'upstream_unavailable', message: 'No upstream available' };
    return fail(c, statusForFailure(f), f.code, f.message);
  }

  function charge(client: string, tokens: number) {
    limits.chargeTokens(client, tokens).catch(() => {
      /* a lost charge is logged by the store's own error handler */
    });
  }

  function sendJson(c: Context<Env>, a: Extract<Attempt, { kind: 'json' }>, client: string, promptEstimate: number): Response {
    const rec = c.get('rec');
    const prompt = a.usage?.prompt_tokens ?? promptEstimate;
    const completion = a.usage?.completion_tokens ?? 0;
    rec.prompt_tokens = prompt;
    rec.completion_tokens = completion;
    charge(client, prompt + completion);
    return respond(c, a.body, 200, {
      'content-type': 'application/json',
      'x-edgewise-tier': a.provider.tier,
      'x-edgewise-upstream': a.provider.id,
      'x-edgewise-model': a.provider.model,
    });
  }

  function sendStream(c: Context<Env>, a: Extract<Attempt, { kind: 'stream' }>, params: ChatParams, client: string, promptEstimate: number): Response {
    const rec = c.get('rec');
    const t0 = c.get('t0');
    rec.deferred = true;
    const h = health[a.provider.tier];
    const { reader, ctl } = a;
    const decoder = new TextDecoder();
    let pending = '';
    let sawDone = false;
    let sawError = false;
    let contentChunks = 0;
    let firstTokenAt: number | undefined;
    let lastTokenAt = 0;
    let usage: Usage | undefined;
    let finished = false;
    let idleTimedOut = false;

    const scan = (events: string) => {
      let i = 0;
      while (i < events.length) {
        let j = events.indexOf('\n', i);
        if (j < 0) j = events.length;
        const line = events.charCodeAt(i) === 100 /* d */ && events.startsWith('data:', i) ? events.slice(i + 5, j).trim() : '';
        i = j + 1;
        if (!line) continue;
        if (line === '[DONE]') {
          sawDone = true;
          continue;
        }
        const k = line.indexOf('"content":"');
        if (k >= 0 && line.charCodeAt(k + 11) !== 34) {
          contentChunks++;
          lastTokenAt = performance.now();
          firstTokenAt ??= lastTokenAt;
        }
        if (line.includes('"usage":{') || line.startsWith('{"error"')) {
          try {
            const obj = JSON.parse(line);
            if (obj?.error) sawError = true;
            if (typeof obj?.usage?.completion_tokens === 'number') {
              usage = { prompt_tokens: obj.usage.prompt_tokens ?? 0, completion_tokens: obj.usage.completion_tokens };
            }
          } catch {
            /* not JSON: passed through untouched */
          }
        }
      }
    };

    /** Forward only whole SSE events so that an error event can always follow cleanly. */
    const process = (bytes: Uint8Array, out: ReadableStreamDefaultController<Uint8Array>) => {
      const text = decoder.decode(bytes, { stream: true });
      if (pending === '' && text.endsWith('\n\n')) {
        scan(text);
        out.enqueue(bytes);
        return;
      }
      pending += text;
      const end = Math.max(pending.lastIndexOf('\n\n') + 2, pending.lastIndexOf('\r\n\r\n') + 4, 0);
      if (end > 0) {
        const events = pending.slice(0, end);
        pending = pending.slice(end);
        scan(events.replace(/\r\n?/g, '\n'));
        out.enqueue(encoder.encode(events));
      }
    };

    const finish = (ok: boolean, code?: string) => {
      if (finished) return;
      finished = true;
      a.unlink();
      const prompt = usage?.prompt_tokens ?? promptEstimate;
      const completion = usage?.completion_tokens ?? contentChunks;
      if (code === 'client_closed') h.cancel();
      else {
        h.end(ok, {
          ttftMs: firstTokenAt !== undefined ? firstTokenAt - a.t0 : undefined,
          tokens: contentChunks,
          genMs: firstTokenAt !== undefined ? lastTokenAt - firstTokenAt : undefined,
        });
      }
      charge(client, prompt + completion);
      rec.status = 200;
      rec.prompt_tokens = prompt;
      rec.completion_tokens = completion;
      if (code) rec.code = code;
      rec.ms = Math.round((performance.now() - t0) * 100) / 100;
      writeLog(rec);
    };

    const endWithError = (out: ReadableStreamDefaultController<Uint8Array>, code: string, message: string) => {
      try {
        if (!sawError) out.enqueue(sseData({ error: { message, type: 'upstream_error', param: null, code } }));
        out.enqueue(SSE_DONE);
        out.close();
      } catch {
        /* already closed */
      }
      finish(false, code);
    };

    let idle: ReturnType<typeof setTimeout> | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start(out) {
        process(a.first, out);
      },
      async pull(out) {
        idle = setTimeout(() => {
          idleTimedOut = true;
          ctl.abort();
        }, config.streamIdleTimeoutMs);
        let r: ReadableStreamReadResult<Uint8Array>;
        try {
          r = await reader.read();
        } catch {
          clearTimeout(idle);
          if (c.req.raw.signal.aborted) {
            try {
              out.close();
            } catch {
              /* cancelled */
            }
            finish(false, 'client_closed');
            return;
          }
          endWithError(out, idleTimedOut ? 'upstream_timeout' : 'upstream_stream_error',
            idleTimedOut ? `Upstream ${a.provider.id} stalled mid-stream` : `Upstream ${a.provider.id} failed mid-stream`);
          return;
        }
        clearTimeout(idle);
        if (r.done) {
          if (!sawDone) {
            endWithError(out, 'upstream_stream_error', `Upstream ${a.provider.id} ended the stream early`);
            return;
          }
          if (pending) out.enqueue(encoder.encode(pending));
          out.close();
          finish(!sawError, sawError ? 'upstream_stream_error' : undefined);
          return;
        }
        process(r.value, out);
      },
      cancel() {
        clearTimeout(idle);
        ctl.abort();
        reader.cancel().catch(() => {});
        finish(false, 'client_closed');
      },
    });
    return respond(c, stream, 200, { ...SSE_HEADERS, 'x-edgewise-tier': a.provider.tier, 'x-edgewise-upstream': a.provider.id, 'x-edgewise-model': a.provider.model });
  }

  return app;
}
