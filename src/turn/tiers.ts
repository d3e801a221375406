// Running one tier: the device's engine on the real conversation, or a remote
// tier (edge/cloud through the proxy) on the masked one, with the answer
// restored from placeholders while it streams.
import type { ChatMessage, Tier } from '../core/types';
import type { Pseudonymizer } from '../core/privacy';
import type { ChatResult, LocalEngine } from '../engines/types';
import type { LocalPort, NetworkPort, RemoteEngine } from './deps';
import type { OutboundMessages } from '../core/outbound';
import type { EngineTag } from './types';

export interface TierRun {
  tier: Tier;
  tag: EngineTag;
  /** What the user saw (restored, for remote tiers). */
  text: string;
  result: ChatResult;
  ms: number;
}

/** A tier that could not answer; `partialText` is what it had shown before failing. */
export class TierFailure extends Error {
  constructor(readonly tier: Tier, readonly partialText: string, override readonly cause: unknown) {
    super((cause as { userMessage?: string; message?: string })?.userMessage ?? (cause as Error)?.message ?? String(cause));
  }
}

export interface TierContext {
  local: LocalPort;
  remote: (tier: 'cloud' | 'edge') => RemoteEngine;
  network: Pick<NetworkPort, 'observeCloud'> | null;
  /** The conversation (the device's engine may keep a session for it). */
  conversationId?: string;
  /** The conversation as the device sees it (never leaves). */
  messages: readonly ChatMessage[];
  /** The conversation as it may leave; null = nothing may. */
  outbound: OutboundMessages | null;
  pseudonymizer: Pseudonymizer;
  maxTokens: number;
  now: () => number;
  onEngine: (tag: EngineTag) => void;
  /** Called when text is about to leave the device. */
  onSend: () => void;
  /** Called with true when the device tier starts waiting for its model to load, false when the wait ends. */
  onDeviceWait?: (waiting: boolean) => void;
  /** Aborted when the user will not wait for the device ("Ask the cloud now"); only set when plan() allows a remote tier. */
  skipDevice?: AbortSignal;
}

/** The user chose not to wait for the device's model; the ladder goes to the remote tiers plan() allowed. */
export class DeviceSkipped extends Error {
  constructor() {
    super('The on-device model was skipped.');
  }
}

/** The device's engine once loaded; rejects when the turn is stopped or the user skips the device meanwhile. */
async function waitForDevice(ctx: TierContext, signal: AbortSignal): Promise<LocalEngine> {
  if (ctx.local.isReady()) return ctx.local.ready();
  const skip = ctx.skipDevice;
  ctx.onDeviceWait?.(true);
  let cleanup = () => {};
  const interrupted = new Promise<never>((_, reject) => {
    const onAbort = () => reject(signal.reason ?? new DOMException('Stopped.', 'AbortError'));
    const onSkip = () => reject(new DeviceSkipped());
    if (signal.aborted) return onAbort();
    if (skip?.aborted) return onSkip();
    signal.addEventListener('abort', onAbort, { once: true });
    skip?.addEventListener('abort', onSkip, { once: true });
    cleanup = () => {
      signal.removeEventListener('abort', onAbort);
      skip?.removeEventListener('abort', onSkip);
    };
  });
  try {
    return await Promise.race([ctx.local.ready(), interrupted]);
  } finally {
    cleanup();
    ctx.onDeviceWait?.(false);
  }
}

export function remoteTag(tier: 'cloud' | 'edge', modelId: string): EngineTag {
  return { route: tier, engine: 'proxy', modelId, device: tier };
}

async function runLocal(ctx: TierContext, sink: (d: string) => void, signal: AbortSignal): Promise<TierRun> {
  const start = ctx.now();
  const engine = await waitForDevice(ctx, signal);
  const tag: EngineTag = { route: 'local', engine: engine.info.kind, modelId: engine.info.modelId, device: engine.info.device };
  ctx.onEngine(tag);
  const result = await engine.chat({
    messages: [...ctx.messages], maxTokens: ctx.maxTokens, logprobs: true, signal, onToken: sink, conversationId: ctx.conversationId,
  });
  return { tier: 'local', tag, text: result.text, result, ms: ctx.now() - start };
}

async function runRemote(
  ctx: TierContext, tier: 'cloud' | 'edge', sink: (d: string) => void, signal: AbortSignal, announce: boolean,
): Promise<TierRun> {
  if (!ctx.outbound) throw new TierFailure(tier, '', new Error('Privacy keeps this message on the device.'));
  const start = ctx.now();
  const remote = ctx.remote(tier);
  const tag = remoteTag(tier, remote.info.modelId);
  if (announce) ctx.onEngine(tag);
  const restorer = ctx.pseudonymizer.createRestorer();
  let shown = '';
  const emit = (s: string) => {
    if (!s) return;
    shown += s;
    sink(s);
  };
  try {
    ctx.onSend();
    const result = await remote.chat({ messages: ctx.outbound, maxTokens: ctx.maxTokens, signal, onToken: (d) => emit(restorer.push(d)) });
    emit(restorer.flush());
    ctx.network?.observeCloud({ ttftMs: result.usage.timeToFirstTokenMs, tokensPerSec: result.usage.decodeTps });
    // The proxy says which upstream model answered (X-Edgewise-Model).
    const named = result.model ? { ...tag, modelId: result.model } : tag;
    return { tier, tag: named, text: shown, result: { ...result, text: shown }, ms: ctx.now() - start };
  } catch (err) {
    if (signal.aborted) return { tier, tag, text: shown, result: abortedResult(shown), ms: ctx.now() - start };
    emit(restorer.flush());
    throw new TierFailure(tier, shown, err);
  }
}

/**
 * Runs one tier, streaming into `sink`. `announce: false` keeps a hedged
 * request silent until the ladder shows it.
 */
export function runTier(ctx: TierContext, tier: Tier, sink: (d: string) => void, signal: AbortSignal, announce = true): Promise<TierRun> {
  return tier === 'local' ? runLocal(ctx, sink, signal) : runRemote(ctx, tier, sink, signal, announce);
}

function abortedResult(text: string): ChatResult {
  return { text, finishReason: 'abort', usage: { promptTokens: 0, outputTokens: 0, prefillTps: null, decodeTps: null, timeToFirstTokenMs: null, totalMs: 0 }, logprobs: null };
}
