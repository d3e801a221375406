import type { Page } from '@playwright/test';
import { test, expect, waitForModelReady, send, lastAnswer, holdChatModel } from './fixtures';

/** The demo config with web-llm on (SwiftShader runs its WebGPU path) and one small f32 model in both tiers. */
async function enableWebLlm(page: Page, model: { id: string; url: string; lib: string }): Promise<void> {
  await page.route((u) => u.pathname === '/config.json', async (route) => {
    const res = await route.fetch();
    const cfg = await res.json();
    cfg.webllm.enabled = true;
    for (const tier of ['small', 'large']) cfg.webllm.tiers[tier] = [{ ...model, f16: false, vramMB: 500, contextWindow: 1024, sizeMB: 5 }];
    await route.fulfill({ response: res, json: cfg });
  });
}

test.describe('foundation: the demo app answers on the device', () => {
  test('hello is answered by the tiny LM, streamed from the ONNX worker, and survives a reload', async ({ page, requests }) => {
    await page.goto('/');
    const status = page.getByTestId('model-status');
    await waitForModelReady(page);
    await expect(status).toHaveAttribute('data-engine', 'onnx');
    await expect(status).toContainText('tiny-lm');

    await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
    await send(page, 'hello');
    // Streaming: the message is marked busy while tokens arrive.
    await expect(page.getByTestId('assistant-message').last()).toHaveAttribute('aria-busy', 'true');
    const answer = await lastAnswer(page);
    await expect(answer).toHaveAttribute('data-route', 'local');
    await expect(answer).toHaveAttribute('data-engine', 'onnx');
    await expect(answer).toHaveAttribute('data-device', /^(wasm|webgpu)$/);
    await expect(answer.getByTestId('assistant-text')).toContainText(/hello|hi|help/i);
    expect(requests.chatRequests()).toEqual([]);

    await page.reload();
    await expect(page.getByTestId('user-message')).toHaveText(['hello']);
    await expect(page.getByTestId('assistant-message').getByTestId('assistant-text')).toContainText(/hello|hi|help/i);
  });

  test('the model download shows a real progress bar with bytes and percent (the ETA math is unit-tested)', async ({ page }) => {
    // A slow network for the weights: hold the model file back while the small
    // files (config, tokenizer) arrive, so the bar is seen part-way.
    const release = await holdChatModel(page);
    await page.goto('/');
    const status = page.getByTestId('model-status');
    await expect(status.getByRole('progressbar', { name: 'Getting the on-device model ready' })).toBeVisible();
    // The weights are held back: the bar says it is downloading, with the bytes so far, not "100 %".
    await expect(status).toContainText(/Downloading (the model|and preparing the model) · \d+ % · \d+(\.\d)? (KB|MB)/);
    expect(Number(await status.getByTestId('load-progress').getAttribute('data-pct'))).toBeLessThan(100);
    await expect(status).toHaveAttribute('data-phase', 'loading');
    release();
    await waitForModelReady(page);
    await expect(status).toContainText('On-device model ready');
    await expect(status.getByRole('progressbar')).toHaveCount(0);
  });

  test('Stop ends an answer early and the app keeps working', async ({ page }) => {
    await page.goto('/');
    await waitForModelReady(page);
    await send(page, 'Write a long essay about the history of the Roman empire and its emperors');
    await page.getByRole('button', { name: 'Stop' }).click();
    const answer = await lastAnswer(page);
    await expect(answer).toHaveAttribute('data-status', /stopped|done/);
    await send(page, 'hello');
    await expect(page.getByTestId('assistant-message')).toHaveCount(2);
    await expect((await lastAnswer(page)).getByTestId('assistant-text')).toContainText(/hello|hi|help/i);
  });

  test('a worker crash is detected, the model restarts, and the conversation is intact', async ({ page }) => {
    await page.goto('/');
    await waitForModelReady(page);
    await send(page, 'hello');
    await lastAnswer(page);
    await page.evaluate(() => (globalThis as any).__edgewise.manager.crashForTest());
    await expect(page.getByTestId('engine-notice')).toContainText(/restart/i);
    await waitForModelReady(page);
    await send(page, 'hello');
    await expect(page.getByTestId('assistant-message')).toHaveCount(2);
    await expect((await lastAnswer(page)).getByTestId('assistant-text')).toContainText(/hello|hi|help/i);
    await expect(page.getByTestId('user-message')).toHaveCount(2);
  });

  test('New chat and Delete all data', async ({ page }) => {
    await page.goto('/');
    await waitForModelReady(page);
    await send(page, 'hello');
    await lastAnswer(page);
    await page.getByRole('button', { name: 'New chat' }).click();
    await expect(page.getByTestId('assistant-message')).toHaveCount(0);
    page.on('dialog', (d) => void d.accept());
    await page.setViewportSize({ width: 1200, height: 800 });
    await page.getByRole('button', { name: 'Delete all data' }).click();
    await page.reload();
    await expect(page.getByTestId('user-message')).toHaveCount(0);
  });
});

test.describe('faults', () => {
  test('an invalid config.json says which field is wrong', async ({ page }) => {
    await page.route((u) => u.pathname === '/config.json', async (route) => {
      const res = await route.fetch();
      const cfg = await res.json();
      cfg.thresholds.consistency = 7;
      await route.fulfill({ response: res, json: cfg });
    });
    await page.goto('/');
    await expect(page.getByTestId('config-error')).toContainText('thresholds.consistency');
  });

  test('a web-llm model at a closed port shows a clear error and falls back to ONNX, which answers', async ({ page }) => {
    await enableWebLlm(page, { id: 'Broken-0.5B-q4f32_1-MLC', url: 'http://127.0.0.1:9/model/', lib: 'http://127.0.0.1:9/model.wasm' });
    await page.goto('/');
    await waitForModelReady(page);
    const status = page.getByTestId('model-status');
    await expect(status).toHaveAttribute('data-engine', 'onnx');
    await expect(page.getByTestId('engine-notice')).toContainText(/Broken-0\.5B|download|network|WebGPU/i);
    await expect(page.getByTestId('engine-notice')).toContainText(/falling back to the ONNX engine/i);
    await send(page, 'hello');
    const answer = await lastAnswer(page);
    await expect(answer).toHaveAttribute('data-engine', 'onnx');
    await expect(answer.getByTestId('assistant-text')).toContainText(/hello|hi|help/i);
  });

  test('a web-llm worker crash is detected, the worker restarts and loads again, and the turn is still answered', async ({ page }) => {
    // A web-llm model whose files are held back: the worker is mid-load when it
    // crashes. No MLC model library can run here, so after the restart the
    // download fails and ONNX answers.
    await enableWebLlm(page, { id: 'Held-0.5B-q4f32_1-MLC', url: '/e2e-held/model/', lib: '/e2e-held/model.wasm' });
    let requests = 0;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    await page.route('**/e2e-held/**', async (route) => {
      requests++;
      await released;
      await route.abort('connectionrefused').catch(() => {}); // the first worker is gone by then
    });
    const webllmWorkers: string[] = [];
    page.on('worker', (w) => {
      if (w.url().includes('llm-webgpu')) webllmWorkers.push(w.url());
    });

    await page.goto('/');
    const status = page.getByTestId('model-status');
    await expect(status).toHaveAttribute('data-engine', 'webllm');
    await expect.poll(() => requests).toBe(1); // web-llm is fetching the model in its worker
    expect(await page.evaluate(() => (globalThis as any).__edgewise.manager.crashForTest())).toBe(true);
    // Detected and restarted: a fresh worker asks for the model again.
    await expect(page.getByTestId('engine-notice')).toContainText('stopped unexpectedly — restarting');
    await expect.poll(() => requests).toBe(2);
    expect(webllmWorkers).toHaveLength(2);
    await expect(status).toHaveAttribute('data-engine', 'webllm');

    release();
    await waitForModelReady(page);
    await expect(status).toHaveAttribute('data-engine', 'onnx');
    await expect(page.getByTestId('engine-notice')).toContainText(/Held-0\.5B.*network error\. Falling back to the ONNX engine/);
    await send(page, 'hello');
    const answer = await lastAnswer(page);
    await expect(answer).toHaveAttribute('data-engine', 'onnx');
    await expect(answer.getByTestId('assistant-text')).toContainText(/hello|hi|help/i);
  });

  test('a model that fails to download shows the reason and Retry, and the app stays usable', async ({ page }) => {
    let fail = true;
    await page.route('**/models/tiny-lm/onnx/**', (route) => (fail ? route.abort('connectionrefused') : route.continue()));
    await page.goto('/');
    const status = page.getByTestId('model-status');
    await expect(status).toHaveAttribute('data-phase', 'error', { timeout: 60_000 });
    await expect(status.getByRole('alert')).toContainText(/download|network|load|not found/i);
    // Still usable: with the device model down, the turn goes to the (demo) cloud and says so.
    await send(page, 'hello');
    const first = await lastAnswer(page);
    await expect(first).toHaveAttribute('data-route', 'cloud');
    await expect(first.getByTestId('assistant-text')).toContainText('[Demo cloud]');
    // Retry loads the model; the next greeting is answered on the device.
    fail = false;
    await status.getByRole('button', { name: 'Retry' }).click();
    await waitForModelReady(page);
    await send(page, 'hello');
    await expect(page.getByTestId('assistant-message')).toHaveCount(2);
    const second = await lastAnswer(page);
    await expect(second).toHaveAttribute('data-route', 'local');
    await expect(page.getByTestId('user-message')).toHaveCount(2);
  });

});
