// The web-llm engine's main-thread logic against (a) web-llm's REAL worker
// handler running in-process with a closed-port model URL — the same failure
// the e2e test provokes in Chromium — and (b) scripted fake workers for the
// retry, crash, abort and streaming paths. No GPU needed.
import * as webllm from '@mlc-ai/web-llm';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WebLlmModel } from '../../config/schema';
import { EngineError } from '../../core/engine/errors';
import type { LoadProgress } from '../types';
import { buildModelRecord, WebLlmEngine, type StorageLike, type WorkerLike } from './engine';

const QWEN32: WebLlmModel = { id: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', f16: false, vramMB: 1061, sizeMB: 290, contextWindow: 4096 };
const LLAMA16: WebLlmModel = { id: 'Llama-3.2-1B-Instruct-q4f16_1-MLC', f16: true, vramMB: 880, sizeMB: 700, contextWindow: 4096 };
const MiB = 1024 * 1024;

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
  g.location ??= { origin: 'http://127.0.0.1:5173', href: 'http://127.0.0.1:5173/' };
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

type Msg = { kind: string; uuid: string; content: unknown };

/** Hosts web-llm's real WebWorkerMLCEngineHandler in this process. */
class InProcessWorker implements WorkerLike {
  onmessage: WorkerLike['onmessage'] = null;
  terminated = false;
  readonly handler = new webllm.WebWorkerMLCEngineHandler();
  constructor() {
    this.handler.postMessage = (msg: unknown) => {
      if (!this.terminated) (this.onmessage as unknown as (m: unknown) => void)?.(msg);
    };
  }
  postMessage(msg: unknown): void {
    queueMicrotask(() => this.handler.onmessage(structuredClone(msg)));
  }
  terminate(): void {
    this.terminated = true;
  }
  addEventListener(): void {}
  removeEventListener(): void {}
}

type Reply = (kind: 'return' | 'throw' | 'initProgressCallback', content: unknown) => void;

/** A worker whose answers are scripted per message. */
class ScriptedWorker implements WorkerLike {
  onmessage: WorkerLike['onmessage'] = null;
  terminated = false;
  posted: Msg[] = [];
  private listeners = new Map<string, Set<(ev: Event) => void>>();
  constructor(private readonly script: (msg: Msg, reply: Reply) => void) {}
  postMessage(msg: unknown): void {
    const m = msg as Msg;
    this.posted.push(m);
    queueMicrotask(() =>
      this.script(m, (kind, content) => {
        if (this.terminated) return;
        (this.onmessage as unknown as (m: unknown) => void)?.({ kind, uuid: kind === 'initProgressCallback' ? '' : m.uuid, content });
      }),
    );
  }
  terminate(): void {
    this.terminated = true;
  }
  addEventListener(type: string, fn: EventListenerOrEventListenerObject): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(fn as (ev: Event) => void);
  }
  removeEventListener(type: string, fn: EventListenerOrEventListenerObject): void {
    this.listeners.get(type)?.delete(fn as (ev: Event) => void);
  }
  emit(type: string, ev: Event): void {
    for (const fn of this.listeners.get(type) ?? []) fn(ev);
  }
}

let engines: WebLlmEngine[] = [];
afterEach(() => {
  for (const e of engines) e.dispose();
  engines = [];
});
function make(opts: ConstructorParameters<typeof WebLlmEngine>[0]): WebLlmEngine {
  const e = new WebLlmEngine({ webllm, baseUrl: 'http://127.0.0.1:5173/', ...opts });
  engines.push(e);
  return e;
}

describe('WebLlmEngine.load with the real web-llm handler', () => {
  it('rejects quickly with a network EngineError when the model URL is a closed port', async () => {
    const storage = roomy();
    const workers: InProcessWorker[] = [];
    const engine = make({
      candidates: [{ ...QWEN32, url: 'http://127.0.0.1:9/' }],
      storage,
      createWorker: () => {
        const w = new InProcessWorker();
        workers.push(w);
        return w;
      },
    });
    const progress: LoadProgress[] = [];
    const t0 = Date.now();
    const err = await engine.load((p) => progress.push(p)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).detail).toMatch(/fetch failed/); // node's wording; Chromium says "Failed to fetch"
    expect((err as EngineError).code).toBe('network');
    expect((err as EngineError).userMessage).toBe(
      'Could not download the on-device model (Qwen2.5-0.5B-Instruct-q4f32_1-MLC): network error.',
    );
    expect(storage.persistCalls).toBe(1);
    expect(workers).toHaveLength(1);
    expect(progress[0].text).toMatch(/Preparing/);
    expect(engine.isLoaded).toBe(false);
  });
});

describe('WebLlmEngine.load (scripted worker)', () => {
  it('refuses to download when storage is short, before touching the worker', async () => {
    const createWorker = vi.fn(() => new ScriptedWorker(() => {}));
    const engine = make({
      candidates: [QWEN32],
      createWorker,
      storage: { estimate: async () => ({ quota: 10_000 * MiB, usage: 9_880 * MiB }) },
    });
    await expect(engine.load(() => {})).rejects.toMatchObject({
      code: 'quota-exceeded',
      userMessage: 'Not enough storage space to download the model (needs ~290 MB, 120 MB free).',
    });
    expect(createWorker).not.toHaveBeenCalled();
  });

  it('reports model-not-found for an unknown id without url/lib', async () => {
    const engine = make({ candidates: [{ ...QWEN32, id: 'Nope-MLC' }], storage: null, createWorker: () => new ScriptedWorker(() => {}) });
    await expect(engine.load(() => {})).rejects.toMatchObject({ code: 'model-not-found' });
  });

  it('retries ONCE with the next smaller model after device-lost, in a fresh worker', async () => {
    const workers: ScriptedWorker[] = [];
    const onModelFallback = vi.fn();
    const engine = make({
      candidates: [LLAMA16, QWEN32],
      storage: null,
      onModelFallback,
      createWorker: () => {
        const w = new ScriptedWorker((msg, reply) => {
          if (msg.kind !== 'reload') return;
          const id = (msg.content as { modelId: string[] }).modelId[0];
          if (id === LLAMA16.id) reply('throw', 'DeviceLostError: The WebGPU device was lost while loading the model.');
          else {
            reply('initProgressCallback', { progress: 0.5, timeElapsed: 1, text: 'Fetching param cache[1/2]: 145MB fetched. 50% completed' });
            reply('return', null);
          }
        });
        workers.push(w);
        return w;
      },
    });
    const progress: LoadProgress[] = [];
    await engine.load((p) => progress.push(p));
    expect(engine.info).toMatchObject({ kind: 'webllm', modelId: QWEN32.id, device: 'webgpu', contextWindow: 4096 });
    expect(onModelFallback).toHaveBeenCalledTimes(1);
    expect(onModelFallback.mock.calls[0][2]).toMatchObject({ code: 'device-lost' });
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    expect(progress.some((p) => p.loadedBytes === 145 * MiB && p.fraction === 0.5)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ fraction: 1, etaSeconds: 0 });
  });

  it('gives up after one retry and throws so the caller falls back to ONNX', async () => {
    let reloads = 0;
    const engine = make({
      candidates: [LLAMA16, QWEN32, { ...QWEN32, id: 'SmolLM2-360M-Instruct-q4f32_1-MLC' }],
      storage: null,
      createWorker: () =>
        new ScriptedWorker((msg, reply) => {
          if (msg.kind === 'reload') {
            reloads += 1;
            reply('throw', 'Error: Out of memory');
          }
        }),
    });
    await expect(engine.load(() => {})).rejects.toMatchObject({ code: 'out-of-memory' });
    expect(reloads).toBe(2);
  });

  it('does not retry a network error', async () => {
    let reloads = 0;
    const engine = make({
      candidates: [LLAMA16, QWEN32],
      storage: null,
      createWorker: () =>
        new ScriptedWorker((msg, reply) => {
          if (msg.kind === 'reload') {
            reloads += 1;
            reply('throw', 'TypeError: Failed to fetch');
          }
        }),
    });
    await expect(engine.load(() => {})).rejects.toMatchObject({ code: 'network' });
    expect(reloads).toBe(1);
  });

  it('rejects pending calls with worker-crashed when the worker errors', async () => {
    const w = new ScriptedWorker(() => {}); // never answers
    const engine = make({ candidates: [QWEN32], storage: null, worker: w, createWorker: () => new ScriptedWorker(() => {}) });
    const p = engine.load(() => {});
    await new Promise((r) => setTimeout(r, 10));
    w.emit('error', Object.assign(new Event('error'), { message: 'Uncaught RangeError', filename: 'w.js', lineno: 1 }));
    await expect(p).rejects.toMatchObject({ code: 'worker-crashed', retryable: true });
    expect(w.terminated).toBe(true);
    await expect(engine.chat({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ code: 'worker-crashed' });
  });

  it('aborts a load (web-llm would resolve) and stops the worker', async () => {
    const w = new ScriptedWorker(() => {});
    const engine = make({ candidates: [QWEN32], storage: null, worker: w });
    const ac = new AbortController();
    const p = engine.load(() => {}, ac.signal);
    await new Promise((r) => setTimeout(r, 10));
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'aborted' });
    expect(w.terminated).toBe(true);
  });
});

/** Answers web-llm's streaming protocol with fixed chunks. */
function streamingWorker(chunks: unknown[], onMsg?: (m: Msg) => void): ScriptedWorker {
  let i = 0;
  return new ScriptedWorker((msg, reply) => {
    onMsg?.(msg);
    switch (msg.kind) {
      case 'reload':
      case 'chatCompletionStreamInit':
      case 'completionStreamReturn':
      case 'interruptGenerate':
        reply('return', null);
        break;
      case 'completionStreamNextChunk':
        reply('return', i < chunks.length ? chunks[i++] : undefined);
        break;
      default:
    }
  });
}

const delta = (content: string, logprob?: number) => ({
  id: 'x',
  object: 'chat.completion.chunk',
  created: 0,
  model: QWEN32.id,
  choices: [
    {
      index: 0,
      finish_reason: null,
      delta: { role: 'assistant', content },
      logprobs:
        logprob === undefined
          ? null
          : { content: [{ token: content, logprob, bytes: null, top_logprobs: [{ token: content, logprob, bytes: null }] }] },
    },
  ],
});

describe('WebLlmEngine.chat (scripted worker)', () => {
  it('streams tokens, maps usage.extra and log-probs', async () => {
    const seen: Msg[] = [];
    const w = streamingWorker(
      [
        delta('Hel', -0.1),
        delta('lo', -0.2),
        { id: 'x', object: 'chat.completion.chunk', created: 0, model: QWEN32.id, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
        {
          id: 'x', object: 'chat.completion.chunk', created: 0, model: QWEN32.id, choices: [],
          usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9, extra: { prefill_tokens_per_s: 300, decode_tokens_per_s: 20, time_to_first_token_s: 0.1, e2e_latency_s: 0.4 } },
        },
      ],
      (m) => seen.push(m),
    );
    const engine = make({ candidates: [QWEN32], storage: null, worker: w });
    await engine.load(() => {});
    const tokens: string[] = [];
    const res = await engine.chat({ messages: [{ role: 'user', content: 'hello' }], logprobs: true, maxTokens: 32, onToken: (t) => tokens.push(t) });
    expect(tokens).toEqual(['Hel', 'lo']);
    expect(res.text).toBe('Hello');
    expect(res.finishReason).toBe('stop');
    expect(res.usage).toEqual({ promptTokens: 7, outputTokens: 2, prefillTps: 300, decodeTps: 20, timeToFirstTokenMs: 100, totalMs: 400 });
    expect(res.logprobs?.map((l) => l.token)).toEqual(['Hel', 'lo']);
    expect(res.logprobs?.[0].entropy).toBeGreaterThan(0);
    const init = seen.find((m) => m.kind === 'chatCompletionStreamInit')!.content as { request: Record<string, unknown> };
    expect(init.request).toMatchObject({ stream: true, stream_options: { include_usage: true }, logprobs: true, top_logprobs: 5, max_tokens: 32 });
  });

  it('stops on abort: interrupts, closes the stream, returns finishReason abort', async () => {
    const kinds: string[] = [];
    const w = streamingWorker([delta('a'), delta('b'), delta('c')], (m) => kinds.push(m.kind));
    const engine = make({ candidates: [QWEN32], storage: null, worker: w });
    await engine.load(() => {});
    const ac = new AbortController();
    const res = await engine.chat({
      messages: [{ role: 'user', content: 'x' }],
      signal: ac.signal,
      onToken: () => ac.abort(),
    });
    expect(res.finishReason).toBe('abort');
    expect(res.text).toBe('a');
    expect(kinds).toContain('interruptGenerate');
    expect(kinds).toContain('completionStreamReturn');
  });

  it('maps a worker error during generation', async () => {
    const w = new ScriptedWorker((msg, reply) => {
      if (msg.kind === 'reload') reply('return', null);
      if (msg.kind === 'chatCompletionStreamInit') reply('throw', 'ContextWindowSizeExceededError: Prompt tokens exceed context window size');
    });
    const engine = make({ candidates: [QWEN32], storage: null, worker: w });
    await engine.load(() => {});
    await expect(engine.chat({ messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ code: 'context-exceeded' });
  });
});

describe('buildModelRecord', () => {
  const prebuilt = webllm.prebuiltAppConfig.model_list;
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
  it('rejects an unknown id without url and lib', () => {
    expect(() => buildModelRecord({ ...QWEN32, id: 'Custom-MLC', url: 'https://x/m/' }, prebuilt, undefined)).toThrow(EngineError);
  });
});
