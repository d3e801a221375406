// API routes: the browser Origin must be allowed (403), then — unless the
// proxy is anonymous — a bearer token (401). Failed token checks are counted
// per IP and refused (429) past AUTH_FAILURES_PER_MIN, before the token is
// even compared. Sets `client`, the key for the rate limit and budgets.

import type { MiddlewareHandler } from 'hono';
import { fail, retryAfter, type AppCore, type Env } from '../context.ts';
import { encoder } from '../providers/types.ts';
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

export function auth(core: AppCore): MiddlewareHandler<Env> {
  return async (c, next) => {
    const origin = core.header(c, 'origin');
    if (origin !== undefined && !originAllowed(core, c, origin)) {
      return fail(c, 403, 'origin_not_allowed', 'This origin may not call the API');
    }
    const ip = core.clientIp(c);
    if (core.anonymous) {
      c.set('client', `ip:${ip}`);
      return next();
    }
    try {
      const v = await core.limits.checkAuthFailures(ip);
      if (!v.ok) return fail(c, 429, v.code, v.message, null, retryAfter(v.retryAfterSec));
    } catch {
      return fail(c, 503, 'limits_unavailable', 'Rate limits cannot be checked right now; try again shortly');
    }
    const header = core.header(c, 'authorization');
    const m = header ? BEARER.exec(header) : null;
    const { index, digests } = m ? await matchToken(core, m[1]) : { index: -1, digests: [] };
    if (index < 0) {
      try {
        await core.limits.recordAuthFailure(ip);
      } catch {
        return fail(c, 503, 'limits_unavailable', 'Rate limits cannot be checked right now; try again shortly');
      }
      return m
        ? fail(c, 401, 'invalid_token', 'Invalid bearer token')
        : fail(c, 401, 'missing_token', 'Missing bearer token: send "Authorization: Bearer <token>"');
    }
    c.set('client', `tok:${hex(digests[index], 6)}`);
    return next();
  };
}
