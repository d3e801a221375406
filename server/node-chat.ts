// The Node entry's fast path for POST /v1/chat/completions: the route table's
// pipeline (app.ts chatExchange: the same steps, the same code) over Node's
// own request and response — no web Request/Response objects, no router, no
// AbortController for the client, no web stream for the body or the answer.
// bench/proxy.ts measures what this saves; every other route goes through
// Hono (node.ts).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { chatExchange } from './app.ts';
import type { AppCore, BodyResult, ClientLink, Exchange, LogRecord, Reply, TextSource } from './context.ts';
import { newRecord } from './middleware/base.ts';
import { readWhole } from './node-read.ts';
import { Cancel } from './providers/types.ts';

const CHAT_PATH = '/v1/chat/completions';

export function isChatPost(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const u = req.url;
  return u === CHAT_PATH || (u !== undefined && u.startsWith(`${CHAT_PATH}?`));
}

/** Gone when the connection closes before the response has been written whole. */
class ResponseLink implements ClientLink {
  private readonly closed = new Cancel();

  constructor(res: ServerResponse) {
    res.once('close', () => {
      if (!res.writableFinished) this.closed.abort();
    });
  }

  get gone(): boolean {
    return this.closed.aborted;
  }

  onGone(fn: () => void): () => void {
    return this.closed.onAbort(fn);
  }
}

/** An Exchange over Node's request (a class: no closures per request on the hot path). */
class NodeExchange implements Exchange {
  readonly method: string;
  readonly path: string;
  readonly scheme: string;
  readonly peer: string | undefined;
  readonly link: ClientLink;
  readonly rec: LogRecord;
  readonly t0 = performance.now();
  base: Record<string, string> = {};
  clientKey = '';

  constructor(private readonly req: IncomingMessage, res: ServerResponse) {
    const url = req.url!;
    const q = url.indexOf('?');
    this.method = req.method!;
    this.path = q < 0 ? url : url.slice(0, q);
    this.scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
    this.peer = req.socket.remoteAddress;
    this.link = new ResponseLink(res);
    this.rec = newRecord(this.method, this.path, this.header('x-request-id'));
  }

  header(name: string): string | undefined {
    const v = this.req.headers[name];
    return v === undefined ? undefined : Array.isArray(v) ? v.join(', ') : v;
  }

  readBody(limit: number): Promise<BodyResult> {
    return readWhole(this.req, limit);
  }
}

export function nodeExchange(req: IncomingMessage, res: ServerResponse): Exchange {
  return new NodeExchange(req, res);
}

// As @hono/node-server does for the other routes.
const DRAIN_MS = 500;
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;

/**
 * After a reply sent before the body was read whole (413, 415, 401…): read
 * and drop the rest for a moment, so a client still sending sees the reply
 * instead of a reset; past DRAIN_MS or DRAIN_MAX_BYTES the socket is closed.
 */
function drainRequest(req: IncomingMessage, maxBytes = DRAIN_MAX_BYTES): void {
  if (req.complete || req.destroyed) return;
  let read = 0;
  const close = () => {
    cleanup();
    req.socket.destroySoon();
  };
  const timer = setTimeout(close, DRAIN_MS);
  timer.unref();
  const onData = (d: Buffer) => {
    read += d.length;
    if (read > maxBytes) close();
  };
  const cleanup = () => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', cleanup);
    req.off('error', cleanup);
  };
  req.on('data', onData);
  req.once('end', cleanup);
  req.once('error', cleanup);
  req.resume();
}

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/**
 * Writes the SSE pieces as they come; the client going away cancels the
 * source. Should the source itself throw, the connection is cut rather than
 * ended: a client must never take a broken stream for a complete one.
 */
export async function pump(res: ServerResponse, link: ClientLink, src: TextSource): Promise<void> {
  const detach = link.onGone(() => src.cancel());
  try {
    for (;;) {
      const s = await src.next();
      if (s === null || link.gone) break;
      if (s && !res.write(s)) await waitForDrain(res);
    }
    if (!link.gone) res.end();
  } catch {
    src.cancel();
    res.destroy();
  } finally {
    detach();
  }
}

function writeReply(req: IncomingMessage, res: ServerResponse, x: Exchange, r: Reply): Promise<void> | void {
  if (!req.complete) res.once('finish', () => drainRequest(req));
  if (r.body === null || typeof r.body === 'string') {
    if (r.body !== null) r.headers['content-length'] = String(Buffer.byteLength(r.body));
    res.writeHead(r.status, r.headers);
    res.end(r.body ?? undefined);
    return;
  }
  res.writeHead(r.status, r.headers);
  return pump(res, x.link, r.body);
}

/** The request listener of the fast path. */
export function nodeChatListener(core: AppCore): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const x = nodeExchange(req, res);
    chatExchange(core, x)
      .then((r) => writeReply(req, res, x, r))
      .catch(() => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end('{"error":{"message":"Internal error","type":"server_error","param":null,"code":"internal_error"}}');
        } else res.destroy();
      });
  };
}
