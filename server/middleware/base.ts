// First middleware of every request: request id, the Host check (DNS
// rebinding), CORS (preflight + response headers, origins compared whole),
// the per-request response headers, and the access log line.

import type { MiddlewareHandler } from 'hono';
import { BASE_APPLIED, errorBody, fail, type AppCore, type Ctx, type Env, type LogRecord } from '../context.ts';
import { hostAllowed, isOwnOrigin } from '../hosts.ts';

export const EXPOSE_HEADERS = 'x-request-id, x-edgewise-tier, x-edgewise-upstream, x-edgewise-model';
const REQUEST_ID = /^[\w.-]{1,64}$/;

/** The scheme the browser used: X-Forwarded-Proto behind a trusted reverse proxy, else the connection's. */
function scheme(core: AppCore, c: Ctx): string {
  if (core.config.trustProxy) {
    const xfp = core.header(c, 'x-forwarded-proto');
    if (xfp) {
      const last = xfp.slice(xfp.lastIndexOf(',') + 1).trim().toLowerCase();
      if (last === 'http' || last === 'https') return last;
    }
  }
  const u = c.req.url;
  return u.startsWith('https:') ? 'https' : 'http';
}

export function originAllowed(core: AppCore, c: Ctx, origin: string): boolean {
  return core.allowedOrigins.has(origin) || isOwnOrigin(origin, scheme(core, c), core.header(c, 'host'));
}

const elapsed = (t0: number) => Math.round((performance.now() - t0) * 100) / 100;

export function requestContext(core: AppCore): MiddlewareHandler<Env> {
  return async (c, next) => {
    const t0 = performance.now();
    const given = core.header(c, 'x-request-id');
    const id = given && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    const rec: LogRecord = { id, method: c.req.method, route: c.req.path.slice(0, 100) };
    c.set('rec', rec);
    c.set('t0', t0);
    const origin = core.header(c, 'origin');
    if (!hostAllowed(core.hosts, core.header(c, 'host'))) {
      c.set('base', { 'x-request-id': id, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
      const res = fail(c, 403, 'host_not_allowed', 'This server does not answer for this host name; add it to ALLOWED_HOSTS');
      rec.status = 403;
      rec.ms = elapsed(t0);
      core.writeLog(rec);
      return res;
    }
    const allowed = origin !== undefined && originAllowed(core, c, origin);
    if (c.req.method === 'OPTIONS' && origin !== undefined && core.header(c, 'access-control-request-method')) {
      rec.status = allowed ? 204 : 403;
      rec.ms = elapsed(t0);
      core.writeLog(rec);
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
    // any other response gets the missing ones added after the handler.
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
      rec.status = res.status;
      rec.ms = elapsed(t0);
      core.writeLog(rec);
    }
  };
}
