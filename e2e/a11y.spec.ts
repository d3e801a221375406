// axe scans of every view and of the consent dialog: no serious or critical
// violation (issue #16). Runs axe-core from node_modules (no CDN).
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, waitForModelReady, send, lastAnswer } from './fixtures';

async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${what}: ${v.id} (${v.impact}) — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
  expect(bad).toEqual([]);
}

async function openView(page: Page, name: string): Promise<void> {
  const views = page.getByRole('navigation', { name: 'Views' });
  if (!(await views.isVisible())) await page.getByRole('button', { name: 'Conversations' }).click();
  await views.getByRole('button', { name }).click();
}

for (const [device, viewport] of [['laptop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
  test(`axe on a ${device}: chat (with answers and their details), settings, dashboard, storage`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto('/?new');
    await waitForModelReady(page);
    await send(page, 'hello');
    const answer = await lastAnswer(page);
    await answer.getByTestId('privacy-log').locator('summary').click();
    await send(page, 'Give a rigorous proof that there are infinitely many primes.');
    await lastAnswer(page);
    await expectNoSeriousViolations(page, 'chat');
    for (const view of ['Settings', 'Dashboard', 'Storage']) {
      await openView(page, view);
      await expect(page.locator('#main')).not.toBeEmpty();
      await page.waitForLoadState('networkidle');
      await expectNoSeriousViolations(page, view);
    }
  });
}

test('axe on the consent dialog', async ({ page }) => {
  await page.goto('/?new');
  await waitForModelReady(page);
  await expect(page.getByTestId('network-status')).toHaveText(/Online · \d+ ms/);
  await page.getByRole('combobox', { name: 'Routing mode' }).selectOption('privacy-first');
  await send(page, 'Write a rigorous proof for my friend Alice Johnson that there are infinitely many primes.');
  const dialog = page.getByTestId('consent-dialog');
  await expect(dialog).toBeVisible({ timeout: 120_000 });
  await expect(dialog.getByTestId('outbound-messages')).toBeVisible();
  await expectNoSeriousViolations(page, 'consent dialog');
  await dialog.getByRole('button', { name: 'Keep on device' }).click();
  await lastAnswer(page);
});
