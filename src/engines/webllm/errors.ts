// web-llm's error classes, by name (their names survive the worker boundary;
// see @mlc-ai/web-llm 0.2.86 lib/error.ts), plus our own worker's
// ModelRecordError → EngineError with plain words. Everything else is generic.
import { EngineError, engineErrors, type ErrorContext } from '../../core/engine/errors';
import { F16_RE, toEngineError, type ErrorNames } from '../errors';
import { MODEL_RECORD_ERROR } from '../../worker-bridge/webllm';

const webLlmNames: ErrorNames = ({ name, message, detail }, ctx, cause) => {
  switch (name) {
    case MODEL_RECORD_ERROR:
      return engineErrors.modelNotFound(ctx, detail, cause, message);
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
      return F16_RE.test(message)
        ? engineErrors.shaderF16(ctx, detail, cause)
        : new EngineError('webgpu-unavailable', 'This GPU lacks a WebGPU feature the on-device model needs.', { detail, cause });
    case 'DeviceLostError':
      return engineErrors.deviceLost(ctx, detail, cause);
    case 'WebGPUNotAvailableError':
    case 'WebGPUNotFoundError':
      return engineErrors.webgpuUnavailable(detail, cause);
    case 'ContextWindowSizeExceededError':
      return engineErrors.contextExceeded(ctx, detail, cause);
    case 'IntegrityError':
      return new EngineError('network', `Could not download the on-device model${ctx.model ? ` (${ctx.model})` : ''}: a file arrived corrupted.`, { detail, cause });
    default:
      return null;
  }
};

/** Any error from the web-llm worker (or the browser) → EngineError. */
export function mapWebLlmError(e: unknown, ctx: ErrorContext = {}): EngineError {
  return toEngineError(e, ctx, webLlmNames);
}
