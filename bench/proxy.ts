// Proxy overhead benchmark: the same load against the mock upstream directly,
// through the proxy, and through a bare node:http pass-through (the floor for
// one extra hop on this machine), in one run, loopback only; stops by itself.
//
//   tsx bench/proxy.ts   # BENCH_RATE=1000 BENCH_ROUNDS=9 BENCH_ROUND_SECONDS=2
//
// The open-loop latency runs are interleaved in rounds (direct, proxy, bare in
// a rotating order) so that load from other jobs on the machine hits all three
// alike; each round gives a ratio (proxy's added p99 / bare hop's added p99)
// and the CPU each hop spent per request; the medians over the rounds are the
// result. Prints a table and one JSON line (prefix "BENCH_JSON ").

import { fork, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RATE = Number(process.env.BENCH_RATE ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? ROUNDS * ROUND_SECONDS);
const STREAM_RATE = Number(process.env.BENCH_STREAM_RATE ?? 200);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const here = path.dirname(fileURLToPath(import.meta.url));

function child(args: string[]): Promise<{ proc: ChildProcess; url: string }> {
  // Like `npm start` (node --import tsx server/node.ts): the proxy writes its
  // access log to stdout with the default sink; here stdout is /dev/null.
  const stdout = args[0] === 'proxy' ? openSync('/dev/null', 'w') : 'inherit';
  // A fixed young generation, so that minor GCs per request compare allocations.
  const proc = fork(path.join(here, 'proxy-child.ts'), args, { execArgv: ['--import', 'tsx', '--max-semi-space-size=16'], stdio: ['ignore', stdout, 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    proc.once('message', (m: { url: string }) => resolve({ proc, url: m.url }));
    proc.once('exit', (c) => reject(new Error(`bench child exited (${c})`)));
  });
}

const rss = (proc: ChildProcess) => new Promise<number>((resolve) => {
  proc.once('message', (m: { rss: number }) => resolve(m.rss));
  proc.send({ cmd: 'rss' });
});

/** CPU time (user + system, µs) the child has used so far, and its minor GCs. */
const cpu = (proc: ChildProcess) => new Promise<{ us: number; minorGcs: number }>((resolve) => {
  proc.once('message', (m: { user: number; system: number; gc: { minor: number } }) => resolve({ us: m.user + m.system, minorGcs: m.gc.minor }));
  proc.send({ cmd: 'cpu' });
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
const median = (xs: number[]) => pct(xs, 50);
try {
  // warm up all paths at full rate (JIT, keep-alive socket pools on both hops)
  await openLoop(up.url, BODY, RATE, 1);
  await openLoop(px.url, BODY, RATE, 1);
  await openLoop(px.url, SBODY, Math.min(STREAM_RATE, 200), 0.5);
  await openLoop(bare.url, BODY, RATE, 1);
  const rssBefore = await rss(px.proc);

  type Target = 'direct' | 'proxied' | 'bare';
  const urls: Record<Target, string> = { direct: up.url, proxied: px.url, bare: bare.url };
  const procs: Partial<Record<Target, ChildProcess>> = { proxied: px.proc, bare: bare.proc };
  const all: Record<Target, Sample[]> = { direct: [], proxied: [], bare: [] };
  const rounds: {
    addedP50: number; addedP99: number; bareAddedP50: number; bareAddedP99: number; ratioP99: number;
    cpuProxyUs: number; cpuBareUs: number; gcsPer1kProxy: number; gcsPer1kBare: number;
  }[] = [];
  const order: Target[] = ['direct', 'proxied', 'bare'];
  for (let r = 0; r < ROUNDS; r++) {
    const got: Partial<Record<Target, { lat: number[]; cpuUs: number; gcsPer1k: number }>> = {};
    for (let k = 0; k < 3; k++) {
      const t = order[(r + k) % 3];
      const proc = procs[t];
      const c0 = proc ? await cpu(proc) : { us: 0, minorGcs: 0 };
      const run = await openLoop(urls[t], BODY, RATE, ROUND_SECONDS);
      const c1 = proc ? await cpu(proc) : { us: 0, minorGcs: 0 };
      all[t].push(...run.res);
      const n = run.res.length;
      got[t] = { lat: run.res.filter((s) => s.ok).map((s) => s.total), cpuUs: (c1.us - c0.us) / n, gcsPer1k: (1000 * (c1.minorGcs - c0.minorGcs)) / n };
    }
    const d = got.direct!.lat;
    const p = got.proxied!.lat;
    const bb = got.bare!.lat;
    const addedP99 = pct(p, 99) - pct(d, 99);
    const bareAddedP99 = pct(bb, 99) - pct(d, 99);
    rounds.push({
      addedP50: pct(p, 50) - pct(d, 50), addedP99, bareAddedP50: pct(bb, 50) - pct(d, 50), bareAddedP99,
      ratioP99: bareAddedP99 > 0 ? addedP99 / bareAddedP99 : Infinity,
      cpuProxyUs: got.proxied!.cpuUs, cpuBareUs: got.bare!.cpuUs, gcsPer1kProxy: got.proxied!.gcsPer1k, gcsPer1kBare: got.bare!.gcsPer1k,
    });
  }
  const sDirect = await openLoop(up.url, SBODY, STREAM_RATE, Math.max(1, ROUND_SECONDS));
  const sProxied = await openLoop(px.url, SBODY, STREAM_RATE, Math.max(1, ROUND_SECONDS));
  const rssAfter = await rss(px.proc);
  const maxDirect = await closedLoop(up.url, BODY, CONCURRENCY, Math.max(1, ROUND_SECONDS));
  const maxProxied = await closedLoop(px.url, BODY, CONCURRENCY, Math.max(1, ROUND_SECONDS));
  const maxBare = await closedLoop(bare.url, BODY, CONCURRENCY, Math.max(1, ROUND_SECONDS));
  const rssPeak = await rss(px.proc);

  const lat = (r: Sample[]) => r.filter((s) => s.ok).map((s) => s.total);
  const tt = (r: Sample[]) => r.filter((s) => s.ok).map((s) => s.ttfb);
  const d = lat(all.direct);
  const p = lat(all.proxied);
  const bb = lat(all.bare);
  const med = (k: keyof (typeof rounds)[number]) => median(rounds.map((x) => x[k]));
  const result = {
    rate: RATE, rounds: ROUNDS, roundSeconds: ROUND_SECONDS,
    requests: { direct: all.direct.length, proxied: all.proxied.length, bare: all.bare.length },
    errors: { direct: all.direct.length - d.length, proxied: all.proxied.length - p.length, bare: all.bare.length - bb.length },
    /** Samples over 100 ms: stalls (e.g. a 1 s TCP SYN retransmit when a connection burst overflows a listen queue). */
    over100ms: { direct: d.filter((x) => x > 100).length, proxied: p.filter((x) => x > 100).length, bare: bb.filter((x) => x > 100).length },
    /** Medians over the rounds. */
    perRound: {
      addedP50: med('addedP50'), addedP99: med('addedP99'), bareAddedP50: med('bareAddedP50'), bareAddedP99: med('bareAddedP99'),
      ratioP99: med('ratioP99'), cpuProxyUsPerReq: med('cpuProxyUs'), cpuBareUsPerReq: med('cpuBareUs'),
      minorGcsPer1kProxy: med('gcsPer1kProxy'), minorGcsPer1kBare: med('gcsPer1kBare'),
    },
    roundsDetail: rounds,
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
    maxThroughputRps: {
      concurrency: CONCURRENCY, direct: maxDirect.rps, proxied: maxProxied.rps, ratio: maxProxied.rps / maxDirect.rps,
      bareNodeProxy: maxBare.rps, ratioToBare: maxProxied.rps / maxBare.rps,
    },
    proxyRssMB: { afterWarmup: rssBefore / 2 ** 20, afterLoad: rssAfter / 2 ** 20, afterMaxLoad: rssPeak / 2 ** 20 },
    goal: 'added p99 ≤ 1.5 × the bare hop\'s added p99',
  };
  const pr = result.perRound;

  const rows: [string, string, string, string, string][] = [
    ['metric', 'direct', 'via proxy', 'added by proxy', 'bare node:http hop (reference)'],
    [`latency p50 (ms) @${RATE}/s, median of ${ROUNDS}`, '', '', f(pr.addedP50), `added ${f(pr.bareAddedP50)}`],
    [`latency p99 (ms) @${RATE}/s, median of ${ROUNDS}`, '', '', f(pr.addedP99), `added ${f(pr.bareAddedP99)}`],
    ['added p99 proxy / bare hop (median)', '', '', f(pr.ratioP99, 2), '1.00'],
    ['CPU per request (µs, median)', '', f(pr.cpuProxyUsPerReq, 0), `ratio ${f(pr.cpuProxyUsPerReq / pr.cpuBareUsPerReq, 2)}`, f(pr.cpuBareUsPerReq, 0)],
    ['minor GCs per 1,000 requests (median)', '', f(pr.minorGcsPer1kProxy, 2), `ratio ${f(pr.minorGcsPer1kProxy / pr.minorGcsPer1kBare, 2)}`, f(pr.minorGcsPer1kBare, 2)],
    [`latency p50 (ms), all rounds`, f(result.latencyMs.direct.p50), f(result.latencyMs.proxied.p50), f(result.latencyMs.added.p50), `${f(pct(bb, 50))} (added ${f(result.latencyMs.bareNodeProxy.addedP50)})`],
    [`latency p99 (ms), all rounds`, f(result.latencyMs.direct.p99), f(result.latencyMs.proxied.p99), f(result.latencyMs.added.p99), `${f(pct(bb, 99))} (added ${f(result.latencyMs.bareNodeProxy.addedP99)})`],
    [`stream TTFB p50 (ms) @${STREAM_RATE}/s`, f(result.streamTtfbMs.direct.p50), f(result.streamTtfbMs.proxied.p50), f(result.streamTtfbMs.added.p50), ''],
    [`stream TTFB p99 (ms) @${STREAM_RATE}/s`, f(result.streamTtfbMs.direct.p99), f(result.streamTtfbMs.proxied.p99), f(result.streamTtfbMs.added.p99), ''],
    [`max req/s (closed loop, c=${CONCURRENCY})`, f(maxDirect.rps, 0), f(maxProxied.rps, 0), `ratio ${f(result.maxThroughputRps.ratio, 2)}`, `${f(maxBare.rps, 0)} (proxy/bare ${f(result.maxThroughputRps.ratioToBare, 2)})`],
    ['errors', String(result.errors.direct), String(result.errors.proxied), '', String(result.errors.bare)],
    ['samples > 100 ms (stalls)', String(result.over100ms.direct), String(result.over100ms.proxied), '', String(result.over100ms.bare)],
    ['proxy RSS (MB) warm / load / max', '', `${f(result.proxyRssMB.afterWarmup, 0)} / ${f(result.proxyRssMB.afterLoad, 0)} / ${f(result.proxyRssMB.afterMaxLoad, 0)}`, '', ''],
  ];
  const w = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i])).join('  '));
  console.log(`rounds (added p99 proxy / bare, ms): ${rounds.map((x) => `${f(x.addedP99, 2)}/${f(x.bareAddedP99, 2)}`).join('  ')}`);
  console.log(`goal: ${result.goal} at ${RATE} req/s → ${pr.ratioP99 <= 1.5 ? 'met' : 'NOT met'} (median ratio ${f(pr.ratioP99, 2)})`);
  console.log(`BENCH_JSON ${JSON.stringify(result)}`);
} finally {
  up.proc.send({ cmd: 'exit' });
  px.proc.send({ cmd: 'exit' });
  bare.proc.send({ cmd: 'exit' });
  agent.destroy();
}
