import { describe, expect, it } from 'vitest';
import { EngineError, type EngineErrorCode } from '../../core/engine/errors';
import { mapWebLlmError } from './errors';
import { MODEL_RECORD_ERROR } from '../../worker-bridge/webllm';

class FakeDOMException extends Error {
  constructor(message: string, override readonly name: string) {
    super(message);
  }
}

const QWEN = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';

// [label, input, expected code]
const rows: Array<[string, unknown, EngineErrorCode]> = [
  // Plain strings, as web-llm's worker posts them (err.toString()).
  ['ModelNotFoundError string', 'ModelNotFoundError: Cannot find model record in appConfig for X. Please check…', 'model-not-found'],
  ['MissingModelError string (MissingModelWasmError)', 'MissingModelError: Missing `model_lib` for the model with ID "X".', 'model-not-found'],
  ['Failed to fetch (Chromium, closed port)', 'TypeError: Failed to fetch', 'network'],
  ['NetworkError (Firefox)', 'TypeError: NetworkError when attempting to fetch resource.', 'network'],
  ['Load failed (Safari)', 'TypeError: Load failed', 'network'],
  ['Cache.add non-ok response', "TypeError: Failed to execute 'add' on 'Cache': Request failed", 'network'],
  ['web-llm cache miss', 'Error: Cannot fetch http://127.0.0.1:9/resolve/main/mlc-chat-config.json', 'network'],
  ['node fetch failed', 'TypeError: fetch failed', 'network'],
  ['net::ERR_CONNECTION_REFUSED', 'GET http://127.0.0.1:9/x net::ERR_CONNECTION_REFUSED', 'network'],
  ['404 status', 'Error: HTTP 404 Not Found for tensor-cache.json', 'model-not-found'],
  ['QuotaExceededError string', 'QuotaExceededError: The quota has been exceeded.', 'quota-exceeded'],
  ['ShaderF16SupportError string', 'ShaderF16SupportError: This model requires WebGPU extension shader-f16, which is not enabled in this browser.', 'shader-f16-unsupported'],
  ['FeatureSupportError shader-f16', 'FeatureSupportError: This model requires feature shader-f16, which is not yet supported by this browser.', 'shader-f16-unsupported'],
  ['FeatureSupportError other feature', 'FeatureSupportError: This model requires feature subgroups, which is not yet supported by this browser.', 'webgpu-unavailable'],
  ['DeviceLostError string (mentions OOM, still device-lost)', 'DeviceLostError: The WebGPU device was lost while loading the model. This issue often occurs due to running out of memory (OOM).', 'device-lost'],
  ['device lost free text', 'Error: Device was lost. This can happen due to insufficient memory', 'device-lost'],
  ['out of memory', 'Error: Out of memory while allocating buffer', 'out-of-memory'],
  ['OOM token', 'Error: OOM during prefill', 'out-of-memory'],
  ['wasm allocation', 'RangeError: Array buffer allocation failed', 'out-of-memory'],
  ['wasm memory grow', 'RangeError: WebAssembly.Memory(): could not allocate memory', 'out-of-memory'],
  ['WebGPUNotAvailableError', 'WebGPUNotAvailableError: WebGPU is not supported in your current environment…', 'webgpu-unavailable'],
  ['WebGPUNotFoundError', 'WebGPUNotFoundError: Cannot find WebGPU in the environment', 'webgpu-unavailable'],
  ['no compatible GPU', "Error: Unable to find a compatible GPU. This issue might be because your computer doesn't have a GPU", 'webgpu-unavailable'],
  ['limits too small', 'Error: Cannot initialize runtime because of requested maxBufferSize exceeds limit. requested=256MB, limit=128MB.', 'webgpu-unavailable'],
  ['ContextWindowSizeExceededError', 'ContextWindowSizeExceededError: Prompt tokens exceed context window size: number of prompt tokens: 5000; context window size: 4096', 'context-exceeded'],
  ['AbortError string', 'AbortError: signal is aborted without reason', 'aborted'],
  ['worker import failure from our worker', 'WorkerCrashedError: could not load the web-llm runtime: TypeError: Failed to fetch dynamically imported module', 'worker-crashed'],
  ['IntegrityError', 'IntegrityError: Integrity check failed for http://x/params_shard_0.bin', 'network'],
  ['gibberish', 'something odd happened', 'unknown'],
  ['empty string', '', 'unknown'],
  // Objects.
  ['Error object wrapping a web-llm string', new Error('ModelNotFoundError: Cannot find model record in appConfig for X.'), 'model-not-found'],
  ['TypeError object', new TypeError('Failed to fetch'), 'network'],
  ['DOMException QuotaExceededError', new FakeDOMException('The quota has been exceeded.', 'QuotaExceededError'), 'quota-exceeded'],
  ['DOMException AbortError', new FakeDOMException('The operation was aborted.', 'AbortError'), 'aborted'],
  ['DOMException NetworkError', new FakeDOMException('A network error occurred.', 'NetworkError'), 'network'],
  ['GPUDeviceLostInfo-like (unknown)', { reason: 'unknown', message: 'D3D12 device removed' }, 'device-lost'],
  ['GPUDeviceLostInfo-like (destroyed)', { reason: 'destroyed', message: '' }, 'device-lost'],
  ['GPUOutOfMemoryError-like', { name: 'GPUOutOfMemoryError', message: 'Allocation failed' }, 'out-of-memory'],
  ['ErrorEvent-like from worker.onerror', { type: 'error', message: 'Uncaught RangeError: x', filename: 'llm-webgpu.worker.js', lineno: 1 }, 'worker-crashed'],
  ['a RemoteError-like object with a web-llm name', { name: 'DeviceLostError', message: 'The WebGPU device was lost' }, 'device-lost'],
  ['null', null, 'unknown'],
  ['number', 42, 'unknown'],
  ['plain object', { foo: 1 }, 'unknown'],
];

describe('mapWebLlmError', () => {
  it.each(rows)('%s', (_label, input, code) => {
    const err = mapWebLlmError(input, { model: QWEN });
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe(code);
    expect(err.userMessage.length).toBeGreaterThan(5);
    expect(err.userMessage).not.toMatch(/undefined|\[object/);
  });

  it('passes EngineErrors through unchanged', () => {
    const e = new EngineError('network', 'x');
    expect(mapWebLlmError(e)).toBe(e);
  });

  it('writes the network message the fallback banner shows', () => {
    const err = mapWebLlmError('TypeError: Failed to fetch', { model: QWEN });
    expect(err.userMessage).toBe(`Could not download the on-device model (${QWEN}): network error.`);
    expect(err.retryable).toBe(true);
    expect(err.detail).toBe('TypeError: Failed to fetch');
  });

  it('puts sizes into the quota message', () => {
    const err = mapWebLlmError('QuotaExceededError: quota', { model: QWEN, neededMB: 290, freeMB: 120 });
    expect(err.userMessage).toBe('Not enough storage space to download the model (needs ~290 MB, 120 MB free).');
  });

  it('marks the right codes retryable', () => {
    const r = (s: string) => mapWebLlmError(s).retryable;
    expect(r('TypeError: Failed to fetch')).toBe(true);
    expect(r('DeviceLostError: lost')).toBe(true);
    expect(r('ShaderF16SupportError: no')).toBe(false);
    expect(r('ModelNotFoundError: no')).toBe(false);
    expect(r('Error: out of memory')).toBe(false);
  });

  it('says which model is missing from config', () => {
    const err = mapWebLlmError('ModelNotFoundError: Cannot find model record in appConfig for X.', { model: 'X' });
    expect(err.userMessage).toMatch(/X.*check config\.json/);
  });

  it('words our worker\'s ModelRecordError with its own reason', () => {
    const err = mapWebLlmError({ name: MODEL_RECORD_ERROR, message: 'it is not a web-llm prebuilt model and config.json gives no url and lib for it' }, { model: 'X' });
    expect(err.code).toBe('model-not-found');
    expect(err.userMessage).toBe('Could not find the on-device model (X): it is not a web-llm prebuilt model and config.json gives no url and lib for it.');
  });
});
