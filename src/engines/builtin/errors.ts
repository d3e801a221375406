// What the Prompt API throws (DOMExceptions named in the spec) → EngineError
// in plain words. Anything else goes through the generic mapping.
import { EngineError, engineErrors, type ErrorContext } from '../../core/engine/errors';
import { toEngineError } from '../errors';

export function nameOf(err: unknown): string {
  return (err as { name?: unknown } | null)?.name && typeof (err as { name: unknown }).name === 'string' ? (err as { name: string }).name : '';
}

export function builtinError(err: unknown, ctx: ErrorContext): EngineError {
  if (err instanceof EngineError) return err;
  const detail = (err as { message?: string } | null)?.message ?? String(err);
  switch (nameOf(err)) {
    case 'AbortError':
      return engineErrors.aborted(detail, err);
    case 'QuotaExceededError':
      return engineErrors.contextExceeded(ctx, detail, err);
    case 'NotSupportedError':
      return engineErrors.modelNotFound(ctx, detail, err, 'the browser cannot run it on this device or for this language');
    case 'NotAllowedError':
      return new EngineError('unknown', 'The browser does not allow its built-in model here (turned off by the user or a policy).', { detail, cause: err });
    case 'NotReadableError':
      return new EngineError('unknown', 'The browser withheld the built-in model’s answer (its output filter).', { detail, cause: err, retryable: true });
    case 'InvalidStateError':
      return engineErrors.workerCrashed(detail, err);
    case 'NetworkError':
      return engineErrors.network(ctx, detail, err);
    default:
      return toEngineError(err, ctx);
  }
}
