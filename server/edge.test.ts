// The edge entry (server/edge.ts) running for real in workerd — Cloudflare's
// runtime, from the `workerd` npm package — bundled with esbuild, in front of
// the same mock upstream as the Node tests.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from './mock-upstream.ts';
import { UPSTREAM_KEY, chatBody, freePort, post, sseEvents } from './test-utils.ts';

const WORKERD = path.resolve('node_modules/.bin/workerd');


/** workerd's configuration: the bundled worker, its env bindings, and an outbound network that may reach loopback (the mock). */
function capnp(port: number, bindings: Record<string, string>): string {
  const b = Object.entries(bindings).map(([k, v]) => `(name = ${JSON.stringify(k)}, text = ${JSON.stringify(v)})`).join(', ');
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .edgewise),
    (name = "net", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const edgewise :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [ ${b} ],
  globalOutbound = "net",
);
`;
}

let dir = '';
let up: MockUpstream;
let workerd: ChildProcess | undefined;
let url = '';
let output = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'edgewise-workerd-'));
  await build({
    entryPoints: ['server/edge.ts'], bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'], outfile: path.join(dir, 'worker.js'), logLevel: 'error',
  });
  up = await startMockUpstream();
  const port = await freePort();
  writeFileSync(path.join(dir, 'config.capnp'), capnp(port, {
    CLOUD_BASE_URL: `${up.url}/v1`, CLOUD_MODEL: 'mock-cloud', CLOUD_API_KEY: UPSTREAM_KEY, RATE_LIMIT_PER_MIN: '0', LOG_REQUESTS: '0',
  }));
  workerd = spawn(WORKERD, ['serve', path.join(dir, 'config.capnp')], { stdio: ['ignore', 'pipe', 'pipe'] });
  workerd.stdout!.on('data', (d) => (output += d));
  workerd.stderr!.on('data', (d) => (output += d));
  url = `http://127.0.0.1:${port}`;
  // Ready when the socket accepts a request (bounded: 200 tries).
  for (let i = 0; ; i++) {
    if (workerd.exitCode !== null) throw new Error(`workerd exited: ${output}`);
    try {
      if ((await fetch(`${url}/v1/ping`)).ok) break;
    } catch {
      if (i > 200) throw new Error(`workerd did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}, 60_000);

afterAll(async () => {
  if (workerd && workerd.exitCode === null) {
    const exited = new Promise((r) => workerd!.once('exit', r));
    workerd.kill('SIGTERM');
    await exited;
  }
  await up?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('server/edge.ts in workerd', () => {
  it('answers /v1/ping and /v1/models', async () => {
    const ping = await (await fetch(`${url}/v1/ping`)).json();
    expect(ping.tiers.cloud.configured).toBe(true);
    const models = await (await fetch(`${url}/v1/models`)).json();
    expect(models.data.map((m: { id: string }) => m.id)).toEqual(['auto', 'mock-cloud']);
  });

  it('streams an answer (official openai client), usage asked upstream', async () => {
    up.set({ tokens: ['Hello', ' from', ' the', ' edge'], tokensPerSec: 200 });
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const ch of stream) text += ch.choices[0]?.delta?.content ?? '';
    expect(text).toBe('Hello from the edge');
    const req = up.requests.at(-1)!;
    expect(req.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(req.json.stream_options).toEqual({ include_usage: true });
  });

  it('a cut stream ends with our error event and no [DONE]', async () => {
    up.set({ tokens: ['one', ' two', ' three'], tokensPerSec: 200, cutMidEventAfterTokens: 2 });
    const events = await sseEvents(await post(`${url}/v1/chat/completions`, chatBody({ stream: true })));
    expect(events).not.toContain('[DONE]');
    expect(events.at(-1)).toMatchObject({ error: { code: 'upstream_stream_error' } });
  });

  it('a client abort mid-stream aborts the upstream request', async () => {
    up.set({ tokens: Array.from({ length: 1000 }, (_, i) => `t${i} `), tokensPerSec: 20 });
    const closed = up.nextClose();
    const ac = new AbortController();
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chatBody({ stream: true })), signal: ac.signal,
    });
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let seen = '';
    while (!seen.includes('t1 ')) seen += dec.decode((await reader.read()).value);
    ac.abort();
    const ev = await closed; // the mock had ~50 s of tokens left
    expect(ev.path).toBe('/v1/chat/completions');
  });

  it('the privacy gate runs there too', async () => {
    const n = up.requests.length;
    const res = await post(`${url}/v1/chat/completions`, chatBody({ stop: ['4111 1111 1111 1111'] }));
    expect(res.status).toBe(422);
    expect(up.requests.length).toBe(n);
  });
});
