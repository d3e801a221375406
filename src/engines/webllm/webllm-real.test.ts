// web-llm's REAL MLCEngine in the worker handlers, driven by the page-side
// engine over the bridge, with a closed-port model URL: the failure the e2e
// test provokes in Chromium. Integration: it opens a (refused) connection.
import * as webllm from '@mlc-ai/web-llm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebLlmModel } from '../../config/schema';
import { EngineError } from '../../core/engine/errors';
import { InProcessWorker } from '../../worker-bridge/in-process-worker';
import { createWebLlmHandlers, webLlmRuntime } from '../../workers/webllm-handlers';
import type { LoadProgress } from '../types';
import { WebLlmEngine, type StorageLike } from './engine';

const QWEN32: WebLlmModel = { id: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', f16: false, vramMB: 1061, sizeMB: 290, contextWindow: 4096 };
const MiB = 1024 * 1024;
const BASE = 'http://127.0.0.1:5173/';

const roomy = (): StorageLike & { persistCalls: number } => {
  const s = {
    persistCalls: 0,
    persisted: async () => false,
    persist: async () => {
      s.persistCalls += 1;
      return true;
    },
    estimate: async () => ({ quota: 50_000 * MiB, usage: 0 }),
  };
  return s;
};

beforeAll(() => {
  // What web-llm needs from a browser worker, minimally: a base URL and the Cache API.
  const g = globalThis as Record<string, unknown>;
  g.location ??= { origin: 'http://127.0.0.1:5173', href: BASE };
  const store = new Map<string, Response>();
  const key = (r: Request | string) => (typeof r === 'string' ? r : r.url);
  g.caches ??= {
    open: async () => ({
      match: async (r: Request | string) => store.get(key(r))?.clone(),
      add: async (r: Request) => {
        const res = await fetch(r);
        if (!res.ok) throw new TypeError("Failed to execute 'add' on 'Cache': Request failed");
        store.set(key(r), res);
      },
      keys: async () => [...store.keys()].map((u) => new Request(u)),
      delete: async (r: Request | string) => store.delete(key(r)),
    }),
  };
});

let engines: WebLlmEngine[] = [];
afterEach(() => {
  for (const e of engines) e.dispose();
  engines = [];
});

describe('WebLlmEngine.load with web-llm’s real MLCEngine in the worker', () => {
  it('rejects with a network EngineError when the model URL is a closed port', async () => {
    const storage = roomy();
    const workers: InProcessWorker[] = [];
    const engine = new WebLlmEngine({
      candidates: [{ ...QWEN32, url: 'http://127.0.0.1:9/' }],
      storage,
      baseUrl: BASE,
      createWorker: () => {
        const w = new InProcessWorker(createWebLlmHandlers({ runtime: async () => webLlmRuntime(webllm), gpu: () => undefined, now: () => performance.now() }));
        workers.push(w);
        return w;
      },
    });
    engines.push(engine);
    const progress: LoadProgress[] = [];
    const err = await engine.load((p) => progress.push(p)).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).detail).toMatch(/fetch failed/); // node's wording; Chromium says "Failed to fetch"
    expect((err as EngineError).code).toBe('network');
    expect((err as EngineError).userMessage).toBe('Could not download the on-device model (Qwen2.5-0.5B-Instruct-q4f32_1-MLC): network error.');
    expect(storage.persistCalls).toBe(0); // persistence is asked on a user action, never by a load (decision 62)
    expect(workers).toHaveLength(1);
    expect(progress[0].text).toMatch(/Preparing/);
    expect(engine.isLoaded).toBe(false);
  });
});

