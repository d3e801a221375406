import { describe, expect, it } from 'vitest';
import { demoAnswer } from './demo-upstream';
import { plannerMessages, validateGraph } from '../src/core/task';

describe('demo upstream as the task planner', () => {
  it('answers a planner request with a valid graph, keeping placeholders in the step that needs them', () => {
    const reply = demoAnswer(plannerMessages('Write a report on remote work. Send questions to <EMAIL_1>.'));
    const check = validateGraph(reply);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.graph.nodes.filter((n) => n.prompt.includes('<EMAIL_1>')).map((n) => n.id)).toEqual(['personal']);
  });
  it('answers an ordinary request as before', () => {
    expect(demoAnswer([{ role: 'user', content: 'hello' }])).toMatch(/^\[Demo cloud\] Hello!/);
  });
});
