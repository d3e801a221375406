// API routes: the browser Origin must be allowed (403), then — unless the
// proxy is anonymous — a bearer token (401). Failed token checks are counted
// per IP and refused (429) past AUTH_FAILURES_PER_MIN, before the token is
// even compared. Sets the Exchange's `clientKey`, the key for the rate limit
// and budgets.

import type { MiddlewareHandler } from 'hono';
import { fail, retryAfter, type AppCore, type Env, type Exchange, type Reply } from '../context.ts';
import { encoder } from '../providers/types.ts';
import { toResponse } from '../web.ts';
import { originAllowed } from './base.ts';

const BEARER = /^Bearer[ ]+([\x21-\x7e]{1,512})\s*$/i;

export async function sha256(s: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(s)));
}

const hex = (b: Uint8Array, n: number) => Array.from(b.subarray(0, n), (x) => x.toString(16).padStart(2, '0')).join('');

/** Constant-time comparison for runtimes without crypto.timingSafeEqual. */
export function xorEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/** Index of the configured token whose digest matches, checking all of them; -1 if none. */
async function matchToken(core: AppCore, token: string): Promise<{ index: number; digests: Uint8Array[] }> {
  const presented = await sha256(token);
  const digests = await core.tokenDigests;
  let index = -1;
  for (let i = 0; i < digests.length; i++) if (core.timingSafeEqual(presented, digests[i]) && index < 0) index = i;
  return { index, digests };
}

const LIMITS_DOWN = 'Rate limits cannot be checked right now; try again shortly';

/** The reply that refuses the request, or null when it may go on (with `x.clientKey` set). */
export async function authenticate(core: AppCore, x: Exchange): Promise<Reply | null> {
  const origin = x.header('origin');
  if (origin !== undefined && !originAllowed(core, x, origin)) {
    return fail(x, 403, 'origin_not_allowed', 'This origin may not call the API');
  }
  const ip = core.clientIp(x);
  if (core.anonymous) {
    x.clientKey = `ip:${ip}`;
    return null;
  }
  try {
    const v = await core.limits.checkAuthFailures(ip);
    if (!v.ok) return fail(x, 429, v.code, v.message, null, retryAfter(v.retryAfterSec));
  } catch {
    return fail(x, 503, 'limits_unavailable', LIMITS_DOWN);
  }
  const header = x.header('authorization');
  const m = header ? BEARER.exec(header) : null;
  const { index, digests } = m ? await matchToken(core, m[1]) : { index: -1, digests: [] };
  if (index < 0) {
    try {
      await core.limits.recordAuthFailure(ip);
    } catch {
      return fail(x, 503, 'limits_unavailable', LIMITS_DOWN);
    }
    return m
      ? fail(x, 401, 'invalid_token', 'Invalid bearer token')
      : fail(x, 401, 'missing_token', 'Missing bearer token: send "Authorization: Bearer <token>"');
  }
  x.clientKey = `tok:${hex(digests[index], 6)}`;
  return null;
}

export function auth(core: AppCore): MiddlewareHandler<Env> {
  return async (c, next) => {
    const refused = await authenticate(core, c.get('x'));
    return refused ? toResponse(refused) : next();
  };
}
