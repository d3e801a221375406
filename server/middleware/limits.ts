// The per-client request rate limit (fixed one-minute windows). A store that
// cannot be reached fails closed: 503 limits_unavailable.

import type { MiddlewareHandler } from 'hono';
import { fail, retryAfter, type AppCore, type Env, type Exchange, type Reply } from '../context.ts';
import { toResponse } from '../web.ts';

/** The reply that refuses the request, or null when it may go on. */
export async function limitRate(core: AppCore, x: Exchange): Promise<Reply | null> {
  let v;
  try {
    v = await core.limits.hitRequest(x.clientKey);
  } catch {
    return fail(x, 503, 'limits_unavailable', 'Rate limits cannot be checked right now; try again shortly');
  }
  return v.ok ? null : fail(x, 429, v.code, v.message, null, retryAfter(v.retryAfterSec));
}

export function rateLimit(core: AppCore): MiddlewareHandler<Env> {
  return async (c, next) => {
    const refused = await limitRate(core, c.get('x'));
    return refused ? toResponse(refused) : next();
  };
}
