// Child process for bench/proxy.ts: runs either the mock upstream or the proxy
// (so that load generator, proxy and upstream do not share one event loop).
// Reports its URL, then answers {rss} requests over IPC.

import http from 'node:http';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { startMockUpstream } from '../server/mock-upstream.ts';
import { startServer } from '../server/node.ts';

const role = process.argv[2];

// Young-generation collections: with a fixed semi-space (--max-semi-space-size),
// their count per request measures the bytes allocated per request, whatever
// else the machine is doing.
const gc = { minor: 0, minorMs: 0, major: 0, majorMs: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
      gc.minor++;
      gc.minorMs += e.duration;
    } else {
      gc.major++;
      gc.majorMs += e.duration;
    }
  }
}).observe({ entryTypes: ['gc'] });
const send = (m: unknown) => process.send?.(m);

if (role === 'upstream') {
  const up = await startMockUpstream({ record: false });
  up.set({ tokens: ['Hello', ' from', ' the', ' mock', '.'] });
  send({ url: up.url });
} else if (role === 'bare') {
  // Reference point: a bare node:http pass-through (no validation, no limits,
  // no streaming care) — what this machine can do at best with one extra hop.
  const upstream = process.argv[3];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const up = http.request(`${upstream}/v1/chat/completions`, {
        method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length },
      }, (r) => {
        res.writeHead(r.statusCode ?? 502, { 'content-type': r.headers['content-type'] ?? 'application/json' });
        r.pipe(res);
      });
      up.on('error', () => res.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  send({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}` });
} else {
  // The default access-log sink, as with `npm start` (bench/proxy.ts points
  // this child's stdout at /dev/null).
  const s = await startServer({
    port: 0,
    staticDir: null,
    env: {
      CLOUD_BASE_URL: `${process.argv[3]}/v1`, CLOUD_MODEL: 'bench-model', CLOUD_API_KEY: 'sk-bench',
      RATE_LIMIT_PER_MIN: '0', DAILY_TOKEN_BUDGET: '0', DAILY_TOKEN_BUDGET_PER_CLIENT: '0',
    },
  });
  send({ url: s.url });
}
process.on('message', (m: { cmd?: string }) => {
  if (m?.cmd === 'rss') send({ rss: process.memoryUsage().rss });
  if (m?.cmd === 'cpu') send({ ...process.cpuUsage(), gc: { ...gc } });
  if (m?.cmd === 'exit') process.exit(0);
});
