// A request split into steps (issue #15), end to end in the demo: the demo
// upstream plans (on the pseudonymized request) and answers the cloud steps,
// the tiny model answers the device steps, and the answer is assembled.
// Offline, the same request is planned on the device from the templates.
import type { Request } from '@playwright/test';
import { test, expect, waitForModelReady, send, lastAnswer } from './fixtures';

const EMAIL = 'maria.lopez@example.org';
const REPORT = `Write a report on remote work and team productivity for our leadership meeting. Send questions to ${EMAIL}.`;

const chatBodies = (rs: Request[]) => rs.filter((r) => r.url().includes('/v1/chat/completions')).map((r) => r.postData() ?? '');

test.describe('split into steps', () => {
  let outbound: Request[];
  test.beforeEach(async ({ page, context }) => {
    outbound = [];
    context.on('request', (r) => outbound.push(r));
    await page.request.post('/__demo/__control', { data: { reset: true } });
    await page.goto('/?new');
    await waitForModelReady(page);
    await expect(page.getByTestId('split-toggle')).toBeChecked(); // balanced: on by default
  });

  test('a report shows the graph, runs steps on the device and in the cloud, and assembles the answer', async ({ page }) => {
    await send(page, REPORT);
    const answer = await lastAnswer(page);
    const graph = answer.getByTestId('task-graph');
    await expect(graph).toHaveAttribute('data-source', 'cloud-planner');
    const steps = graph.getByTestId('task-step');
    await expect(steps).toHaveCount(7);
    for (const s of await steps.all()) await expect(s).toHaveAttribute('data-status', 'done');
    const routes = await steps.evaluateAll((els) => els.filter((e) => e.getAttribute('data-step') !== 'final').map((e) => e.getAttribute('data-route')));
    expect(routes).toContain('local');
    expect(routes).toContain('cloud');
    // The answer is the steps' outputs, assembled: a cloud step's demo text is in it.
    await expect(answer.getByTestId('assistant-text')).toContainText('[Demo cloud]');
    await expect(answer.getByTestId('route-reason')).toContainText(/^Split into 7 steps/);
    // Expanding a step shows its output.
    const outline = graph.locator('[data-step="outline"]');
    await outline.locator('summary').click();
    await expect(outline.getByTestId('task-step-output')).not.toBeEmpty();
    // The planner saw the pseudonymized request; the e-mail address never left.
    const bodies = chatBodies(outbound);
    expect(bodies.some((b) => b.includes('EDGEWISE-TASK-PLANNER') && b.includes('<EMAIL_1>'))).toBe(true);
    expect(bodies.length).toBeGreaterThan(1);
    expect(bodies.some((b) => b.includes(EMAIL))).toBe(false);
  });

  test('offline, the same request is planned on the device and answered there', async ({ page, context }) => {
    await context.setOffline(true);
    await expect(page.getByTestId('network-status')).toHaveAttribute('data-online', 'false');
    const before = outbound.length;
    await send(page, REPORT);
    const answer = await lastAnswer(page);
    const graph = answer.getByTestId('task-graph');
    await expect(graph).toHaveAttribute('data-source', 'local-planner');
    await expect(graph.getByTestId('task-plan-reason')).toContainText(/cannot be reached.*template \(a report\)/);
    const steps = graph.getByTestId('task-step');
    await expect(steps).toHaveCount(7);
    for (const s of await steps.all()) {
      await expect(s).toHaveAttribute('data-status', 'done');
      await expect(s).toHaveAttribute('data-route', 'local');
    }
    await expect(answer.getByTestId('assistant-text')).not.toBeEmpty();
    expect(chatBodies(outbound.slice(before))).toEqual([]);
  });
});
