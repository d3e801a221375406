// The local demo upstream used by `npm run demo` and the end-to-end tests: an
// OpenAI-compatible /v1/chat/completions (streaming and not) whose answers are
// plainly labelled as demo output and deterministic. Runs inside the proxy
// (DEMO_UPSTREAM=1: mounted at /__demo, and the cloud tier calls it in-process)
// or standalone: `tsx server/demo-upstream.ts` (DEMO_PORT, default 8788).
//
// Control (e2e tests): POST /__control with any of
//   { "ttftMs": 120, "tokensPerSec": 60, "failAfterChars": 40 | null, "status": 503 | null, "reset": true }
// GET /__control returns the current settings. Env defaults: DEMO_TTFT_MS,
// DEMO_TOKENS_PER_SEC, DEMO_FAIL_AFTER_CHARS, DEMO_STATUS.

import { Hono } from 'hono';
import { pathToFileURL } from 'node:url';
import { DEMO_EDGE_MODEL, DEMO_MODEL, type Env } from './config.ts';
import { planLocally, plannerRequestOf } from '../src/core/task/index.ts';

export interface DemoControl {
  /** Delay before the first token, ms. */
  ttftMs: number;
  /** Streaming speed (tokens are words). */
  tokensPerSec: number;
  /** Break the stream (connection error) once this many answer characters were sent; null = never. */
  failAfterChars: number | null;
  /** Answer every request with this HTTP error status; null = answer normally. */
  status: number | null;
}

export const DEMO_PROOF =
  'Here is a short proof that there are infinitely many primes (Euclid). ' +
  'Suppose there were only finitely many primes p1, p2, …, pn. ' +
  'Let N = p1·p2·…·pn + 1. Then N > 1, so N has at least one prime factor q. ' +
  'Dividing N by any pi leaves remainder 1, so no pi divides N, hence q is not in the list. ' +
  'That contradicts the assumption that the list held every prime. ' +
  'Therefore there are infinitely many primes. ∎';

type Msg = { role?: string; content?: unknown };

function text(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (p && typeof p.text === 'string' ? p.text : '')).join('');
  return '';
}

/** Placeholders of the pseudonymized request mark where its private details were. */
const PLACEHOLDER = /<[A-Z][A-Z_]*_\d+>/g;

/**
 * The demo's answer to a task-planner request: a valid graph (JSON only) for
 * the pseudonymized request, from the same templates as the local planner.
 */
export function demoPlan(request: string): string {
  const spans = [...request.matchAll(PLACEHOLDER)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  return JSON.stringify(planLocally(request, spans).graph);
}

/** The deterministic demo answer for a conversation. */
export function demoAnswer(messages: Msg[], label = '[Demo cloud] '): string {
  const planned = plannerRequestOf(messages);
  if (planned !== null) return demoPlan(planned);
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const q = text(lastUser?.content).trim().slice(0, 4000);
  if (/\b(prove|proof)\b/i.test(q)) return `${label}${DEMO_PROOF}`;
  if (/^(hi|hello|hey|good (morning|afternoon|evening))\b/i.test(q)) {
    return `${label}Hello! This is the Edgewise demo upstream: a canned, deterministic answer, not a real model.`;
  }
  return `${label}You asked: "${q}". This is a demo answer from the local demo upstream, not a real model; ` +
    'set CLOUD_BASE_URL and CLOUD_MODEL (or ANTHROPIC_API_KEY) for real answers.';
}

function defaults(env: Env): DemoControl {
  const num = (v: string | undefined, d: number) => (v !== undefined && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : d);
  const opt = (v: string | undefined) => (v !== undefined && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
  return {
    ttftMs: num(env.DEMO_TTFT_MS, 120),
    tokensPerSec: num(env.DEMO_TOKENS_PER_SEC, 60),
    failAfterChars: opt(env.DEMO_FAIL_AFTER_CHARS),
    status: opt(env.DEMO_STATUS),
  };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    if (ms <= 0) return resolve(true);
    const onAbort = () => {
      clearTimeout(t);
      resolve(false);
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface DemoUpstream {
  app: Hono;
  control: DemoControl;
  /** Handle a request whose URL path is relative to the demo root (/v1/..., /edge/v1/..., /__control). */
  fetch: (req: Request) => Promise<Response>;
}

/** POST …/chat/completions of the demo: streaming and not, following `control`. */
function demoChat(control: DemoControl, ids: { counter: number }, label: string, model: string) {
  return async (c: import('hono').Context) => {
    let body: { messages?: Msg[]; stream?: boolean; stream_options?: { include_usage?: boolean } };
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: { message: 'invalid JSON', type: 'invalid_request_error', code: 'invalid_json' } }, 400);
    }
    const snap = { ...control };
    if (snap.status !== null) {
      return c.json({ error: { message: `demo upstream configured to fail with ${snap.status}`, type: 'server_error', code: 'demo_failure' } }, snap.status as 500);
    }
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const answer = demoAnswer(messages, label);
    const tokens = answer.match(/\S+\s*/g) ?? [answer];
    const promptTokens = Math.ceil(messages.reduce((n, m) => n + text(m.content).length, 0) / 4);
    const id = `chatcmpl-demo-${++ids.counter}`;
    const created = Math.floor(Date.now() / 1000);
    const signal = c.req.raw.signal;
    const usage = { prompt_tokens: promptTokens, completion_tokens: tokens.length, total_tokens: promptTokens + tokens.length };

    if (!body.stream) {
      if (!(await abortableSleep(snap.ttftMs + (tokens.length * 1000) / snap.tokensPerSec, signal))) return c.body(null, 499 as 400);
      if (snap.failAfterChars !== null) {
        return c.json({ error: { message: 'demo upstream failure', type: 'server_error', code: 'demo_failure' } }, 502);
      }
      return c.json({
        id, object: 'chat.completion', created, model,
        choices: [{ index: 0, message: { role: 'assistant', content: answer }, logprobs: null, finish_reason: 'stop' }],
        usage,
      });
    }

    const enc = new TextEncoder();
    const ev = (o: unknown) => enc.encode(`data: ${JSON.stringify(o)}\n\n`);
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      ev({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
    let i = 0;
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(out) {
        const wait = i === 0 ? snap.ttftMs : 1000 / snap.tokensPerSec;
        if (!(await abortableSleep(wait, signal))) {
          try {
            out.close();
          } catch {
            /* already cancelled */
          }
          return;
        }
        if (i === 0) out.enqueue(chunk({ role: 'assistant', content: '' }, null));
        if (snap.failAfterChars !== null && sent >= snap.failAfterChars) {
          out.error(new Error('demo upstream: configured mid-stream failure'));
          return;
        }
        if (i < tokens.length) {
          out.enqueue(chunk({ content: tokens[i] }, null));
          sent += tokens[i].length;
          i++;
          return;
        }
        out.enqueue(chunk({}, 'stop'));
        if (body.stream_options?.include_usage) {
          out.enqueue(ev({ id, object: 'chat.completion.chunk', created, model, choices: [], usage }));
        }
        out.enqueue(enc.encode('data: [DONE]\n\n'));
        out.close();
      },
    });
    return new Response(stream, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' } });
  };
}

export function createDemoUpstream(env: Env = {}, initial: Partial<DemoControl> = {}): DemoUpstream {
  const base = { ...defaults(env), ...initial };
  const control: DemoControl = { ...base };
  const app = new Hono();

  app.get('/__control', (c) => c.json(control));
  app.post('/__control', async (c) => {
    let body: Record<string, unknown>;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: { message: 'invalid JSON', type: 'invalid_request_error', code: 'invalid_json' } }, 400);
    }
    if (body.reset === true) Object.assign(control, base);
    const n = (k: keyof DemoControl, min: number, max: number, nullable: boolean) => {
      if (!(k in body)) return;
      const v = body[k];
      if (v === null && nullable) (control as unknown as Record<string, unknown>)[k] = null;
      else if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max) (control as unknown as Record<string, unknown>)[k] = v;
    };
    n('ttftMs', 0, 600_000, false);
    n('tokensPerSec', 0.1, 100_000, false);
    n('failAfterChars', 0, 1e9, true);
    n('status', 400, 599, true);
    return c.json(control);
  });

  const models = (c: { json: (o: unknown) => Response }) =>
    c.json({ object: 'list', data: [DEMO_MODEL, DEMO_EDGE_MODEL].map((id) => ({ id, object: 'model', created: 0, owned_by: 'edgewise-demo' })) });
  app.get('/v1/models', models);
  app.get('/edge/v1/models', models);

  const ids = { counter: 0 };
  const chat = (label: string, model: string) => demoChat(control, ids, label, model);
  app.post('/v1/chat/completions', chat('[Demo cloud] ', DEMO_MODEL));
  app.post('/edge/v1/chat/completions', chat('[Demo edge] ', DEMO_EDGE_MODEL));

  return { app, control, fetch: async (req) => app.fetch(req) };
}

// Standalone: tsx server/demo-upstream.ts
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { serve } = await import('@hono/node-server');
  const demo = createDemoUpstream(process.env);
  const port = Number(process.env.DEMO_PORT ?? 8788);
  const hostname = process.env.HOST ?? '127.0.0.1';
  serve({ fetch: demo.app.fetch, port, hostname }, (info) => {
    console.log(`Edgewise demo upstream on http://${hostname}:${info.port}/v1 (model ${DEMO_MODEL}); control: POST /__control`);
  });
}
