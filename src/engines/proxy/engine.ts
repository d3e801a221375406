// The cloud/edge client: POST {baseUrl}/v1/chat/completions on the Edgewise
// proxy, streamed (SSE, parsed with eventsource-parser), behind the same chat
// interface as the local engines. It accepts only `OutboundMessages`, which
// only the privacy step can produce (src/core/outbound.ts).
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { OutboundMessages } from '../../core/outbound';
import type { ChatRequest, ChatResult, ChatUsage, EngineInfo, TokenLogprob } from '../types';
import { parseChunk, type StreamUsage } from './chunks';
import { ProxyError, errorFromStatus } from './errors';

export type ProxyTier = 'cloud' | 'edge';

export type ProxyChatRequest = Omit<ChatRequest, 'messages'> & { messages: OutboundMessages };

export interface ProxyChatResult extends ChatResult {
  /** The tier that actually answered (X-Edgewise-Tier; the proxy may fall over). */
  tier: ProxyTier;
  /** e.g. "cloud/openai" (X-Edgewise-Upstream), when the proxy says. */
  upstream: string | null;
  /** The upstream model that answered (X-Edgewise-Model), when the proxy says. */
  model: string | null;
  requestId: string | null;
}

/** What one finished response taught us about the tier's speed (client-side view). */
export interface ProxyMeasurement {
  tier: ProxyTier;
  /** From sending the request to the first content token, network included. */
  ttftMs: number | null;
  /** Tokens after the first one over the time from the first to the last one. */
  tokensPerSec: number | null;
}

export interface ProxyEngineOptions {
  /** Proxy base URL; '' = same origin as the app. */
  baseUrl: string;
  tier: ProxyTier;
  /** Bearer token for private deployments (PROXY_TOKENS). */
  token?: string;
  fetch?: typeof fetch;
  /** Model id sent to the proxy; default "auto" (the tier's configured model). */
  model?: string;
  contextWindow?: number;
  /** May the proxy fall over to the other tier before the first byte? (proxy default when unset) */
  fallover?: boolean;
  /** Whether the browser is online (default: navigator.onLine). Offline → no request at all. */
  isOnline?: () => boolean;
  /** Subscribes to the browser going offline (default: the window's `offline` event). */
  onOffline?: (listener: () => void) => () => void;
  /** Monotonic clock in ms (default: performance.now). */
  now?: () => number;
  /** Called after every completed (not aborted, not failed) response; wire to NetworkMonitor.observeCloud. */
  onMeasured?: (m: ProxyMeasurement) => void;
}

export const DEFAULT_PROXY_CONTEXT_WINDOW = 32_768;
/** Top log-probs asked for when `logprobs` is requested (enough for the entropy estimate). */
export const TOP_LOGPROBS = 5;

const defaultOnline = () => typeof navigator === 'undefined' || navigator.onLine !== false;
const defaultOnOffline = (listener: () => void): (() => void) => {
  const g = globalThis as { addEventListener?: typeof addEventListener; removeEventListener?: typeof removeEventListener };
  if (!g.addEventListener || !g.removeEventListener) return () => {};
  g.addEventListener('offline', listener);
  return () => g.removeEventListener!('offline', listener);
};

export class ProxyEngine {
  readonly info: EngineInfo;
  private readonly url: string;
  private readonly fetchImpl: typeof fetch;
  private readonly isOnline: () => boolean;
  private readonly now: () => number;

  constructor(private readonly opts: ProxyEngineOptions) {
    this.url = `${opts.baseUrl.replace(/\/+$/, '')}/v1/chat/completions`;
    this.fetchImpl = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.isOnline = opts.isOnline ?? defaultOnline;
    this.now = opts.now ?? (() => performance.now());
    this.info = {
      kind: 'proxy',
      modelId: opts.model ?? 'auto',
      device: opts.tier,
      contextWindow: opts.contextWindow ?? DEFAULT_PROXY_CONTEXT_WINDOW,
    };
  }

  get tier(): ProxyTier {
    return this.opts.tier;
  }

  async chat(req: ProxyChatRequest): Promise<ProxyChatResult> {
    const tier = this.opts.tier;
    const t0 = this.now();
    const run = new StreamRun(tier, t0, this.now, req.onToken);
    if (req.signal?.aborted) return run.result('abort');
    if (!this.isOnline()) throw offlineError(tier);

    let res: Response;
    try {
      res = await this.fetchImpl(this.url, {
        method: 'POST',
        headers: this.headers(),
        body: JSON.stringify(this.body(req)),
        signal: req.signal,
        cache: 'no-store',
      });
    } catch (e) {
      if (req.signal?.aborted) return run.result('abort');
      if (!this.isOnline()) throw offlineError(tier, e);
      throw new ProxyError('unreachable', 'The Edgewise server cannot be reached right now.', { cause: e, detail: String(e) });
    }
    run.setHeaders(res.headers);

    if (!res.ok) {
      const body = await res.json().catch(() => null);
      throw errorFromStatus(res.status, body, res.headers, tier, Date.now());
    }
    const ct = res.headers.get('content-type') ?? '';
    if (!/^text\/event-stream/i.test(ct) || !res.body) {
      await res.body?.cancel().catch(() => {});
      throw new ProxyError('bad-response', 'The Edgewise server sent an answer this app does not understand.', {
        status: res.status, detail: `content-type ${ct || '(none)'}`,
      });
    }
    return this.readStream(res.body, run, req.signal);
  }

  private async readStream(body: ReadableStream<Uint8Array>, run: StreamRun, signal?: AbortSignal): Promise<ProxyChatResult> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const events: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (ev) => events.push(ev) });
    // Some fetch implementations do not end the body read on abort: cancel it ourselves.
    const onAbort = () => void reader.cancel().catch(() => {});
    signal?.addEventListener('abort', onAbort, { once: true });
    // A connection that dies with the network (airplane mode) can hang for a long
    // time before it errors: going offline ends the stream at once, as broken.
    let wentOffline = false;
    const offOffline = (this.opts.onOffline ?? defaultOnOffline)(() => {
      wentOffline = true;
      void reader.cancel().catch(() => {});
    });
    const offlineBreak = () => run.broken('This device went offline while the answer was streaming.');
    try {
      for (;;) {
        let r: ReadableStreamReadResult<Uint8Array>;
        try {
          r = await reader.read();
        } catch (e) {
          if (signal?.aborted) return run.result('abort');
          if (wentOffline) throw offlineBreak();
          throw run.broken('The connection broke while the answer was streaming.', e);
        }
        if (signal?.aborted) return run.result('abort');
        if (wentOffline) throw offlineBreak();
        if (r.done) {
          parser.feed(decoder.decode());
          parser.reset({ consume: true });
        } else {
          parser.feed(decoder.decode(r.value, { stream: true }));
        }
        for (const ev of events.splice(0)) {
          const outcome = run.handle(ev.data);
          if (outcome === 'done') return run.result(null, this.opts.onMeasured);
        }
        if (r.done) {
          if (run.finished) return run.result(null, this.opts.onMeasured);
          throw run.broken('The answer stopped before it was complete.');
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      offOffline();
      reader.cancel().catch(() => {});
    }
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
    if (this.opts.token) h.authorization = `Bearer ${this.opts.token}`;
    return h;
  }

  private body(req: ProxyChatRequest): Record<string, unknown> {
    const b: Record<string, unknown> = {
      model: this.info.modelId,
      messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
      stream: true,
      stream_options: { include_usage: true },
      tier: this.opts.tier,
    };
    if (this.opts.fallover !== undefined) b.fallover = this.opts.fallover;
    if (req.maxTokens !== undefined) b.max_tokens = req.maxTokens;
    if (req.temperature !== undefined) b.temperature = req.temperature;
    if (req.logprobs) {
      b.logprobs = true;
      b.top_logprobs = TOP_LOGPROBS;
    }
    return b;
  }
}

function offlineError(tier: ProxyTier, cause?: unknown): ProxyError {
  return new ProxyError('offline', `This device is offline, so the ${tier} cannot be asked.`, { cause });
}

/** The state of one streamed response: text so far, timing, usage. */
class StreamRun {
  text = '';
  finished = false;
  private chunks = 0;
  private firstAt: number | null = null;
  private lastAt = 0;
  private usage: StreamUsage | null = null;
  private finishReason: string | null = null;
  private logprobs: TokenLogprob[] = [];
  private answeredTier: ProxyTier;
  private upstream: string | null = null;
  private model: string | null = null;
  private requestId: string | null = null;

  constructor(
    tier: ProxyTier,
    private readonly t0: number,
    private readonly now: () => number,
    private readonly onToken?: (delta: string) => void,
  ) {
    this.answeredTier = tier;
  }

  setHeaders(h: Headers): void {
    const t = h.get('x-edgewise-tier');
    if (t === 'cloud' || t === 'edge') this.answeredTier = t;
    this.upstream = h.get('x-edgewise-upstream');
    this.model = h.get('x-edgewise-model');
    this.requestId = h.get('x-request-id');
  }

  /** Handles one SSE data field; 'done' on [DONE]. Throws ProxyError on an error event or garbage. */
  handle(data: string): 'more' | 'done' {
    const ev = parseChunk(data);
    switch (ev.kind) {
      case 'done':
        this.finished = true;
        return 'done';
      case 'error':
        throw this.broken(`${this.tierName()} failed while answering.`, undefined, `${ev.code ?? 'error'}: ${ev.message}`);
      case 'invalid':
        throw new ProxyError('bad-response', 'The Edgewise server sent a garbled answer.', {
          partialText: this.text, detail: 'an SSE event was not JSON',
        });
      case 'chunk':
        if (ev.delta) {
          const t = this.now();
          this.firstAt ??= t;
          this.lastAt = t;
          this.chunks++;
          this.text += ev.delta;
          this.onToken?.(ev.delta);
        }
        if (ev.logprobs.length) this.logprobs.push(...ev.logprobs);
        if (ev.finishReason) {
          this.finishReason = ev.finishReason;
          this.finished = true;
        }
        if (ev.usage) this.usage = ev.usage;
        return 'more';
    }
  }

  broken(userMessage: string, cause?: unknown, detail?: string): ProxyError {
    const kept = this.text ? ' The part received so far is kept.' : '';
    return new ProxyError('stream-broken', `${userMessage}${kept}`, { partialText: this.text, cause, detail });
  }

  private tierName(): string {
    return this.answeredTier === 'edge' ? 'The edge server' : 'The cloud model';
  }

  result(abort: 'abort' | null, onMeasured?: (m: ProxyMeasurement) => void): ProxyChatResult {
    const totalMs = Math.max(0, this.now() - this.t0);
    const outputTokens = this.usage?.completionTokens ?? this.chunks;
    const ttftMs = this.firstAt !== null ? this.firstAt - this.t0 : null;
    const genMs = this.firstAt !== null ? this.lastAt - this.firstAt : 0;
    const tokensPerSec = outputTokens >= 2 && genMs > 0 ? ((outputTokens - 1) * 1000) / genMs : null;
    const usage: ChatUsage = {
      promptTokens: this.usage?.promptTokens ?? 0,
      outputTokens,
      prefillTps: null,
      decodeTps: tokensPerSec,
      timeToFirstTokenMs: ttftMs,
      totalMs,
    };
    const finishReason: ChatResult['finishReason'] = abort ?? (this.finishReason === 'length' ? 'length' : 'stop');
    if (!abort && onMeasured && (ttftMs !== null || tokensPerSec !== null)) {
      onMeasured({ tier: this.answeredTier, ttftMs, tokensPerSec });
    }
    return {
      text: this.text,
      finishReason,
      usage,
      logprobs: this.logprobs.length ? this.logprobs : null,
      tier: this.answeredTier,
      upstream: this.upstream,
      model: this.model,
      requestId: this.requestId,
    };
  }
}
