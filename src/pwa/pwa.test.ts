import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../config/schema';
import * as webllm from '@mlc-ai/web-llm';
import { groupByModel, guessModelId, isLibraryOf, knownModels, type CachedEntry } from './model-storage';
import { requestPersistence } from './persist';
import { installHint, type InstallEnv } from './install';
import { readyRecord, trackOfflineReady, offlineReadyKey, type FlagStore, type OfflineReadyRecord } from './offline-ready';
import { restoreDraft, saveDraftBeforeReload } from './draft';
import { LocalEngineManager, type LocalStatus } from '../engines/local/manager';
import type { LocalEngine } from '../engines/types';

const config = parseConfig(JSON.parse(readFileSync(new URL('../../public/config.json', import.meta.url), 'utf8')));
const demo = parseConfig(JSON.parse(readFileSync(new URL('../../public/config.demo.json', import.meta.url), 'utf8')));

describe('per-model cache sizes', () => {
  const webllmId = config.webllm.tiers.small[0].id;
  const entries: CachedEntry[] = [
    { cache: 'webllm/model', url: `https://huggingface.co/mlc-ai/${webllmId}/resolve/main/params_shard_0.bin`, bytes: 1000 },
    { cache: 'webllm/config', url: `https://huggingface.co/mlc-ai/${webllmId}/resolve/main/mlc-chat-config.json`, bytes: 10 },
    { cache: 'webllm/wasm', url: `https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_80/${webllmId.replace(/-MLC$/, '')}-ctx4k_cs1k-webgpu.wasm`, bytes: 5 },
    { cache: 'webllm/model', url: 'https://huggingface.co/mlc-ai/Old-Model-q4f16_1-MLC/resolve/main/params_shard_0.bin', bytes: 7 },
    { cache: 'transformers-cache', url: `https://huggingface.co/${config.onnx.modelId}/resolve/main/onnx/model.onnx`, bytes: 300 },
    { cache: 'transformers-cache', url: `https://huggingface.co/${config.nlp.nerModelId}/resolve/main/config.json`, bytes: 3 },
    { cache: 'transformers-cache', url: 'http://127.0.0.1:8790/models/some-old-model/onnx/model.onnx', bytes: 2 },
    { cache: 'workbox-precache-v2-x', url: 'http://127.0.0.1/index.html', bytes: 99 },
  ];

  it('attributes weights, config and library to the configured web-llm model', () => {
    const g = groupByModel(entries, knownModels(config));
    const w = g.find((m) => m.id === webllmId)!;
    expect(w.kind).toBe('webllm');
    expect(w.bytes).toBe(1015);
    expect(w.entries).toHaveLength(3);
  });

  it('attributes transformers.js files to the ONNX and NLP models, by exact id', () => {
    const g = groupByModel(entries, knownModels(config));
    expect(g.find((m) => m.id === config.onnx.modelId)!.bytes).toBe(300);
    expect(g.find((m) => m.id === config.nlp.nerModelId)!.bytes).toBe(3);
    expect(g.find((m) => m.id === config.nlp.rerankerModelId)!.bytes).toBe(0);
  });

  it('lists unknown cached models by a guessed id, and ignores the service worker caches', () => {
    const g = groupByModel(entries, knownModels(config));
    expect(g.filter((m) => !m.known).map((m) => [m.id, m.bytes])).toEqual([
      ['mlc-ai/Old-Model-q4f16_1-MLC', 7],
      ['some-old-model', 2],
    ]);
    expect(g.reduce((s, m) => s + m.bytes, 0)).toBe(1000 + 10 + 5 + 7 + 300 + 3 + 2);
  });

  it('does not confuse models whose ids share a prefix (demo: tiny-lm, local /models/ paths)', () => {
    const e: CachedEntry[] = [
      { cache: 'transformers-cache', url: 'http://h/models/tiny-lm/onnx/model.onnx', bytes: 4 },
      { cache: 'transformers-cache', url: 'http://h/models/tiny-lm-2/onnx/model.onnx', bytes: 8 },
    ];
    const g = groupByModel(e, knownModels(demo));
    expect(g.find((m) => m.id === 'tiny-lm')!.bytes).toBe(4);
    expect(g.find((m) => m.id === 'tiny-lm-2')).toMatchObject({ known: false, bytes: 8 });
    expect(knownModels(demo).map((m) => m.kind)).not.toContain('webllm'); // web-llm disabled in the demo
  });

  it('guesses ids from hub and local URLs', () => {
    expect(guessModelId({ cache: 'transformers-cache', url: 'https://huggingface.co/Xenova/bert/resolve/main/x.json', bytes: 0 })).toBe('Xenova/bert');
    expect(guessModelId({ cache: 'transformers-cache', url: 'http://h/models/m1/x.json', bytes: 0 })).toBe('m1');
    expect(guessModelId({ cache: 'webllm/wasm', url: 'http://h/lib.wasm', bytes: 0 })).toBe('web-llm (other files)');
  });
});

describe('web-llm model libraries are grouped with their model', () => {
  const ids = [...config.webllm.tiers.small, ...config.webllm.tiers.large].map((m) => m.id);

  it.each(ids)('%s: web-llm 0.2.86’s own library for it is counted (and deleted) with the model, not under other files', (id) => {
    const record = webllm.prebuiltAppConfig.model_list.find((m) => m.model_id === id)!;
    const lib: CachedEntry = { cache: 'webllm/wasm', url: record.model_lib, bytes: 7 };
    const group = groupByModel([lib], knownModels(config)).find((g) => g.entries.length > 0)!;
    expect(group).toMatchObject({ id, kind: 'webllm', known: true, bytes: 7 });
  });

  it('matches by architecture and quantization, not by any prefix', () => {
    expect(isLibraryOf('Qwen2-0.5B-Instruct-q4f16_1_cs1k-webgpu.wasm', 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC')).toBe(true);
    expect(isLibraryOf('Qwen2-0.5B-Instruct-q4f32_1_cs1k-webgpu.wasm', 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC')).toBe(false);
    expect(isLibraryOf('Qwen2-1.5B-Instruct-q4f16_1_cs1k-webgpu.wasm', 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC')).toBe(false);
    expect(isLibraryOf('Llama-3.2-1B-Instruct-q4f16_1-ctx4k_cs1k-webgpu.wasm', 'Llama-3.2-1B-Instruct-q4f16_1-MLC')).toBe(true);
    expect(isLibraryOf('Llama-3.2-3B-Instruct-q4f16_1_cs1k-webgpu.wasm', 'Llama-3.2-1B-Instruct-q4f16_1-MLC')).toBe(false);
  });
});

describe('persistent storage is asked for on a user action only', () => {
  it('asks once, reports the answer, and never throws', async () => {
    let asked = 0;
    expect(await requestPersistence({ persisted: async () => false, persist: async () => (asked++, true) })).toBe(true);
    expect(await requestPersistence({ persisted: async () => true, persist: async () => (asked++, true) })).toBe(true);
    expect(asked).toBe(1);
    expect(await requestPersistence({ persist: async () => { throw new Error('denied'); } })).toBe(false);
    expect(await requestPersistence(null)).toBeNull();
  });

  it('no code path asks at page load: only install and the Storage panel button call it', () => {
    const src = (p: string) => readFileSync(new URL(p, import.meta.url), 'utf8');
    for (const file of ['../engines/storage-guard.ts', '../main.ts', '../app/compose.ts', '../engines/webllm/engine.ts', '../engines/onnx/engine.ts']) {
      expect(src(file)).not.toMatch(/\.persist\(|requestPersistence/);
    }
    expect(src('./install.ts')).toMatch(/choice === 'accepted'\) void requestPersistence\(\)/);
    expect(src('../ui/pwa/StoragePanel.svelte')).toMatch(/requestPersistence\(\)/);
  });
});

describe('install hint', () => {
  const env = (p: Partial<InstallEnv>): InstallEnv => ({ canPrompt: false, standalone: false, iosStandaloneApi: false, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140', dismissed: false, ...p });
  const iPhone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1';
  it('Install button when the browser offered beforeinstallprompt', () => expect(installHint(env({ canPrompt: true }))).toBe('button'));
  it('nothing when already installed', () => expect(installHint(env({ canPrompt: true, standalone: true }))).toBeNull());
  it('the iOS explanation on iOS Safari (navigator.standalone defined, no prompt)', () => {
    expect(installHint(env({ iosStandaloneApi: true, userAgent: iPhone }))).toBe('ios');
    expect(installHint(env({ iosStandaloneApi: true, userAgent: iPhone, dismissed: true }))).toBeNull();
  });
  it('nothing on browsers with neither', () => expect(installHint(env({}))).toBeNull());
});

describe('offline-ready flag', () => {
  const base: LocalStatus = { phase: 'loading', engine: 'onnx', modelId: 'tiny-lm', device: 'wasm', chain: [] };
  it('only a completed load counts', () => {
    expect(readyRecord(base, 1)).toBeNull();
    expect(readyRecord({ ...base, phase: 'error' }, 1)).toBeNull();
    expect(readyRecord({ ...base, phase: 'ready' }, 5)).toEqual({ modelId: 'tiny-lm', engine: 'onnx', device: 'wasm', at: 5 });
  });

  it('is recorded when the real manager reaches ready, and again after a delete and reload', async () => {
    const saved: [string, OfflineReadyRecord | null][] = [];
    const store: FlagStore = { load: async () => null, save: async (k, v) => void saved.push([k, v]) };
    let deleted = 0;
    let failLoad = true;
    const engine: LocalEngine = {
      info: { kind: 'onnx', modelId: 'tiny-lm', device: 'wasm', contextWindow: 256 },
      async load() {
        if (failLoad) throw new Error('network');
      },
      chat: async () => { throw new Error('unused'); },
      isCached: async () => true,
      deleteFromCache: async () => void deleted++,
      onCrash: () => () => {},
      recover: async () => {},
      dispose() {},
    };
    const manager = new LocalEngineManager({
      config: demo,
      probe: async () => null,
      device: () => ({ userAgent: 'test', builtinAvailable: false }),
      select: () => ({ engine: 'onnx', onnxDevice: 'wasm', onnx: [{ device: 'wasm', dtype: 'fp32', runtime: 'plain', downloadMB: 5 }], candidates: [], tier: null, reason: 'test' }),
      fallback: () => { throw new Error('unused'); },
      createWebLlm: () => { throw new Error('unused'); },
      createOnnx: () => engine,
    });
    trackOfflineReady(manager, store, () => 42);
    await expect(manager.ready()).rejects.toThrow('network');
    expect(saved).toEqual([]); // a failed load is not offline-ready
    failLoad = false;
    await manager.ready();
    expect(saved).toEqual([[offlineReadyKey('tiny-lm'), { modelId: 'tiny-lm', engine: 'onnx', device: 'wasm', at: 42 }]]);

    expect(await manager.deleteLoadedModel('other-model')).toBe(false);
    expect(deleted).toBe(0);
    expect(await manager.deleteLoadedModel('tiny-lm')).toBe(true);
    expect(deleted).toBe(1);
    expect(manager.current).toMatchObject({ phase: 'error', error: expect.stringContaining('deleted') });
    await manager.ready();
    expect(saved).toHaveLength(2);
  });
});

describe('draft across an update reload', () => {
  class MemStorage {
    m = new Map<string, string>();
    getItem(k: string) { return this.m.get(k) ?? null; }
    setItem(k: string, v: string) { this.m.set(k, v); }
    removeItem(k: string) { this.m.delete(k); }
  }
  const textarea = (value: string) => {
    const events: string[] = [];
    return { value, events, dispatchEvent: (e: { type: string }) => (events.push(e.type), true) };
  };
  const doc = (el: unknown) => ({ querySelector: () => el }) as unknown as Document;

  it('saves the composer text and puts it back with an input event, once', async () => {
    const store = new MemStorage() as unknown as Storage;
    expect(saveDraftBeforeReload(doc(textarea('half a thought')), store)).toBe('half a thought');
    const fresh = textarea('');
    expect(await restoreDraft(doc(fresh), store)).toBe('half a thought');
    expect(fresh.value).toBe('half a thought');
    expect(fresh.events).toEqual(['input']);
    expect(await restoreDraft(doc(textarea('')), store)).toBeNull();
  });

  it('never overwrites what is already typed, and an empty composer clears the saved draft', async () => {
    const store = new MemStorage() as unknown as Storage;
    saveDraftBeforeReload(doc(textarea('old')), store);
    const typed = textarea('new');
    await restoreDraft(doc(typed), store);
    expect(typed.value).toBe('new');
    saveDraftBeforeReload(doc(textarea('x')), store);
    saveDraftBeforeReload(doc(textarea('')), store);
    expect(await restoreDraft(doc(textarea('')), store)).toBeNull();
  });
});
