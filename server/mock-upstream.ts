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
  /** Send an Anthropic `error` event after this many tokens (Anthropic streams only). */
  errorEventAfterTokens?: number;
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

export async function startMockUpstream(opts: { record?: boolean; port?: number } = {}): Promise<MockUpstream> {
  const record = opts.record ?? true;
  let behavior: MockBehavior = {};
  const queue: MockBehavior[] = [];
  const requests: RecordedRequest[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(1000);
  let counter = 0;

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
      const anthropic = rec.path.endsWith('/v1/messages');
      later(b.headersDelayMs ?? 0, () => {
        if (b.status && b.status >= 400) {
          res.writeHead(b.status, { 'content-type': 'application/json' });
          res.end(b.errorBody ?? JSON.stringify(anthropic
            ? { type: 'error', error: { type: 'api_error', message: 'mock failure' } }
            : { error: { message: 'mock failure', type: 'server_error', code: null } }));
          return;
        }
        const tokens = b.tokens ?? DEFAULT_TOKENS;
        const n = ++counter;
        const model = json?.model ?? 'mock-model';
        const promptTokens = b.usage?.prompt_tokens ?? 7;
        const completionTokens = b.usage?.completion_tokens ?? tokens.length;
        if (!json?.stream) {
          later(b.ttftMs ?? 0, () => {
            res.writeHead(200, { 'content-type': 'application/json' });
            const text = tokens.join('');
            res.end(JSON.stringify(anthropic
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
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        res.flushHeaders();
        const ev = anthropic
          ? (type: string, data: unknown) => res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`)
          : (_t: string, data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
        const chunk = (delta: unknown, finish: string | null) =>
          ev('', { id: `chatcmpl-mock${n}`, object: 'chat.completion.chunk', created: 1700000000, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
        const gap = b.tokensPerSec ? 1000 / b.tokensPerSec : 0;
        let i = 0;
        const step = () => {
          if (res.destroyed) return;
          if (b.dropAfterTokens !== undefined && i >= b.dropAfterTokens) {
            res.socket?.destroy();
            return;
          }
          if (anthropic && b.errorEventAfterTokens !== undefined && i >= b.errorEventAfterTokens) {
            ev('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
            res.end();
            return;
          }
          if (i < tokens.length) {
            if (anthropic) ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: tokens[i] } });
            else chunk({ content: tokens[i] }, null);
            i++;
            if (gap) later(gap, step);
            else step();
            return;
          }
          if (anthropic) {
            ev('content_block_stop', { type: 'content_block_stop', index: 0 });
            ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: completionTokens } });
            ev('message_stop', { type: 'message_stop' });
          } else {
            chunk({}, 'stop');
            if (json?.stream_options?.include_usage) {
              ev('', { id: `chatcmpl-mock${n}`, object: 'chat.completion.chunk', created: 1700000000, model, choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } });
            }
            res.write('data: [DONE]\n\n');
          }
          res.end();
        };
        later(b.ttftMs ?? 0, () => {
          if (anthropic) {
            ev('message_start', { type: 'message_start', message: { id: `msg_mock${n}`, type: 'message', role: 'assistant', model, content: [], stop_reason: null, usage: { input_tokens: promptTokens, output_tokens: 1 } } });
            ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
            ev('ping', { type: 'ping' });
          } else chunk({ role: 'assistant', content: '' }, null);
          step();
        });
      });
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
