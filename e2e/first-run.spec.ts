// The first five minutes on a phone and a laptop (issue #16): an honest
// loading bar, a first message that says what it waits for and gets its route
// badge only once the route is final, a phone drawer that behaves like a
// modal, and sidebar titles without the personal data typed.
import type { Page } from '@playwright/test';
import { test, expect, waitForModelReady, send, lastAnswer } from './fixtures';

const PHONE = { width: 390, height: 844 };

/** Records, from the first paint on, every loading-bar value and every change of an answer's route. */
async function watchPage(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = globalThis as unknown as Record<string, unknown>;
    const bar: { pct: number; phase: string | null; text: string }[] = [];
    const routes: { old: string | null; value: string | null }[] = [];
    const stages = new Set<string>();
    let badgeBeforeRoute = false;
    Object.assign(w, { __bar: bar, __routes: routes, __stages: stages });
    const look = () => {
      const p = document.querySelector('[data-testid="load-progress"]');
      if (p) {
        const text = document.querySelector('[data-testid="load-phase"]')?.textContent ?? '';
        bar.push({ pct: Number(p.getAttribute('data-pct')), phase: document.querySelector('[data-testid="model-status"]')?.getAttribute('data-phase') ?? null, text });
      }
      for (const m of document.querySelectorAll('[data-testid="assistant-message"]')) {
        if (!m.hasAttribute('data-route') && m.querySelector('[data-testid="route-badge"]')) badgeBeforeRoute = true;
        const s = m.querySelector('[data-testid="pending-stage"]')?.textContent?.trim();
        if (s) stages.add(s);
      }
      w.__badgeBeforeRoute = badgeBeforeRoute;
    };
    new MutationObserver((muts) => {
      for (const m of muts) {
        if (m.type === 'attributes' && m.attributeName === 'data-route') {
          routes.push({ old: m.oldValue, value: (m.target as Element).getAttribute('data-route') });
        }
      }
      look();
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeOldValue: true, characterData: true });
  });
}

const read = <T>(page: Page, name: string) => page.evaluate((n) => {
  const v = (globalThis as unknown as Record<string, unknown>)[n];
  return (v instanceof Set ? [...v] : v) as unknown;
}, name) as Promise<T>;

for (const device of ['phone', 'laptop'] as const) {
  test.describe(`first run on a ${device}`, () => {
    if (device === 'phone') test.use({ viewport: PHONE, isMobile: true, hasTouch: true });

    test('the loading bar never shows 100 % before the model is ready and never goes back', async ({ page }) => {
      await watchPage(page);
      await page.goto('/?new');
      await waitForModelReady(page);
      const bar = await read<{ pct: number; phase: string; text: string }[]>(page, '__bar');
      expect(bar.length).toBeGreaterThan(0);
      for (const b of bar) expect(b.pct).toBeLessThan(100);
      const pcts = bar.map((b) => b.pct);
      expect(pcts).toEqual([...pcts].sort((a, b) => a - b));
      // Once ready, the bar is gone (not parked at 100 %).
      await expect(page.getByTestId('load-progress')).toHaveCount(0);
      // The demo runs the tiny ONNX model (≈ 4 MB) on WASM: the bar's byte total
      // also counts the ONNX Runtime's plain wasm (13.6 MB), which the worker
      // fetches before the model's files.
      await expect(page.getByTestId('model-status')).toHaveAttribute('data-engine', 'onnx');
      const totals = bar.flatMap((b) => [...b.text.matchAll(/of ([\d.]+) MB/g)].map((m) => Number(m[1])));
      expect(totals.length).toBeGreaterThan(0);
      expect(Math.max(...totals)).toBeGreaterThanOrEqual(13.6 + 3.5);
      // Downloading named bytes before the bar left its download part.
      expect(bar.some((b) => /Downloading the model/.test(b.text) && b.pct < 80)).toBe(true);
    });

    test('a first message sent while loading shows its stage, and its route badge only once the route is final', async ({ page }) => {
      await watchPage(page);
      await page.goto('/?new');
      await send(page, 'hello');
      const answer = await lastAnswer(page);
      // Answered as soon as possible: on the device, or in the cloud while the device is still loading.
      const route = await answer.getAttribute('data-route');
      expect(['local', 'cloud']).toContain(route);
      await expect(answer.getByTestId('route-badge')).toHaveText(route === 'local' ? 'On device' : 'Cloud');
      // Set once (from nothing), never changed afterwards.
      const routes = await read<{ old: string | null; value: string | null }[]>(page, '__routes');
      expect(routes).toEqual([{ old: null, value: route }]);
      expect(await read<boolean>(page, '__badgeBeforeRoute')).toBe(false);
      // The pending bubble said what the turn was doing.
      const stages = await read<string[]>(page, '__stages');
      expect(stages.some((s) => /privacy checker|Checking privacy|Deciding where to answer|Answering on device/.test(s))).toBe(true);
    });

    test('a cloud answer is badged Cloud once, never "On device" first', async ({ page }) => {
      await watchPage(page);
      await page.goto('/?new');
      await waitForModelReady(page);
      await send(page, 'Give a rigorous proof that there are infinitely many primes.');
      const answer = await lastAnswer(page);
      await expect(answer).toHaveAttribute('data-route', 'cloud');
      expect(await read<unknown[]>(page, '__routes')).toEqual([{ old: null, value: 'cloud' }]);
      expect(await read<boolean>(page, '__badgeBeforeRoute')).toBe(false);
      // A plain sentence; the numbers are behind "Details".
      await expect(answer.getByTestId('route-reason')).not.toContainText(/\d|≥|P\(accept\)|sent to the cloud/i);
    });

    test('sidebar titles carry none of the personal data typed', async ({ page }) => {
      await page.goto('/?new');
      await waitForModelReady(page);
      await send(page, 'My card is 4111 1111 1111 1111 and my e-mail is alice@example.com, is that safe?');
      await lastAnswer(page);
      if (device === 'phone') await page.getByRole('button', { name: 'Conversations' }).click();
      const item = page.getByTestId('conversation-item').first();
      await expect(item).toContainText('[card number]');
      await expect(item).not.toContainText('4111');
      await expect(item).not.toContainText('alice@example.com');
    });
  });
}

test.describe('the phone drawer', () => {
  test.use({ viewport: PHONE, isMobile: true, hasTouch: true });

  test('closes on Escape and on a tap outside, returns focus, keeps focus inside, and leaves the header usable', async ({ page }) => {
    await page.goto('/?new');
    const toggle = page.getByRole('button', { name: 'Conversations' });
    await toggle.click();
    const drawer = page.getByTestId('drawer');
    await expect(drawer).toBeVisible();
    await expect(page.getByTestId('drawer-backdrop')).toBeVisible();
    // The mode selector and New chat stay visible and reachable above the drawer.
    for (const el of [page.getByRole('combobox', { name: 'Routing mode' }), page.getByRole('button', { name: 'New chat' })]) {
      const box = (await el.boundingBox())!;
      const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('header') !== null, [box.x + box.width / 2, box.y + box.height / 2]);
      expect(hit).toBe(true);
    }
    // Focus moved into the drawer and Tab cannot leave it.
    await expect(drawer.locator(':focus')).toHaveCount(1);
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      await expect(drawer.locator(':focus')).toHaveCount(1);
    }
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
    await expect(toggle).toBeFocused();

    await toggle.click();
    await expect(drawer).toBeVisible();
    // A tap on the backdrop, to the right of the drawer.
    const vp = page.viewportSize()!;
    await page.mouse.click(vp.width - 10, vp.height / 2);
    await expect(drawer).toBeHidden();
    await expect(toggle).toBeFocused();
  });

  test('choosing a view by keyboard moves focus to that view', async ({ page }) => {
    await page.goto('/?new');
    await page.getByRole('button', { name: 'Conversations' }).click();
    await page.getByTestId('drawer').getByRole('button', { name: 'Settings' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('drawer')).toBeHidden();
    await expect(page.locator('#main')).toBeFocused();
  });
});

test('a skip link leads straight to the message box', async ({ page }) => {
  await page.goto('/?new');
  const skip = page.getByRole('link', { name: 'Skip to the message box' });
  await expect(skip).toBeAttached(); // the app has mounted
  await page.keyboard.press('Tab');
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
});
