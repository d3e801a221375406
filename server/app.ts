// The proxy as a route table (one Hono app for Node and edge runtimes: no
// Node-only import is reachable from here). The pieces live in their own
// files: middleware/ (request context + CORS + log, auth, limits), chat/
// (parse, route choice, params, privacy gate, attempts, relay), providers/
// (one file per upstream API behind one interface). Node specifics (client
// IP, Redis, crypto.timingSafeEqual, body reader) come in through `deps`.

import { Hono } from 'hono';
import { findNeverSendable } from '../src/core/privacy/index.ts';
import { chatHandler } from './chat/handler.ts';
import { readWebBody } from './chat/parse.ts';
import { errorBody, fail, type AppCore, type BodyResult, type Ctx, type Env, type LogRecord, type NeverSendableScan } from './context.ts';
import type { Config } from './config.ts';
import { TierHealth } from './health.ts';
import { hostPolicy } from './hosts.ts';
import * as info from './info.ts';
import { MemoryStore } from './limits/memory.ts';
import { Limits, type CounterStore } from './limits/types.ts';
import { auth, sha256, xorEqual } from './middleware/auth.ts';
import { requestContext } from './middleware/base.ts';
import { rateLimit } from './middleware/limits.ts';
import { ProviderRegistry } from './providers/registry.ts';
import type { FetchLike } from './providers/types.ts';

export { readWebBody, errorBody };
export type { BodyResult, LogRecord };

export interface AppDeps {
  /** fetch used for upstream calls (default: globalThis.fetch). */
  fetch?: FetchLike;
  /** Counter store for rate limits and budgets (default: in memory). */
  limits?: CounterStore;
  /** The peer address of the connection (Node: from the socket; Workers: CF-Connecting-IP). */
  clientIp?: (c: Ctx) => string | undefined;
  /** One log line per request (default: console.log). */
  log?: (line: string) => void;
  /** Constant-time comparison of two equal-length byte arrays (Node passes crypto.timingSafeEqual). */
  timingSafeEqual?: (a: Uint8Array, b: Uint8Array) => boolean;
  /** Defence in depth: the never-sendable scan of one text (default: src/core/privacy, first hit only). */
  findNeverSendable?: NeverSendableScan;
  /** Read the request body, stopping past `limit` bytes (default: the web stream; Node passes a faster reader). */
  readBody?: (c: Ctx, limit: number) => Promise<BodyResult>;
  /** A request header by lower-case name (default: c.req.header; Node reads the parsed headers directly). */
  header?: (c: Ctx, name: string) => string | undefined;
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
  const logLine = (o: Record<string, unknown>) => {
    if (!config.logRequests) return;
    try {
      log(JSON.stringify({ t: new Date().toISOString(), ...o }));
    } catch {
      /* logging must never break a request */
    }
  };
  const store = deps.limits ?? new MemoryStore();
  const limits = new Limits(store, config, 'ew:', Date.now, (l) => logLine({ event: 'limits_settle_lost', tokens: l.tokens, reason: l.reason }));
  const fetchImpl: FetchLike = deps.fetch ?? ((input, init) => fetch(input, init));
  const providers = ProviderRegistry.fromConfig(config, fetchImpl);
  const enforceHosts = !(deps.anyHostUnlessConfigured && config.allowedHosts === undefined);
  const header = deps.header ?? ((c: Ctx, name: string) => c.req.header(name));
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
    readBody: deps.readBody ?? ((c, limit) => readWebBody(c.req.raw, limit)),
    header,
    clientIp: (c) => {
      if (config.trustProxy) {
        const xff = header(c, 'x-forwarded-for');
        const last = xff?.slice(xff.lastIndexOf(',') + 1).trim();
        if (last) return last.slice(0, 64);
      }
      return deps.clientIp?.(c) ?? 'unknown';
    },
    yieldToLoop,
    writeLog: (rec) => {
      const { deferred: _d, ...rest } = rec;
      logLine(rest);
    },
    logEvent: (event, fields) => logLine({ event, ...fields }),
  };
}

export function createApp(config: Config, deps: AppDeps = {}): Hono<Env> {
  const core = createCore(config, deps);
  const app = new Hono<Env>();

  app.use('*', requestContext(core));
  app.get('/healthz', info.healthz(core));
  app.get('/v1/ping', info.ping(core));
  app.get('/v1/models', auth(core), info.models(core));
  app.post('/v1/chat/completions', auth(core), rateLimit(core), chatHandler(core));
  app.all('/v1/chat/completions', (c) => fail(c, 405, 'method_not_allowed', 'Use POST'));

  app.notFound((c) => c.json(errorBody(404, 'not_found', `No route ${c.req.method} ${c.req.path.slice(0, 100)}`), 404));
  app.onError((err, c) => {
    const rec = c.get('rec');
    if (rec) rec.code = `internal_error:${err?.name ?? 'Error'}`;
    return c.json(errorBody(500, 'internal_error', 'Internal error'), 500);
  });
  return app;
}
