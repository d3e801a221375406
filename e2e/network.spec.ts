import type { Page } from '@playwright/test';
import { test, expect, waitForModelReady, send, lastAnswer } from './fixtures';

// The network monitor and the latency panel (NetworkPanel: data-testid
// "latency-panel", "rtt-ms", "predicted-local-ms", "predicted-cloud-ms") against
// the demo server, whose cloud tier is the in-process demo upstream.

const isPing = (u: string) => new URL(u).pathname === '/v1/ping';
const isChat = (u: string) => new URL(u).pathname === '/v1/chat/completions';

/** The panel may sit in a collapsed <details>: open it so its buttons can be used. */
async function openPanel(page: Page) {
  const panel = page.getByTestId('latency-panel');
  await expect(panel).toBeAttached();
  await panel.evaluate((el) => {
    for (let d = el.closest('details'); d; d = d.parentElement?.closest('details') ?? null) d.open = true;
  });
  await expect(panel).toBeVisible();
  return panel;
}

async function numberIn(page: Page, testid: string): Promise<number> {
  const t = (await page.getByTestId(testid).textContent())?.trim() ?? '';
  return /^\d+$/.test(t) ? Number(t) : NaN;
}

/** Chromium network emulation (CDP): every request of the page pays `latency` ms. */
async function networkEmulation(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  return (latency: number) => cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency, downloadThroughput: -1, uploadThroughput: -1,
  });
}

test.describe('network monitor and latency panel', () => {
  test('injected network latency shows up in the probes, the panel RTT and the cloud prediction', async ({ page, requests }) => {
    const setLatency = await networkEmulation(page);
    await setLatency(400);
    await page.goto('/');
    const panel = await openPanel(page);
    // The first probe runs at once; every probe pays the injected latency.
    await expect.poll(() => numberIn(page, 'rtt-ms'), { timeout: 20_000 }).toBeGreaterThanOrEqual(400);
    expect(requests.urls.some(isPing)).toBe(true);
    await expect(panel.getByTestId('cloud-state')).toHaveText('Ready');

    await page.getByRole('textbox', { name: 'Message' }).fill('Explain how photosynthesis converts light into chemical energy');
    await expect.poll(() => numberIn(page, 'predicted-cloud-ms')).toBeGreaterThanOrEqual(400);
    await expect.poll(() => numberIn(page, 'predicted-local-ms')).toBeGreaterThan(0);
    const slowCloud = await numberIn(page, 'predicted-cloud-ms');

    // Latency removed: a fresh probe sees it at once, the smoothed RTT and the prediction follow.
    await setLatency(0);
    const before = await numberIn(page, 'rtt-ms');
    const probe = page.waitForResponse((r) => isPing(r.url()));
    await panel.getByRole('button', { name: 'Measure now' }).click();
    await probe;
    await expect.poll(() => numberIn(page, 'rtt-last-ms')).toBeLessThan(200);
    await expect.poll(() => numberIn(page, 'rtt-ms')).toBeLessThan(before);
    await expect.poll(() => numberIn(page, 'predicted-cloud-ms')).toBeLessThan(slowCloud);
  });

  test('offline: the monitor says offline and nothing is sent to the proxy until back online', async ({ page, context, requests }) => {
    // A controllable clock, so "no probe for a minute" needs no real minute.
    await page.clock.install();
    await page.goto('/');
    await waitForModelReady(page);
    const panel = await openPanel(page);
    await expect.poll(() => numberIn(page, 'rtt-ms')).toBeGreaterThanOrEqual(0);

    await context.setOffline(true);
    const status = page.getByTestId('network-status');
    await expect(status).toHaveAttribute('data-online', 'false');
    await expect(status).toContainText('Offline');
    await expect(panel).toHaveAttribute('data-online', 'false');
    await expect(panel.getByTestId('cloud-state')).toHaveText('Offline');
    await expect(panel.getByRole('button', { name: 'Measure now' })).toBeDisabled();
    const sinceOffline = requests.urls.length;

    // A turn while offline is answered without the proxy.
    await send(page, 'Explain how photosynthesis converts light into chemical energy');
    await lastAnswer(page);
    // Four probe periods pass: no probe may go out.
    await page.clock.runFor(60_000);
    const sent = requests.urls.slice(sinceOffline);
    expect(sent.filter(isPing)).toEqual([]);
    expect(sent.filter(isChat)).toEqual([]);

    // Back online: the monitor probes at once.
    const probe = page.waitForRequest((r) => isPing(r.url()));
    await context.setOffline(false);
    await probe;
    await expect(status).toHaveAttribute('data-online', 'true');
    await expect(panel.getByTestId('cloud-state')).toHaveText('Ready');
  });
});
