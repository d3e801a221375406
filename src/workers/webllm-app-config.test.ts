import * as webllm from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import type { WebLlmModel } from '../config/schema';
import { MODEL_RECORD_ERROR } from '../worker-bridge/webllm';
import { buildModelRecord, buildWebLlmAppConfig } from './webllm-app-config';

const QWEN32: WebLlmModel = { id: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', f16: false, vramMB: 1061, sizeMB: 290, contextWindow: 4096 };
const LLAMA16: WebLlmModel = { id: 'Llama-3.2-1B-Instruct-q4f16_1-MLC', f16: true, vramMB: 880, sizeMB: 700, contextWindow: 4096 };
const prebuilt = webllm.prebuiltAppConfig.model_list;

describe('buildModelRecord', () => {
  it('uses the prebuilt record, declares shader-f16 for f16 models', () => {
    const r = buildModelRecord(LLAMA16, prebuilt, undefined);
    expect(r.model).toBe('https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f16_1-MLC');
    expect(r.model_lib).toMatch(/^https:\/\/raw\.githubusercontent\.com\/mlc-ai\/binary-mlc-llm-libs\/.*\.wasm$/);
    expect(r.required_features).toEqual(['shader-f16']);
    expect(r.overrides?.context_window_size).toBe(4096);
  });
  it('overrides url (relative → absolute) and keeps the prebuilt lib', () => {
    const r = buildModelRecord({ ...QWEN32, url: '/models/qwen/' }, prebuilt, 'http://127.0.0.1:8787/app/');
    expect(r.model).toBe('http://127.0.0.1:8787/models/qwen/');
    expect(r.model_lib).toMatch(/Qwen2-0\.5B-Instruct-q4f32_1/);
    expect(r.required_features).toBeUndefined();
  });
  it('accepts a custom model with url + lib', () => {
    const r = buildModelRecord({ ...QWEN32, id: 'Custom-MLC', url: 'https://x/m/', lib: 'https://x/m.wasm' }, prebuilt, undefined);
    expect(r).toMatchObject({ model_id: 'Custom-MLC', model: 'https://x/m/', model_lib: 'https://x/m.wasm', vram_required_MB: 1061 });
  });
  it('rejects an unknown id without url and lib, saying which is missing', () => {
    const build = (m: WebLlmModel) => () => buildModelRecord(m, prebuilt, undefined);
    expect(build({ ...QWEN32, id: 'Custom-MLC', url: 'https://x/m/' })).toThrow(expect.objectContaining({ name: MODEL_RECORD_ERROR, message: expect.stringMatching(/gives no lib for it$/) }));
    expect(build({ ...QWEN32, id: 'Custom-MLC' })).toThrow(/gives no url and lib for it$/);
  });
  it('rejects a relative URL when there is no base to resolve it against', () => {
    expect(() => buildModelRecord({ ...QWEN32, url: '/models/qwen/' }, prebuilt, undefined)).toThrow(/is not absolute/);
  });
});

describe('buildWebLlmAppConfig', () => {
  it('lists every candidate with the cache backend', () => {
    const c = buildWebLlmAppConfig([LLAMA16, QWEN32], prebuilt, undefined, 'indexeddb');
    expect(c.model_list.map((m) => m.model_id)).toEqual([LLAMA16.id, QWEN32.id]);
    expect(c.cacheBackend).toBe('indexeddb');
  });
});
