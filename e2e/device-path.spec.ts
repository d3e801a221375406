// The production model path as far as CI can take it: which ONNX Runtime build
// the workers fetch, and a tab killed while the model was being set up.
import type { Page } from '@playwright/test';
import { test, expect, waitForModelReady, send, lastAnswer, PINNED_DEVICE_RATES, holdChatModel } from './fixtures';

const PLAIN = /\/ort-wasm-simd-threaded-[\w-]+\.(wasm|mjs)$/;
const ASYNCIFY = /\/ort-wasm-simd-threaded\.asyncify-[\w-]+\.(wasm|mjs)$/;

/** The demo config with `onnx.device` set, so selection (not the config) decides where ONNX runs. */
async function onnxDevice(page: Page, device: 'auto' | 'webgpu'): Promise<void> {
  await page.route((u) => u.pathname === '/config.json', async (route) => {
    const res = await route.fetch();
    const cfg = await res.json();
    cfg.onnx.device = device;
    await route.fulfill({ response: res, json: cfg });
  });
}

/** This page (and its workers) see no WebGPU, like Safari 18 or Firefox. */
async function hideWebGpu(page: Page): Promise<void> {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true });
  });
}

test.describe('ONNX Runtime build per device', () => {
  test('with no WebGPU the page and its workers fetch only the plain build', async ({ page, requests }) => {
    await hideWebGpu(page);
    await onnxDevice(page, 'auto');
    await page.goto('/');
    await waitForModelReady(page);
    await expect(page.getByTestId('model-status')).toHaveAttribute('data-device', 'wasm');
    // A turn also runs the privacy scan and the answer check in the NLP worker.
    await send(page, 'hello');
    await lastAnswer(page);
    const ort = requests.urls.filter((u) => u.includes('/ort-wasm-simd-threaded'));
    expect(ort.some((u) => PLAIN.test(u))).toBe(true);
    expect(ort.filter((u) => u.includes('asyncify'))).toEqual([]);
  });

  test('ONNX on WebGPU gets the asyncify build; the NLP worker still the plain one', async ({ page, requests }) => {
    await onnxDevice(page, 'webgpu');
    await page.goto('/');
    await waitForModelReady(page); // on WebGPU (SwiftShader), or on WASM after the one retry
    await send(page, 'hello');
    await lastAnswer(page);
    const ort = requests.urls.filter((u) => u.includes('/ort-wasm-simd-threaded'));
    expect(ort.some((u) => ASYNCIFY.test(u))).toBe(true);
    expect(ort.some((u) => PLAIN.test(u))).toBe(true);
  });
});

test.describe('a tab killed while the model was being set up', () => {
  test('a reload during the set-up is the user leaving, not a kill: the same model loads again', async ({ page }) => {
    const release = await holdChatModel(page);
    await page.goto('/');
    await expect.poll(() => page.evaluate(() => localStorage.getItem('edgewise.model-load'))).toContain('"stage":"init"');
    release();
    await page.reload();
    await waitForModelReady(page);
    await expect(page.getByTestId('model-status')).toHaveAttribute('data-engine', 'onnx');
  });

  test('a second tab opened while the first sets up the model is not mistaken for a kill', async ({ context, page }) => {
    await holdChatModel(page);
    await page.goto('/');
    await expect.poll(() => page.evaluate(() => localStorage.getItem('edgewise.model-load'))).toContain('"stage":"init"');
    const second = await context.newPage();
    await second.goto('/');
    await waitForModelReady(second); // the first tab holds the load's Web Lock: it is alive
    await expect(second.getByTestId('model-status')).toHaveAttribute('data-engine', 'onnx');
  });

  test('the next start does not load the same model again: it says why, answers without it, and Retry loads it', async ({ browser, context, page, baseURL }) => {
    // The weights never arrive: the chat model stays in its set-up (the demo's
    // own-origin models count as on the device), where a phone's system kills tabs.
    await holdChatModel(page);
    await page.goto('/');
    await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'loading');
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('edgewise.model-load')))
      .toBe(JSON.stringify({ engine: 'onnx', modelId: 'tiny-lm', device: 'wasm', stage: 'init' }));
    // The system kills the tab: what is on disk at that moment is all the next
    // start gets (no pagehide, and the dead tab's Web Lock is gone with it).
    const onDisk = await context.storageState();
    await context.close();

    const after = await browser.newContext({ baseURL, storageState: onDisk, serviceWorkers: 'block' });
    await after.addInitScript((rates) => {
      (globalThis as Record<string, unknown>).__EDGEWISE_TEST_HOOKS__ = { deviceRates: rates };
    }, PINNED_DEVICE_RATES);
    const next = await after.newPage();
    await next.goto('/');
    const status = next.getByTestId('model-status');
    await expect(status).toHaveAttribute('data-phase', 'error');
    await expect(status).toContainText('The last start stopped while tiny-lm was being set up');
    await expect(status).toContainText('answers come from the edge or the cloud');
    expect(await next.evaluate(() => localStorage.getItem('edgewise.model-load'))).toBeNull();

    // Without the on-device model the app still answers (the demo edge).
    await send(next, 'hello');
    const answer = await lastAnswer(next);
    await expect(answer).not.toHaveAttribute('data-route', 'local');

    await status.getByRole('button', { name: 'Retry' }).click();
    await waitForModelReady(next);
    await expect(status).toHaveAttribute('data-engine', 'onnx');
    await after.close();
  });
});
