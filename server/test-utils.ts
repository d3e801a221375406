// Shared set-up for the server tests (not a test file itself).

import http from 'node:http';
import net from 'node:net';
import { startMockUpstream, type MockUpstream } from './mock-upstream.ts';
import { startServer, type RunningServer, type StartOptions } from './node.ts';
import type { Env } from './config.ts';

export const UPSTREAM_KEY = 'sk-upstream-SECRET-key-0123456789';
export const ANTHROPIC_KEY = 'sk-ant-SECRET-anthropic-0123456789';

export interface Harness {
  proxy: RunningServer;
  cloud: MockUpstream;
  edge: MockUpstream;
  logs: string[];
  url: string;
  close(): Promise<void>;
}

/** A proxy (port 0) in front of two mock upstreams: cloud (OpenAI-compatible) and edge. */
export async function harness(env: Env = {}, opts: Partial<StartOptions> & { noCloud?: boolean; noEdge?: boolean } = {}): Promise<Harness> {
  const cloud = await startMockUpstream();
  const edge = await startMockUpstream();
  const logs: string[] = [];
  const base: Env = {
    RATE_LIMIT_PER_MIN: '0',
    RETRY_BACKOFF_MS: '1',
    UPSTREAM_TIMEOUT_MS: '2000',
    ...(opts.noCloud ? {} : { CLOUD_BASE_URL: `${cloud.url}/v1`, CLOUD_MODEL: 'mock-cloud', CLOUD_API_KEY: UPSTREAM_KEY }),
    ...(opts.noEdge ? {} : { EDGE_BASE_URL: `${edge.url}/v1`, EDGE_MODEL: 'mock-edge' }),
  };
  const proxy = await startServer({ port: 0, staticDir: null, log: (l) => logs.push(l), ...opts, env: { ...base, ...env } });
  return {
    proxy, cloud, edge, logs, url: proxy.url,
    async close() {
      await proxy.close();
      await cloud.close();
      await edge.close();
    },
  };
}

export function chatBody(extra: Record<string, unknown> = {}) {
  return { model: 'auto', messages: [{ role: 'user', content: 'Say hello' }], ...extra };
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Read an SSE response into its data payloads. */
export async function sseData(res: Response): Promise<string[]> {
  const text = await res.text();
  return text.split('\n\n').filter(Boolean).map((e) => e.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n'));
}

/** Fixed one-minute windows: start a rate-limit test well inside a window, so it cannot straddle two. */
export async function awayFromMinuteBoundary(marginMs = 3000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 50));
}

/** A request through node:http, which (unlike fetch) may set any Host header. */
export function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Every SSE event of a response body, parsed: '[DONE]' stays a string. */
export async function sseEvents(res: Response): Promise<unknown[]> {
  return (await sseData(res)).map((d) => (d === '[DONE]' ? d : JSON.parse(d)));
}

/** A TCP port that was free a moment ago (for child processes that need a fixed port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}
