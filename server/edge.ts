// Fetch-handler entry for edge runtimes (Cloudflare Workers, Deno, Bun):
//   export default { fetch }
// Configuration comes from the Worker's env bindings, or process.env where it
// exists. Limits are in memory per isolate here (use the Node entry with
// REDIS_URL for shared limits). Static files are served by the platform, which
// also routes by Host: the Host check applies only when ALLOWED_HOSTS is set.
// Tested in workerd (server/edge.test.ts); deploy: docs/deploy.md.

import { createApp } from './app.ts';
import { loadConfig, type Env } from './config.ts';

type App = ReturnType<typeof createApp>;
let app: App | undefined;

function envOf(bindings: unknown): Env {
  const fromBindings: Env = {};
  if (bindings && typeof bindings === 'object') {
    for (const [k, v] of Object.entries(bindings)) if (typeof v === 'string') fromBindings[k] = v;
  }
  const proc = (globalThis as { process?: { env?: Env } }).process?.env ?? {};
  return { ...proc, ...fromBindings };
}

export async function fetchHandler(request: Request, bindings?: unknown, ctx?: unknown): Promise<Response> {
  app ??= createApp(loadConfig(envOf(bindings)), {
    clientIp: (c) => c.req.header('cf-connecting-ip') ?? undefined,
    anyHostUnlessConfigured: true,
  });
  return app.fetch(request, bindings, ctx as never);
}

export default { fetch: fetchHandler };
