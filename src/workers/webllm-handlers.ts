// The web-llm worker's logic, free of worker globals so Node tests can drive
// it (with web-llm's real MLCEngine, or a scripted one): the adapter probe,
// load with progress, streamed chat with abort, cache check and delete.
// web-llm is loaded on first need, so a probe on a device without WebGPU
// never downloads it.
import type {
  AppConfig as WebLlmAppConfig,
  ChatCompletionChunk,
  ChatCompletionMessageParam,
  ChatCompletionRequestStreaming,
  InitProgressReport,
  ModelRecord,
} from '@mlc-ai/web-llm';
import type { ChatResult } from '../core/engine/result';
import { mapLogprob, mapUsage, type TokenLogprob, type WebLlmUsage } from '../core/engine/metrics';
import { factsFromAdapter, type AdapterLike } from '../core/engine/adapter';
import type { WebLlmModels, WebLlmWorkerHandlers } from '../worker-bridge/webllm';
import { buildWebLlmAppConfig } from './webllm-app-config';
import { crashSoon } from './crash';

/** What we use of web-llm's MLCEngine. */
export interface MlcEngineLike {
  setAppConfig(appConfig: WebLlmAppConfig): void;
  setInitProgressCallback(cb: (report: InitProgressReport) => void): void;
  reload(modelId: string): Promise<void>;
  interruptGenerate(): unknown;
  chat: { completions: { create(request: ChatCompletionRequestStreaming): Promise<AsyncIterable<ChatCompletionChunk>> } };
}

/** What we use of the web-llm module. */
export interface WebLlmRuntime {
  createEngine(): MlcEngineLike;
  prebuiltModels: readonly ModelRecord[];
  hasModelInCache(modelId: string, appConfig: WebLlmAppConfig): Promise<boolean>;
  deleteModelAllInfoInCache(modelId: string, appConfig: WebLlmAppConfig): Promise<void>;
}

export function webLlmRuntime(wl: typeof import('@mlc-ai/web-llm')): WebLlmRuntime {
  return {
    createEngine: () => new wl.MLCEngine(),
    prebuiltModels: wl.prebuiltAppConfig.model_list,
    hasModelInCache: (id, appConfig) => wl.hasModelInCache(id, appConfig),
    deleteModelAllInfoInCache: (id, appConfig) => wl.deleteModelAllInfoInCache(id, appConfig),
  };
}

export interface WebLlmWorkerDeps {
  runtime(): Promise<WebLlmRuntime>;
  /** navigator.gpu in the worker. */
  gpu(): { requestAdapter(opts?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<AdapterLike | null> } | undefined;
  now(): number;
}

function mapFinish(reason: string | null | undefined): ChatResult['finishReason'] | null {
  if (!reason) return null;
  if (reason === 'length') return 'length';
  if (reason === 'abort') return 'abort';
  return 'stop';
}

export function createWebLlmHandlers(deps: WebLlmWorkerDeps): WebLlmWorkerHandlers {
  let runtime: Promise<WebLlmRuntime> | null = null;
  let engine: MlcEngineLike | null = null;
  let loadedId: string | null = null;
  let progress: ((r: InitProgressReport) => void) | null = null;

  const getRuntime = (): Promise<WebLlmRuntime> => {
    runtime ??= deps.runtime().catch((err: unknown) => {
      runtime = null; // the next call tries again (back online)
      throw err;
    });
    return runtime;
  };
  const appConfigFor = async (args: WebLlmModels) => {
    const wl = await getRuntime();
    return { wl, appConfig: buildWebLlmAppConfig(args.models, wl.prebuiltModels, args.baseUrl, args.cacheBackend) };
  };

  return {
    async probe() {
      try {
        const adapter = await deps.gpu()?.requestAdapter({ powerPreference: 'high-performance' });
        return { facts: adapter ? factsFromAdapter(adapter) : null };
      } catch (e) {
        return { facts: null, error: String(e) };
      }
    },

    async isCached(args) {
      const { wl, appConfig } = await appConfigFor(args);
      return wl.hasModelInCache(args.modelId, appConfig);
    },

    async load(args, ctx) {
      const { wl, appConfig } = await appConfigFor(args);
      if (engine && loadedId === args.modelId) return;
      if (!engine) {
        engine = wl.createEngine();
        engine.setInitProgressCallback((r) => progress?.(r));
      }
      engine.setAppConfig(appConfig);
      loadedId = null;
      progress = (r) => ctx.emit({ progress: r.progress, timeElapsed: r.timeElapsed, text: r.text });
      try {
        await engine.reload(args.modelId);
      } finally {
        progress = null;
      }
      // An aborted reload resolves (web-llm warns instead of rejecting); the page
      // also stops this worker on abort, which is what really ends the downloads.
      if (ctx.signal.aborted) throw new DOMException('The load was stopped.', 'AbortError');
      loadedId = args.modelId;
    },

    async chat(args, ctx) {
      const mlc = engine;
      if (!mlc || loadedId === null) throw Object.assign(new Error('The on-device model is not loaded.'), { name: 'ModelNotLoadedError' });
      const t0 = deps.now();
      let ttftMs: number | null = null;
      let text = '';
      let chunks = 0;
      let finish: ChatResult['finishReason'] = 'stop';
      let usage: WebLlmUsage | null = null;
      const logprobs: TokenLogprob[] | null = args.logprobs ? [] : null;
      const { signal } = ctx;
      const result = (): ChatResult => ({
        text,
        finishReason: signal.aborted ? 'abort' : finish,
        usage: mapUsage(usage, { ttftMs, totalMs: deps.now() - t0, outputTokens: chunks }),
        logprobs,
      });
      if (signal.aborted) return result();

      const interrupt = () => {
        try {
          void Promise.resolve(mlc.interruptGenerate()).catch(() => {});
        } catch {
          /* nothing to interrupt */
        }
      };
      signal.addEventListener('abort', interrupt, { once: true });
      try {
        const messages: ChatCompletionMessageParam[] = args.messages.map((m) =>
          m.role === 'assistant' ? { role: 'assistant', content: m.content } : m.role === 'system' ? { role: 'system', content: m.content } : { role: 'user', content: m.content },
        );
        const stream = await mlc.chat.completions.create({
          messages,
          stream: true,
          stream_options: { include_usage: true },
          ...(args.maxTokens !== undefined ? { max_tokens: args.maxTokens } : {}),
          ...(args.temperature !== undefined ? { temperature: args.temperature } : {}),
          ...(args.topP !== undefined ? { top_p: args.topP } : {}),
          ...(args.logprobs ? { logprobs: true, top_logprobs: 5 } : {}),
        });
        const it = stream[Symbol.asyncIterator]();
        for (;;) {
          const r = signal.aborted ? null : await it.next();
          if (signal.aborted) {
            // web-llm clears its interrupt flag when generation starts, so an early
            // interruptGenerate() can be lost: closing the stream stops generation
            // at any point (and releases web-llm's lock). The answer is what was streamed.
            await it.return?.();
            break;
          }
          if (!r || r.done) break;
          const chunk = r.value;
          const choice = chunk.choices[0];
          if (choice) {
            const delta = choice.delta?.content;
            if (delta) {
              ttftMs ??= deps.now() - t0;
              chunks += 1;
              text += delta;
              if (!signal.aborted) ctx.emit({ delta });
            }
            if (logprobs && choice.logprobs?.content) {
              for (const lp of choice.logprobs.content) logprobs.push(mapLogprob(lp));
            }
            finish = mapFinish(choice.finish_reason) ?? finish;
          }
          if (chunk.usage) usage = chunk.usage;
        }
      } finally {
        signal.removeEventListener('abort', interrupt);
      }
      return result();
    },

    async deleteModels(args) {
      const { wl, appConfig } = await appConfigFor(args);
      for (const id of args.modelIds) await wl.deleteModelAllInfoInCache(id, appConfig);
      if (loadedId !== null && args.modelIds.includes(loadedId)) loadedId = null;
    },

    crash: crashSoon,
  };
}
