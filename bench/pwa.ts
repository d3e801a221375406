// `tsx bench/pwa.ts [--json]` (npm run bench:pwa): the PWA in headless Chromium
// (Debian's), against the demo, in one run:
//   - reload to an interactive composer: offline (service worker) vs online
//     (service worker, config.json from the network) vs online without a service
//     worker (baseline); median of BENCH_RUNS (default 15). Goal offline ≤ 500 ms.
//   - the precache: entry count and bytes (from the built sw.js).
//   - the chat model becoming ready: cold (empty caches, first visit) vs warm
//     (files in transformers.js's cache); navigation → ready, and the engine's
//     own loading → ready span.
// Builds the current sources into dist-bench-pwa/ first (BENCH_DIST=dir to skip).
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { execSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../server/node.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const JSON_OUT = process.argv.includes('--json');
const GOAL_MS = 500;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const r1 = (n: number) => Math.round(n * 10) / 10;

/** The precache manifest of a build: entries and their total size on disk. */
export function precacheSize(dir: string): { count: number; bytes: number; largest: { url: string; bytes: number }[] } {
  const sw = readFileSync(path.join(dir, 'sw.js'), 'utf8');
  const urls = [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]);
  const files = urls.map((url) => ({ url, bytes: statSync(path.join(dir, url)).size }));
  return {
    count: files.length,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    largest: [...files].sort((a, b) => b.bytes - a.bytes).slice(0, 3),
  };
}

// In the page, before any app script: when the composer first exists, and when
// the model status first shows 'loading' and 'ready' (performance.now(), ms
// since navigation start).
const MARKS = `(() => {
  const m = (globalThis.__pwaMarks = {});
  const check = () => {
    if (m.composer === undefined && document.querySelector('textarea[aria-label="Message"]')) m.composer = performance.now();
    const phase = document.querySelector('[data-testid="model-status"]')?.getAttribute('data-phase');
    if (phase === 'loading' && m.loading === undefined) m.loading = performance.now();
    if (phase === 'ready' && m.ready === undefined) m.ready = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-phase'] });
})();`;

type Marks = { composer?: number; loading?: number; ready?: number };
const marks = (page: Page) => page.evaluate(() => (globalThis as { __pwaMarks?: Marks }).__pwaMarks ?? {});

async function newContext(browser: Browser, serviceWorkers: 'allow' | 'block'): Promise<BrowserContext> {
  const context = await browser.newContext({ serviceWorkers });
  await context.addInitScript(MARKS);
  return context;
}

async function waitReady(page: Page): Promise<void> {
  await page.getByTestId('model-status').and(page.locator('[data-phase="ready"]')).waitFor({ timeout: 120_000 });
}

async function waitControlled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  });
}

/** Median navigation → composer-in-DOM over `runs` reloads. */
async function reloadToComposer(page: Page, runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    await page.reload({ waitUntil: 'commit' });
    await page.waitForFunction(() => (globalThis as { __pwaMarks?: Marks }).__pwaMarks?.composer !== undefined);
    out.push((await marks(page)).composer!);
  }
  return out;
}

async function main() {
  const dist = process.env.BENCH_DIST ? path.resolve(process.env.BENCH_DIST) : path.join(ROOT, 'dist-bench-pwa');
  if (!process.env.BENCH_DIST) {
    execSync(`npx vite build --outDir ${JSON.stringify(dist)} --emptyOutDir --logLevel error`, { cwd: ROOT, stdio: 'pipe' });
  }
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    staticDir: dist,
    log: () => {},
    env: { DEMO_UPSTREAM: '1', MODELS_DIR: path.join(ROOT, 'models'), APP_CONFIG_FILE: path.join(ROOT, 'public/config.demo.json'), LOG_REQUESTS: '0', RATE_LIMIT_PER_MIN: '0' },
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--disable-sync', '--no-first-run'],
  });
  try {
    // Cold: empty profile, first visit (shell from the network, model downloaded).
    const ctx = await newContext(browser, 'allow');
    const page = await ctx.newPage();
    await page.goto(server.url);
    await waitReady(page);
    const cold = await marks(page);
    await waitControlled(page);

    // Warm: same profile, shell from the service worker, model from transformers-cache.
    const warmRuns: Marks[] = [];
    for (let i = 0; i < 3; i++) {
      await page.reload();
      await waitReady(page);
      warmRuns.push(await marks(page));
    }

    const online = await reloadToComposer(page, RUNS);
    await ctx.setOffline(true);
    const offline = await reloadToComposer(page, RUNS);
    await waitReady(page); // the model still becomes ready offline
    await ctx.setOffline(false);
    await ctx.close();

    const baseCtx = await newContext(browser, 'block');
    const basePage = await baseCtx.newPage();
    await basePage.goto(server.url);
    await waitReady(basePage);
    const noSw = await reloadToComposer(basePage, RUNS);
    await baseCtx.close();

    const pre = precacheSize(dist);
    const span = (m: Marks) => (m.ready !== undefined && m.loading !== undefined ? m.ready - m.loading : NaN);
    const result = {
      runs: RUNS,
      reloadToComposerMs: {
        offline: r1(median(offline)),
        online: r1(median(online)),
        onlineNoServiceWorker: r1(median(noSw)),
        offlineVsOnline: Math.round((median(offline) / median(online)) * 100) / 100,
        goalMs: GOAL_MS,
        offlineMeetsGoal: median(offline) <= GOAL_MS,
        offlineRange: [r1(Math.min(...offline)), r1(Math.max(...offline))],
      },
      precache: { count: pre.count, bytes: pre.bytes, mb: r1(pre.bytes / 2 ** 20), largest: pre.largest },
      modelReady: {
        coldNavToReadyMs: r1(cold.ready ?? NaN),
        warmNavToReadyMs: r1(median(warmRuns.map((m) => m.ready ?? NaN))),
        coldLoadSpanMs: r1(span(cold)),
        warmLoadSpanMs: r1(median(warmRuns.map(span))),
      },
    };
    if (JSON_OUT) console.log(JSON.stringify(result));
    else {
      const t = result.reloadToComposerMs;
      console.log(`PWA benchmark (headless Chromium, demo build, median of ${RUNS})`);
      console.log(`  reload → composer  offline ${t.offline} ms  (goal ≤ ${GOAL_MS}: ${t.offlineMeetsGoal ? 'met' : 'MISSED'})  ·  online ${t.online} ms  ·  online, no service worker ${t.onlineNoServiceWorker} ms  ·  offline/online ${t.offlineVsOnline}`);
      console.log(`  precache           ${pre.count} files, ${result.precache.mb} MB  (largest: ${pre.largest.map((f) => `${path.basename(f.url)} ${r1(f.bytes / 2 ** 20)} MB`).join(', ')})`);
      const m = result.modelReady;
      console.log(`  model ready        cold ${m.coldNavToReadyMs} ms after navigation (engine load ${m.coldLoadSpanMs} ms)  ·  warm ${m.warmNavToReadyMs} ms (engine load ${m.warmLoadSpanMs} ms)`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.argv[1] && import.meta.url === `file://${path.resolve(process.argv[1])}`) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
