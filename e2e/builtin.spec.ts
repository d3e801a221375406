// The browser's built-in model (Prompt API). Headless Chromium has none, so a
// spec-shaped fake `LanguageModel` is injected before the app starts (the
// same fake the unit tests use); everything else is the real app.
import type { Page } from '@playwright/test';
import { test, expect, waitForModelReady, send, lastAnswer } from './fixtures';
import { fakeLanguageModel, type FakeLanguageModelScript, type FakeLog } from '../src/engines/builtin/testing/fake-language-model';

// The answer the app's answer checker (the tiny reranker) accepts for a greeting,
// so the turn stays on the device; data-engine and the fake's log tell who answered.
const ANSWER = 'Hello! How can I help you today?';

async function withBuiltin(page: Page, script: FakeLanguageModelScript): Promise<void> {
  await page.addInitScript(fakeLanguageModel, { answer: ANSWER, ...script });
}

const fakeLog = (page: Page): Promise<FakeLog> =>
  page.evaluate(() => (globalThis as unknown as { __fakeLanguageModel: { log: FakeLog } }).__fakeLanguageModel.log);

test.describe('the browser’s built-in model', () => {
  test('answers a greeting on the device, and the badge and status say it was the browser’s model', async ({ page, requests }) => {
    await withBuiltin(page, { availability: 'available' });
    await page.goto('/');
    await waitForModelReady(page);
    const status = page.getByTestId('model-status');
    await expect(status).toHaveAttribute('data-engine', 'builtin');
    await expect(status).toContainText('the browser’s built-in model');
    await expect(status).toContainText('Prompt API');

    await send(page, 'hello');
    const answer = await lastAnswer(page);
    await expect(answer).toHaveAttribute('data-route', 'local');
    await expect(answer).toHaveAttribute('data-engine', 'builtin');
    await expect(answer.getByTestId('route-badge')).toBeVisible();
    await expect(answer).toContainText('the browser’s built-in model');
    await expect(answer.getByTestId('assistant-text')).toContainText(ANSWER);
    expect(requests.chatRequests()).toEqual([]);
    expect((await fakeLog(page)).prompts.at(-1)!.input).toBe('hello');

    // New chat ends the conversation's session in the browser.
    const session = (await fakeLog(page)).prompts.at(-1)!.session;
    await page.getByRole('button', { name: 'New chat' }).click();
    await expect.poll(async () => (await fakeLog(page)).destroyed).toContain(session);

    // The storage panel shows it, without a Delete button: it is the browser's.
    await page.getByRole('button', { name: 'Storage', exact: true }).click();
    const row = page.getByTestId('storage-builtin');
    await expect(row).toContainText('Built into your browser — not ours to delete');
    await expect(row.getByRole('button')).toHaveCount(0);
  });

  test('unavailable: the app falls back to its ONNX engine and says why', async ({ page }) => {
    await withBuiltin(page, { availability: 'unavailable' });
    await page.goto('/');
    await waitForModelReady(page);
    await expect(page.getByTestId('model-status')).toHaveAttribute('data-engine', 'onnx');
    await expect(page.getByTestId('engine-notice')).toContainText('The browser’s built-in model is not available on this device');
    await send(page, 'hello');
    await expect(await lastAnswer(page)).toHaveAttribute('data-engine', 'onnx');
  });

  test('a download waits for the first click, shows its progress, then the model is ready', async ({ page }) => {
    await withBuiltin(page, { availability: 'downloadable', holdDownload: true, simulateActivation: true });
    await page.goto('/');
    const status = page.getByTestId('model-status');
    await expect(status).toHaveAttribute('data-phase', 'loading');
    await expect(status).toHaveAttribute('data-engine', 'builtin');
    // Chrome starts the browser's download only after the user interacted with the page.
    await expect(status).toContainText('click or type anywhere to start');
    expect((await fakeLog(page)).creates).toHaveLength(0);
    await status.click();
    await expect(status.getByTestId('load-phase')).toContainText('Your browser is downloading its built-in model… 50%');
    // The browser's download fills the download part of the one loading bar (never 100 % before ready).
    await expect(status.getByTestId('load-progress')).toHaveAttribute('value', '40');
    await page.evaluate(() => (globalThis as unknown as { __fakeLanguageModel: { releaseDownload(): void } }).__fakeLanguageModel.releaseDownload());
    await waitForModelReady(page);
    await expect(status).toHaveAttribute('data-engine', 'builtin');
    await expect(status.getByRole('progressbar')).toHaveCount(0);
  });

  test('Stop aborts the browser’s stream, and the next message is answered', async ({ page }) => {
    await withBuiltin(page, { availability: 'available' });
    await page.goto('/');
    await waitForModelReady(page);
    await page.evaluate(() => {
      (globalThis as unknown as { __fakeLanguageModel: { script: { holdStream: boolean } } }).__fakeLanguageModel.script.holdStream = true;
    });
    await send(page, 'hello');
    await expect(page.getByTestId('assistant-message').last().getByTestId('assistant-text')).toContainText('Hello!');
    await page.getByRole('button', { name: 'Stop' }).click();
    const stopped = await lastAnswer(page);
    await expect(stopped).toHaveAttribute('data-status', /stopped|done/);
    expect((await fakeLog(page)).aborted).toBeGreaterThanOrEqual(1);

    await page.evaluate(() => {
      (globalThis as unknown as { __fakeLanguageModel: { script: { holdStream: boolean } } }).__fakeLanguageModel.script.holdStream = false;
    });
    await send(page, 'hi');
    await expect(page.getByTestId('assistant-message')).toHaveCount(2);
    await expect((await lastAnswer(page)).getByTestId('assistant-text')).toContainText(ANSWER);
  });

  test('a conversation longer than the context window is trimmed instead of failing', async ({ page }) => {
    await withBuiltin(page, { availability: 'available', contextWindow: 72 });
    await page.goto('/');
    await waitForModelReady(page);
    // Greetings (answered on the device); each turn takes about a quarter of the window.
    const questions = ['hello', 'hi', 'hey', 'good morning'];
    for (const [i, q] of questions.entries()) {
      await send(page, q);
      await expect(page.getByTestId('assistant-message')).toHaveCount(i + 1);
      const answer = await lastAnswer(page);
      await expect(answer).toHaveAttribute('data-engine', 'builtin');
      await expect(answer.getByTestId('assistant-text')).toContainText(ANSWER);
    }
    // The browser refuses once more despite the measurement: trimmed harder, still answered.
    await page.evaluate(() => {
      (globalThis as unknown as { __fakeLanguageModel: { script: { failPrompt: string } } }).__fakeLanguageModel.script.failPrompt = 'QuotaExceededError';
    });
    await send(page, 'hello there');
    await expect(page.getByTestId('assistant-message')).toHaveCount(5);
    await expect((await lastAnswer(page)).getByTestId('assistant-text')).toContainText(ANSWER);
    await expect(page.getByRole('alert')).toHaveCount(0);

    const log = await fakeLog(page);
    const last = log.creates.at(-1)!.initialPrompts;
    expect(last.length).toBeGreaterThan(0);
    expect(last.length).toBeLessThan(2 * questions.length); // older turns were dropped
    expect(last.some((m) => m.content === questions[0])).toBe(false);
  });

  test('the browser dropping its sessions is a crash: the engine restarts and the conversation goes on', async ({ page }) => {
    await withBuiltin(page, { availability: 'available' });
    await page.goto('/');
    await waitForModelReady(page);
    await send(page, 'hello');
    await lastAnswer(page);
    expect(await page.evaluate(() => (globalThis as any).__edgewise.manager.crashForTest())).toBe(true);
    await expect(page.getByTestId('engine-notice')).toContainText(/restart/i);
    await waitForModelReady(page);
    await expect(page.getByTestId('model-status')).toHaveAttribute('data-engine', 'builtin');
    await send(page, 'hi');
    await expect(page.getByTestId('assistant-message')).toHaveCount(2);
    const answer = await lastAnswer(page);
    await expect(answer).toHaveAttribute('data-engine', 'builtin');
    // The fresh session was given the conversation so far.
    const log = await fakeLog(page);
    expect(log.creates.at(-1)!.initialPrompts.map((m) => m.content)).toEqual(['hello', ANSWER]);
  });

  test('the Settings toggle turns the built-in model off, and it stays off after a reload', async ({ page }) => {
    await withBuiltin(page, { availability: 'available' });
    await page.goto('/');
    await waitForModelReady(page);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const toggle = page.getByRole('checkbox', { name: 'Use the browser\'s built-in model when it has one' });
    await expect(toggle).toBeChecked();
    await toggle.uncheck();
    const status = page.getByTestId('model-status');
    await expect(status).toHaveAttribute('data-engine', 'onnx');
    await waitForModelReady(page);
    await expect(page.getByTestId('engine-notice')).toContainText('is turned off in Settings');
    await page.reload();
    await waitForModelReady(page);
    await expect(status).toHaveAttribute('data-engine', 'onnx');
  });
});
