// The small routes: GET /healthz, GET /v1/ping, GET /v1/models.

import type { Handler } from 'hono';
import type { AppCore, Env } from './context.ts';

/** Load balancers: 503 when the limits store (Redis) is unreachable; lost budget settlements are reported. */
export function healthz(core: AppCore): Handler<Env> {
  return async (c) => {
    let ok = true;
    try {
      ok = (await core.store.ping?.()) ?? true;
    } catch {
      ok = false;
    }
    const lost = core.limits.lost;
    return c.json({
      status: ok ? 'ok' : 'degraded',
      limits: ok ? 'ok' : 'unavailable',
      lostSettlements: lost.count,
      lostTokens: lost.tokens,
    }, ok ? 200 : 503);
  };
}

/** RTT probes and the client's queueing signal: per-tier health of this instance. */
export function ping(core: AppCore): Handler<Env> {
  return (c) => c.json(
    { time: Date.now(), tiers: { cloud: core.health.cloud.snapshot(), edge: core.health.edge.snapshot() } },
    200, { 'cache-control': 'no-store' },
  );
}

export function models(core: AppCore): Handler<Env> {
  return (c) => c.json({
    object: 'list',
    data: [
      { id: 'auto', object: 'model', created: 0, owned_by: 'edgewise', tier: null },
      ...core.providers.all.map((p) => ({ id: p.model, object: 'model', created: 0, owned_by: p.kind, tier: p.tier })),
    ],
  });
}
