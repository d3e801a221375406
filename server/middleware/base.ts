// First step of every request: request id, the Host check (DNS rebinding),
// CORS (preflight + response headers, origins compared whole), the
// per-request response headers; and the access log line at the end.
// Runtime-neutral over an Exchange; `requestContext` is the Hono middleware.

import type { MiddlewareHandler } from 'hono';
import { fail, type AppCore, type ClientLink, type Ctx, type Env, type Exchange, type LogRecord, type Reply } from '../context.ts';
import { hostAllowed, isOwnOrigin } from '../hosts.ts';
import { readWebBody, toResponse } from '../web.ts';

export const EXPOSE_HEADERS = 'x-request-id, x-edgewise-tier, x-edgewise-upstream, x-edgewise-model';
const REQUEST_ID = /^[\w.-]{1,64}$/;

/** The scheme the browser used: X-Forwarded-Proto behind a trusted reverse proxy, else the connection's. */
function scheme(core: AppCore, x: Exchange): string {
  if (core.config.trustProxy) {
    const xfp = x.header('x-forwarded-proto');
    if (xfp) {
      const last = xfp.slice(xfp.lastIndexOf(',') + 1).trim().toLowerCase();
      if (last === 'http' || last === 'https') return last;
    }
  }
  return x.scheme;
}

export function originAllowed(core: AppCore, x: Exchange, origin: string): boolean {
  return core.allowedOrigins.has(origin) || isOwnOrigin(origin, scheme(core, x), x.header('host'));
}

const elapsed = (t0: number) => Math.round((performance.now() - t0) * 100) / 100;

/** A new log record with the given or a fresh request id. */
export function newRecord(method: string, path: string, givenId: string | undefined): LogRecord {
  const id = givenId && REQUEST_ID.test(givenId) ? givenId : crypto.randomUUID();
  return { id, method, route: path.slice(0, 100) };
}

/** The access log line, unless a stream writes it when it ends. */
export function closeExchange(core: AppCore, x: Exchange, status: number): void {
  const rec = x.rec;
  if (rec.deferred) return;
  rec.status = status;
  rec.ms = elapsed(x.t0);
  core.writeLog(rec);
}

/**
 * Host check, CORS preflight and the per-request headers. Returns the reply
 * that ends the request here (403 or a preflight), or null to go on.
 */
export function openExchange(core: AppCore, x: Exchange): Reply | null {
  const id = x.rec.id;
  if (!hostAllowed(core.hosts, x.header('host'))) {
    x.base = { 'x-request-id': id, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };
    return fail(x, 403, 'host_not_allowed', 'This server does not answer for this host name; add it to ALLOWED_HOSTS');
  }
  const origin = x.header('origin');
  const allowed = origin !== undefined && originAllowed(core, x, origin);
  if (x.method === 'OPTIONS' && origin !== undefined && x.header('access-control-request-method')) {
    if (!allowed) {
      x.base = { 'x-request-id': id, vary: 'Origin' };
      return fail(x, 403, 'origin_not_allowed', 'This origin may not call the API');
    }
    return {
      status: 204,
      headers: {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'authorization, content-type, x-request-id',
        'access-control-max-age': '600',
        vary: 'Origin',
        'x-request-id': id,
      },
      body: null,
    };
  }
  // Object literals, not spreads: this runs on every request.
  x.base = allowed
    ? {
      'x-request-id': id, vary: 'Origin', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store',
      'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSE_HEADERS,
    }
    : { 'x-request-id': id, vary: 'Origin', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };
  return null;
}

const NEVER_GONE: ClientLink = { gone: false, onGone: () => () => {} };

function signalLink(signal: AbortSignal | undefined): ClientLink {
  if (!signal) return NEVER_GONE;
  return {
    get gone() {
      return signal.aborted;
    },
    onGone(fn) {
      signal.addEventListener('abort', fn, { once: true });
      return () => signal.removeEventListener('abort', fn);
    },
  };
}

/** An Exchange over Hono's context (edge runtimes, app.request() in tests). */
export function honoExchange(c: Ctx, peer: string | undefined): Exchange {
  const req = c.req;
  return {
    method: req.method,
    path: req.path,
    scheme: req.url.startsWith('https:') ? 'https' : 'http',
    header: (name) => req.header(name),
    peer,
    readBody: (limit) => readWebBody(req.raw, limit),
    link: signalLink(req.raw.signal),
    rec: newRecord(req.method, req.path, req.header('x-request-id')),
    t0: performance.now(),
    base: {},
    clientKey: '',
  };
}

/** The Hono middleware: opens the Exchange, adds the per-request headers to any response, logs. */
export function requestContext(core: AppCore, peerOf: (c: Ctx) => string | undefined = () => undefined): MiddlewareHandler<Env> {
  return async (c, next) => {
    const x = honoExchange(c, peerOf(c));
    c.set('x', x);
    const early = openExchange(core, x);
    if (early) {
      closeExchange(core, x, early.status);
      return toResponse(early);
    }
    await next();
    const h = c.res.headers;
    for (const k in x.base) if (!h.has(k)) h.set(k, x.base[k]);
    closeExchange(core, x, c.res.status);
  };
}
