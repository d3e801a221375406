// Proxy overhead benchmark: the same load against the mock upstream directly
// and through the proxy, in one run, loopback only; stops by itself.
//
//   tsx bench/proxy.ts            # BENCH_RATE=1000 BENCH_SECONDS=5 by default
//
// Prints a table and one JSON line (prefix "BENCH_JSON ").

import { fork, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const STREAM_RATE = Number(process.env.BENCH_STREAM_RATE ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const here = path.dirname(fileURLToPath(import.meta.url));

function child(args: string[]): Promise<{ proc: ChildProcess; url: string }> {
  // Like `npm start` (node --import tsx server/node.ts): the proxy writes its
  // access log to stdout with the default sink; here stdout is /dev/null.
  const stdout = args[0] === 'proxy' ? openSync('/dev/null', 'w') : 'inherit';
  const proc = fork(path.join(here, 'proxy-child.ts'), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', stdout, 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    proc.once('message', (m: { url: string }) => resolve({ proc, url: m.url }));
    proc.once('exit', (c) => reject(new Error(`bench child exited (${c})`)));
  });
}

const rss = (proc: ChildProcess) => new Promise<number>((resolve) => {
  proc.once('message', (m: { rss: number }) => resolve(m.rss));
  proc.send({ cmd: 'rss' });
});

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const BODY = JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'Say hello to the benchmark.' }], max_tokens: 32 });
const SBODY = JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: 'Say hello to the benchmark.' }], max_tokens: 32, stream: true });

interface Sample { total: number; ttfb: number; ok: boolean }

function request(base: string, body: string): Promise<Sample> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let ttfb = 0;
    const req = http.request(`${base}/v1/chat/completions`, {
      method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.once('data', () => (ttfb = performance.now() - t0));
      res.on('data', () => {});
      res.on('end', () => resolve({ total: performance.now() - t0, ttfb, ok: res.statusCode === 200 }));
      res.on('error', () => resolve({ total: performance.now() - t0, ttfb, ok: false }));
    });
    req.on('error', () => resolve({ total: performance.now() - t0, ttfb, ok: false }));
    req.end(body);
  });
}

/** Open loop: `rate` requests per second for `seconds`, whatever the answers do. */
async function openLoop(base: string, body: string, rate: number, seconds: number) {
  const samples: Promise<Sample>[] = [];
  const n = Math.round(rate * seconds);
  const start = performance.now();
  let sent = 0;
  let late = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(n, Math.floor(((performance.now() - start) / 1000) * rate));
      if (due - sent > rate / 100) late++;
      while (sent < due) {
        samples.push(request(base, body));
        sent++;
      }
      if (sent >= n) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  const res = await Promise.all(samples);
  const elapsed = (performance.now() - start) / 1000;
  return { res, elapsed, late };
}

/** Closed loop: `conc` requests in flight for `seconds` → max throughput. */
async function closedLoop(base: string, body: string, conc: number, seconds: number) {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  let errors = 0;
  await Promise.all(Array.from({ length: conc }, async () => {
    while (performance.now() < end) {
      const s = await request(base, body);
      if (s.ok) done++;
      else errors++;
    }
  }));
  return { rps: done / seconds, errors };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const f = (x: number, d = 3) => x.toFixed(d);

const up = await child(['upstream']);
const px = await child(['proxy', up.url]);
const bare = await child(['bare', up.url]);
try {
  // warm up all paths at full rate (JIT, keep-alive socket pools on both hops)
  await openLoop(up.url, BODY, RATE, 1);
  await openLoop(px.url, BODY, RATE, 1);
  await openLoop(px.url, SBODY, Math.min(STREAM_RATE, 200), 0.5);
  await openLoop(bare.url, BODY, RATE, 1);
  const rssBefore = await rss(px.proc);

  const direct = await openLoop(up.url, BODY, RATE, SECONDS);
  const proxied = await openLoop(px.url, BODY, RATE, SECONDS);
  const bared = await openLoop(bare.url, BODY, RATE, SECONDS);
  const sDirect = await openLoop(up.url, SBODY, STREAM_RATE, Math.max(1, SECONDS / 2));
  const sProxied = await openLoop(px.url, SBODY, STREAM_RATE, Math.max(1, SECONDS / 2));
  const rssAfter = await rss(px.proc);
  const maxDirect = await closedLoop(up.url, BODY, CONCURRENCY, Math.max(1, SECONDS / 2));
  const maxProxied = await closedLoop(px.url, BODY, CONCURRENCY, Math.max(1, SECONDS / 2));
  const maxBare = await closedLoop(bare.url, BODY, CONCURRENCY, Math.max(1, SECONDS / 2));
  const rssPeak = await rss(px.proc);

  const lat = (r: Sample[]) => r.filter((s) => s.ok).map((s) => s.total);
  const tt = (r: Sample[]) => r.filter((s) => s.ok).map((s) => s.ttfb);
  const d = lat(direct.res);
  const p = lat(proxied.res);
  const bb = lat(bared.res);
  const result = {
    rate: RATE, seconds: SECONDS,
    requests: { direct: direct.res.length, proxied: proxied.res.length },
    errors: { direct: direct.res.length - d.length, proxied: proxied.res.length - p.length },
    /** Samples over 100 ms: stalls (e.g. a 1 s TCP SYN retransmit when a connection burst overflows a listen queue). */
    over100ms: { direct: d.filter((x) => x > 100).length, proxied: p.filter((x) => x > 100).length, bare: bb.filter((x) => x > 100).length },
    latencyMs: {
      direct: { p50: pct(d, 50), p99: pct(d, 99) },
      proxied: { p50: pct(p, 50), p99: pct(p, 99) },
      added: { p50: pct(p, 50) - pct(d, 50), p99: pct(p, 99) - pct(d, 99) },
      bareNodeProxy: { p50: pct(bb, 50), p99: pct(bb, 99), addedP50: pct(bb, 50) - pct(d, 50), addedP99: pct(bb, 99) - pct(d, 99) },
    },
    streamTtfbMs: {
      rate: STREAM_RATE,
      direct: { p50: pct(tt(sDirect.res), 50), p99: pct(tt(sDirect.res), 99) },
      proxied: { p50: pct(tt(sProxied.res), 50), p99: pct(tt(sProxied.res), 99) },
      added: { p50: pct(tt(sProxied.res), 50) - pct(tt(sDirect.res), 50), p99: pct(tt(sProxied.res), 99) - pct(tt(sDirect.res), 99) },
    },
    achievedRps: { direct: d.length / direct.elapsed, proxied: p.length / proxied.elapsed },
    maxThroughputRps: {
      concurrency: CONCURRENCY, direct: maxDirect.rps, proxied: maxProxied.rps, ratio: maxProxied.rps / maxDirect.rps,
      bareNodeProxy: maxBare.rps, ratioToBare: maxProxied.rps / maxBare.rps,
    },
    proxyRssMB: { afterWarmup: rssBefore / 2 ** 20, afterLoad: rssAfter / 2 ** 20, afterMaxLoad: rssPeak / 2 ** 20 },
    goalP99AddedMs: 1,
  };

  const rows: [string, string, string, string, string][] = [
    ['metric', 'direct', 'via proxy', 'added', 'bare node:http hop (reference)'],
    [`latency p50 (ms) @${RATE}/s`, f(result.latencyMs.direct.p50), f(result.latencyMs.proxied.p50), f(result.latencyMs.added.p50), `${f(pct(bb, 50))} (added ${f(pct(bb, 50) - pct(d, 50))})`],
    [`latency p99 (ms) @${RATE}/s`, f(result.latencyMs.direct.p99), f(result.latencyMs.proxied.p99), f(result.latencyMs.added.p99), `${f(pct(bb, 99))} (added ${f(pct(bb, 99) - pct(d, 99))})`],
    [`stream TTFB p50 (ms) @${STREAM_RATE}/s`, f(result.streamTtfbMs.direct.p50), f(result.streamTtfbMs.proxied.p50), f(result.streamTtfbMs.added.p50), ''],
    [`stream TTFB p99 (ms) @${STREAM_RATE}/s`, f(result.streamTtfbMs.direct.p99), f(result.streamTtfbMs.proxied.p99), f(result.streamTtfbMs.added.p99), ''],
    ['achieved req/s (open loop)', f(result.achievedRps.direct, 0), f(result.achievedRps.proxied, 0), '', f(bb.length / bared.elapsed, 0)],
    [`max req/s (closed loop, c=${CONCURRENCY})`, f(maxDirect.rps, 0), f(maxProxied.rps, 0), `ratio ${f(result.maxThroughputRps.ratio, 2)}`, `${f(maxBare.rps, 0)} (proxy/bare ${f(result.maxThroughputRps.ratioToBare, 2)})`],
    ['errors', String(result.errors.direct), String(result.errors.proxied), '', String(bared.res.length - bb.length)],
    ['samples > 100 ms (stalls)', String(result.over100ms.direct), String(result.over100ms.proxied), '', String(result.over100ms.bare)],
    ['proxy RSS (MB) warm / load / max', '', `${f(result.proxyRssMB.afterWarmup, 0)} / ${f(result.proxyRssMB.afterLoad, 0)} / ${f(result.proxyRssMB.afterMaxLoad, 0)}`, '', ''],
  ];
  const w = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i])).join('  '));
  console.log(`goal: p99 added ≤ 1 ms at 1,000 req/s → ${result.latencyMs.added.p99 <= 1 ? 'met' : 'NOT met'} (${f(result.latencyMs.added.p99)} ms)`);
  console.log(`BENCH_JSON ${JSON.stringify(result)}`);
} finally {
  up.proc.send({ cmd: 'exit' });
  px.proc.send({ cmd: 'exit' });
  bare.proc.send({ cmd: 'exit' });
  agent.destroy();
}
