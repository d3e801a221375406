// Node entry: the API (app.ts) plus the built app from dist/ and, in demo
// mode, the bundled models and the in-process demo upstream.
//
//   tsx server/node.ts                       # PORT=8787 by default
//   DEMO_UPSTREAM=1 MODELS_DIR=models tsx server/node.ts
//   HTTPS_CERT=cert.pem HTTPS_KEY=key.pem HOST=0.0.0.0 tsx server/node.ts   # HTTPS (docs/deploy.md)
//
// In-process use (tests, scripts):
//   const s = await startServer({ port: 0, env: {...} }); ...; await s.close();

import { timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { createCore, routes, type AppDeps } from './app.ts';
import type { AppCore } from './context.ts';
import { isChatPost, nodeChatListener } from './node-chat.ts';
import { ConfigError, DEMO_BASE_URL, loadConfig, tierConfigured, type Config, type Env } from './config.ts';
import { createDemoUpstream, type DemoUpstream } from './demo-upstream.ts';
import { hostAllowed, hostPolicy } from './hosts.ts';
import { MemoryStore } from './limits/memory.ts';
import { nodeFetch } from './node-fetch.ts';
import { RedisStore } from './limits/redis.ts';
import type { CounterStore } from './limits/types.ts';
import { webFetch, type FetchLike } from './providers/types.ts';
import { batchedStdoutLog } from './log-sink.ts';
import { serveStatic } from './static.ts';

export { ConfigError, loadConfig };

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface StartOptions {
  /** Port to listen on (0 = any free port). Default: config.port (PORT, 8787). */
  port?: number;
  /** Interface to bind. Default: config.host (HOST, 127.0.0.1). */
  host?: string;
  /** Environment to read the configuration from. Default: process.env. */
  env?: Env;
  /** A ready configuration (skips `env`). */
  config?: Config;
  /** Directory of the built app; null = API only. Default: STATIC_DIR or <repo>/dist. */
  staticDir?: string | null;
  /** Directory served under /models/. Default: MODELS_DIR. */
  modelsDir?: string;
  /** Access-log sink (one JSON line per request). Default: stdout, batched per event-loop turn. */
  log?: (line: string) => void;
  /** Upstream fetch (tests). Default: nodeFetch (node:http with keep-alive). */
  fetch?: FetchLike;
  /** Counter store for limits (tests). Default: Redis when REDIS_URL is set, else memory. */
  limits?: CounterStore;
  /** The never-sendable scan (tests wrap the real one to observe it). Default: src/core/privacy. */
  findNeverSendable?: AppDeps['findNeverSendable'];
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  config: Config;
  /** The demo upstream (demo mode only). */
  demo?: DemoUpstream;
  close(): Promise<void>;
}

type NodeEnv = { incoming: HttpBindings['incoming'] };

/** One shared default sink per process (one exit hook, however many servers start). */
let defaultLog: ((line: string) => void) | undefined;

/** The Node fetch handler: API routes to app.ts, /__demo to the demo upstream, the rest to static files. */
export function createNodeHandler(config: Config, opts: {
  core: AppCore;
  staticDir?: string;
  modelsDir?: string;
  appConfigFile?: string;
  demo?: DemoUpstream;
}) {
  const api = routes(opts.core, (c) => (c.env as NodeEnv | undefined)?.incoming?.socket?.remoteAddress);
  const staticOpts = { root: opts.staticDir, modelsDir: opts.modelsDir, appConfigFile: opts.appConfigFile };
  const hosts = hostPolicy(config.allowedHosts, config.host);
  return async (req: Request, env: unknown): Promise<Response> => {
    // Cheap path extraction (req.url is absolute).
    const u = req.url;
    const start = u.indexOf('/', u.indexOf('//') + 2);
    const q = u.indexOf('?', start);
    const pathname = start < 0 ? '/' : u.slice(start, q < 0 ? undefined : q);
    if (pathname.startsWith('/v1/') || pathname === '/v1' || pathname === '/healthz') return api.fetch(req, env);
    // The API checks the Host itself; the app and the demo control endpoint too (DNS rebinding).
    if (!hostAllowed(hosts, req.headers.get('host') ?? undefined)) {
      return new Response('This server does not answer for this host name; add it to ALLOWED_HOSTS.\n', {
        status: 403, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
      });
    }
    if (opts.demo && pathname.startsWith('/__demo/')) {
      const inner = new URL(u);
      inner.pathname = pathname.slice('/__demo'.length);
      return opts.demo.fetch(new Request(inner, req));
    }
    return serveStatic(req, pathname, staticOpts);
  };
}

/** Redis when REDIS_URL is set (unreachable = a start-up error, the URL never printed), else memory. */
async function openStore(config: Config): Promise<CounterStore> {
  if (!config.redisUrl) return new MemoryStore();
  const redis = new RedisStore(config.redisUrl);
  try {
    await redis.connect();
  } catch (e) {
    await redis.close();
    throw new Error(`Cannot connect to Redis at REDIS_URL (${(e as Error).message.replace(/redis(s)?:\/\/[^\s]*/g, '<url>')})`);
  }
  return redis;
}

function readTls(config: Config): { cert: Buffer; key: Buffer } | undefined {
  if (!config.httpsCert || !config.httpsKey) return undefined;
  try {
    return { cert: readFileSync(path.resolve(config.httpsCert)), key: readFileSync(path.resolve(config.httpsKey)) };
  } catch (e) {
    throw new ConfigError([`cannot read HTTPS_CERT/HTTPS_KEY: ${(e as Error).message}`]);
  }
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const config = opts.config ?? loadConfig(opts.env ?? process.env);
  const port = opts.port ?? config.port;
  const host = opts.host ?? config.host;

  const store = opts.limits ?? (await openStore(config));

  const demo = config.demoUpstream ? createDemoUpstream(opts.env ?? process.env) : undefined;
  const baseFetch: FetchLike = opts.fetch ?? nodeFetch;
  const demoOrigin = new URL(DEMO_BASE_URL).origin;
  const viaDemo = demo ? webFetch((r) => demo.fetch(r)) : undefined;
  const upstreamFetch: FetchLike = viaDemo
    ? (input, init) => (input.startsWith(demoOrigin) ? viaDemo(input, init) : baseFetch(input, init))
    : baseFetch;

  let staticDir: string | undefined;
  if (opts.staticDir !== null) {
    const dir = opts.staticDir ?? (config.staticDir ? path.resolve(config.staticDir) : path.join(REPO_ROOT, 'dist'));
    staticDir = existsSync(dir) ? dir : undefined;
  }
  const modelsDirRaw = opts.modelsDir ?? config.modelsDir;
  const modelsDir = modelsDirRaw ? path.resolve(modelsDirRaw) : undefined;

  const core = createCore(config, {
    fetch: upstreamFetch,
    limits: store,
    log: opts.log ?? (defaultLog ??= batchedStdoutLog()),
    timingSafeEqual: (a, b) => a.length === b.length && timingSafeEqual(a, b),
    findNeverSendable: opts.findNeverSendable,
  });
  const handler = createNodeHandler(config, {
    core,
    staticDir,
    modelsDir,
    appConfigFile: config.appConfigFile ? path.resolve(config.appConfigFile) : undefined,
    demo,
  });

  // HTTPS when HTTPS_CERT/HTTPS_KEY are set (service workers and WebGPU need a
  // secure context off localhost, e.g. a phone on the LAN; see docs/deploy.md).
  const tls = readTls(config);
  // POST /v1/chat/completions takes the fast path (node-chat.ts), everything else Hono's adapter.
  const other = getRequestListener(handler, { hostname: host });
  const chat = nodeChatListener(core);
  const listener = (req: IncomingMessage, res: ServerResponse) => (isChatPost(req) ? chat(req, res) : other(req, res));
  const server: HttpServer = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closed = false;
  return {
    url: `${tls ? 'https' : 'http'}://${shownHost}:${addr.port}`,
    port: addr.port,
    config,
    demo,
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (!opts.limits) await store.close?.();
    },
  };
}

// `tsx server/node.ts`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const s = await startServer();
    const c = s.config;
    const tiers = (['cloud', 'edge'] as const).map((t) => `${t}: ${tierConfigured(c, t) ? c.upstreams.filter((u) => u.tier === t).map((u) => `${u.kind}/${u.model}`).join(', ') : 'not configured'}`);
    const hosts = ['IP addresses', 'localhost', ...hostPolicy(c.allowedHosts, c.host).names].join(', ');
    console.log(`Edgewise listening on ${s.url}  (${tiers.join('; ')}${c.demoUpstream ? '; DEMO upstream' : ''}; ` +
      `${c.proxyTokens.length ? `${c.proxyTokens.length} bearer token(s)` : 'anonymous mode'}; limits: ${c.redisUrl ? 'redis' : 'memory'}; ` +
      `answers for: ${hosts})`);
    const stop = () => {
      s.close().then(() => process.exit(0), () => process.exit(1));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (e) {
    if (e instanceof ConfigError) console.error(e.message);
    else console.error(`Edgewise could not start: ${(e as Error).message}`);
    process.exit(1);
  }
}
