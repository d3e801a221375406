// Proxy configuration: read and validate the environment once at start-up.
// Pure (no Node imports) so that the edge entry can use it with the bindings
// of Workers/Deno/Bun. Every problem is collected and reported at once.

export type TierName = 'cloud' | 'edge';

export interface OpenAIUpstream {
  kind: 'openai';
  tier: TierName;
  baseUrl: string; // without trailing slash, e.g. https://api.openai.com/v1
  apiKey?: string;
  model: string;
}

export interface AnthropicUpstream {
  kind: 'anthropic';
  tier: 'cloud';
  baseUrl: string; // e.g. https://api.anthropic.com
  apiKey: string;
  model: string;
  version: string;
}

export type UpstreamConfig = OpenAIUpstream | AnthropicUpstream;

export interface Config {
  port: number;
  host: string;
  /** Upstreams in preference order per tier. */
  upstreams: UpstreamConfig[];
  /** Bearer tokens; empty = anonymous mode. */
  proxyTokens: string[];
  /** Exact origins (scheme://host[:port]) allowed to call the API from a browser. */
  allowedOrigins: string[];
  /**
   * Host names (optionally with :port, lower case) this server answers for,
   * besides IP literals and localhost (DNS-rebinding guard). `undefined` when
   * ALLOWED_HOSTS is unset (then only the listen host is added).
   */
  allowedHosts?: string[];
  /** Failed bearer-token checks allowed per client IP and minute; 0 = off. */
  authFailuresPerMin: number;
  redisUrl?: string;
  maxBodyBytes: number;
  maxTokensCap: number;
  /** Largest single upstream SSE event the relay holds (characters). */
  maxUpstreamEventBytes: number;
  /** Largest non-stream upstream answer the proxy reads (bytes). */
  maxUpstreamResponseBytes: number;
  /** Requests per minute per client (IP in anonymous mode, token otherwise); 0 = off. */
  rateLimitPerMin: number;
  /** Tokens per UTC day for the whole deployment; 0 = off. */
  dailyTokenBudget: number;
  /** Tokens per UTC day per client; 0 = off. */
  dailyTokenBudgetPerClient: number;
  upstreamTimeoutMs: number;
  streamIdleTimeoutMs: number;
  upstreamRetries: number;
  retryBackoffMs: number;
  /** Trust the last X-Forwarded-For entry (set behind exactly one reverse proxy). */
  trustProxy: boolean;
  logRequests: boolean;
  demoUpstream: boolean;
  demoEdge: boolean;
  modelsDir?: string;
  staticDir?: string;
  /** A runtime config file served as /config.json (demo mode). */
  appConfigFile?: string;
  /** HTTPS: PEM certificate and key file paths (both or neither); unset = plain HTTP. */
  httpsCert?: string;
  httpsKey?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid proxy configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/** The in-process demo upstream's base URL (served through deps.fetch, never the network). */
export const DEMO_BASE_URL = 'http://edgewise-demo.internal/v1';
export const DEMO_EDGE_BASE_URL = 'http://edgewise-demo.internal/edge/v1';
export const DEMO_MODEL = 'edgewise-demo';
export const DEMO_EDGE_MODEL = 'edgewise-demo-edge';

/** Typed readers over the environment; each problem is collected, none thrown. */
function readers(env: Env, problems: string[]) {
  const str = (name: string): string | undefined => {
    const v = env[name];
    if (v === undefined) return undefined;
    const t = v.trim();
    return t === '' ? undefined : t;
  };
  const int = (name: string, def: number, min: number, max: number): number => {
    const v = str(name);
    if (v === undefined) return def;
    if (!/^-?\d+$/.test(v)) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got ${shortValue(v)})`);
      return def;
    }
    const n = Number(v);
    if (n < min || n > max) {
      problems.push(`${name} must be between ${min} and ${max} (got ${n})`);
      return def;
    }
    return n;
  };
  const bool = (name: string, def = false): boolean => {
    const v = str(name);
    if (v === undefined) return def;
    if (/^(1|true|yes|on)$/i.test(v)) return true;
    if (/^(0|false|no|off)$/i.test(v)) return false;
    problems.push(`${name} must be 1/0 or true/false (got ${shortValue(v)})`);
    return def;
  };
  const url = (name: string): string | undefined => {
    const v = str(name);
    if (v === undefined) return undefined;
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      problems.push(`${name} must be an absolute http(s) URL (got ${redactUrl(v)})`);
      return undefined;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      problems.push(`${name} must use http or https (got ${redactUrl(v)})`);
      return undefined;
    }
    if (u.username || u.password) {
      problems.push(`${name} must not contain credentials; use the *_API_KEY variables (got ${redactUrl(v)})`);
      return undefined;
    }
    if (u.search || u.hash || v.includes('?') || v.includes('#')) {
      problems.push(`${name} must not contain a query string or fragment; put keys in the *_API_KEY variables (got ${redactUrl(v)})`);
      return undefined;
    }
    return v.replace(/\/+$/, '');
  };
  const modelName = (name: string): string | undefined => {
    const v = str(name);
    if (v === undefined) return undefined;
    if (v.length > 200 || /[\s"]/.test(v)) {
      problems.push(`${name} must be a model id without spaces or quotes (got ${JSON.stringify(v.slice(0, 60))})`);
      return undefined;
    }
    if (v === 'auto') problems.push(`${name} must not be "auto" (reserved for automatic selection)`);
    return v;
  };

  return { str, int, bool, url, modelName };
}

type Readers = ReturnType<typeof readers>;

function readUpstreams({ str, bool, url, modelName }: Readers, problems: string[]) {
  const demoUpstream = bool('DEMO_UPSTREAM');
  const demoEdge = bool('DEMO_EDGE');
  const upstreams: UpstreamConfig[] = [];

  // Cloud, OpenAI-compatible.
  const cloudBase = url('CLOUD_BASE_URL');
  const cloudModel = modelName('CLOUD_MODEL');
  const cloudKey = str('CLOUD_API_KEY');
  if (cloudBase && !cloudModel) problems.push('CLOUD_MODEL is required when CLOUD_BASE_URL is set');
  if (cloudModel && !cloudBase && !demoUpstream) problems.push('CLOUD_BASE_URL is required when CLOUD_MODEL is set');
  if (cloudKey && !cloudBase && !demoUpstream) problems.push('CLOUD_API_KEY is set but CLOUD_BASE_URL is not');
  if (demoUpstream && cloudBase) problems.push('DEMO_UPSTREAM=1 replaces the cloud tier; unset CLOUD_BASE_URL or DEMO_UPSTREAM');
  if (demoUpstream) {
    upstreams.push({ kind: 'openai', tier: 'cloud', baseUrl: DEMO_BASE_URL, apiKey: 'demo-key', model: DEMO_MODEL });
  } else if (cloudBase && cloudModel) {
    upstreams.push({ kind: 'openai', tier: 'cloud', baseUrl: cloudBase, apiKey: cloudKey, model: cloudModel });
  }

  // Cloud, Anthropic Messages API.
  const anthropicKey = str('ANTHROPIC_API_KEY');
  const anthropicModel = modelName('ANTHROPIC_MODEL');
  const anthropicBase = url('ANTHROPIC_BASE_URL') ?? 'https://api.anthropic.com';
  if (anthropicKey && !anthropicModel) problems.push('ANTHROPIC_MODEL is required when ANTHROPIC_API_KEY is set');
  if (anthropicModel && !anthropicKey) problems.push('ANTHROPIC_API_KEY is required when ANTHROPIC_MODEL is set');
  if (anthropicKey && anthropicModel) {
    upstreams.push({
      kind: 'anthropic', tier: 'cloud', baseUrl: anthropicBase, apiKey: anthropicKey, model: anthropicModel,
      version: str('ANTHROPIC_VERSION') ?? '2023-06-01',
    });
  }

  // Edge, OpenAI-compatible (Ollama, llama.cpp server, vLLM on the LAN).
  const edgeBase = url('EDGE_BASE_URL');
  const edgeModel = modelName('EDGE_MODEL');
  if (edgeBase && !edgeModel) problems.push('EDGE_MODEL is required when EDGE_BASE_URL is set');
  if (edgeModel && !edgeBase) problems.push('EDGE_BASE_URL is required when EDGE_MODEL is set');
  if (demoUpstream && demoEdge && !edgeBase) {
    upstreams.push({ kind: 'openai', tier: 'edge', baseUrl: DEMO_EDGE_BASE_URL, apiKey: 'demo-key', model: DEMO_EDGE_MODEL });
  } else if (edgeBase && edgeModel) {
    upstreams.push({ kind: 'openai', tier: 'edge', baseUrl: edgeBase, apiKey: str('EDGE_API_KEY'), model: edgeModel });
  }

  const models = upstreams.map((u) => u.model);
  const dup = models.find((m, i) => models.indexOf(m) !== i);
  if (dup) problems.push(`model ${JSON.stringify(dup)} is configured for two upstreams; model ids must be unique`);

  return { upstreams, demoUpstream, demoEdge };
}

function readAccess({ str }: Readers, problems: string[]) {
  const proxyTokens = (str('PROXY_TOKENS') ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  for (const t of proxyTokens) {
    if (t.length < 16) problems.push('PROXY_TOKENS entries must be at least 16 characters long');
    if (!/^[\x21-\x7e]+$/.test(t)) problems.push('PROXY_TOKENS entries must be printable ASCII without spaces');
  }

  const allowedOrigins: string[] = [];
  for (const raw of (str('ALLOWED_ORIGINS') ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    let u: URL | undefined;
    try {
      u = new URL(raw);
    } catch {
      /* reported below */
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin !== raw.replace(/\/$/, '')) {
      problems.push(`ALLOWED_ORIGINS entries must be exact origins like https://app.example.com (got ${redactUrl(raw)})`);
      continue;
    }
    allowedOrigins.push(u.origin);
  }

  let allowedHosts: string[] | undefined;
  const hostsRaw = str('ALLOWED_HOSTS');
  if (hostsRaw !== undefined) {
    allowedHosts = [];
    for (const raw of hostsRaw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
      if (!HOST_ENTRY.test(raw)) {
        problems.push(`ALLOWED_HOSTS entries must be host names, optionally with :port, like app.example.com (got ${JSON.stringify(raw.slice(0, 80))})`);
        continue;
      }
      allowedHosts.push(raw);
    }
  }

  return { proxyTokens, allowedOrigins, allowedHosts };
}

export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const r = readers(env, problems);
  const { str, int, bool } = r;
  const { upstreams, demoUpstream, demoEdge } = readUpstreams(r, problems);
  const { proxyTokens, allowedOrigins, allowedHosts } = readAccess(r, problems);
  const httpsCert = str('HTTPS_CERT');
  const httpsKey = str('HTTPS_KEY');
  if (Boolean(httpsCert) !== Boolean(httpsKey)) problems.push('HTTPS_CERT and HTTPS_KEY must be set together (PEM file paths)');

  const redisUrl = str('REDIS_URL');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) problems.push('REDIS_URL must start with redis:// or rediss://');

  const config: Config = {
    port: int('PORT', 8787, 0, 65535),
    host: str('HOST') ?? '127.0.0.1',
    upstreams,
    proxyTokens,
    allowedOrigins,
    allowedHosts,
    authFailuresPerMin: int('AUTH_FAILURES_PER_MIN', 20, 0, 1_000_000),
    redisUrl,
    maxBodyBytes: int('MAX_BODY_BYTES', 256 * 1024, 1024, 16 * 1024 * 1024),
    maxTokensCap: int('MAX_TOKENS_CAP', 4096, 1, 1_000_000),
    maxUpstreamEventBytes: int('MAX_UPSTREAM_EVENT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    maxUpstreamResponseBytes: int('MAX_UPSTREAM_RESPONSE_BYTES', 8 * 1024 * 1024, 1024, 256 * 1024 * 1024),
    rateLimitPerMin: int('RATE_LIMIT_PER_MIN', 60, 0, 1_000_000_000),
    dailyTokenBudget: int('DAILY_TOKEN_BUDGET', 2_000_000, 0, Number.MAX_SAFE_INTEGER),
    dailyTokenBudgetPerClient: int('DAILY_TOKEN_BUDGET_PER_CLIENT', 200_000, 0, Number.MAX_SAFE_INTEGER),
    upstreamTimeoutMs: int('UPSTREAM_TIMEOUT_MS', 30_000, 1, 600_000),
    streamIdleTimeoutMs: int('STREAM_IDLE_TIMEOUT_MS', 60_000, 1, 3_600_000),
    upstreamRetries: int('UPSTREAM_RETRIES', 1, 0, 5),
    retryBackoffMs: int('RETRY_BACKOFF_MS', 200, 0, 10_000),
    trustProxy: bool('TRUST_PROXY'),
    logRequests: bool('LOG_REQUESTS', true),
    demoUpstream,
    demoEdge,
    modelsDir: str('MODELS_DIR'),
    staticDir: str('STATIC_DIR'),
    appConfigFile: str('APP_CONFIG_FILE'),
    httpsCert,
    httpsKey,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** A short value is echoed to help; a long one may be a key in the wrong variable. */
const shortValue = (v: string) => (v.length <= 12 ? JSON.stringify(v) : `a value of ${v.length} characters, not shown`);

/** A host name (DNS labels) or an IP literal, with an optional :port. */
const HOST_ENTRY = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/**
 * A URL-ish value as it may appear in an error message: scheme, host and path
 * only — never user info, a query string or a fragment (they carry keys, e.g.
 * `?key=`). Unparseable values show only their first characters.
 */
export function redactUrl(v: string): string {
  try {
    const u = new URL(v);
    const hidden = u.username || u.password || u.search || u.hash ? ' (credentials, query and fragment hidden)' : '';
    return JSON.stringify(`${u.protocol}//${u.host}${u.pathname}`) + hidden;
  } catch {
    // Not a URL at all: it may be a key pasted into the wrong variable.
    return `a value of ${v.length} characters that is not a URL; not shown`;
  }
}

export function tierConfigured(config: Config, tier: TierName): boolean {
  return config.upstreams.some((u) => u.tier === tier);
}
