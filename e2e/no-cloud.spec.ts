// A deployment with no cloud configured: the proxy still serves the app, the
// app says "cloud not configured" and answers everything on the device.
import path from 'node:path';
import { startServer, type RunningServer } from '../server/node.ts';
import { test, expect, waitForModelReady, send, lastAnswer } from './fixtures';

const ROOT = path.resolve(import.meta.dirname, '..');
let server: RunningServer;

test.beforeAll(async () => {
  server = await startServer({
    port: 0,
    log: () => {},
    staticDir: path.join(ROOT, 'dist'),
    // No CLOUD_BASE_URL, no ANTHROPIC_API_KEY, no EDGE_BASE_URL, no demo upstream.
    env: { MODELS_DIR: path.join(ROOT, 'models'), APP_CONFIG_FILE: path.join(ROOT, 'public/config.demo.json') },
  });
});
test.afterAll(async () => server?.close());

test('no cloud configured: the app says so and routes every turn to the device', async ({ page, requests }) => {
  await page.goto(server.url);
  await waitForModelReady(page);
  await expect(page.getByTestId('network-status')).toHaveAttribute('data-cloud', 'none');
  await expect(page.getByTestId('network-status')).toContainText('Cloud not configured');
  await send(page, 'Give a rigorous proof that there are infinitely many primes.');
  const answer = await lastAnswer(page);
  await expect(answer).toHaveAttribute('data-route', 'local');
  await expect(answer.getByTestId('route-reason')).toContainText(/on device/i);
  expect(requests.chatRequests()).toEqual([]);
});
