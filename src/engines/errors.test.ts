import { describe, expect, it } from 'vitest';
import { EngineError } from '../core/engine/errors';
import { toEngineError } from './errors';

describe('toEngineError (any engine)', () => {
  it.each([
    ['transformers.js fetch failure', new TypeError('fetch failed'), 'network'],
    ['ORT wasm allocation', new RangeError('WebAssembly.Memory(): could not allocate memory'), 'out-of-memory'],
    ['a bridge crash', { name: 'WorkerCrashedError', message: 'The worker stopped unexpectedly.' }, 'worker-crashed'],
    ['an abort', { name: 'AbortError', message: 'The operation was aborted.' }, 'aborted'],
    ['a missing model file', new Error('Could not locate file: "/models/x/onnx/model.onnx" (404 Not Found)'), 'model-not-found'],
  ] as const)('%s', (_label, input, code) => {
    expect(toEngineError(input, { model: 'tiny-lm' }).code).toBe(code);
  });

  it('leaves engine-specific names to the engine: an unknown name falls through to the message', () => {
    expect(toEngineError({ name: 'ModelNotFoundError', message: 'nope' }).code).toBe('unknown');
    const byName = () => new EngineError('model-not-found', 'not in the list');
    expect(toEngineError({ name: 'ModelNotFoundError', message: 'nope' }, {}, byName).code).toBe('model-not-found');
  });

  it('shortens an unknown error into the message and keeps the whole text as detail', () => {
    const long = `Error: ${'x'.repeat(400)}`;
    const err = toEngineError(long, { model: 'm' });
    expect(err.code).toBe('unknown');
    expect(err.userMessage.length).toBeLessThan(220);
    expect(err.detail).toBe(long);
  });
});

describe('EngineError', () => {
  it('is retryable by code unless told otherwise', () => {
    expect(new EngineError('network', 'x').retryable).toBe(true);
    expect(new EngineError('out-of-memory', 'x').retryable).toBe(false);
    expect(new EngineError('unknown', 'x', { retryable: true }).retryable).toBe(true);
  });
});
