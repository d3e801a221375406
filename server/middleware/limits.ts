// The per-client request rate limit (fixed one-minute windows). A store that
// cannot be reached fails closed: 503 limits_unavailable.

import type { MiddlewareHandler } from 'hono';
import { fail, retryAfter, type AppCore, type Env } from '../context.ts';

export function rateLimit(core: AppCore): MiddlewareHandler<Env> {
  return async (c, next) => {
    let v;
    try {
      v = await core.limits.hitRequest(c.get('client'));
    } catch {
      return fail(c, 503, 'limits_unavailable', 'Rate limits cannot be checked right now; try again shortly');
    }
    if (!v.ok) return fail(c, 429, v.code, v.message, null, retryAfter(v.retryAfterSec));
    return next();
  };
}
