// POST /v1/chat/completions after auth and the rate limit: parse → choose the
// route → what to forward → privacy gate → reserve the budget → attempts →
// the answer (JSON, or the stream relay), settling the budget at the end.

import type { Handler } from 'hono';
import { fail, respond, retryAfter, type AppCore, type Ctx, type Env } from '../context.ts';
import type { Reservation } from '../limits/types.ts';
import type { Usage } from '../providers/types.ts';
import { runAttempts, statusForFailure, type Answer } from './attempts.ts';
import { chooseRoute, isRefusal } from './choose.ts';
import { toParams, type Forward } from './params.ts';
import { parseChatBody } from './parse.ts';
import { forwardedStrings, privacyGate } from './privacy-gate.ts';
import { relayStream, type RelayEnd } from './relay.ts';

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

/** Tokens a finished answer used: the upstream's count, else an estimate from what streamed. */
export function tokensUsed(f: Forward, grant: number, usage: Usage | undefined, chunks: number, chars: number): { prompt: number; completion: number } {
  if (usage) return { prompt: usage.prompt_tokens, completion: usage.completion_tokens };
  return { prompt: f.promptEstimate, completion: Math.min(grant, Math.max(chunks, Math.ceil(chars / 3))) };
}

interface Turn {
  core: AppCore;
  c: Ctx;
  f: Forward;
  reservation: Reservation | null;
}

function answerHeaders(a: Answer, extra: Record<string, string>): Record<string, string> {
  return { ...extra, 'x-edgewise-tier': a.provider.tier, 'x-edgewise-upstream': a.provider.id, 'x-edgewise-model': a.provider.model };
}

function sendJson(t: Turn, a: Extract<Answer, { kind: 'json' }>): Response {
  const rec = t.c.get('rec');
  const used = tokensUsed(t.f, t.f.params.maxTokens, a.usage, 0, a.contentChars ?? 0);
  rec.prompt_tokens = used.prompt;
  rec.completion_tokens = used.completion;
  void t.core.limits.settle(t.reservation, used.prompt + used.completion);
  return respond(t.c, a.body, 200, answerHeaders(a, { 'content-type': 'application/json' }));
}

function sendStream(t: Turn, a: Extract<Answer, { kind: 'stream' }>): Response {
  const { core, c } = t;
  const rec = c.get('rec');
  rec.deferred = true;
  const h = core.health[a.provider.tier];
  const onEnd = (e: RelayEnd) => {
    a.unlink();
    if (e.code === 'client_closed') h.cancel();
    else {
      h.end(e.ok, {
        ttftMs: e.firstTokenAt !== undefined ? e.firstTokenAt - a.t0 : undefined,
        tokens: e.contentChunks,
        genMs: e.firstTokenAt !== undefined ? e.lastTokenAt - e.firstTokenAt : undefined,
      });
    }
    const used = tokensUsed(t.f, t.f.params.maxTokens, e.usage, e.contentChunks, e.contentChars);
    void core.limits.settle(t.reservation, used.prompt + used.completion);
    rec.status = 200;
    rec.prompt_tokens = used.prompt;
    rec.completion_tokens = used.completion;
    if (e.code) rec.code = e.code;
    rec.ms = Math.round((performance.now() - c.get('t0')) * 100) / 100;
    core.writeLog(rec);
  };
  const body = relayStream({
    source: a.source, first: a.first, providerId: a.provider.id, clientWantsUsage: t.f.clientWantsUsage,
    idleMs: core.config.streamIdleTimeoutMs, clientSignal: c.req.raw.signal, abort: a.abort, onEnd,
  });
  return respond(c, body, 200, answerHeaders(a, SSE_HEADERS));
}

export function chatHandler(core: AppCore): Handler<Env> {
  return async (c) => {
    const rec = c.get('rec');
    const body = await parseChatBody(core, c);
    if (body instanceof Response) return body;
    const choice = chooseRoute(body, core.providers);
    if (isRefusal(choice)) return fail(c, choice.status, choice.code, choice.message, choice.param);
    rec.tier = choice.tier;
    const f = toParams(body, core.config.maxTokensCap);

    const gate = await privacyGate(forwardedStrings(f.params), core.scan, core.yieldToLoop);
    if (!gate.ok) {
      return 'error' in gate
        ? fail(c, 422, 'sensitive_content', 'The privacy check could not verify this request, so it was not sent')
        : fail(c, 422, 'sensitive_content',
          `Refused: the request contains data that must never leave the device (${gate.types.join(', ')}). Remove it or answer on the device.`);
    }

    let r;
    try {
      r = await core.limits.reserve(c.get('client'), f.promptEstimate, f.params.maxTokens);
    } catch {
      return fail(c, 503, 'limits_unavailable', 'Budgets cannot be checked right now; try again shortly');
    }
    if (!r.ok) return fail(c, 429, r.code, r.message, null, retryAfter(r.retryAfterSec));
    f.params.maxTokens = r.grant;
    rec.stream = f.params.stream;

    const result = await runAttempts(core, choice.plan, f.params, c.req.raw.signal);
    rec.attempts = result.attempts;
    if (!result.ok) {
      void core.limits.settle(r.reservation, 0); // nothing was answered: refund
      if ('clientGone' in result) return fail(c, 499, 'client_closed', 'The client closed the request');
      return fail(c, statusForFailure(result.failure), result.failure.code, result.failure.message);
    }
    const a = result.answer;
    rec.tier = a.provider.tier;
    rec.upstream = a.provider.id;
    rec.model = a.provider.model;
    const t: Turn = { core, c, f, reservation: r.reservation };
    return a.kind === 'json' ? sendJson(t, a) : sendStream(t, a);
  };
}
