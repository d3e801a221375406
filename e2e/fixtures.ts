import { test as base, expect, type Page } from '@playwright/test';

/** Every request a page (or its workers) makes, for asserting what left the device. */
export interface RequestLog {
  urls: string[];
  chatRequests: () => string[];
}

/**
 * The device's token rates every spec's app plans with (a laptop running the
 * tiny demo model), instead of what the warm-up measures: a routing outcome
 * must not depend on how busy this machine is (src/app/test-hooks.ts; demo
 * config only). Override with `test.use({ deviceRates: null })` to measure.
 */
export const PINNED_DEVICE_RATES = { prefillTps: 800, decodeTps: 90 };

export const test = base.extend<{ requests: RequestLog; deviceRates: typeof PINNED_DEVICE_RATES | null }>({
  // Most specs run without the service worker so page.route sees every request;
  // the PWA specs opt back in.
  serviceWorkers: 'block',
  deviceRates: [PINNED_DEVICE_RATES, { option: true }],
  context: async ({ context, deviceRates }, use) => {
    if (deviceRates) {
      await context.addInitScript((rates) => {
        (globalThis as Record<string, unknown>).__EDGEWISE_TEST_HOOKS__ = { deviceRates: rates };
      }, deviceRates);
    }
    await use(context);
  },
  requests: async ({ context }, use) => {
    const urls: string[] = [];
    context.on('request', (r) => urls.push(r.url()));
    await use({ urls, chatRequests: () => urls.filter((u) => u.includes('/v1/chat/completions')) });
  },
});

export { expect };

export async function waitForModelReady(page: Page): Promise<void> {
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 180_000 });
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

/** The last assistant message, once it has finished streaming and checking. */
export async function lastAnswer(page: Page) {
  const msg = page.getByTestId('assistant-message').last();
  await expect(msg).toHaveAttribute('aria-busy', 'false', { timeout: 120_000 });
  return msg;
}

/**
 * Holds the demo chat model's weights back so the device stays loading; returns
 * the release (until it is called the file never arrives).
 */
export async function holdChatModel(page: Page): Promise<() => void> {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/models/tiny-lm/onnx/model.onnx', async (route) => {
    await held;
    await route.continue();
  });
  return release;
}
