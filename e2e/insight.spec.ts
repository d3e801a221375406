// Routing insight: the Settings view persists and changes routing, and the
// Dashboard draws real traces from turns made in this test.
import type { Page } from '@playwright/test';
import { test, expect, waitForModelReady, send, lastAnswer } from './fixtures';

const PROOF = 'Write a rigorous proof for my friend Alice Johnson that there are infinitely many primes.';

async function openView(page: Page, name: 'Chat' | 'Settings' | 'Dashboard' | 'Storage') {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }).click();
}

/** The first probe has answered: the planner knows the cloud is there (routing is then deterministic). */
async function waitForCloud(page: Page) {
  const net = page.getByTestId('network-status');
  await expect(net).toHaveAttribute('data-cloud', 'configured');
  await expect(net).toHaveText(/Online · \d+ ms/);
}

async function chooseMode(page: Page, label: RegExp) {
  await openView(page, 'Settings');
  await page.getByTestId('settings-view').getByRole('radio', { name: label }).check();
  await expect(page.getByTestId('settings-status')).toHaveText('Saved');
  await openView(page, 'Chat');
}

test.describe('routing insight', () => {
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  test('the mode chosen in Settings survives a reload; Reset goes back to balanced', async ({ page }) => {
    await page.goto('/?new');
    await openView(page, 'Settings');
    const view = page.getByTestId('settings-view');
    await expect(view.getByRole('radio', { name: /Balanced/ })).toBeChecked();
    await view.getByRole('radio', { name: /Privacy first/ }).check();
    await expect(page.getByTestId('settings-status')).toHaveText('Saved');
    // The radar's text alternative follows the weights (privacy-first: privacy 40 %).
    await expect(page.getByTestId('weight-privacy')).toHaveText('40 %');

    await page.reload();
    await openView(page, 'Settings');
    await expect(page.getByTestId('settings-view').getByRole('radio', { name: /Privacy first/ })).toBeChecked();
    await expect(page.getByRole('combobox', { name: 'Routing mode' })).toHaveValue('privacy-first');

    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('reset-settings').click();
    await expect(page.getByTestId('settings-view').getByRole('radio', { name: /Balanced/ })).toBeChecked();
    // The status appears once the reset is stored; reloading earlier would race the write.
    await expect(page.getByTestId('settings-status')).toHaveText('Reset to defaults');
    await page.reload();
    await openView(page, 'Settings');
    await expect(page.getByTestId('settings-view').getByRole('radio', { name: /Balanced/ })).toBeChecked();
  });

  test('privacy-first asks before a name leaves the device and keeps the answer local; balanced sends it', async ({ page, requests }) => {
    // Balanced (the default): the proof needs the cloud; the name goes out as a placeholder.
    await page.goto('/?new');
    await waitForModelReady(page);
    await waitForCloud(page);
    await send(page, PROOF);
    const cloud = await lastAnswer(page);
    await expect(cloud).toHaveAttribute('data-route', 'cloud');
    await expect(page.getByTestId('consent-dialog')).not.toBeVisible();
    const sent = requests.chatRequests().length;
    expect(sent).toBeGreaterThan(0);

    // Privacy first, chosen in the Settings view.
    await page.getByRole('button', { name: 'New chat' }).click();
    await chooseMode(page, /Privacy first/);
    await send(page, PROOF);
    const dialog = page.getByTestId('consent-dialog');
    await expect(dialog).toBeVisible({ timeout: 60_000 });
    await expect(dialog).toContainText('Send to the cloud?');
    await dialog.getByRole('button', { name: 'Keep on device' }).click();
    const local = await lastAnswer(page);
    await expect(local).toHaveAttribute('data-route', 'local');
    expect(requests.chatRequests().length).toBe(sent);
  });

  test('the dashboard draws the traces of real turns', async ({ page }) => {
    await page.goto('/?new');
    await waitForModelReady(page);
    await waitForCloud(page);
    await openView(page, 'Dashboard');
    await expect(page.getByTestId('dashboard-empty')).toBeVisible();
    const before = Number(await page.getByTestId('turn-count').textContent());
    expect(before).toBe(0);

    // Privacy first: the device always answers first and is checked, so both turns have a consistency score;
    // the proof's on-device draft fails the check and escalates to the cloud.
    await chooseMode(page, /Privacy first/);
    await send(page, 'hello');
    await expect(await lastAnswer(page)).toHaveAttribute('data-route', 'local');
    await send(page, 'Write a rigorous proof that there are infinitely many primes.');
    await expect(await lastAnswer(page)).toHaveAttribute('data-route', 'cloud');

    await openView(page, 'Dashboard');
    const dash = page.getByTestId('dashboard-view');
    await expect(dash.getByTestId('turn-count')).toHaveText(String(before + 2));
    await expect(dash.getByTestId('cloud-avoided')).not.toHaveText('0');

    const share = dash.getByTestId('chart-tier-share');
    await expect(share).toHaveAttribute('data-count', String(before + 2));
    await expect(share.locator('svg rect').first()).toBeVisible();
    await expect(share.getByRole('img')).toHaveAttribute('aria-label', /Device \d+ %.*Cloud \d+ %/);
    await share.getByText('Show as a table').click();
    await expect(share.locator('table tbody tr')).not.toHaveCount(0);

    const hist = dash.getByTestId('chart-consistency');
    expect(Number(await hist.getAttribute('data-count'))).toBeGreaterThanOrEqual(2);
    await expect(hist.locator('svg rect').first()).toBeVisible();
    await expect(hist.getByTestId('chart-consistency-threshold')).toBeAttached();

    await expect(dash.getByTestId('chart-latency')).toHaveAttribute('data-count', String(before + 2));
    await expect(dash.getByTestId('chart-live-latency')).toContainText(/faster/);
  });

  test('Export routing traces downloads JSON lines', async ({ page }) => {
    await page.goto('/?new');
    await waitForModelReady(page);
    await send(page, 'hello');
    await lastAnswer(page);
    await openView(page, 'Settings');
    const download = page.waitForEvent('download');
    await page.getByTestId('export-traces').click();
    const d = await download;
    expect(d.suggestedFilename()).toMatch(/^edgewise-traces-\d{4}-\d{2}-\d{2}\.jsonl$/);
    const text = await (await d.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
    const all = text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    // Traces, then (when this device learned anything) one line with the capability model's learned state.
    const lines = all.filter((l) => !('capabilityDevice' in l));
    expect(all.length - lines.length).toBeLessThanOrEqual(1);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    const last = lines.at(-1);
    expect(last).toMatchObject({ kind: 'greeting', mode: 'balanced' });
    expect(['local', 'edge', 'cloud']).toContain(last.finalTier);
    expect(typeof last.actual.totalMs).toBe('number');
    expect(text).not.toContain('hello'); // traces never hold message text
  });
});
