// Typed errors for the local engines, and the mapping from whatever a worker
// throws (web-llm sends PLAIN STRINGS like "ModelNotFoundError: …", the
// browser throws DOMExceptions / TypeErrors, WebGPU reports GPUDeviceLostInfo)
// to one EngineError with a plain-words message for the banner. PURE.

export type EngineErrorCode =
  | 'webgpu-unavailable'
  | 'model-not-found'
  | 'network'
  | 'quota-exceeded'
  | 'device-lost'
  | 'out-of-memory'
  | 'shader-f16-unsupported'
  | 'worker-crashed'
  | 'context-exceeded'
  | 'aborted'
  | 'unknown';

/**
 * `retryable`: trying the same action again may succeed (after a reconnect,
 * after freeing space, in a fresh worker or GPU device). Not retryable: the
 * same model on the same device will fail the same way (missing WebGPU or
 * shader-f16, out of memory, a config error) — fall back instead.
 */
const RETRYABLE: Record<EngineErrorCode, boolean> = {
  'webgpu-unavailable': false,
  'model-not-found': false,
  network: true,
  'quota-exceeded': true,
  'device-lost': true,
  'out-of-memory': false,
  'shader-f16-unsupported': false,
  'worker-crashed': true,
  'context-exceeded': false,
  aborted: true,
  unknown: false,
};

/** Codes after which the engine retries ONCE with the next smaller model. */
export const SMALLER_MODEL_HELPS: ReadonlySet<EngineErrorCode> = new Set(['device-lost', 'out-of-memory']);

export class EngineError extends Error {
  override name = 'EngineError';
  readonly code: EngineErrorCode;
  /** Plain words for the error banner. */
  readonly userMessage: string;
  readonly retryable: boolean;
  /** The original error text (for logs / details disclosure). */
  readonly detail: string;

  constructor(
    code: EngineErrorCode,
    userMessage: string,
    opts: { detail?: string; cause?: unknown; retryable?: boolean } = {},
  ) {
    super(`${code}: ${opts.detail ?? userMessage}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.userMessage = userMessage;
    this.retryable = opts.retryable ?? RETRYABLE[code];
    this.detail = opts.detail ?? userMessage;
  }
}

export function isEngineError(e: unknown): e is EngineError {
  return e instanceof EngineError;
}

/** Context that makes messages concrete. */
export interface ErrorContext {
  /** Model id or label, e.g. "Qwen2.5-0.5B-Instruct-q4f32_1-MLC". */
  model?: string;
  /** For quota messages: needed / free space. */
  neededMB?: number;
  freeMB?: number | null;
}

/** "290 MB" / "1.4 GB". */
export function formatMB(mb: number): string {
  if (mb >= 1024) return `${(mb / 1024).toFixed(1)} GB`;
  return `${Math.max(0, Math.round(mb))} MB`;
}

function modelPart(ctx: ErrorContext): string {
  return ctx.model ? ` (${ctx.model})` : '';
}

/** Builders, so the engine and the mapping use the same words. */
export const engineErrors = {
  network: (ctx: ErrorContext, detail?: string, cause?: unknown) =>
    new EngineError(
      'network',
      `Could not download the on-device model${modelPart(ctx)}: network error.`,
      { detail, cause },
    ),
  modelNotFound: (ctx: ErrorContext, detail?: string, cause?: unknown, why = 'its files were not found at the configured address') =>
    new EngineError('model-not-found', `Could not find the on-device model${modelPart(ctx)}: ${why}.`, {
      detail,
      cause,
    }),
  quota: (ctx: ErrorContext, detail?: string, cause?: unknown) => {
    const need = ctx.neededMB !== undefined ? `needs ~${formatMB(ctx.neededMB)}` : '';
    const free = ctx.freeMB !== undefined && ctx.freeMB !== null ? `${formatMB(ctx.freeMB)} free` : '';
    const paren = [need, free].filter(Boolean).join(', ');
    return new EngineError(
      'quota-exceeded',
      `Not enough storage space to download the model${paren ? ` (${paren})` : ''}.`,
      { detail, cause },
    );
  },
  webgpuUnavailable: (detail?: string, cause?: unknown) =>
    new EngineError('webgpu-unavailable', 'WebGPU is not available on this device or browser.', { detail, cause }),
  shaderF16: (ctx: ErrorContext, detail?: string, cause?: unknown) =>
    new EngineError(
      'shader-f16-unsupported',
      `This GPU cannot run the 16-bit model${modelPart(ctx)} (no shader-f16 support).`,
      { detail, cause },
    ),
  deviceLost: (ctx: ErrorContext, detail?: string, cause?: unknown) =>
    new EngineError(
      'device-lost',
      `The GPU stopped while running the on-device model${modelPart(ctx)}, often from lack of memory.`,
      { detail, cause },
    ),
  outOfMemory: (ctx: ErrorContext, detail?: string, cause?: unknown) =>
    new EngineError('out-of-memory', `Not enough memory to run the on-device model${modelPart(ctx)}.`, {
      detail,
      cause,
    }),
  workerCrashed: (detail?: string, cause?: unknown) =>
    new EngineError('worker-crashed', 'The on-device model stopped unexpectedly and will be restarted.', {
      detail,
      cause,
    }),
  contextExceeded: (ctx: ErrorContext, detail?: string, cause?: unknown) =>
    new EngineError(
      'context-exceeded',
      `The conversation is too long for the on-device model${modelPart(ctx)}. Start a new chat or shorten the message.`,
      { detail, cause },
    ),
  aborted: (detail?: string, cause?: unknown) =>
    new EngineError('aborted', 'Stopped.', { detail: detail ?? 'aborted', cause }),
  unknown: (ctx: ErrorContext, detail?: string, cause?: unknown) =>
    new EngineError('unknown', `The on-device model${modelPart(ctx)} failed${detail ? `: ${shorten(detail)}` : '.'}`, {
      detail,
      cause,
    }),
};

function shorten(s: string, max = 160): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** Splits "Name: message" (how web-llm's worker stringifies errors). */
function splitNamed(s: string): { name: string; message: string } {
  const m = /^\s*(?:Uncaught\s+)?([A-Z][A-Za-z0-9_]*(?:Error|Exception)|AbortError|QuotaExceededError)\s*:\s*([\s\S]*)$/.exec(s);
  if (m) return { name: m[1], message: m[2] };
  const bare = /^\s*([A-Z][A-Za-z0-9_]*(?:Error|Exception))\s*$/.exec(s);
  if (bare) return { name: bare[1], message: '' };
  return { name: '', message: s };
}

interface Normalized {
  name: string;
  message: string;
  /** GPUDeviceLostInfo.reason, when the input looked like one. */
  lostReason?: string;
  /** An ErrorEvent from worker.onerror. */
  workerError?: boolean;
}

function normalize(e: unknown): Normalized {
  if (typeof e === 'string') return splitNamed(e);
  if (e === null || e === undefined) return { name: '', message: String(e) };
  if (typeof e !== 'object') return { name: '', message: String(e) };
  const o = e as Record<string, unknown>;
  // worker.onerror → ErrorEvent { type: 'error', message, filename, lineno }
  if (o.type === 'error' && ('filename' in o || 'lineno' in o || isErrorEvent(e))) {
    return { name: 'ErrorEvent', message: typeof o.message === 'string' ? o.message : '', workerError: true };
  }
  // GPUDeviceLostInfo { reason: 'unknown' | 'destroyed', message }
  if (
    (typeof o.reason === 'string' && (o.reason === 'unknown' || o.reason === 'destroyed') && 'message' in o) ||
    (typeof GPUDeviceLostInfoCtor() === 'function' && e instanceof (GPUDeviceLostInfoCtor() as new () => object))
  ) {
    return { name: 'GPUDeviceLostInfo', message: String(o.message ?? ''), lostReason: String(o.reason) };
  }
  const name = typeof o.name === 'string' ? o.name : '';
  const message = typeof o.message === 'string' ? o.message : '';
  if (name || message) {
    // An Error whose message itself is a stringified web-llm error ("ModelNotFoundError: …").
    if ((name === 'Error' || name === '') && message) {
      const inner = splitNamed(message);
      if (inner.name) return inner;
    }
    return { name, message };
  }
  return { name: '', message: safeString(e) };
}

function isErrorEvent(e: unknown): boolean {
  const C = (globalThis as { ErrorEvent?: new (...a: never[]) => object }).ErrorEvent;
  return typeof C === 'function' && e instanceof C;
}

function GPUDeviceLostInfoCtor(): unknown {
  return (globalThis as { GPUDeviceLostInfo?: unknown }).GPUDeviceLostInfo;
}

function safeString(e: unknown): string {
  try {
    const s = String(e);
    if (s !== '[object Object]') return s;
    return JSON.stringify(e);
  } catch {
    return 'unknown error';
  }
}

const NETWORK_RE =
  /failed to fetch|networkerror|network error|load failed|net::err_|err_connection|err_internet_disconnected|err_name_not_resolved|connection refused|cannot fetch|request failed|fetch failed|econnrefused|enotfound|etimedout|the network connection was lost/i;
const NOT_FOUND_RE = /\b404\b|not found/i;
const OOM_RE =
  /out of memory|\boom\b|outofmemory|array buffer allocation failed|could not allocate memory|allocation failed|cannot allocate|memory access out of bounds|webassembly\.memory\(\).*grow|insufficient memory/i;
const DEVICE_LOST_RE = /device (?:was |is )?lost|devicelost|device lost|gpu device.*(?:lost|destroyed)|context lost/i;
const WEBGPU_RE =
  /webgpu is not supported|cannot find webgpu|unable to find a compatible gpu|navigator\.gpu|webgpu.*(?:unavailable|not available|disabled)|cannot initialize runtime because of requested/i;
const F16_RE = /shader-f16|shaderf16|shader_f16|\bf16\b.*(?:not supported|unsupported)/i;
const CONTEXT_RE = /context window|prompt tokens exceed|exceeds? (?:the )?context/i;

/**
 * Maps any error from the web-llm worker (or the browser) to an EngineError.
 *
 * Name-based first (web-llm's class names survive as the "Name:" prefix of
 * the strings its worker posts), then message patterns. Unknown → 'unknown'.
 */
export function mapWorkerError(e: unknown, ctx: ErrorContext = {}): EngineError {
  if (e instanceof EngineError) return e;
  const n = normalize(e);
  const detail = n.name && n.message ? `${n.name}: ${n.message}` : n.name || n.message;
  const cause = e;
  const msg = n.message;

  if (n.workerError) return engineErrors.workerCrashed(detail || 'worker error', cause);

  switch (n.name) {
    case 'AbortError':
      return engineErrors.aborted(detail, cause);
    case 'QuotaExceededError':
      return engineErrors.quota(ctx, detail, cause);
    case 'ModelNotFoundError':
      return engineErrors.modelNotFound(ctx, detail, cause, 'it is not in the model list — check config.json');
    case 'MissingModelError': // web-llm's MissingModelWasmError sets this name
    case 'MissingModelWasmError':
      return engineErrors.modelNotFound(ctx, detail, cause, 'its model library (lib) is not configured');
    case 'UnsupportedModelIdError':
    case 'SpecifiedModelNotFoundError':
      return engineErrors.modelNotFound(ctx, detail, cause, 'the engine does not know this model id');
    case 'ShaderF16SupportError':
      return engineErrors.shaderF16(ctx, detail, cause);
    case 'FeatureSupportError':
      return F16_RE.test(msg)
        ? engineErrors.shaderF16(ctx, detail, cause)
        : new EngineError('webgpu-unavailable', 'This GPU lacks a WebGPU feature the on-device model needs.', {
            detail,
            cause,
          });
    case 'DeviceLostError':
    case 'GPUDeviceLostInfo':
      return engineErrors.deviceLost(ctx, detail, cause);
    case 'GPUOutOfMemoryError':
      return engineErrors.outOfMemory(ctx, detail, cause);
    case 'WebGPUNotAvailableError':
    case 'WebGPUNotFoundError':
      return engineErrors.webgpuUnavailable(detail, cause);
    case 'ContextWindowSizeExceededError':
      return engineErrors.contextExceeded(ctx, detail, cause);
    case 'IntegrityError':
      return new EngineError(
        'network',
        `Could not download the on-device model${modelPart(ctx)}: a file arrived corrupted.`,
        { detail, cause },
      );
    case 'WorkerCrashedError':
      return engineErrors.workerCrashed(detail, cause);
    case 'NetworkError':
      return engineErrors.network(ctx, detail, cause);
    case 'TimeoutError':
      return engineErrors.network(ctx, detail, cause);
    default:
      break;
  }

  // Message patterns, most specific first. "DeviceLostError"'s own text
  // mentions OOM, so device-lost is tested before out-of-memory.
  const text = detail;
  if (/QuotaExceeded|quota (?:has been |was )?exceeded|not enough (?:storage|space)|disk is full/i.test(text)) {
    return engineErrors.quota(ctx, detail, cause);
  }
  if (/\baborted\b|AbortError|signal is aborted/i.test(text) && !NETWORK_RE.test(text)) {
    return engineErrors.aborted(detail, cause);
  }
  if (F16_RE.test(text)) return engineErrors.shaderF16(ctx, detail, cause);
  if (DEVICE_LOST_RE.test(text)) return engineErrors.deviceLost(ctx, detail, cause);
  if (OOM_RE.test(text) || (n.name === 'RangeError' && /allocation|memory/i.test(msg))) {
    return engineErrors.outOfMemory(ctx, detail, cause);
  }
  if (WEBGPU_RE.test(text)) return engineErrors.webgpuUnavailable(detail, cause);
  if (CONTEXT_RE.test(text)) return engineErrors.contextExceeded(ctx, detail, cause);
  if (NOT_FOUND_RE.test(text) && !/cannot find model record/i.test(text)) {
    return engineErrors.modelNotFound(ctx, detail, cause);
  }
  if (/cannot find model record/i.test(text)) {
    return engineErrors.modelNotFound(ctx, detail, cause, 'it is not in the model list — check config.json');
  }
  if (NETWORK_RE.test(text)) return engineErrors.network(ctx, detail, cause);
  if (/worker.*(?:crash|terminated|error)|script error/i.test(text)) {
    return engineErrors.workerCrashed(detail, cause);
  }
  return engineErrors.unknown(ctx, detail || undefined, cause);
}
