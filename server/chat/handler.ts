// POST /v1/chat/completions after auth and the rate limit: parse → choose the
// route → what to forward → privacy gate → reserve the budget → attempts →
// the answer (JSON, or the stream relay), settling the budget at the end.

import type { Handler } from 'hono';
import { fail, respond, retryAfter, type AppCore, type Env, type Exchange, type Reply } from '../context.ts';
import type { Reservation } from '../limits/types.ts';
import type { Usage } from '../providers/types.ts';
import { runAttempts, statusForFailure, type Answer } from './attempts.ts';
import { chooseRoute, isRefusal } from './choose.ts';
import { toParams, type Forward } from './params.ts';
import { parseChatBody } from './parse.ts';
import { forwardedStrings, privacyGate } from './privacy-gate.ts';
import { relay, type RelayEnd } from './relay.ts';
import { toResponse } from '../web.ts';

const sseHeaders = (): Record<string, string> => ({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
});

/** Tokens a finished answer used: the upstream's count, else an estimate from what streamed. */
export function tokensUsed(f: Forward, grant: number, usage: Usage | undefined, chunks: number, chars: number): { prompt: number; completion: number } {
  if (usage) return { prompt: usage.prompt_tokens, completion: usage.completion_tokens };
  return { prompt: f.promptEstimate, completion: Math.min(grant, Math.max(chunks, Math.ceil(chars / 3))) };
}

interface Turn {
  core: AppCore;
  x: Exchange;
  f: Forward;
  reservation: Reservation | null;
}

/** Adds the route headers to `extra` (a fresh object) and returns it. */
function answerHeaders(a: Answer, extra: Record<string, string>): Record<string, string> {
  extra['x-edgewise-tier'] = a.provider.tier;
  extra['x-edgewise-upstream'] = a.provider.id;
  extra['x-edgewise-model'] = a.provider.model;
  return extra;
}

function sendJson(t: Turn, a: Extract<Answer, { kind: 'json' }>): Reply {
  const rec = t.x.rec;
  const used = tokensUsed(t.f, t.f.params.maxTokens, a.usage, 0, a.contentChars ?? 0);
  rec.prompt_tokens = used.prompt;
  rec.completion_tokens = used.completion;
  void t.core.limits.settle(t.reservation, used.prompt + used.completion);
  return respond(t.x, a.body, 200, answerHeaders(a, { 'content-type': 'application/json' }));
}

function sendStream(t: Turn, a: Extract<Answer, { kind: 'stream' }>): Reply {
  const { core, x } = t;
  const rec = x.rec;
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
    rec.ms = Math.round((performance.now() - x.t0) * 100) / 100;
    core.writeLog(rec);
  };
  const body = relay({
    source: a.source, first: a.first, providerId: a.provider.id, clientWantsUsage: t.f.clientWantsUsage,
    idleMs: core.config.streamIdleTimeoutMs, link: x.link, abort: a.abort, onEnd,
  });
  return respond(x, body, 200, answerHeaders(a, sseHeaders()));
}

/** The chat route after authentication and the rate limit. */
export async function chat(core: AppCore, x: Exchange): Promise<Reply> {
  const rec = x.rec;
  const parsed = await parseChatBody(core, x);
  if ('reply' in parsed) return parsed.reply;
  const body = parsed.body;
  const choice = chooseRoute(body, core.providers);
  if (isRefusal(choice)) return fail(x, choice.status, choice.code, choice.message, choice.param);
  rec.tier = choice.tier;
  const f = toParams(body, core.config.maxTokensCap);

  const gate = await privacyGate(forwardedStrings(f.params), core.scan, core.yieldToLoop);
  if (!gate.ok) {
    return 'error' in gate
      ? fail(x, 422, 'sensitive_content', 'The privacy check could not verify this request, so it was not sent')
      : fail(x, 422, 'sensitive_content',
        `Refused: the request contains data that must never leave the device (${gate.types.join(', ')}). Remove it or answer on the device.`);
  }

  let r;
  try {
    r = await core.limits.reserve(x.clientKey, f.promptEstimate, f.params.maxTokens);
  } catch {
    return fail(x, 503, 'limits_unavailable', 'Budgets cannot be checked right now; try again shortly');
  }
  if (!r.ok) return fail(x, 429, r.code, r.message, null, retryAfter(r.retryAfterSec));
  f.params.maxTokens = r.grant;
  rec.stream = f.params.stream;

  const result = await runAttempts(core, choice.plan, f.params, x.link);
  rec.attempts = result.attempts;
  if (!result.ok) {
    void core.limits.settle(r.reservation, 0); // nothing was answered: refund
    if ('clientGone' in result) return fail(x, 499, 'client_closed', 'The client closed the request');
    return fail(x, statusForFailure(result.failure), result.failure.code, result.failure.message);
  }
  const a = result.answer;
  rec.tier = a.provider.tier;
  rec.upstream = a.provider.id;
  rec.model = a.provider.model;
  const t: Turn = { core, x, f, reservation: r.reservation };
  return a.kind === 'json' ? sendJson(t, a) : sendStream(t, a);
}

export function chatHandler(core: AppCore): Handler<Env> {
  return async (c) => toResponse(await chat(core, c.get('x')));
}
