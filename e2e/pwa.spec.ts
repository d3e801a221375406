// The installable, airplane-mode PWA: service worker control, three kinds of
// "no network" (setOffline, every request aborted, the server stopped), CDP
// installability, and the update flow between two real builds.
//
// Every test serves its own build from its own in-process server (not the shared
// webServer): the server can then be stopped for real, and restarted on the same
// origin with a second build.
import { execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page, Request } from '@playwright/test';
import { startServer, type RunningServer } from '../server/node.ts';
import { test, expect, waitForModelReady, send, lastAnswer } from './fixtures';

const ROOT = path.resolve(import.meta.dirname, '..');
const V1 = { dir: path.join(ROOT, 'dist-e2e-v1'), version: '0.0.0-e2e.1' };
const V2 = { dir: path.join(ROOT, 'dist-e2e-v2'), version: '0.0.0-e2e.2' };

test.use({ serviceWorkers: 'allow' });
test.describe.configure({ mode: 'serial' });

function build(b: { dir: string; version: string }): void {
  execSync(`npx vite build --outDir ${JSON.stringify(b.dir)} --emptyOutDir --logLevel error`, {
    cwd: ROOT,
    env: { ...process.env, EDGEWISE_VERSION: b.version },
    stdio: 'pipe',
  });
}

test.beforeAll(async () => {
  test.setTimeout(300_000); // two production builds, on a machine that may be busy
  build(V1);
  build(V2);
});

const servers: RunningServer[] = [];
async function serve(dir: string, port = 0): Promise<RunningServer> {
  const s = await startServer({
    port,
    host: '127.0.0.1',
    staticDir: dir,
    log: () => {},
    env: { DEMO_UPSTREAM: '1', MODELS_DIR: 'models', APP_CONFIG_FILE: 'public/config.demo.json', LOG_REQUESTS: '0', RATE_LIMIT_PER_MIN: '0' },
  });
  servers.push(s);
  return s;
}
test.afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Resolves once a service worker controls the page (the first install claims it). */
async function waitForControl(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  });
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(/\/sw\.js$/);
}

/** First visit: service worker in control and the model loaded once (so transformers.js cached it). */
async function firstVisit(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitForControl(page);
  await waitForModelReady(page);
}

/** Every request the page, its workers and the service worker make from now on. */
function recordRequests(context: BrowserContext) {
  const all: { url: string; fromSw: boolean }[] = [];
  const on = (r: Request) => all.push({ url: r.url(), fromSw: r.serviceWorker() !== null });
  context.on('request', on);
  return {
    all,
    proxy: () => all.filter((r) => new URL(r.url).pathname.startsWith('/v1/')).map((r) => r.url),
    chat: () => all.filter((r) => r.url.includes('/v1/chat/completions')).map((r) => r.url),
    stop: () => context.off('request', on),
  };
}

/**
 * Resolves once the network monitor has probed the proxy and found it
 * unreachable (what the turn planner reads). Event-driven: its subscribe().
 */
async function proxyFoundUnreachable(page: Page): Promise<void> {
  await page.waitForFunction(() => Boolean((globalThis as Record<string, unknown>).__edgewise));
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        type Snap = { probeCount?: number; proxyReachable: boolean };
        const monitor = ((globalThis as Record<string, unknown>).__edgewise as { monitor: { snapshot(): Snap; subscribe(l: (s: Snap) => void): () => void } }).monitor;
        const done = (s: Snap) => (s.probeCount ?? 0) > 0 && !s.proxyReachable;
        if (done(monitor.snapshot())) return resolve();
        const off = monitor.subscribe((s) => {
          if (done(s)) {
            queueMicrotask(() => off());
            resolve();
          }
        });
      }),
  );
}

async function answersOnDevice(page: Page): Promise<void> {
  await waitForModelReady(page);
  await send(page, 'hello');
  const answer = await lastAnswer(page);
  await expect(answer).toHaveAttribute('data-route', 'local');
  await expect(answer).toHaveAttribute('data-engine', 'onnx');
  await expect(answer.getByTestId('assistant-text')).toContainText(/hello|hi|help/i);
}

test.describe('PWA: airplane mode', () => {
  test('setOffline: the shell loads from the service worker, answers on the device, no request to /v1/', async ({ context, page }) => {
    const s = await serve(V1.dir);
    await firstVisit(page, s.url);
    const log = recordRequests(context);
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByTestId('network-status')).toHaveText('Offline — answering on device');
    await answersOnDevice(page);
    expect(log.proxy()).toEqual([]);
    // The recorder sees the service worker's own fetches too (its config.json
    // NetworkFirst attempt), so "no /v1/ request" covers them.
    expect(log.all.some((r) => r.fromSw && r.url.endsWith('/config.json'))).toBe(true);
  });

  test('every request aborted: the shell loads, answers on the device, the proxy is never asked for an answer', async ({ context, page }) => {
    const s = await serve(V1.dir);
    await firstVisit(page, s.url);
    const log = recordRequests(context);
    const routed: string[] = [];
    await context.route('**/*', (r) => {
      routed.push(r.request().url());
      return r.abort('internetdisconnected');
    });
    await page.reload();
    await proxyFoundUnreachable(page);
    await answersOnDevice(page);
    expect(log.chat()).toEqual([]);
    expect(routed.filter((u) => u.includes('/v1/chat/'))).toEqual([]);
    // The route did see (and abort) the service worker's own fetch of config.json,
    // while the shell never reached the network: it came from the precache.
    expect(log.all.some((r) => r.fromSw && r.url.endsWith('/config.json'))).toBe(true);
    expect(routed.some((u) => u.endsWith('/config.json'))).toBe(true);
    expect(routed.filter((u) => new URL(u).pathname.startsWith('/assets/'))).toEqual([]);
    // Only health probes may have been tried (navigator.onLine stays true here), and all were aborted.
    expect(log.proxy().every((u) => u.endsWith('/v1/ping'))).toBe(true);
  });

  test('server stopped outright: reload, the shell loads and answers on the device', async ({ context, page }) => {
    const s = await serve(V1.dir);
    await firstVisit(page, s.url);
    await s.close();
    const dead = await fetch(`${s.url}/healthz`).then(() => 'up', () => 'down');
    expect(dead).toBe('down');
    const log = recordRequests(context);
    await page.reload();
    await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
    await proxyFoundUnreachable(page);
    await answersOnDevice(page);
    expect(log.chat()).toEqual([]);
  });

  test('installable: no installability errors, manifest complete', async ({ playwright }) => {
    const s = await serve(V1.dir);
    // Playwright's contexts are incognito, which Chrome never offers to install:
    // a persistent profile is the real check.
    const profile = mkdtempSync(path.join(tmpdir(), 'edgewise-install-'));
    const { launchOptions } = test.info().project.use;
    const context = await playwright.chromium.launchPersistentContext(profile, { ...launchOptions, serviceWorkers: 'allow' });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await firstVisit(page, s.url);
      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] };
      expect(installabilityErrors).toEqual([]);
      const { url, errors } = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[] };
      expect(url).toBe(`${s.url}/manifest.webmanifest`);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
    const manifest = await (await fetch(`${s.url}/manifest.webmanifest`)).json();
    expect(manifest).toMatchObject({ id: '/', start_url: '/', scope: '/', display: 'standalone', short_name: 'Edgewise' });
    expect(manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes}:${i.purpose}`)).toEqual(
      expect.arrayContaining(['192x192:any', '512x512:any', '512x512:maskable']),
    );
    expect(manifest.screenshots.map((x: { form_factor: string }) => x.form_factor).sort()).toEqual(['narrow', 'wide']);
    expect(manifest.shortcuts[0]).toMatchObject({ name: 'New chat', url: '/?new=1' });
  });

  test('Install button appears on beforeinstallprompt and opens the browser prompt', async ({ page }) => {
    const s = await serve(V1.dir);
    await page.goto(s.url);
    await waitForModelReady(page);
    await expect(page.getByTestId('install-button')).toHaveCount(0);
    await page.evaluate(() => {
      const e = new Event('beforeinstallprompt', { cancelable: true }) as Event & Record<string, unknown>;
      e.prompt = async () => ((globalThis as Record<string, unknown>).__prompted = true);
      e.userChoice = Promise.resolve({ outcome: 'accepted' });
      window.dispatchEvent(e);
    });
    await page.getByTestId('install-button').click();
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>).__prompted)).toBe(true);
    await expect(page.getByTestId('install-button')).toHaveCount(0);
  });
});

test.describe('PWA: iOS', () => {
  test.use({
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
  });
  test('iOS Safari (navigator.standalone, no beforeinstallprompt) explains Add to Home Screen, once', async ({ page }) => {
    const s = await serve(V1.dir);
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'standalone', { get: () => false, configurable: true }));
    await page.goto(s.url);
    const hint = page.getByTestId('ios-install-hint');
    await expect(hint).toContainText('Add to Home Screen');
    await expect(page.getByTestId('install-button')).toHaveCount(0);
    await hint.getByRole('button', { name: 'Dismiss' }).click();
    await expect(hint).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
    await expect(hint).toHaveCount(0);
  });
});

test.describe('PWA: storage panel', () => {
  test('sizes per model, offline-ready after a complete load, delete a model (only its files), it downloads again', async ({ page }) => {
    const s = await serve(V1.dir);
    await firstVisit(page, s.url);
    await page.evaluate(async () => {
      await (await caches.open('webllm/model')).put('https://huggingface.co/mlc-ai/Other-MLC/resolve/main/params_shard_0.bin', new Response('w'));
    });
    await page.getByRole('button', { name: 'Storage', exact: true }).click();
    await expect(page.getByTestId('storage-estimate')).toContainText(/Using .+ of .+/);
    await expect(page.getByTestId('storage-persisted')).toHaveAttribute('data-persisted', /true|false/);
    const row = page.locator('[data-testid="storage-model"][data-model-id="tiny-lm"]');
    await expect(row).toHaveAttribute('data-offline-ready', 'true');
    const bytes = Number(await row.getAttribute('data-bytes'));
    const onDisk = await page.evaluate(async () => {
      const c = await caches.open('transformers-cache');
      let n = 0;
      for (const k of await c.keys()) if (k.url.includes('/tiny-lm/')) n += (await (await c.match(k))!.arrayBuffer()).byteLength;
      return n;
    });
    expect(bytes).toBe(onDisk);
    expect(bytes).toBeGreaterThan(1_000_000);
    await expect(page.locator('[data-testid="storage-model"][data-model-id="mlc-ai/Other-MLC"]')).toHaveAttribute('data-bytes', '1');

    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Delete tiny-lm' }).click();
    await expect(row).toHaveAttribute('data-bytes', '0');
    await expect(row).toHaveAttribute('data-offline-ready', 'false');
    const left = await page.evaluate(async () => ({
      tinyLm: (await (await caches.open('transformers-cache')).keys()).filter((k) => k.url.includes('/tiny-lm/')).length,
      webllm: (await (await caches.open('webllm/model')).keys()).length,
    }));
    expect(left).toEqual({ tinyLm: 0, webllm: 1 });

    // Deleting does not re-download by itself: the model is unavailable until Retry downloads it again.
    const status = page.getByTestId('model-status');
    await expect(status).toHaveAttribute('data-phase', 'error');
    await expect(status).toContainText('tiny-lm was deleted from this device');
    await status.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    await answersOnDevice(page);
    await page.getByRole('button', { name: 'Storage', exact: true }).click();
    await expect(row).toHaveAttribute('data-offline-ready', 'true');
  });
});

test.describe('PWA: update flow', () => {
  test('a new build → "Update available — Reload" → the new version runs; conversation, draft and model caches kept', async ({ page }) => {
    const s1 = await serve(V1.dir);
    await firstVisit(page, s1.url);
    await page.getByRole('button', { name: 'Storage', exact: true }).click();
    await expect(page.getByTestId('app-version')).toHaveText(V1.version);
    await page.getByRole('button', { name: 'Chat', exact: true }).click();
    await answersOnDevice(page);

    // Caches the update's cleanup must leave alone, and one it must delete.
    const scope = `${s1.url}/`;
    await page.evaluate(async (scope) => {
      await (await caches.open('webllm/model')).put('https://huggingface.co/mlc-ai/X-MLC/resolve/main/params_shard_0.bin', new Response('weights'));
      await (await caches.open(`workbox-precache-v1-${scope}`)).put('/old.js', new Response('old'));
    }, scope);
    await page.getByRole('textbox', { name: 'Message' }).fill('a draft I have not sent');

    // Deploy v2 on the same origin and look for it.
    const port = s1.port;
    await s1.close();
    await serve(V2.dir, port);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    const prompt = page.getByTestId('update-prompt');
    await expect(prompt).toContainText('Update available');
    const reloaded = page.waitForEvent('load');
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await reloaded;

    await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('a draft I have not sent');
    await expect(page.getByTestId('user-message')).toHaveText(['hello']);
    await expect(page.getByTestId('assistant-message')).toHaveCount(1);
    await expect(page.getByTestId('update-prompt')).toHaveCount(0);
    const caches_ = await page.evaluate(() => caches.keys());
    expect(caches_).toEqual(expect.arrayContaining(['webllm/model', 'transformers-cache']));
    expect(caches_).not.toContain(`workbox-precache-v1-${scope}`);
    await page.getByRole('button', { name: 'Storage', exact: true }).click();
    await expect(page.getByTestId('app-version')).toHaveText(V2.version);
    // The model is still cached, hence offline-ready after the update.
    await expect(page.locator('[data-testid="storage-model"][data-model-id="tiny-lm"]')).toHaveAttribute('data-offline-ready', 'true');
  });
});
