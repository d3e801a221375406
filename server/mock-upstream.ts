// A local OpenAI + Anthropic upstream for tests and the benchmark. Latency,
// time to first token, token rate and failures are set per test; it records
// the requests it received and notices client disconnects.
//
//   const up = await startMockUpstream();
//   up.set({ tokens: ['a', 'b'], tokensPerSec: 100 });   // default behaviour
//   up.enqueue({ status: 503 });                         // the next request only
//   const closed = up.nextClose();                       // resolves on a client disconnect

import { EventEmitter } from 'node:events';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MockBehavior {
  /** HTTP status; non-2xx answers with `errorBody`. */
  status?: number;
  errorBody?: string;
  /** Delay before the response headers. */
  headersDelayMs?: number;
  /** Delay between the headers and the first token (streams) or the body (non-stream). */
  ttftMs?: number;
  /** 0 or undefined = all tokens at once. */
  tokensPerSec?: number;
  tokens?: string[];
  /** Destroy the connection after this many tokens (a mid-stream failure). */
  dropAfterTokens?: number;
  /** Send an `error` event after this many tokens (Anthropic's or, on the OpenAI path, `data: {"error":…}`). */
  errorEventAfterTokens?: number;
  /** The upstream's own error message in that event (e.g. one that echoes a key). */
  errorEventMessage?: string;
  /** After this many tokens, write the first half of the next event, then destroy the connection. */
  cutMidEventAfterTokens?: number;
  /** After this many tokens, write the first half of the next event, then say nothing more. */
  stallMidEventAfterTokens?: number;
  /** After this many whole tokens, say nothing more (between events). */
  stallAfterTokens?: number;
  /** After the tokens, end the response cleanly at an event boundary without [DONE] / message_stop. */
  endWithoutDone?: boolean;
  /** After the first token, one content event this many characters long (written in 64 KiB pieces). */
  hugeEventChars?: number;
  /** Non-stream: a completion whose content is this many characters, written in 64 KiB pieces. */
  jsonContentChars?: number;
  /** Never report usage, even when asked. */
  noUsage?: boolean;
  /** OpenAI streams: CRLF line ends, a comment, an `id:` and an `event:` line around every event (all legal SSE). */
  noisySse?: boolean;
  /** Never answer (until the client goes away). */
  hang?: boolean;
  usage?: { prompt_tokens: number; completion_tokens: number };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json?: any;
}

export interface MockUpstream {
  url: string;
  port: number;
  requests: RecordedRequest[];
  set(b: MockBehavior): void;
  enqueue(...b: MockBehavior[]): void;
  /** Resolves at the next client disconnect before a response finished. */
  nextClose(): Promise<{ path: string; at: number }>;
  nextRequest(): Promise<RecordedRequest>;
  close(): Promise<void>;
}

const DEFAULT_TOKENS = ['Hello', ' from', ' the', ' mock', '.'];

/** head + `chars` × "x" + tail, written in 64 KiB pieces with back-pressure; then `then` (or end). */
function writeHuge(res: http.ServerResponse, head: string, chars: number, tail: string, then?: () => void): void {
  const piece = 'x'.repeat(64 * 1024);
  let left = chars;
  res.write(head);
  const pump = () => {
    while (left > 0 && !res.destroyed) {
      const n = Math.min(left, piece.length);
      left -= n;
      if (!res.write(n === piece.length ? piece : piece.slice(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    if (res.destroyed) return;
    if (then) {
      res.write(tail);
      then();
    } else res.end(tail);
  };
  pump();
}

/** One request's answer: what the behaviour asks for, and where to write it. */
interface Turn {
  res: http.ServerResponse;
  b: MockBehavior;
  json: any;
  n: number;
  model: string;
  tokens: string[];
  promptTokens: number;
  completionTokens: number;
  anthropic: boolean;
  /** setTimeout that is cleared when the client goes away (0 ms = now). */
  later: (ms: number, fn: () => void) => void;
}

function answerError(t: Turn): void {
  t.res.writeHead(t.b.status!, { 'content-type': 'application/json' });
  t.res.end(t.b.errorBody ?? JSON.stringify(t.anthropic
    ? { type: 'error', error: { type: 'api_error', message: 'mock failure' } }
    : { error: { message: 'mock failure', type: 'server_error', code: null } }));
}

function answerJson(t: Turn): void {
  const { res, b, n, model, promptTokens, completionTokens } = t;
  if (b.jsonContentChars !== undefined) {
    res.writeHead(200, { 'content-type': 'application/json' });
    writeHuge(res, `{"id":"chatcmpl-big","object":"chat.completion","created":1700000000,"model":"${model}","choices":[{"index":0,"message":{"role":"assistant","content":"`,
      b.jsonContentChars, '"},"finish_reason":"stop"}]}');
    return;
  }
  t.later(b.ttftMs ?? 0, () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const text = t.tokens.join('');
    res.end(JSON.stringify(t.anthropic
      ? {
        id: `msg_mock${n}`, type: 'message', role: 'assistant', model,
        content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null,
        usage: { input_tokens: promptTokens, output_tokens: completionTokens },
      }
      : {
        id: `chatcmpl-mock${n}`, object: 'chat.completion', created: 1700000000, model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      }));
  });
}

/** Writers for one SSE answer in the upstream's dialect. */
function sseWriter(t: Turn) {
  const { res, b, n, model, anthropic } = t;
  const ev = anthropic
    ? (type: string, data: unknown) => res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`)
    : b.noisySse
      ? (_t: string, data: unknown) => res.write(`: keep-alive\r\nid: ${n}\r\nevent: message\r\nretry: 10\r\ndata: ${JSON.stringify(data)}\r\n\r\n`)
      : (_t: string, data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
  const chunk = (delta: unknown, finish: string | null) =>
    ev('', { id: `chatcmpl-mock${n}`, object: 'chat.completion.chunk', created: 1700000000, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const token = (text: string) => (anthropic
    ? ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })
    : chunk({ content: text }, null));
  /** The first half of one more token event: never completed. */
  const half = () => {
    const whole = anthropic
      ? `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'never-complete' } })}\n\n`
      : `data: ${JSON.stringify({ id: `chatcmpl-mock${n}`, object: 'chat.completion.chunk', created: 1700000000, model, choices: [{ index: 0, delta: { content: 'never-complete' }, logprobs: null, finish_reason: null }] })}\n\n`;
    res.write(whole.slice(0, Math.floor(whole.length / 2)));
  };
  const hugeHead = anthropic
    ? 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"'
    : `data: {"id":"chatcmpl-mock${n}","object":"chat.completion.chunk","created":1700000000,"model":"${model}","choices":[{"index":0,"delta":{"content":"`;
  const hugeTail = anthropic ? '"}}\n\n' : '"},"logprobs":null,"finish_reason":null}]}\n\n';
  return { ev, chunk, token, half, hugeHead, hugeTail };
}

function streamStart(t: Turn, w: ReturnType<typeof sseWriter>): void {
  if (t.anthropic) {
    w.ev('message_start', { type: 'message_start', message: { id: `msg_mock${t.n}`, type: 'message', role: 'assistant', model: t.model, content: [], stop_reason: null, usage: { input_tokens: t.promptTokens, output_tokens: 1 } } });
    w.ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    w.ev('ping', { type: 'ping' });
  } else w.chunk({ role: 'assistant', content: '' }, null);
}

function streamEnd(t: Turn, w: ReturnType<typeof sseWriter>): void {
  const { b, n, model, promptTokens, completionTokens } = t;
  if (t.anthropic) {
    w.ev('content_block_stop', { type: 'content_block_stop', index: 0 });
    w.ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: b.noUsage ? {} : { output_tokens: completionTokens } });
    w.ev('message_stop', { type: 'message_stop' });
  } else {
    w.chunk({}, 'stop');
    if (t.json?.stream_options?.include_usage && !b.noUsage) {
      w.ev('', { id: `chatcmpl-mock${n}`, object: 'chat.completion.chunk', created: 1700000000, model, choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } });
    }
    t.res.write('data: [DONE]\n\n');
  }
  t.res.end();
}

/** Token i of a stream, or the scripted failure that replaces it; then the next step. */
function answerStream(t: Turn): void {
  const { res, b } = t;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  const w = sseWriter(t);
  const gap = b.tokensPerSec ? 1000 / b.tokensPerSec : 0;
  const at = (k: number | undefined, i: number) => k !== undefined && i >= k;
  let i = 0;
  const step = (): void => {
    if (res.destroyed) return;
    if (at(b.dropAfterTokens, i)) return void res.socket?.destroy();
    if (at(b.cutMidEventAfterTokens, i)) {
      w.half();
      return void setTimeout(() => res.socket?.destroy(), 50); // the half event reaches the client first
    }
    if (at(b.stallMidEventAfterTokens, i)) return w.half();
    if (at(b.stallAfterTokens, i)) return;
    if (at(b.errorEventAfterTokens, i)) {
      const message = b.errorEventMessage ?? 'Overloaded';
      if (t.anthropic) w.ev('error', { type: 'error', error: { type: 'overloaded_error', message } });
      else w.ev('', { error: { message, type: 'server_error', code: 'overloaded' } });
      return void res.end();
    }
    if (b.hugeEventChars !== undefined && i === 1) {
      i++;
      return writeHuge(res, w.hugeHead, b.hugeEventChars, w.hugeTail, step);
    }
    if (i < t.tokens.length) {
      w.token(t.tokens[i++]);
      return gap ? t.later(gap, step) : step();
    }
    if (b.endWithoutDone) return void res.end();
    streamEnd(t, w);
  };
  t.later(b.ttftMs ?? 0, () => {
    streamStart(t, w);
    step();
  });
}

export async function startMockUpstream(opts: { record?: boolean; port?: number } = {}): Promise<MockUpstream> {
  const record = opts.record ?? true;
  let behavior: MockBehavior = {};
  const queue: MockBehavior[] = [];
  const requests: RecordedRequest[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(1000);
  let counter = 0;

  const answer = (rec: RecordedRequest, res: http.ServerResponse) => {
    const b = { ...behavior, ...(queue.shift() ?? {}) };
    const timers = new Set<NodeJS.Timeout>();
    const later = (ms: number, fn: () => void) => {
      if (!ms) return fn();
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
    };
    res.on('close', () => {
      for (const t of timers) clearTimeout(t);
      if (!res.writableFinished) events.emit('clientClose', { path: rec.path, at: performance.now() });
    });
    if (b.hang) return;
    const json = rec.json;
    // Like a real upstream: never more tokens than max_tokens.
    const maxTokens = json?.max_tokens ?? json?.max_completion_tokens;
    const tokens = (b.tokens ?? DEFAULT_TOKENS).slice(0, typeof maxTokens === 'number' ? maxTokens : undefined);
    const t: Turn = {
      res, b, json, n: ++counter, model: json?.model ?? 'mock-model', tokens,
      promptTokens: b.usage?.prompt_tokens ?? 7, completionTokens: b.usage?.completion_tokens ?? tokens.length,
      anthropic: rec.path.endsWith('/v1/messages'), later,
    };
    later(b.headersDelayMs ?? 0, () => {
      if (b.status && b.status >= 400) answerError(t);
      else if (!json?.stream) answerJson(t);
      else answerStream(t);
    });
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: any;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const rec: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json };
      if (record) requests.push(rec);
      events.emit('request', rec);
      answer(rec, res);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    set(b) {
      behavior = b;
    },
    enqueue(...b) {
      queue.push(...b);
    },
    nextClose() {
      return new Promise((resolve) => events.once('clientClose', resolve));
    },
    nextRequest() {
      return new Promise((resolve) => events.once('request', resolve));
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
