// Issue #16: a first message sent while the on-device model loads says what it
// waits for, and offers "Ask the cloud now" when privacy allows. The model's
// weights are held back (page.route) so the device never finishes loading.
import { test, expect, send, lastAnswer, holdChatModel } from './fixtures';

test.describe('a message sent while the on-device model loads', () => {
  test.beforeEach(async ({ page }) => {
    await holdChatModel(page);
    await page.goto('/');
    await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'loading');
    // Privacy-first starts on the device even while it loads (and may go on to the cloud).
    await page.getByRole('combobox', { name: 'Routing mode' }).selectOption('privacy-first');
  });

  test('"Ask the cloud now" answers in the cloud at once, and says why', async ({ page, requests }) => {
    await send(page, 'hello');
    const pending = page.getByTestId('assistant-message').last();
    await expect(pending.getByTestId('pending-stage')).toHaveText('Waiting for the on-device model to load…', { timeout: 60_000 });
    expect(requests.chatRequests()).toEqual([]);
    await pending.getByTestId('ask-cloud-now').click();
    const msg = await lastAnswer(page);
    await expect(msg).toHaveAttribute('data-route', 'cloud');
    await expect(msg.getByTestId('assistant-text')).toContainText('[Demo cloud]');
    await expect(msg.getByTestId('route-reason')).toHaveText('You asked the cloud instead of waiting for the on-device model to load');
    await expect(msg.getByTestId('ask-cloud-now')).toHaveCount(0);
    expect(requests.chatRequests()).toHaveLength(1);
  });

  test('Stop during the wait sends nothing and is not an error', async ({ page, requests }) => {
    await send(page, 'hello');
    const pending = page.getByTestId('assistant-message').last();
    await expect(pending.getByTestId('ask-cloud-now')).toBeVisible({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(pending).toHaveAttribute('data-status', 'stopped');
    await expect(pending.getByTestId('ask-cloud-now')).toHaveCount(0);
    expect(requests.chatRequests()).toEqual([]);
  });

  test('a card number never offers the cloud: the message keeps waiting for the device', async ({ page, requests }) => {
    await send(page, 'hello, my card is 4111 1111 1111 1111');
    const pending = page.getByTestId('assistant-message').last();
    await expect(pending.getByTestId('pending-stage')).toHaveText('Waiting for the on-device model to load…', { timeout: 60_000 });
    await expect(pending.getByTestId('ask-cloud-now')).toHaveCount(0);
    expect(requests.chatRequests()).toEqual([]);
  });
});
