// Typed errors of the proxy client, with plain-words messages for the banner.
// Every failure of a cloud/edge turn ends up as one ProxyError; `partialText`
// carries what had already streamed so a fallback loses nothing.

export type ProxyErrorCode =
  | 'offline'
  | 'unreachable'
  | 'http'
  | 'rate-limited'
  | 'not-configured'
  | 'sensitive-content'
  | 'stream-broken'
  | 'bad-response';

export interface ProxyErrorOptions {
  status?: number;
  /** The proxy's machine-readable error code (`error.code`), if any. */
  serverCode?: string;
  /** Seconds until a retry may succeed (from `Retry-After`). */
  retryAfterSec?: number;
  partialText?: string;
  cause?: unknown;
  /** Technical detail for logs (never shown as the main message). */
  detail?: string;
}

export class ProxyError extends Error {
  override name = 'ProxyError';
  readonly code: ProxyErrorCode;
  readonly status?: number;
  readonly serverCode?: string;
  readonly retryAfterSec?: number;
  /** Plain words for the user. */
  readonly userMessage: string;
  /** Text that streamed before the failure ('' when none). */
  readonly partialText: string;

  constructor(code: ProxyErrorCode, userMessage: string, opts: ProxyErrorOptions = {}) {
    super(`${code}${opts.status ? ` (${opts.status})` : ''}: ${opts.detail ?? userMessage}`,
      opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.userMessage = userMessage;
    this.status = opts.status;
    this.serverCode = opts.serverCode;
    this.retryAfterSec = opts.retryAfterSec;
    this.partialText = opts.partialText ?? '';
  }
}

export function isProxyError(e: unknown): e is ProxyError {
  return e instanceof ProxyError;
}

/** `Retry-After` as seconds (delta-seconds or an HTTP date); undefined when absent or invalid. */
export function parseRetryAfter(value: string | null, nowMs: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, Math.ceil((t - nowMs) / 1000));
}

/** "30 s", "2 min", "1 h". */
export function formatWait(sec: number): string {
  if (sec < 90) return `${Math.max(1, Math.round(sec))} s`;
  if (sec < 90 * 60) return `${Math.round(sec / 60)} min`;
  return `${Math.round(sec / 3600)} h`;
}

interface OpenAIErrorBody {
  error?: { message?: unknown; code?: unknown; type?: unknown };
}

/** The `error` object of an OpenAI-shaped body, if it is one. */
export function readErrorBody(body: unknown): { message?: string; code?: string } {
  const e = (body as OpenAIErrorBody | null)?.error;
  if (!e || typeof e !== 'object') return {};
  return {
    message: typeof e.message === 'string' ? e.message : undefined,
    code: typeof e.code === 'string' ? e.code : undefined,
  };
}

/** A ProxyError for a non-2xx answer of POST /v1/chat/completions. */
export function errorFromStatus(
  status: number,
  body: unknown,
  headers: { get(name: string): string | null },
  tier: 'cloud' | 'edge',
  nowMs?: number,
): ProxyError {
  const { message, code } = readErrorBody(body);
  const where = tier === 'edge' ? 'the edge server' : 'the cloud';
  const base = { status, serverCode: code, detail: message };
  if (status === 429) {
    const retryAfterSec = parseRetryAfter(headers.get('retry-after'), nowMs);
    const when = retryAfterSec !== undefined ? ` Try again in ${formatWait(retryAfterSec)}.` : ' Try again in a moment.';
    const what = code === 'budget_exceeded' ? `Today's usage limit for ${where} is used up.` : `Too many requests to ${where} right now.`;
    return new ProxyError('rate-limited', `${what}${when}`, { ...base, retryAfterSec });
  }
  if (status === 503 && code === 'tier_not_configured') {
    return new ProxyError('not-configured', `${tier === 'edge' ? 'No edge server' : 'No cloud model'} is set up on this Edgewise server.`, base);
  }
  if (status === 422 && code === 'sensitive_content') {
    return new ProxyError('sensitive-content',
      'The server refused to send this message because it contains data that must stay on this device.', base);
  }
  if (status === 401 || status === 403) {
    return new ProxyError('http', `The Edgewise server refused access (${status}). Check the access token in the settings.`, base);
  }
  if (status >= 500) {
    return new ProxyError('http', `${cap(where)} is not answering properly right now (error ${status}).`, base);
  }
  return new ProxyError('http', `The request to ${where} failed (error ${status}).`, base);
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
