import { describe, expect, it } from 'vitest';
import { assembleAnswer, listedParts, planLocally, simulate, stepMessage, validateGraph, MAX_NODES, type TaskGraph } from './index';

const node = (id: string, deps: string[] = [], kind?: string) => ({ id, prompt: `do ${id}`, deps, ...(kind ? { kind } : {}) });

describe('planner output validation → single turn with a reason', () => {
  it('accepts a well-formed graph, from JSON text inside a code block too', () => {
    const g = { nodes: [node('a'), node('b'), node('c', ['a', 'b'])], final: 'c' };
    const r = validateGraph('Here you go:\n```json\n' + JSON.stringify(g) + '\n```');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.graph.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['wrong JSON', 'Sure! Step one: outline. Step two: write.', /did not answer with JSON/],
    ['a cycle', { nodes: [node('a', ['c']), node('b', ['a']), node('c', ['b'])], final: 'c' }, /circle \(a → c → b → a\)/],
    ['an unknown dependency', { nodes: [node('a'), node('b', ['zzz'])], final: 'b' }, /step "b" depends on an unknown step "zzz"/],
    ['too many steps', { nodes: Array.from({ length: MAX_NODES + 1 }, (_, i) => node(`s${i}`)), final: 's0' }, /9 steps \(at most 8\)/],
    ['a missing final step', { nodes: [node('a')], final: 'b' }, /final step "b" is not in the plan/],
    ['a self-dependency', { nodes: [node('a', ['a'])], final: 'a' }, /depends on itself/],
    ['duplicate ids', { nodes: [node('a'), node('a')], final: 'a' }, /share the id "a"/],
    ['a step that leads nowhere', { nodes: [node('a'), node('b')], final: 'b' }, /"a" does not lead to the final answer/],
    ['an empty prompt', { nodes: [{ id: 'a', prompt: '  ', deps: [] }], final: 'a' }, /nodes\.0\.prompt: a step has an empty prompt/],
    ['an unknown kind', { nodes: [{ ...node('a'), kind: 'poem' }], final: 'a' }, /nodes\.0\.kind/],
  ])('rejects %s', (_what, raw, reason) => {
    const r = validateGraph(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('local planner (templates)', () => {
  it('report → outline and background from the request at once, the rest after the outline only, assembled', () => {
    const p = planLocally('Write a report on remote work and team productivity.');
    expect(p.source).toBe('local-planner');
    expect(p.graph.nodes.map((n) => [n.id, n.kind, n.deps])).toEqual([
      ['outline', 'outline', []],
      ['background', 'section', []], // the device can start at once
      ['analysis', 'analysis', ['outline']],
      ['recommendations', 'section', ['outline']],
      ['summary', 'summary', ['outline']], // the outline's key points are its digest
      ['final', 'assemble', ['summary', 'background', 'analysis', 'recommendations']],
    ]);
    expect(p.graph.nodes.find((n) => n.id === 'summary')!.prompt).toMatch(/from the key points in its outline/);
    for (const n of p.graph.nodes.filter((x) => x.kind !== 'assemble')) expect(n.prompt).toContain('remote work and team productivity');
    expect(validateGraph(p.graph).ok).toBe(true);
  });

  it('a private sentence goes only to the personal step, whole (a value with dots is not cut)', () => {
    const text = 'Draft a proposal for our bakery. Contact me at maria.lopez@example.org for the follow-up.';
    const start = text.indexOf('maria');
    const p = planLocally(text, [{ start, end: start + 'maria.lopez@example.org'.length }]);
    const holding = p.graph.nodes.filter((n) => n.prompt.includes('maria.lopez@example.org')).map((n) => n.id);
    expect(holding).toEqual(['personal']);
    expect(p.graph.nodes.filter((n) => n.prompt.includes('maria')).map((n) => n.id)).toEqual(['personal']);
  });

  it('compare A and B → facts on each and the comparison in parallel, assembled', () => {
    const p = planLocally('Compare PostgreSQL and MySQL for a small analytics startup.');
    expect(p.graph.nodes.map((n) => [n.id, n.deps])).toEqual([['a', []], ['b', []], ['compare', []], ['final', ['a', 'b', 'compare']]]);
    expect(p.graph.final).toBe('final');
    expect(p.graph.nodes[2].prompt).toMatch(/Compare PostgreSQL and MySQL .*recommendation/);
    expect(validateGraph(p.graph).ok).toBe(true);
    expect(p.graph.nodes[0].prompt).toMatch(/about PostgreSQL/);
    expect(p.graph.nodes[1].prompt).toMatch(/about MySQL/);
  });

  it('several questions → one step each; a private statement goes with the next question only', () => {
    const text = 'How do I replace a lost card? My number is 536-22-8841. Which documents do I need? Can I do it online?';
    const at = text.indexOf('536');
    const p = planLocally(text, [{ start: at, end: at + 11 }]);
    expect(p.graph.nodes.map((n) => n.id)).toEqual(['q1', 'q2', 'q3', 'final']);
    expect(p.graph.nodes.filter((n) => n.prompt.includes('536-22-8841')).map((n) => n.id)).toEqual(['q2']);
  });

  it('a question that points back ("its", "an example") gets the earlier questions as context, never a private one', () => {
    const q = planLocally('1) What is a hash map? 2) Give an example in Python. 3) What is its time complexity?').graph;
    const at = (id: string) => q.nodes.find((n) => n.id === id)!;
    expect(at('q1').prompt).toBe('What is a hash map?');
    expect(at('q3').prompt).toBe('Earlier questions (answered separately): What is a hash map? Give an example in Python. Answer only this one: What is its time complexity?');
    expect(at('q3').ask).toBe('What is its time complexity?');
    // A bulleted list of things to do: items, not questions.
    const b = planLocally('For the launch:\n- a slogan\n- a price list\n- an opening-day checklist').graph;
    expect(b.nodes.find((n) => n.id === 'q3')!.prompt).toBe('For the launch: Earlier items of the request (handled separately): a slogan a price list Do only this one: an opening-day checklist');
    const text = 'Is my card 4111 1111 1111 1111 still valid? How do I renew a card? What does it cost?';
    const s = text.indexOf('4111');
    const p = planLocally(text, [{ start: s, end: s + 19 }]).graph;
    expect(p.nodes.filter((n) => n.prompt.includes('4111')).map((n) => n.id)).toEqual(['q1']);
    expect(p.nodes.find((n) => n.id === 'q3')!.prompt).toBe('Earlier questions (answered separately): How do I renew a card? Answer only this one: What does it cost?');
  });

  it('listed deliverables → one step each with the request as context; a private sentence to its own step', () => {
    const text = 'I need three things for my bakery launch: a slogan, a price list and an opening-day checklist. Call me at 415-555-0134.';
    const s = text.indexOf('415');
    const p = planLocally(text, [{ start: s, end: s + 12 }]);
    expect(p.source).toBe('local-planner');
    expect(p.reason).toMatch(/template \(3 parts\)/);
    expect(p.graph.nodes.map((n) => [n.id, n.title ?? null, n.deps])).toEqual([
      ['p1', 'Slogan', []], ['p2', 'Price list', []], ['p3', 'Opening-day checklist', []], ['personal', 'For your situation', []], ['final', null, ['p1', 'p2', 'p3', 'personal']],
    ]);
    const p2 = p.graph.nodes.find((n) => n.id === 'p2')!;
    expect(p2.prompt).toBe('I need three things for my bakery launch: a slogan, a price list and an opening-day checklist. (Each part is written separately.) Write only this part: a price list.');
    expect(p2.ask).toBe('I need three things for my bakery launch: a price list');
    expect(p.graph.nodes.filter((n) => n.prompt.includes('415-555-0134')).map((n) => n.id)).toEqual(['personal']);
  });

  it('a private detail inside the list stays with the parts (their privacy decides), not in a step of its own', () => {
    const text = 'For my move to 12 Elm Street: a packing plan, a change-of-address checklist and a budget.';
    const s = text.indexOf('12 Elm');
    const p = planLocally(text, [{ start: s, end: s + 13 }]).graph;
    expect(p.nodes.map((n) => n.id)).toEqual(['p1', 'p2', 'p3', 'final']);
    expect(p.nodes.filter((n) => n.prompt.includes('12 Elm Street')).map((n) => n.id)).toEqual(['p1', 'p2', 'p3']);
  });

  it.each([
    ['Help me plan a trip to Japan: an itinerary for 7 days, a budget estimate, and a packing list.', ['an itinerary for 7 days', 'a budget estimate', 'a packing list']],
    ['Summarize the causes of WW1, then list the key battles, and finally explain the treaty of Versailles.', ['Summarize the causes of WW1', 'list the key battles', 'explain the treaty of Versailles']],
    ['First, explain what DNS is; then describe how a lookup works.', ['explain what DNS is', 'describe how a lookup works']],
    ['For the wedding: draft the invitation text, make a seating plan for 60 guests, and suggest a timeline.', ['draft the invitation text', 'make a seating plan for 60 guests', 'suggest a timeline']],
  ])('finds the parts of "%s"', (text, parts) => {
    expect(listedParts(text)?.parts).toEqual(parts);
  });

  it.each([
    'Translate into French: good morning, thank you, see you later.',
    'Explain recursion and give an example.',
    'Ingredients: flour, sugar, eggs and butter.',
    'The meeting covers three topics: budget, hiring and the roadmap.',
    'I went to Paris, then to Rome, and finally to Berlin.',
  ])('does not split "%s" into parts', (text) => {
    expect(listedParts(text)).toBeNull();
  });

  it('a simple question is not split, and says why', () => {
    const p = planLocally('What year did the Berlin Wall fall?');
    expect(p.source).toBe('single');
    expect(p.graph.nodes).toHaveLength(1);
    expect(p.reason).toMatch(/one step/);
  });
});

describe('scheduler simulation (latency model)', () => {
  const steps = [
    { id: 'o', deps: [], lane: 'remote' as const, ms: 2000 },
    { id: 's1', deps: ['o'], lane: 'device' as const, ms: 3000 },
    { id: 's2', deps: ['o'], lane: 'device' as const, ms: 1000 },
    { id: 's3', deps: ['o'], lane: 'remote' as const, ms: 2500 },
    { id: 'f', deps: ['s1', 's2', 's3'], lane: 'none' as const, ms: 0 },
  ];

  it('the device runs one step at a time, remote steps in parallel; the critical path is named', () => {
    const s = simulate(steps);
    const at = Object.fromEntries(s.steps.map((x) => [x.id, [x.startMs, x.endMs]]));
    expect(at.s3).toEqual([2000, 4500]);
    expect(at.s1).toEqual([2000, 5000]); // longest path first
    expect(at.s2).toEqual([5000, 6000]);
    expect(s.makespanMs).toBe(6000);
    expect(s.criticalPath).toEqual(['o', 's1', 's2', 'f']);
  });

  it('the remote limit queues the fourth parallel step', () => {
    const par = [1, 2, 3].map((i) => ({ id: `r${i}`, deps: [], lane: 'remote' as const, ms: 1000 }));
    expect(simulate(par, 2).makespanMs).toBe(2000);
    expect(simulate(par, 3).makespanMs).toBe(1000);
  });
});

describe('step messages and the assembled answer', () => {
  const g: TaskGraph = { nodes: [node('a'), node('b'), { ...node('f', ['a', 'b']), kind: 'assemble' }], final: 'f' } as TaskGraph;
  it('a step sees its prompt and its dependencies’ outputs, nothing else', () => {
    const m = stepMessage({ prompt: 'Join them.', deps: ['a'] }, new Map([['a', 'AAA'], ['b', 'BBB']]));
    expect(m.content).toContain('AAA');
    expect(m.content).not.toContain('BBB');
  });
  it('an assembly joins its dependencies in order', () => {
    expect(assembleAnswer(g, new Map([['b', 'second'], ['a', 'first']]))).toBe('first\n\nsecond');
  });
  it('each part goes under its title; a model\'s own repeat of the title is dropped, an empty part left out', () => {
    const titled: TaskGraph = {
      nodes: [{ ...node('s'), title: 'Summary' }, { ...node('b'), title: 'Background' }, { ...node('x'), title: 'Empty' }, { ...node('f', ['s', 'b', 'x']), kind: 'assemble' }],
      final: 'f',
    } as TaskGraph;
    const outputs = new Map([['s', '**Summary:**\nRemote work helps.'], ['b', '## Background\n\nTeams spread out.\nBackground matters.'], ['x', '  ']]);
    expect(assembleAnswer(titled, outputs)).toBe('### Summary\n\nRemote work helps.\n\n### Background\n\nTeams spread out.\nBackground matters.');
    // A first line that only starts with the title stays.
    expect(assembleAnswer(titled, new Map([['s', 'Summary of the findings: it helps.']]))).toBe('### Summary\n\nSummary of the findings: it helps.');
  });
  it('the local planner titles the parts of the answer; the outline has none', () => {
    const r = planLocally('Write a report on remote work. What about taxes?').graph;
    expect(r.nodes.map((n) => [n.id, n.title ?? null])).toEqual([
      ['outline', null], ['background', 'Background'], ['analysis', 'Analysis'], ['recommendations', 'Recommendations'], ['summary', 'Summary'], ['final', null],
    ]);
    const q = planLocally('What is DNS? How does TLS work?').graph;
    expect(q.nodes.filter((n) => n.kind === 'answer').map((n) => n.title)).toEqual(['What is DNS?', 'How does TLS work?']);
    expect(planLocally('Compare postgres and MySQL for analytics.').graph.nodes.map((n) => n.title ?? null)).toEqual(['Postgres', 'MySQL', 'Comparison', null]);
  });
  it('a planner\'s title that is too long or empty is dropped; the plan stands', () => {
    const v = validateGraph(JSON.stringify({ nodes: [{ id: 'a', prompt: 'x', title: 'T'.repeat(500) }, { id: 'b', prompt: 'y', title: '  ' }, { id: 'f', prompt: 'join', deps: ['a', 'b'], kind: 'assemble' }], final: 'f' }));
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.graph.nodes.map((n) => n.title)).toEqual([undefined, undefined, undefined]);
  });
});
