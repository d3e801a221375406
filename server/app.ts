// The proxy as a route table (one Hono app for Node and edge runtimes: no
// Node-only import is reachable from here). The pieces live in their own
// files: middleware/ (request context + CORS + log, auth, limits), chat/
// (parse, route choice, params, privacy gate, attempts, relay), providers/
// (one file per upstream API behind one interface). Node specifics (client
// IP, Redis, crypto.timingSafeEqual, body reader) come in through `deps`.

import { Hono } from 'hono';
import { findNeverSendable } from '../src/core/privacy/index.ts';
import { chat, chatHandler } from './chat/handler.ts';
import { errorBody, fail, type AppCore, type Ctx, type Env, type Exchange, type NeverSendableScan, type Reply } from './context.ts';
import type { Config } from './config.ts';
import { TierHealth } from './health.ts';
import { hostPolicy } from './hosts.ts';
import * as info from './info.ts';
import { MemoryStore } from './limits/memory.ts';
import { Limits, type CounterStore } from './limits/types.ts';
import { auth, authenticate, sha256, xorEqual } from './middleware/auth.ts';
import { closeExchange, openExchange, requestContext } from './middleware/base.ts';
import { limitRate, rateLimit } from './middleware/limits.ts';
import { ProviderRegistry } from './providers/registry.ts';
import { webFetch, type FetchLike } from './providers/types.ts';
import { toResponse } from './web.ts';

export interface AppDeps {
  /** fetch used for upstream calls (default: globalThis.fetch). */
  fetch?: FetchLike;
  /** Counter store for rate limits and budgets (default: in memory). */
  limits?: CounterStore;
  /** The peer address of the connection on the Hono path (Workers: CF-Connecting-IP). */
  clientIp?: (c: Ctx) => string | undefined;
  /** One log line per request (default: console.log). */
  log?: (line: string) => void;
  /** Constant-time comparison of two equal-length byte arrays (Node passes crypto.timingSafeEqual). */
  timingSafeEqual?: (a: Uint8Array, b: Uint8Array) => boolean;
  /** Defence in depth: the never-sendable scan of one text (default: src/core/privacy, first hit only). */
  findNeverSendable?: NeverSendableScan;
  /**
   * Answer any Host header unless ALLOWED_HOSTS is set (edge platforms route
   * by Host themselves, so DNS rebinding cannot reach them). Default false.
   */
  anyHostUnlessConfigured?: boolean;
}

/** The privacy module's scan, asked for the first hit only (it stops there). */
export const firstNeverSendable: NeverSendableScan = (text) => findNeverSendable(text, { limit: 1 });

const yieldToLoop: () => Promise<void> = typeof setImmediate === 'function'
  ? () => new Promise((resolve) => setImmediate(resolve))
  : () => new Promise((resolve) => setTimeout(resolve, 0));

export function createCore(config: Config, deps: AppDeps = {}): AppCore {
  const log = deps.log ?? ((line: string) => console.log(line));
  // One JSON line with the time first; built without copying the record (object spread is slow on the hot path).
  const logLine = (o: object) => {
    if (!config.logRequests) return;
    try {
      const json = JSON.stringify(o);
      log(`{"t":"${new Date().toISOString()}"${json.length > 2 ? ',' : ''}${json.slice(1)}`);
    } catch {
      /* logging must never break a request */
    }
  };
  const store = deps.limits ?? new MemoryStore();
  const limits = new Limits(store, config, 'ew:', Date.now, (l) => logLine({ event: 'limits_settle_lost', tokens: l.tokens, reason: l.reason }));
  const fetchImpl: FetchLike = deps.fetch ?? webFetch();
  const providers = ProviderRegistry.fromConfig(config, fetchImpl);
  const enforceHosts = !(deps.anyHostUnlessConfigured && config.allowedHosts === undefined);
  return {
    config,
    providers,
    store,
    limits,
    health: { cloud: new TierHealth(providers.configured('cloud')), edge: new TierHealth(providers.configured('edge')) },
    hosts: hostPolicy(config.allowedHosts, config.host, enforceHosts),
    allowedOrigins: new Set(config.allowedOrigins),
    anonymous: config.proxyTokens.length === 0,
    tokenDigests: Promise.all(config.proxyTokens.map(sha256)),
    timingSafeEqual: deps.timingSafeEqual ?? xorEqual,
    scan: deps.findNeverSendable ?? firstNeverSendable,
    clientIp: (x) => {
      if (config.trustProxy) {
        const xff = x.header('x-forwarded-for');
        const last = xff?.slice(xff.lastIndexOf(',') + 1).trim();
        if (last) return last.slice(0, 64);
      }
      return x.peer ?? 'unknown';
    },
    yieldToLoop,
    writeLog: (rec) => {
      rec.deferred = undefined;
      logLine(rec);
    },
    logEvent: (event, fields) => logLine(Object.assign({ event }, fields)),
  };
}

const INTERNAL_ERROR = 'Internal error';

/**
 * POST /v1/chat/completions end to end over an Exchange — the route table's
 * steps without a router (the Node entry's fast path). Writes the log line
 * unless a stream writes it when it ends.
 */
export async function chatExchange(core: AppCore, x: Exchange): Promise<Reply> {
  let reply: Reply;
  try {
    reply = openExchange(core, x) ?? (await authenticate(core, x)) ?? (await limitRate(core, x)) ?? (await chat(core, x));
  } catch (err) {
    reply = fail(x, 500, 'internal_error', INTERNAL_ERROR);
    x.rec.code = `internal_error:${(err as Error)?.name ?? 'Error'}`;
  }
  closeExchange(core, x, reply.status);
  return reply;
}

/** The route table over a core (Hono; edge runtimes and the Node entry's other routes). */
export function createApp(config: Config, deps: AppDeps = {}): Hono<Env> {
  return routes(createCore(config, deps), deps.clientIp);
}

export function routes(core: AppCore, peerOf?: (c: Ctx) => string | undefined): Hono<Env> {
  const app = new Hono<Env>();

  app.use('*', requestContext(core, peerOf));
  app.get('/healthz', info.healthz(core));
  app.get('/v1/ping', info.ping(core));
  app.get('/v1/models', auth(core), info.models(core));
  app.post('/v1/chat/completions', auth(core), rateLimit(core), chatHandler(core));
  app.all('/v1/chat/completions', (c) => toResponse(fail(c.get('x'), 405, 'method_not_allowed', 'Use POST')));

  app.notFound((c) => c.json(errorBody(404, 'not_found', `No route ${c.req.method} ${c.req.path.slice(0, 100)}`), 404));
  app.onError((err, c) => {
    const x = c.get('x');
    if (x) x.rec.code = `internal_error:${err?.name ?? 'Error'}`;
    return c.json(errorBody(500, 'internal_error', INTERNAL_ERROR), 500);
  });
  return app;
}
