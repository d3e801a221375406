// What leaves the device is the whole conversation, masked (issue #11, UI
// part), and a re-asked answer lands under its own question (issue #16).
import type { Request } from '@playwright/test';
import { test, expect, waitForModelReady, send, lastAnswer } from './fixtures';

const PROOF = 'Give a rigorous proof that there are infinitely many primes.';

test.describe('outbound conversation', () => {
  let chats: Request[];
  test.beforeEach(async ({ page, context }) => {
    chats = [];
    context.on('request', (r) => {
      if (r.url().includes('/v1/chat/completions')) chats.push(r);
    });
    const res = await page.request.post('/__demo/__control', { data: { reset: true } });
    expect(res.ok()).toBe(true);
    await page.goto('/?new');
    await waitForModelReady(page);
  });

  test('a two-turn conversation whose second turn goes to the cloud lists both messages under "What left this device"', async ({ page }) => {
    await send(page, 'hello');
    await lastAnswer(page);
    const first = page.getByTestId('assistant-message').nth(0);
    await expect(first).toHaveAttribute('data-route', 'local');
    await send(page, PROOF);
    const second = await lastAnswer(page);
    await expect(second).toHaveAttribute('data-route', 'cloud');

    const log = second.getByTestId('privacy-log');
    await log.locator('summary').click();
    const left = log.getByTestId('outbound-messages');
    await expect(left).toBeVisible();
    const texts = left.getByTestId('outbound-text');
    // The first question, the device's answer to it and the second question, as sent.
    await expect(texts.first()).toHaveText('hello');
    await expect(texts.last()).toHaveText(PROOF);
    expect(await left.getByTestId('outbound-message').count()).toBeGreaterThanOrEqual(2);
    await expect(left.locator('[data-role="user"]')).toHaveCount(2);

    // What the UI lists is what the request carried.
    expect(chats).toHaveLength(1);
    const body = JSON.parse(chats[0].postData() ?? '{}') as { messages: { role: string; content: string }[] };
    const sentUser = body.messages.filter((m) => m.role === 'user').map((m) => m.content);
    expect(sentUser).toEqual(['hello', PROOF]);

    // The first turn was answered on the device, but its question left with the second.
    const firstLog = first.getByTestId('privacy-log');
    await firstLog.locator('summary').click();
    await expect(firstLog).toContainText('Kept on this device');
    await expect(firstLog.getByTestId('sent-later')).toBeVisible();
  });

  test('the composer preview shows every message a cloud turn would send, masked', async ({ page }) => {
    await send(page, 'hello');
    await lastAnswer(page);
    await page.getByRole('textbox', { name: 'Message' }).fill('My name is Alice Smith, email alice@example.com');
    const preview = page.getByTestId('draft-outbound');
    await preview.locator('summary').click();
    const texts = preview.getByTestId('outbound-text');
    await expect(texts.first()).toHaveText('hello');
    await expect(texts.last()).toHaveText('My name is <PERSON_1>, email <EMAIL_1>');
    expect(chats).toHaveLength(0);
  });
});

test('a re-asked answer is shown under its own question, not at the end of the chat', async ({ page, context }) => {
  await page.request.post('/__demo/__control', { data: { reset: true } });
  await page.goto('/?new');
  await waitForModelReady(page);
  await send(page, 'hello'); // loads the checker while online
  await lastAnswer(page);
  await context.setOffline(true);
  await expect(page.getByTestId('network-status')).toHaveAttribute('data-online', 'false');
  await send(page, PROOF);
  await lastAnswer(page);
  const offlineAnswer = page.getByTestId('assistant-message').nth(1);
  await expect(offlineAnswer).toHaveAttribute('data-route', 'local');
  await send(page, 'hello again');
  await lastAnswer(page);
  await offlineAnswer.getByTestId('reask').click();
  await expect(offlineAnswer.getByTestId('reask-queued')).toBeVisible();
  await context.setOffline(false);
  await expect(page.getByTestId('assistant-message')).toHaveCount(4, { timeout: 90_000 });
  await expect(page.locator('[data-testid="assistant-message"][data-route="cloud"]')).toHaveCount(1, { timeout: 90_000 });

  // Order in the conversation: the proof, its offline answer, the cloud's answer to it, then the next question.
  const order = await page.locator('ol.messages > li').evaluateAll((els) =>
    els.map((e) => `${e.getAttribute('data-testid')}:${e.getAttribute('data-route') ?? ''}:${e.textContent?.includes('hello again') ? 'again' : ''}`),
  );
  const cloudAt = order.findIndex((o) => o.startsWith('assistant-message:cloud'));
  const againAt = order.findIndex((o) => o.startsWith('user-message') && o.endsWith('again'));
  expect(order[cloudAt - 1]).toMatch(/^assistant-message:local/);
  expect(order[cloudAt - 2]).toMatch(/^user-message/);
  expect(cloudAt).toBeLessThan(againAt);
});
