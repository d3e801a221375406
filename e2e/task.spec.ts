// A request split into steps (issue #15), end to end in the demo: the demo
// upstream plans (on the pseudonymized request) and answers the cloud steps,
// the tiny model answers the device steps, and the answer is assembled.
// Offline, the same request is planned on the device from the templates.
import type { Request } from '@playwright/test';
import { test, expect, waitForModelReady, send, lastAnswer } from './fixtures';

const EMAIL = 'maria.lopez@example.org';
const SSN = '536-22-8841';
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
    // The SSN keeps its step on the device (and the planning too); the other steps may go to the cloud.
    await send(page, `Write a report on remote work and team productivity for our leadership meeting. My SSN is ${SSN} and it must appear in the cover note.`);
    const answer = await lastAnswer(page);
    const graph = answer.getByTestId('task-graph');
    await expect(graph).toHaveAttribute('data-source', 'local-planner');
    await expect(graph.getByTestId('task-plan-reason')).toContainText(/never leaves this device/);
    const steps = graph.getByTestId('task-step');
    await expect(steps).toHaveCount(7);
    for (const s of await steps.all()) await expect(s).toHaveAttribute('data-status', 'done');
    await expect(graph.locator('[data-step="personal"]')).toHaveAttribute('data-route', 'local');
    // Steps are named by their headings in the answer; the outline (not shown) by its id.
    await expect(graph.getByTestId('task-step-name')).toHaveText(['outline', 'Background', 'For your situation', 'Analysis', 'Recommendations', 'Summary', 'final']);
    await expect(graph.locator('[data-step="final"] .after')).toHaveText('joins 5 parts');
    await expect(graph.locator('[data-step="outline"]')).toHaveAttribute('data-route', 'cloud');
    // The answer is the steps' outputs, assembled: a cloud step's demo text and the device's personal part.
    const text = answer.getByTestId('assistant-text');
    await expect(text).toContainText('[Demo cloud]');
    await expect(text.locator('h3')).toHaveText(['Summary', 'Background', 'Analysis', 'Recommendations', 'For your situation']);
    const personal = graph.locator('[data-step="personal"]');
    await personal.locator('summary').click();
    const personalOut = (await personal.getByTestId('task-step-output').textContent())!.trim();
    expect(personalOut.length).toBeGreaterThan(0);
    await expect(answer.getByTestId('route-reason')).toContainText(/^Split into 7 steps/);
    await expect(graph.getByTestId('task-predicted')).toHaveText(/^Predicted \d+\.\d s as steps · \d+\.\d s all in the cloud · \d+\.\d s all on this device · \d+ % of the text written on this device$/);
    // A step's reason says what happened to it: a step answered in the cloud never reads "On device is faster".
    for (const s of await graph.locator('[data-route="cloud"]').all()) await expect(s.locator('summary')).not.toHaveText(/^On device/);
    const bodies = chatBodies(outbound);
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.some((b) => b.includes(SSN))).toBe(false);
    expect(bodies.some((b) => b.includes('EDGEWISE-TASK-PLANNER'))).toBe(false);
    // The steps' own headings reach the cloud as written (the NER's "Analysis" is not the user's name).
    expect(bodies.some((b) => b.includes('\\"Analysis\\" section'))).toBe(true);
    expect(bodies.filter((b) => b.includes('<PERSON_'))).toEqual([]);
  });

  test('the demo upstream plans on the pseudonymized request; every step runs and the answer is assembled', async ({ page }) => {
    await send(page, REPORT);
    const answer = await lastAnswer(page);
    const graph = answer.getByTestId('task-graph');
    await expect(graph).toHaveAttribute('data-source', 'cloud-planner');
    const steps = graph.getByTestId('task-step');
    await expect(steps).toHaveCount(7);
    for (const s of await steps.all()) await expect(s).toHaveAttribute('data-status', 'done');
    await expect(answer.getByTestId('assistant-text')).toContainText('[Demo cloud]');
    const outline = graph.locator('[data-step="outline"]');
    await outline.locator('summary').click();
    await expect(outline.getByTestId('task-step-output')).not.toBeEmpty();
    const bodies = chatBodies(outbound);
    expect(bodies.some((b) => b.includes('EDGEWISE-TASK-PLANNER') && b.includes('<EMAIL_1>'))).toBe(true);
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
