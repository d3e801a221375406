// A minimal fetch for upstream calls on Node, over node:http/https with
// keep-alive agents. Node's global fetch (undici) and web streams cost several
// times more CPU per request, which dominated the proxy's overhead in
// bench/proxy.ts. It supports what the providers use: method, string body,
// headers, a Cancel (before and after the response started; no AbortSignal is
// made), and a body read chunk by chunk (no web stream) or as a web stream.

import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { readWhole } from './node-read.ts';
import { ResponseTooLarge, type ByteReader, type FetchLike, type UpstreamResponse } from './providers/types.ts';

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 512, keepAliveMsecs: 10_000 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 512, keepAliveMsecs: 10_000 }),
};

const abortError = (): Error => new DOMException('This operation was aborted', 'AbortError');

class NodeUpstreamResponse implements UpstreamResponse {
  #body: ReadableStream<Uint8Array> | null | undefined;
  readonly headers: { get(name: string): string | null };

  constructor(private res: IncomingMessage, readonly status: number, private nullBody: boolean) {
    const h = res.headers;
    this.headers = {
      get(name: string) {
        const v = h[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(', ') : String(v);
      },
    };
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get body(): ReadableStream<Uint8Array> | null {
    if (this.#body === undefined) {
      this.#body = this.nullBody ? null : (Readable.toWeb(this.res) as unknown as ReadableStream<Uint8Array>);
    }
    return this.#body;
  }

  async text(): Promise<string> {
    return Buffer.from(await this.bytesCapped(Infinity)).toString('utf8');
  }

  async bytesCapped(limit: number): Promise<Uint8Array> {
    const got = await readWhole(this.res, limit);
    if (got === 'too_large') {
      this.res.destroy();
      throw new ResponseTooLarge();
    }
    if (got === 'error') throw new Error('upstream connection closed before the body ended');
    return got;
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  dispose(): void {
    this.res.resume(); // drain so the keep-alive socket can be reused
  }

  /** The body chunk by chunk, straight from the socket (no web stream); paused while unread. */
  chunkReader(): ByteReader {
    const res = this.res;
    const queue: Buffer[] = [];
    let ended = false;
    let failed: Error | null = null;
    let waiter: { resolve: (b: Uint8Array | null) => void; reject: (e: Error) => void } | null = null;
    const settle = () => {
      if (!waiter) return;
      const w = waiter;
      if (queue.length) {
        waiter = null;
        w.resolve(queue.shift()!);
        if (!queue.length) res.resume();
      } else if (failed) {
        waiter = null;
        w.reject(failed);
      } else if (ended) {
        waiter = null;
        w.resolve(null);
      }
    };
    res.on('data', (c: Buffer) => {
      queue.push(c);
      res.pause();
      settle();
    });
    res.once('end', () => {
      ended = true;
      settle();
    });
    const broke = (e?: Error) => {
      if (ended || failed) return;
      failed = e ?? new Error('upstream connection closed before the body ended');
      settle();
    };
    res.once('error', broke);
    res.once('close', () => {
      if (!res.complete) broke();
    });
    return {
      read() {
        if (queue.length) {
          const c = queue.shift()!;
          if (!queue.length) res.resume();
          return Promise.resolve(c);
        }
        if (failed) return Promise.reject(failed);
        if (ended) return Promise.resolve(null);
        return new Promise((resolve, reject) => {
          waiter = { resolve, reject };
        });
      },
      cancel() {
        if (!ended) res.destroy();
      },
      release() {
        if (ended) return;
        // Let a well-behaved upstream end its response so the keep-alive
        // socket is reused; one that keeps talking is cut after a second.
        res.on('data', () => {});
        res.resume();
        setTimeout(() => {
          if (!ended) res.destroy();
        }, 1000).unref();
      },
    };
  }
}

interface Target {
  mod: typeof http | typeof https;
  agent: http.Agent;
  /** http.request options of the URL (what urlToHttpOptions would build on every call). */
  opts: { protocol: string; hostname: string; port?: number; path: string; auth?: string };
}

// The providers call a handful of fixed URLs (one per upstream): parse each once.
const targets = new Map<string, Target>();
const MAX_TARGETS = 64;

function target(input: string): Target {
  let t = targets.get(input);
  if (t) return t;
  const url = new URL(input);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`unsupported protocol ${url.protocol}`);
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  t = {
    mod: url.protocol === 'https:' ? https : http,
    agent: agents[url.protocol],
    opts: {
      protocol: url.protocol, hostname, path: `${url.pathname}${url.search}`,
      ...(url.port ? { port: Number(url.port) } : {}),
      ...(url.username || url.password ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` } : {}),
    },
  };
  if (targets.size >= MAX_TARGETS) targets.clear();
  targets.set(input, t);
  return t;
}

export const nodeFetch: FetchLike = (input, init) =>
  new Promise<UpstreamResponse>((resolve, reject) => {
    let t: Target;
    try {
      t = target(input);
    } catch (e) {
      return reject(e);
    }
    const cancel = init.cancel;
    if (cancel.aborted) return reject(abortError());
    const headers: Record<string, string | number> = Object.assign({}, init.headers);
    const body = init.body;
    headers['content-length'] = Buffer.byteLength(body);
    const method = init.method;
    const req = t.mod.request(Object.assign({ method, headers, agent: t.agent }, t.opts), (res) => {
      const status = res.statusCode ?? 502;
      resolve(new NodeUpstreamResponse(res, status, status === 204 || status === 304 || method === 'HEAD'));
    });
    const detach = cancel.onAbort(() => req.destroy(abortError()));
    req.once('close', detach);
    req.on('error', reject); // after resolve(), errors reach the body instead
    req.end(body);
  });
