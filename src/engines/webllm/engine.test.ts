// The web-llm engine below the browser: the page-side engine, the typed bridge,
// and the worker's handlers in an in-process worker, with a scripted MLCEngine
// for the retry, crash, abort and streaming paths. No GPU, no network (web-llm's
// real MLCEngine against a closed port: webllm-real.test.ts).
import * as webllm from '@mlc-ai/web-llm';
import type { ChatCompletionChunk, ChatCompletionRequestStreaming, InitProgressReport } from '@mlc-ai/web-llm';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebLlmModel } from '../../config/schema';
import { EngineError } from '../../core/engine/errors';
import { InProcessWorker } from '../../worker-bridge/in-process-worker';
import { createWebLlmHandlers, type MlcEngineLike, type WebLlmRuntime } from '../../workers/webllm-handlers';
import type { LoadProgress } from '../types';
import { WebLlmEngine } from './engine';
import { estimateTokens } from '../../core/engine/trim';
import type { ChatMessage } from '../../core/types';

const QWEN32: WebLlmModel = { id: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', f16: false, vramMB: 1061, sizeMB: 290, contextWindow: 4096 };
const LLAMA16: WebLlmModel = { id: 'Llama-3.2-1B-Instruct-q4f16_1-MLC', f16: true, vramMB: 880, sizeMB: 700, contextWindow: 4096 };
const MiB = 1024 * 1024;
const BASE = 'http://127.0.0.1:5173/';

/** A named error like web-llm's classes (their names survive the bridge). */
function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

interface Script {
  /** Called for each reload, in a fresh MLCEngine per worker. */
  reload?(modelId: string, progress: (r: InitProgressReport) => void): Promise<void>;
  chunks?: ChatCompletionChunk[];
  /** Generation goes on (no more chunks) after this many until interruptGenerate(), like a real model mid-answer. */
  holdAfter?: number;
  createError?: Error;
  /** Fails a request like web-llm would (e.g. its own tokenizer counts more than the context window). */
  rejectRequest?: (request: ChatCompletionRequestStreaming) => Error | null;
}

/** web-llm's MLCEngine, scripted: what the worker handlers drive. */
class ScriptedMlc implements MlcEngineLike {
  private progress: (r: InitProgressReport) => void = () => {};
  reloads: string[] = [];
  requests: ChatCompletionRequestStreaming[] = [];
  interrupts = 0;
  streamClosed = false;
  private interrupted!: () => void;
  private readonly interruption = new Promise<void>((r) => (this.interrupted = r));
  constructor(private readonly script: Script) {}
  setAppConfig(): void {}
  setInitProgressCallback(cb: (r: InitProgressReport) => void): void {
    this.progress = cb;
  }
  async reload(modelId: string): Promise<void> {
    this.reloads.push(modelId);
    await this.script.reload?.(modelId, this.progress);
  }
  interruptGenerate(): void {
    this.interrupts += 1;
    this.interrupted();
  }
  chat = {
    completions: {
      create: async (request: ChatCompletionRequestStreaming): Promise<AsyncIterable<ChatCompletionChunk>> => {
        this.requests.push(request);
        if (this.script.createError) throw this.script.createError;
        const rejected = this.script.rejectRequest?.(request);
        if (rejected) throw rejected;
        const chunks = this.script.chunks ?? [];
        const hold = this.script.holdAfter ?? Infinity;
        const self = this;
        return (async function* () {
          try {
            for (const [i, c] of chunks.entries()) {
              if (i === hold) await self.interruption;
              yield c;
            }
          } finally {
            self.streamClosed = true;
          }
        })();
      },
    },
  };
}

/** Page engine + bridge + real worker handlers over in-process workers; one MLCEngine per worker. */
function setup(script: Script, opts: Partial<ConstructorParameters<typeof WebLlmEngine>[0]> = {}, runtime?: Partial<WebLlmRuntime>) {
  const workers: InProcessWorker[] = [];
  const mlcs: ScriptedMlc[] = [];
  const deleted: string[] = [];
  const engine = new WebLlmEngine({
    candidates: [QWEN32],
    storage: null,
    baseUrl: BASE,
    createWorker: () => {
      const w = new InProcessWorker(
        createWebLlmHandlers({
          runtime: async () => ({
            createEngine: () => {
              const m = new ScriptedMlc(script);
              mlcs.push(m);
              return m;
            },
            prebuiltModels: webllm.prebuiltAppConfig.model_list,
            hasModelInCache: async () => false,
            deleteModelAllInfoInCache: async (id) => void deleted.push(id),
            ...runtime,
          }),
          gpu: () => undefined,
          now: () => performance.now(),
        }),
      );
      workers.push(w);
      return w;
    },
    ...opts,
  });
  engines.push(engine);
  return { engine, workers, mlcs, deleted };
}

let engines: WebLlmEngine[] = [];
afterEach(() => {
  for (const e of engines) e.dispose();
  engines = [];
});

const hi = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('WebLlmEngine.load (scripted MLCEngine)', () => {
  it('refuses to download when storage is short, before web-llm loads anything', async () => {
    const { engine, mlcs } = setup({}, { storage: { estimate: async () => ({ quota: 10_000 * MiB, usage: 9_880 * MiB }) } });
    await expect(engine.load(() => {})).rejects.toMatchObject({
      code: 'quota-exceeded',
      userMessage: 'Not enough storage space to download the model (needs ~290 MB, 120 MB free).',
    });
    expect(mlcs.flatMap((m) => m.reloads)).toEqual([]);
  });

  it('reports model-not-found for an unknown id without url/lib, with the reason from the worker', async () => {
    const { engine } = setup({}, { candidates: [{ ...QWEN32, id: 'Nope-MLC' }] });
    await expect(engine.load(() => {})).rejects.toMatchObject({
      code: 'model-not-found',
      userMessage: 'Could not find the on-device model (Nope-MLC): it is not a web-llm prebuilt model and config.json gives no url and lib for it.',
    });
  });

  it('after device-lost retries the next strictly lighter model, in a fresh worker, with progress in bytes', async () => {
    const fallbacks: Array<[string, string, string]> = [];
    const { engine, workers } = setup(
      {
        async reload(id, progress) {
          if (id === QWEN32.id) throw named('DeviceLostError', 'The WebGPU device was lost while loading the model.');
          progress({ progress: 0.5, timeElapsed: 1, text: 'Fetching param cache[1/2]: 145MB fetched. 50% completed' });
        },
      },
      { candidates: [QWEN32, LLAMA16], onModelFallback: (from, to, e) => fallbacks.push([from.id, to.id, e.code]) },
    );
    const progress: LoadProgress[] = [];
    await engine.load((p) => progress.push(p));
    expect(engine.info).toMatchObject({ kind: 'webllm', modelId: LLAMA16.id, device: 'webgpu', contextWindow: 4096 });
    expect(fallbacks).toEqual([[QWEN32.id, LLAMA16.id, 'device-lost']]);
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    expect(progress.some((p) => p.loadedBytes === 145 * MiB && p.fraction === 0.5)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ fraction: 1, etaSeconds: 0 });
  });

  it('walks down the strictly lighter ladder on out-of-memory, then throws so the caller falls back to ONNX', async () => {
    const SMOL = { ...QWEN32, id: 'SmolLM2-360M-Instruct-q4f32_1-MLC', vramMB: 580 };
    const { engine, mlcs } = setup(
      { reload: async () => Promise.reject(new Error('Out of memory')) },
      { candidates: [QWEN32, LLAMA16, SMOL] },
    );
    await expect(engine.load(() => {})).rejects.toMatchObject({ code: 'out-of-memory' });
    expect(mlcs.flatMap((m) => m.reloads)).toEqual([QWEN32.id, LLAMA16.id, SMOL.id]);
  });

  it('never retries with a model that needs as much VRAM or more than the one that ran out of memory', async () => {
    const { engine, mlcs } = setup(
      { reload: async (id) => (id === LLAMA16.id ? Promise.reject(new Error('Out of memory')) : undefined) },
      { candidates: [LLAMA16, QWEN32, { ...QWEN32, id: 'Llama-3.2-1B-Instruct-q4f32_1-MLC', vramMB: LLAMA16.vramMB }] },
    );
    await expect(engine.load(() => {})).rejects.toMatchObject({ code: 'out-of-memory' });
    expect(mlcs.flatMap((m) => m.reloads)).toEqual([LLAMA16.id]);
  });

  it('does not retry a network error', async () => {
    const { engine, mlcs } = setup({ reload: async () => Promise.reject(new TypeError('Failed to fetch')) }, { candidates: [LLAMA16, QWEN32] });
    await expect(engine.load(() => {})).rejects.toMatchObject({ code: 'network' });
    expect(mlcs.flatMap((m) => m.reloads)).toHaveLength(1);
  });

  it('aborts a load (web-llm would resolve) by stopping the worker', async () => {
    const { engine, workers } = setup({ reload: () => new Promise(() => {}) });
    const ac = new AbortController();
    const progress: LoadProgress[] = [];
    const p = engine.load((x) => {
      progress.push(x);
    }, ac.signal);
    await until(() => workers.length === 1 && workers[0].posted.length >= 1);
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'aborted' });
    expect(workers[0].terminated).toBe(true);
    expect(engine.isLoaded).toBe(false);
  });
});

describe('WebLlmEngine crash → recover (the shared lifecycle)', () => {
  it('a crash while loading rejects with worker-crashed; recover() loads in a fresh worker', async () => {
    const { engine, workers, mlcs } = setup({ reload: (id) => (mlcs.length === 1 ? new Promise(() => {}) : Promise.resolve(void id)) });
    const crashes: Error[] = [];
    engine.onCrash((e) => crashes.push(e));
    const p = engine.load(() => {});
    await until(() => mlcs.length === 1 && mlcs[0].reloads.length === 1);
    workers[0].crash('Uncaught RangeError: x');
    await expect(p).rejects.toMatchObject({ code: 'worker-crashed', retryable: true });
    expect(workers[0].terminated).toBe(true);
    expect(crashes).toHaveLength(1);
    await engine.recover();
    expect(engine.isLoaded).toBe(true);
    expect(workers).toHaveLength(2);
    expect(mlcs[1].reloads).toEqual([QWEN32.id]);
  });

  it('a crash once ready: told once, chat says it is restarting, recover() brings the model back and it answers', async () => {
    const { engine, workers, mlcs } = setup({ chunks: [delta('Hi')] });
    await engine.load(() => {});
    const crashes: Error[] = [];
    engine.onCrash((e) => crashes.push(e));
    workers[0].crash();
    expect(crashes).toHaveLength(1);
    expect(crashes[0]).toMatchObject({ code: 'worker-crashed', userMessage: 'The on-device model stopped unexpectedly and will be restarted.' });
    await expect(engine.chat(hi)).rejects.toMatchObject({ code: 'worker-crashed' });
    const progress: LoadProgress[] = [];
    await Promise.all([engine.recover((p) => progress.push(p)), engine.recover()]); // one recovery, whoever asks
    expect(workers).toHaveLength(2);
    expect(mlcs.map((m) => m.reloads)).toEqual([[QWEN32.id], [QWEN32.id]]);
    expect(progress.at(-1)).toMatchObject({ fraction: 1 });
    expect((await engine.chat(hi)).text).toBe('Hi');
    expect(crashes).toHaveLength(1);
  });

  it('a lost GPU device during chat takes the crash path too', async () => {
    const { engine, workers } = setup({ createError: named('DeviceLostError', 'Device was lost.') });
    await engine.load(() => {});
    const crashes: Error[] = [];
    engine.onCrash((e) => crashes.push(e));
    await expect(engine.chat(hi)).rejects.toMatchObject({ code: 'device-lost' });
    expect(crashes).toHaveLength(1);
    expect(workers[0].terminated).toBe(true);
    await engine.recover();
    expect(workers).toHaveLength(2);
    expect(engine.isLoaded).toBe(true);
  });
});

const chunk = (choices: ChatCompletionChunk['choices'], usage?: ChatCompletionChunk['usage']): ChatCompletionChunk => ({
  id: 'x', object: 'chat.completion.chunk', created: 0, model: QWEN32.id, choices, ...(usage ? { usage } : {}),
});

function delta(content: string, logprob?: number): ChatCompletionChunk {
  return chunk([
    {
      index: 0,
      finish_reason: null,
      delta: { role: 'assistant', content },
      logprobs: logprob === undefined ? null : { content: [{ token: content, logprob, bytes: null, top_logprobs: [{ token: content, logprob, bytes: null }] }] },
    },
  ]);
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 1));
}

describe('WebLlmEngine.chat (scripted MLCEngine)', () => {
  it('streams tokens, maps usage.extra and log-probs', async () => {
    const { engine, mlcs } = setup({
      chunks: [
        delta('Hel', -0.1),
        delta('lo', -0.2),
        chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
        chunk([], { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9, extra: { prefill_tokens_per_s: 300, decode_tokens_per_s: 20, time_to_first_token_s: 0.1, e2e_latency_s: 0.4, time_per_output_token_s: 0.05 } }),
      ],
    });
    await engine.load(() => {});
    const tokens: string[] = [];
    const res = await engine.chat({ messages: [{ role: 'user', content: 'hello' }], logprobs: true, maxTokens: 32, onToken: (t) => tokens.push(t) });
    expect(tokens).toEqual(['Hel', 'lo']);
    expect(res.text).toBe('Hello');
    expect(res.finishReason).toBe('stop');
    expect(res.usage).toEqual({ promptTokens: 7, outputTokens: 2, prefillTps: 300, decodeTps: 20, timeToFirstTokenMs: 100, totalMs: 400 });
    expect(res.logprobs?.map((l) => l.token)).toEqual(['Hel', 'lo']);
    expect(res.logprobs?.[0].entropy).toBeGreaterThan(0);
    expect(mlcs[0].requests[0]).toMatchObject({ stream: true, stream_options: { include_usage: true }, logprobs: true, top_logprobs: 5, max_tokens: 32 });
  });

  it('stops on abort: interrupts, closes the stream, returns finishReason abort with the text so far', async () => {
    const { engine, mlcs } = setup({ chunks: [delta('a'), delta('b'), delta('c')], holdAfter: 1 });
    await engine.load(() => {});
    const ac = new AbortController();
    const res = await engine.chat({ ...hi, signal: ac.signal, onToken: () => ac.abort() });
    expect(res.finishReason).toBe('abort');
    expect(res.text).toBe('a');
    expect(mlcs[0].interrupts).toBe(1);
    expect(mlcs[0].streamClosed).toBe(true);
  });

  it('maps a web-llm error during generation', async () => {
    const { engine } = setup({ createError: named('ContextWindowSizeExceededError', 'Prompt tokens exceed context window size') });
    await engine.load(() => {});
    await expect(engine.chat(hi)).rejects.toMatchObject({ code: 'context-exceeded' });
  });

  it('sends a long history trimmed to the context window: system prompt, newest turns, last question', async () => {
    const small = { ...QWEN32, contextWindow: 1024 };
    const { engine, mlcs } = setup({ chunks: [delta('ok')] }, { candidates: [small] });
    await engine.load(() => {});
    const turn = (i: number) => [
      { role: 'user' as const, content: `question ${i} `.padEnd(300, 'x') },
      { role: 'assistant' as const, content: `answer ${i} `.padEnd(300, 'y') },
    ];
    const messages = [{ role: 'system' as const, content: 'Be brief.' }, ...Array.from({ length: 40 }, (_, i) => turn(i)).flat(), { role: 'user' as const, content: 'last question' }];
    const res = await engine.chat({ messages, maxTokens: 256 });
    expect(res.text).toBe('ok');
    const sent = mlcs[0].requests[0].messages as { role: string; content: string }[];
    expect(sent[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(sent.at(-1)).toEqual({ role: 'user', content: 'last question' });
    expect(sent[1].role).toBe('user'); // never an orphan answer first
    expect(sent.length).toBeLessThan(messages.length);
    expect(sent.some((m) => m.content.startsWith('answer 39 '))).toBe(true); // the newest turns stay
    expect(estimateTokens(sent as ChatMessage[])).toBeLessThanOrEqual(1024 - 256);
  });

  it('when web-llm still finds the context too long, retries once with half the room', async () => {
    const { engine, mlcs } = setup({
      chunks: [delta('ok')],
      // web-llm's tokenizer counts more than our estimate: more than 25 messages is too long for it.
      rejectRequest: (r) => (r.messages.length > 25 ? named('ContextWindowSizeExceededError', 'Prompt tokens exceed context window size: number of prompt tokens: 4100; context window size: 4096') : null),
    });
    await engine.load(() => {});
    const messages = Array.from({ length: 60 }, (_, i) => ({ role: i % 2 ? ('assistant' as const) : ('user' as const), content: 'w '.repeat(120) + i }));
    const res = await engine.chat({ messages, maxTokens: 512 });
    expect(res.text).toBe('ok');
    const sizes = mlcs[0].requests.map((r) => r.messages.length);
    expect(sizes).toHaveLength(2);
    expect(sizes[0]).toBeGreaterThan(25);
    expect(sizes[1]).toBeLessThanOrEqual(25);
    expect(mlcs[0].requests[1].messages.at(-1)).toEqual(messages.at(-1));
  });

  it('scores answers at temperature 1 with greedy choice (comparable log-probs); an explicit temperature is passed through', async () => {
    const { engine, mlcs } = setup({ chunks: [delta('ok', -0.3)] });
    await engine.load(() => {});
    await engine.chat({ ...hi, logprobs: true });
    expect(mlcs[0].requests[0]).toMatchObject({ temperature: 1, top_p: 1e-5, logprobs: true, top_logprobs: 5 });
    await engine.chat({ ...hi, temperature: 0.7 });
    expect(mlcs[0].requests[1].temperature).toBe(0.7);
    expect(mlcs[0].requests[1].top_p).toBeUndefined();
  });

  it('deletes every candidate from web-llm’s cache', async () => {
    const { engine, deleted } = setup({}, { candidates: [LLAMA16, QWEN32] });
    await engine.deleteFromCache();
    expect(deleted).toEqual([LLAMA16.id, QWEN32.id]);
  });
});
