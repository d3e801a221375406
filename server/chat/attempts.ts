// Attempt-and-retry: before the first answer event reaches the client, a
// failing upstream is retried (UPSTREAM_RETRIES, exponential backoff), then
// the next upstream of the plan is tried. Once an event is committed there is
// no retry. A client that goes away aborts the upstream at once.

import type { AppCore, ClientLink } from '../context.ts';
import { Cancel, type ChatParams, type ChunkSource, type Provider, type StreamItem, type UpstreamFailure, type Usage } from '../providers/types.ts';

export type Answer =
  | { kind: 'json'; body: string; usage?: Usage; contentChars?: number; provider: Provider; t0: number }
  | {
    kind: 'stream'; source: ChunkSource; first: StreamItem[]; provider: Provider; t0: number;
    /** Aborts the upstream request. */
    abort: () => void;
    /** Detaches from the client's link. */
    unlink: () => void;
  };

export type AttemptsResult =
  | { ok: true; answer: Answer; attempts: number }
  | { ok: false; failure: UpstreamFailure; attempts: number }
  | { ok: false; clientGone: true; attempts: number };

class ClientGone extends Error {}

function sleep(ms: number, link: ClientLink): Promise<void> {
  return new Promise((resolve, reject) => {
    if (link.gone) return reject(new ClientGone());
    const detach = link.onGone(() => {
      clearTimeout(t);
      reject(new ClientGone());
    });
    const t = setTimeout(() => {
      detach();
      resolve();
    }, ms);
  });
}

const failure = (p: Provider, code: string, message: string, upstreamStatus = 200): UpstreamFailure =>
  ({ ok: false, upstreamStatus, retryable: true, code, message: `Upstream ${p.id} ${message}` });

/** Waits for the first stream items: until then the attempt may still fail over. */
async function firstItems(source: ChunkSource, p: Provider): Promise<StreamItem[] | UpstreamFailure> {
  for (;;) {
    const items = await source.next();
    if (items === null) return failure(p, 'upstream_bad_response', 'sent an empty stream');
    if (items.length === 0) continue;
    const head = items[0];
    if (head.type === 'error') {
      source.cancel();
      return head.code === 'upstream_stream_error'
        ? failure(p, 'upstream_unavailable', 'reported an error before answering')
        : failure(p, head.code, 'sent an unusable stream');
    }
    return items;
  }
}

async function attempt(core: AppCore, p: Provider, params: ChatParams, link: ClientLink): Promise<Answer | UpstreamFailure> {
  const cancel = new Cancel();
  const abort = () => cancel.abort();
  const unlink = link.onGone(abort);
  let timedOut = false;
  const timeoutMs = core.config.upstreamTimeoutMs;
  const timer = setTimeout(() => {
    timedOut = true;
    cancel.abort();
  }, timeoutMs);
  const h = core.health[p.tier];
  const t0 = performance.now();
  h.start();
  try {
    const out = await p.send(Object.assign({}, params, { model: p.model }), cancel);
    if (out.ok && out.kind === 'json') {
      clearTimeout(timer);
      unlink();
      h.end(true);
      return { kind: 'json', body: out.body, usage: out.usage, contentChars: out.contentChars, provider: p, t0 };
    }
    if (!out.ok) {
      clearTimeout(timer);
      unlink();
      h.end(false);
      return out;
    }
    const first = await firstItems(out.source, p);
    clearTimeout(timer);
    if (!Array.isArray(first)) {
      unlink();
      h.end(false);
      return first;
    }
    return { kind: 'stream', source: out.source, first, provider: p, t0, abort, unlink };
  } catch {
    clearTimeout(timer);
    unlink();
    if (link.gone) {
      h.cancel();
      throw new ClientGone();
    }
    h.end(false);
    if (timedOut) return { ...failure(p, 'upstream_timeout', `did not answer within ${timeoutMs} ms`, 0) };
    return failure(p, 'upstream_unreachable', 'could not be reached', 0);
  }
}

export async function runAttempts(core: AppCore, plan: readonly Provider[], params: ChatParams, link: ClientLink): Promise<AttemptsResult> {
  const { upstreamRetries, retryBackoffMs } = core.config;
  let last: UpstreamFailure | undefined;
  let n = 0;
  try {
    outer: for (const p of plan) {
      for (let r = 0; r <= upstreamRetries; r++) {
        if (n > 0 && retryBackoffMs > 0) await sleep(retryBackoffMs * 2 ** Math.min(n - 1, 4), link);
        if (link.gone) throw new ClientGone();
        n++;
        const a = await attempt(core, p, params, link);
        if (!('ok' in a)) return { ok: true, answer: a, attempts: n };
        last = a;
        if (!a.retryable) {
          if (a.code === 'upstream_auth_failed') continue outer; // this upstream is misconfigured; try the next
          break outer;
        }
      }
    }
  } catch (e) {
    if (e instanceof ClientGone) return { ok: false, clientGone: true, attempts: n };
    throw e;
  }
  return {
    ok: false,
    attempts: n,
    failure: last ?? { ok: false, upstreamStatus: 0, retryable: false, code: 'upstream_unavailable', message: 'No upstream available' },
  };
}

export function statusForFailure(f: UpstreamFailure): number {
  switch (f.code) {
    case 'upstream_rate_limited':
      return 429;
    case 'upstream_timeout':
      return 504;
    case 'upstream_rejected':
      return 400;
    default:
      return 502;
  }
}
