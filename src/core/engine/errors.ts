// Typed errors for the local engines, with a plain-words message for the banner.
// PURE. Turning whatever a worker or the browser threw into one of these lives
// in src/engines/errors.ts (generic) and src/engines/webllm/errors.ts (web-llm's names).

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
