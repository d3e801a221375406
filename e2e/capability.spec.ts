// The capability model in the browser: the same score as in Node for the same
// turn, and feedback that changes the next decision for the same kind of query.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page, Request } from '@playwright/test';
import { test, expect, waitForModelReady, send, lastAnswer } from './fixtures';
import { CapabilityModel } from '../src/core/capability/model/model';
import { deviceEstimate } from '../src/core/capability/model/device-prior';

const prior = CapabilityModel.parse(readFileSync(fileURLToPath(new URL('../models/capability/default.json', import.meta.url)), 'utf8'));

type Turn = { query: string; answer?: string; rerank?: number };
type Hooks = { __edgewise: { capability: { score(t: Turn, stage: 'before' | 'after'): { p: number } } } };

async function browserScore(page: Page, t: Turn, stage: 'before' | 'after'): Promise<number> {
  return page.evaluate(([turn, st]) => (globalThis as unknown as Hooks).__edgewise.capability.score(turn, st).p, [t, stage] as const);
}

test.describe('capability model', () => {
  let outbound: Request[];
  test.beforeEach(async ({ page, context }) => {
    outbound = [];
    context.on('request', (r) => outbound.push(r));
    const res = await page.request.post('/__demo/__control', { data: { reset: true } });
    expect(res.ok()).toBe(true);
    await page.goto('/');
    await waitForModelReady(page);
  });

  test('the browser and Node give the same score for the same turn', async ({ page }) => {
    const turns: Turn[] = [
      { query: 'hello' },
      { query: 'Give a rigorous proof that there are infinitely many primes.', answer: 'Suppose 2 + 2 = 5. Then…', rerank: 0.3 },
      { query: 'James runs 3 sprints of 60 meters, 3 times a week. How many meters a week?', answer: '3 x 60 = <<3*60=180>>180\n180 * 3 = 540\n#### 540', rerank: 0.9 },
      { query: 'Quelle est la capitale de la France ? Réponds en un mot.', answer: 'Paris', rerank: 0.71 },
    ];
    for (const t of turns) {
      for (const stage of ['before', 'after'] as const) {
        if (stage === 'after' && t.answer === undefined) continue;
        const node = deviceEstimate(prior, t, stage).p;
        // Same code, same weights; two JS engines may differ in the last bit of Math.exp.
        expect(await browserScore(page, t, stage)).toBeCloseTo(node, 12);
      }
    }
  });

  test('a thumbs down on a kept on-device answer sends the next question of that kind to the cloud', async ({ page }) => {
    const chat = () => outbound.filter((r) => r.url().includes('/v1/chat/completions')).length;
    await send(page, 'What is the capital of France?');
    const first = await lastAnswer(page);
    await expect(first).toHaveAttribute('data-route', 'local');
    await expect(first.getByTestId('route-reason')).toContainText(/^Answered on device: it passed the quality check/);
    await expect(first.getByTestId('route-details')).toContainText(/judged good with probability \d\.\d\d \(accepted at 0\.60 or more\)/);
    expect(chat()).toBe(0);
    const before = await browserScore(page, { query: 'What is the capital of France?' }, 'before');

    await first.getByTestId('thumbs-down').click();
    await expect(first.getByTestId('thumbs-down')).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => browserScore(page, { query: 'What is the capital of France?' }, 'before')).toBeLessThan(before);

    await send(page, 'What is the capital of France?');
    await expect(page.getByTestId('assistant-message')).toHaveCount(2);
    const second = await lastAnswer(page);
    await expect(second).toHaveAttribute('data-route', 'cloud');
    expect(chat()).toBe(1);

    // The label survives a reload (IndexedDB) and Settings can forget it.
    await page.reload();
    await waitForModelReady(page);
    expect(await browserScore(page, { query: 'What is the capital of France?' }, 'before')).toBeLessThan(before);
    await page.getByRole('button', { name: /settings/i }).first().click();
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('reset-learning').click();
    await expect(page.getByTestId('learning-note')).toContainText('Back to the shipped capability model');
    expect(await browserScore(page, { query: 'What is the capital of France?' }, 'before')).toBe(before);
  });
});
