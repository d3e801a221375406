// Whatever a worker or the browser threw → one EngineError with plain words:
// strings like "Name: message" (how errors used to be stringified across
// workers), Errors and DOMExceptions by name, a worker's ErrorEvent, WebGPU's
// GPUDeviceLostInfo, then message patterns. Engine-specific names (web-llm's
// error classes) come in through `byName`; see webllm/errors.ts.
import { EngineError, engineErrors, type ErrorContext } from '../core/engine/errors';

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
export const F16_RE = /shader-f16|shaderf16|shader_f16|\bf16\b.*(?:not supported|unsupported)/i;
const CONTEXT_RE = /context window|prompt tokens exceed|exceeds? (?:the )?context/i;

/** What a named error tells, for an engine's own table of error names. */
export interface NamedError {
  name: string;
  message: string;
  /** "Name: message", for the details disclosure. */
  detail: string;
}

/** An engine's own error names → EngineError (null: not one of its names). */
export type ErrorNames = (n: NamedError, ctx: ErrorContext, cause: unknown) => EngineError | null;

function byGenericName(n: NamedError, ctx: ErrorContext, cause: unknown): EngineError | null {
  const { detail } = n;
  switch (n.name) {
    case 'AbortError':
      return engineErrors.aborted(detail, cause);
    case 'QuotaExceededError':
      return engineErrors.quota(ctx, detail, cause);
    case 'GPUDeviceLostInfo':
      return engineErrors.deviceLost(ctx, detail, cause);
    case 'GPUOutOfMemoryError':
      return engineErrors.outOfMemory(ctx, detail, cause);
    case 'WorkerCrashedError':
      return engineErrors.workerCrashed(detail, cause);
    case 'NetworkError':
    case 'TimeoutError':
      return engineErrors.network(ctx, detail, cause);
    default:
      return null;
  }
}

/**
 * Maps any error from a model worker (or the browser) to an EngineError: by
 * name first (the engine's own names, then generic ones), then by message
 * patterns. Unknown → 'unknown', with the text shortened into the message.
 */
export function toEngineError(e: unknown, ctx: ErrorContext = {}, byName?: ErrorNames): EngineError {
  if (e instanceof EngineError) return e;
  const n = normalize(e);
  const detail = n.name && n.message ? `${n.name}: ${n.message}` : n.name || n.message;
  const cause = e;
  const msg = n.message;

  if (n.workerError) return engineErrors.workerCrashed(detail || 'worker error', cause);
  const named: NamedError = { name: n.name, message: msg, detail };
  const mapped = (n.name && byName?.(named, ctx, cause)) || byGenericName(named, ctx, cause);
  if (mapped) return mapped;

  // Message patterns, most specific first. web-llm's "DeviceLostError" text
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
  if (/cannot find model record/i.test(text)) {
    return engineErrors.modelNotFound(ctx, detail, cause, 'it is not in the model list — check config.json');
  }
  if (NOT_FOUND_RE.test(text)) return engineErrors.modelNotFound(ctx, detail, cause);
  if (NETWORK_RE.test(text)) return engineErrors.network(ctx, detail, cause);
  if (/worker.*(?:crash|terminated|error)|script error/i.test(text)) {
    return engineErrors.workerCrashed(detail, cause);
  }
  return engineErrors.unknown(ctx, detail || undefined, cause);
}
