import { test, expect, waitForModelReady, send, lastAnswer } from './fixtures';
test('shot', async ({ page }) => {
  await page.setViewportSize({ width: 1200, height: 1400 });
  await page.request.post('/__demo/__control', { data: { reset: true } });
  await page.goto('/?new');
  await waitForModelReady(page);
  await send(page, 'Write a report on remote work and team productivity for our leadership meeting. My manager Anna Rossi will read it, and my SSN is 536-22-8841.');
  const answer = await lastAnswer(page);
  const steps = answer.getByTestId('task-graph').getByTestId('task-step');
  for (const s of await steps.all()) await expect(s).toHaveAttribute('data-status', 'done');
  await page.screenshot({ path: '/tmp/shot1.png', fullPage: true });
  await answer.locator('[data-step="analysis"] summary').click();
  await page.screenshot({ path: '/tmp/shot2.png', fullPage: true });
});
