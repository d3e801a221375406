// Capability-first and privacy-sensitive routing, end to end against the demo:
// the tiny models on the device, the demo "cloud" behind the real proxy. Every
// request the page and its workers make is recorded (service workers are
// blocked in these specs, so nothing can bypass the log).
import type { Page, Request } from '@playwright/test';
import { test, expect, waitForModelReady, send, lastAnswer, PINNED_DEVICE_RATES } from './fixtures';

async function control(page: Page, body: Record<string, unknown>): Promise<void> {
  const res = await page.request.post('/__demo/__control', { data: body });
  expect(res.ok()).toBe(true);
}

async function setMode(page: Page, mode: 'privacy-first' | 'balanced' | 'performance-first'): Promise<void> {
  await page.getByRole('combobox', { name: 'Routing mode' }).selectOption(mode);
}

function chatBodies(requests: Request[]): string[] {
  return requests.filter((r) => r.url().includes('/v1/chat/completions')).map((r) => r.postData() ?? '');
}

test.describe('routing', () => {
  let outbound: Request[];
  test.beforeEach(async ({ page, context }) => {
    outbound = [];
    context.on('request', (r) => outbound.push(r));
    await control(page, { reset: true });
    await page.goto('/');
    await waitForModelReady(page);
  });

  test('a greeting stays on the device and sends no chat request', async ({ page }) => {
    // The planner sees the pinned rates (e2e/fixtures.ts), whatever the warm-up measured on this busy machine.
    expect(await page.evaluate(() => (globalThis as unknown as { __edgewise: { stats: { device(): unknown } } }).__edgewise.stats.device())).toEqual(PINNED_DEVICE_RATES);
    await send(page, 'hello');
    const answer = await lastAnswer(page);
    await expect(answer).toHaveAttribute('data-route', 'local');
    await expect(answer.getByTestId('route-reason')).toContainText(/^Answered on device: it passed the quality check/);
    expect(chatBodies(outbound)).toEqual([]);
  });

  test('a rigorous proof goes to the cloud, with a Cloud badge and a reason', async ({ page }) => {
    await send(page, 'Give a rigorous proof that there are infinitely many primes.');
    const answer = await lastAnswer(page);
    await expect(answer).toHaveAttribute('data-route', 'cloud');
    await expect(answer.getByTestId('route-badge')).toHaveText('Cloud');
    await expect(answer.getByTestId('assistant-text')).toContainText('[Demo cloud]');
    await expect(answer.getByTestId('route-reason')).toContainText(/cloud/i);
    expect(chatBodies(outbound)).toHaveLength(1);
  });

  test('a card number makes no request to the proxy, even in performance-first mode', async ({ page }) => {
    await setMode(page, 'performance-first');
    await send(page, 'My card is 4111 1111 1111 1111. Write a detailed analysis of whether it is still valid.');
    const answer = await lastAnswer(page);
    await expect(answer).toHaveAttribute('data-route', 'local');
    await expect(answer.getByTestId('route-reason')).toContainText(/card number/i);
    await expect(answer.getByTestId('privacy-log')).toHaveAttribute('data-action', 'local-only');
    expect(chatBodies(outbound)).toEqual([]);
    expect(outbound.some((r) => (r.postData() ?? '').includes('4111'))).toBe(false);
  });

  test('a named person and an e-mail leave only as placeholders; the answer shows the real values', async ({ page }) => {
    await setMode(page, 'performance-first');
    await send(page, 'Write a detailed analysis of why Alice Johnson at alice.johnson@example.com deserves a promotion.');
    const answer = await lastAnswer(page);
    await expect(answer).toHaveAttribute('data-route', 'cloud');
    const bodies = chatBodies(outbound);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toContain('<EMAIL_1>');
    expect(bodies[0]).not.toContain('alice.johnson@example.com');
    await expect(answer.getByTestId('assistant-text')).toContainText('alice.johnson@example.com');
    await expect(answer.getByTestId('assistant-text')).not.toContainText(/<(EMAIL|PERSON)_\d+>/);
  });

  test('privacy-first asks before a named person leaves, and "Keep on device" keeps it local', async ({ page }) => {
    await setMode(page, 'privacy-first');
    await send(page, 'Write a rigorous proof for my friend Alice Johnson that there are infinitely many primes.');
    const dialog = page.getByRole('dialog', { name: 'Send to the cloud?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).not.toContainText('Alice Johnson');
    await dialog.getByRole('button', { name: 'Keep on device' }).click();
    const answer = await lastAnswer(page);
    await expect(answer).toHaveAttribute('data-route', 'local');
    expect(chatBodies(outbound)).toEqual([]);
  });

  test('with a slow link a short question stays on the device', async ({ page, context }) => {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 600, downloadThroughput: -1, uploadThroughput: -1 });
    await page.getByText('Network and latency').click();
    // Each "Measure now" is one probe; the RTT estimate is an EWMA, so probe until it has moved.
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: /measure now/i }).click({ timeout: 5_000 }).catch(() => {});
          return Number(await page.getByTestId('rtt-ms').textContent());
        },
        { timeout: 60_000, intervals: [250] },
      )
      .toBeGreaterThanOrEqual(400);
    await send(page, 'What is the capital of France?');
    const answer = await lastAnswer(page);
    await expect(answer).toHaveAttribute('data-route', 'local');
    expect(chatBodies(outbound)).toEqual([]);
  });

  test('a cloud failure mid-stream is finished on the device, marked, and nothing is lost', async ({ page }) => {
    await control(page, { failAfterChars: 30 });
    await send(page, 'Give a rigorous proof that there are infinitely many primes.');
    const answer = await lastAnswer(page);
    await expect(answer).toHaveAttribute('data-route', 'local');
    await expect(answer.getByTestId('route-reason')).toContainText(/failed mid-answer: finished on device/);
    const draft = answer.getByTestId('discarded-draft');
    await expect(draft).toHaveCount(1);
    await draft.locator('summary').click();
    await expect(draft).toContainText('[Demo cloud]');
    await control(page, { reset: true });
  });

  test('offline: a best-effort answer on the device, re-asked in the cloud when back online', async ({ page, context }) => {
    await send(page, 'hello'); // loads the checker while online
    await lastAnswer(page);
    await context.setOffline(true);
    await expect(page.getByTestId('network-status')).toHaveAttribute('data-online', 'false');
    await send(page, 'Give a rigorous proof that there are infinitely many primes.');
    const offlineAnswer = await lastAnswer(page);
    await expect(offlineAnswer).toHaveAttribute('data-route', 'local');
    await expect(offlineAnswer.getByTestId('route-reason')).toContainText(/^Offline: on-device answer/);
    expect(chatBodies(outbound)).toEqual([]);
    await offlineAnswer.getByTestId('reask').click();
    await expect(offlineAnswer.getByTestId('reask-queued')).toBeVisible();
    await context.setOffline(false);
    // Sent once a probe reaches the proxy again (not at the first 'online' event).
    await expect(page.getByTestId('assistant-message')).toHaveCount(3, { timeout: 90_000 });
    const cloudAnswer = await lastAnswer(page);
    await expect(cloudAnswer).toHaveAttribute('data-route', 'cloud');
    await expect(cloudAnswer.getByTestId('assistant-text')).toContainText('[Demo cloud]');
    expect(chatBodies(outbound)).toHaveLength(1);
  });

  test('going offline in the middle of a cloud answer finishes the turn on the device, marked', async ({ page, context }) => {
    await control(page, { tokensPerSec: 5 }); // a slow cloud, so the answer is still streaming
    await send(page, 'Give a rigorous proof that there are infinitely many primes.');
    const answer = page.getByTestId('assistant-message').last();
    await expect(answer.getByTestId('assistant-text')).toContainText('[Demo cloud]');
    await context.setOffline(true);
    await expect(answer).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
    await expect(answer).toHaveAttribute('data-route', 'local');
    await expect(answer.getByTestId('route-reason')).toContainText(/failed mid-answer: finished on device/);
    await expect(answer.getByTestId('discarded-draft')).toHaveCount(1);
    await context.setOffline(false);
    await control(page, { reset: true });
  });
});
