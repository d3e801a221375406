import { test as base, expect, type Page } from '@playwright/test';

/** Every request a page (or its workers) makes, for asserting what left the device. */
export interface RequestLog {
  urls: string[];
  chatRequests: () => string[];
}

export const test = base.extend<{ requests: RequestLog }>({
  // Most specs run without the service worker so page.route sees every request;
  // the PWA specs opt back in.
  serviceWorkers: 'block',
  requests: async ({ context }, use) => {
    const urls: string[] = [];
    context.on('request', (r) => urls.push(r.url()));
    await use({ urls, chatRequests: () => urls.filter((u) => u.includes('/v1/chat/completions')) });
  },
});

export { expect };

export async function waitForModelReady(page: Page): Promise<void> {
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 });
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

/** The last assistant message, once it has finished streaming and checking. */
export async function lastAnswer(page: Page) {
  const msg = page.getByTestId('assistant-message').last();
  await expect(msg).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  return msg;
}
