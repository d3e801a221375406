// The browser's built-in model (Chrome's Gemini Nano, Edge's Phi-4-mini)
// through the Prompt API, behind the same LocalEngine lifecycle as web-llm and
// ONNX. No worker: the browser runs the model in its own process. A
// "crash" is the browser dropping our sessions (InvalidStateError): recover()
// creates them again. One session per conversation holds its history, so a
// follow-up sends only the new message; a conversation whose history changed
// (an answer replaced by the cloud's, a retry) or that would overflow the
// context window gets a fresh session with the history trimmed to fit.
// No token log-probs: the answer check runs on the reranker alone.
import type { ChatMessage } from '../../core/types';
import { EngineError, engineErrors } from '../../core/engine/errors';
import { CrashRecovery } from '../lifecycle';
import type { ChatRequest, ChatResult, EngineInfo, LoadProgress, LocalEngine } from '../types';
import { builtinError, nameOf } from './errors';
import { builtinOptions } from './options';
import { pageActivation, type Activation } from './activation';
import { fitHistory, dropOldest, hasTurns, sameMessages, toPromptMessages } from './history';
import {
  measure,
  overflowEvent,
  usageOf,
  type DownloadProgressEvent,
  type LanguageModelCreateCoreOptions,
  type LanguageModelMessage,
  type LanguageModelSession,
  type LanguageModelStatic,
} from './prompt-api';

export interface BuiltinEngineOptions {
  api: LanguageModelStatic;
  /** What the UI calls it, e.g. "Gemini Nano (built into Chrome)". */
  name: string;
  /** Languages the conversation is in (passed to availability() and create() alike). */
  languages?: string[];
  /** Conversations with a live session at once; the least recent is destroyed. */
  maxSessions?: number;
  now?: () => number;
  /** The page's user activation (a download needs one first). */
  activation?: Activation;
}

interface Conversation {
  session: LanguageModelSession;
  /** The conversation as the app sent it (untrimmed), including the last answer. */
  history: ChatMessage[];
  /** The session no longer matches `history` (aborted, cut, overflowed). */
  stale: boolean;
}

/** Share of the window kept free for the answer (the API has no max-tokens option). */
const ANSWER_SHARE = 0.25;
export const ACTIVATION_NEEDED = 'Your browser can download its built-in model: click or type anywhere to start.';
/** Used when the browser reports no finite window. */
const DEFAULT_WINDOW = 4096;

const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

export class BuiltinEngine implements LocalEngine {
  readonly info: EngineInfo;
  private readonly api: LanguageModelStatic;
  private readonly options: LanguageModelCreateCoreOptions;
  private readonly life: CrashRecovery;
  private readonly conversations = new Map<string, Conversation>();
  private readonly maxSessions: number;
  private readonly now: () => number;
  private readonly activation: Activation;
  /** Kept open so the browser keeps the model loaded; also measures prompts. */
  private base: LanguageModelSession | null = null;
  private loaded = false;

  constructor(opts: BuiltinEngineOptions) {
    this.api = opts.api;
    this.maxSessions = opts.maxSessions ?? 4;
    this.now = opts.now ?? (() => performance.now());
    this.activation = opts.activation ?? pageActivation();
    this.options = builtinOptions(opts.languages);
    this.info = { kind: 'builtin', modelId: opts.name, device: 'browser', contextWindow: DEFAULT_WINDOW };
    this.life = new CrashRecovery({
      restart: () => this.dropAll(),
      reload: (onProgress) => this.load(onProgress),
    });
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  onCrash(listener: (err: Error) => void): () => void {
    return this.life.onCrash(listener);
  }

  recover(onProgress?: (p: LoadProgress) => void): Promise<void> {
    return this.life.recover(onProgress);
  }

  async load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    const ctx = { model: this.info.modelId };
    try {
      const availability = await this.api.availability(this.options);
      if (availability === 'unavailable') {
        throw engineErrors.modelNotFound(ctx, 'availability: unavailable', undefined, 'the browser has no built-in model for this device');
      }
      if (availability === 'downloadable' && !this.activation.hasBeenActive()) {
        onProgress({ fraction: null, loadedBytes: 0, totalBytes: null, etaSeconds: null, text: ACTIVATION_NEEDED });
        await this.activation.whenActive(signal);
      }
      const base = await this.api.create({
        ...this.options,
        signal,
        monitor: (m) => m.addEventListener('downloadprogress', (e: DownloadProgressEvent) => onProgress(downloadProgress(e.loaded))),
      });
      this.base = base;
      const { window } = usageOf(base);
      this.info.contextWindow = Number.isFinite(window) && window > 0 ? window : DEFAULT_WINDOW;
      this.loaded = true;
    } catch (err) {
      throw builtinError(err, ctx);
    }
  }

  async chat(req: ChatRequest): Promise<ChatResult> {
    if (!this.loaded || !this.base) throw new EngineError('unknown', 'The on-device model is not loaded yet.', { retryable: true });
    const ctx = { model: this.info.modelId };
    const messages = req.messages;
    const last = messages[messages.length - 1];
    if (!last) throw new EngineError('unknown', 'There is no message to answer.');
    const history = messages.slice(0, -1);
    const reserve = Math.min(req.maxTokens ?? Infinity, Math.floor(this.info.contextWindow * ANSWER_SHARE));
    const key = req.conversationId ?? null;
    let conv: Conversation | null = null;
    try {
      conv = await this.sessionFor(key, history, last, reserve);
      const result = await this.stream(conv, last, req).catch(async (err: unknown) => {
        // The browser's own count said no after all: trim harder and try once more.
        if (nameOf(err) !== 'QuotaExceededError' || req.signal?.aborted) throw err;
        this.forget(key, conv);
        conv = await this.sessionFor(key, history, last, reserve, true);
        return this.stream(conv, last, req);
      });
      if (key === null) conv.session.destroy();
      else {
        conv.history = [...messages, { role: 'assistant', content: result.text }];
        conv.stale ||= result.finishReason !== 'stop';
      }
      return result;
    } catch (err) {
      if (key === null) conv?.session.destroy();
      else if (conv) conv.stale = true;
      const e = builtinError(err, ctx);
      if (e.code === 'worker-crashed') this.crashed(e);
      throw e;
    }
  }

  /** Ends a conversation's session (new chat, deleted conversation). */
  endConversation(conversationId: string): void {
    const c = this.conversations.get(conversationId);
    if (!c) return;
    this.conversations.delete(conversationId);
    c.session.destroy();
  }

  /** The browser's model is in its cache when it needs no download. */
  async isCached(): Promise<boolean> {
    return (await this.api.availability(this.options).catch(() => 'unavailable')) === 'available';
  }

  async deleteFromCache(): Promise<void> {
    throw new EngineError('unknown', 'The built-in model belongs to the browser; this app cannot delete it.');
  }

  /** Test hook: what the browser does when it unloads the model — every session is gone. */
  crashForTest(): void {
    this.crashed(engineErrors.workerCrashed('The browser closed the built-in model’s sessions.'));
  }

  dispose(): void {
    this.dropAll();
  }

  private crashed(err: EngineError): void {
    if (!this.loaded) return; // told once per crash
    this.dropAll();
    this.life.crashed(err);
  }

  private dropAll(): void {
    for (const c of this.conversations.values()) c.session.destroy();
    this.conversations.clear();
    this.base?.destroy();
    this.base = null;
    this.loaded = false;
  }

  private forget(key: string | null, conv: Conversation | null): void {
    conv?.session.destroy();
    if (key !== null) this.conversations.delete(key);
  }

  /**
   * The conversation's session, reused when it holds exactly `history` and
   * `last` fits beside it; otherwise a fresh one with the history trimmed.
   */
  private async sessionFor(
    key: string | null, history: ChatMessage[], last: ChatMessage, reserve: number, harder = false,
  ): Promise<Conversation> {
    const prior = key === null ? undefined : this.conversations.get(key);
    if (prior && !prior.stale && !harder && sameMessages(prior.history, history)) {
      const { used, window } = usageOf(prior.session);
      const need = (await measure(prior.session, last.content)) ?? estimateTokens(last.content);
      if (used + need + reserve <= window) return this.touch(key!, prior);
    }
    if (prior) this.forget(key, prior);
    const conv: Conversation = { session: await this.openSession(history, last, reserve, harder), history, stale: false };
    const event = overflowEvent(conv.session);
    conv.session.addEventListener(event, () => (conv.stale = true));
    return key === null ? conv : this.touch(key, conv);
  }

  private async openSession(history: ChatMessage[], last: ChatMessage, reserve: number, harder: boolean): Promise<LanguageModelSession> {
    const base = this.base!;
    const window = this.info.contextWindow;
    const measureAll = (input: LanguageModelMessage[]) =>
      measure(base, input) ?? Promise.resolve(input.reduce((n, m) => n + estimateTokens(m.content), 0));
    let kept = await fitHistory(toPromptMessages(history), { role: 'user', content: last.content }, measureAll, window, reserve);
    if (kept === null) throw engineErrors.contextExceeded({ model: this.info.modelId }, 'the message alone does not fit');
    if (harder) kept = halve(kept);
    for (;;) {
      try {
        return await this.api.create({ ...this.options, initialPrompts: kept });
      } catch (err) {
        if (nameOf(err) !== 'QuotaExceededError' || !hasTurns(kept)) throw err;
        kept = dropOldest(kept);
      }
    }
  }

  /** Most recent last; past maxSessions the least recent conversation's session is destroyed. */
  private touch(key: string, conv: Conversation): Conversation {
    this.conversations.delete(key);
    this.conversations.set(key, conv);
    while (this.conversations.size > this.maxSessions) {
      const [oldest, c] = this.conversations.entries().next().value as [string, Conversation];
      this.conversations.delete(oldest);
      c.session.destroy();
    }
    return conv;
  }

  private async stream(conv: Conversation, last: ChatMessage, req: ChatRequest): Promise<ChatResult> {
    const start = this.now();
    const stop = new AbortController();
    const onAbort = () => stop.abort(req.signal?.reason);
    if (req.signal?.aborted) onAbort();
    else req.signal?.addEventListener('abort', onAbort, { once: true });
    const promptTokens = (await measure(conv.session, last.content)?.catch(() => null)) ?? estimateTokens(last.content);
    let text = '';
    let first: number | null = null;
    let finishReason: ChatResult['finishReason'] = 'stop';
    const limit = req.maxTokens ?? Infinity;
    try {
      const reader = conv.session.promptStreaming(last.content, { signal: stop.signal }).getReader();
      for (;;) {
        const r = await reader.read().catch((err: unknown) => {
          if (stop.signal.aborted) return { done: true as const, value: undefined };
          throw err;
        });
        if (r.done) break;
        first ??= this.now();
        text += r.value;
        req.onToken?.(r.value);
        if (estimateTokens(text) >= limit) {
          finishReason = 'length';
          stop.abort();
          void reader.cancel().catch(() => {});
          break;
        }
      }
      if (req.signal?.aborted) finishReason = 'abort';
    } finally {
      req.signal?.removeEventListener('abort', onAbort);
    }
    const end = this.now();
    const outputTokens = estimateTokens(text);
    const ttft = first === null ? null : first - start;
    return {
      text,
      finishReason,
      usage: {
        promptTokens,
        outputTokens,
        prefillTps: ttft && ttft > 0 ? (promptTokens * 1000) / ttft : null,
        decodeTps: first !== null && end > first && outputTokens > 1 ? ((outputTokens - 1) * 1000) / (end - first) : null,
        timeToFirstTokenMs: ttft,
        totalMs: end - start,
      },
      logprobs: null,
    };
  }
}

function downloadProgress(loaded: number): LoadProgress {
  const fraction = Number.isFinite(loaded) ? Math.min(1, Math.max(0, loaded)) : null;
  const pct = fraction === null ? '' : ` ${Math.round(fraction * 100)}%`;
  return { fraction, loadedBytes: 0, totalBytes: null, etaSeconds: null, text: `Your browser is downloading its built-in model…${pct}` };
}

/** Keeps the system message and the newer half of the turns. */
function halve(history: LanguageModelMessage[]): LanguageModelMessage[] {
  const turns = (h: LanguageModelMessage[]) => h.filter((m) => m.role !== 'system').length;
  const target = Math.floor(turns(history) / 2);
  let out = history;
  while (turns(out) > target) out = dropOldest(out);
  return out;
}
