import { describe, expect, it } from 'vitest';
import { captured } from './capture';
import { main, defaultTaskDeps, type TaskJson } from './task';

const run = (argv: string[]) => captured((a, io) => main(a, io, defaultTaskDeps), argv);

// Unit tests read no model files: patterns only, the built-in per-kind P(accept) (task-ner.test.ts has the models).
const DEVICE = ['--no-ner', '--capability', 'none', '--local-decode-tps', '50', '--local-prefill-tps', '400'];

describe('task CLI', () => {
  it('--json prints exactly the documented shape; a never-sendable value stays in one device step', async () => {
    const r = await run([...DEVICE, '--json', 'Write a report on remote work for our HR team. My SSN is 536-22-8841 and it must appear in the cover note.']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as TaskJson;
    expect(Object.keys(j)).toEqual(['nodes', 'final', 'predicted', 'localTokenShare']);
    expect(Object.keys(j.predicted)).toEqual(['dagMs', 'allCloudMs', 'allLocalMs']);
    for (const n of j.nodes) expect(Object.keys(n)).toEqual(['id', 'prompt', 'deps', 'route', 'cloudText', 'reasons']);
    const personal = j.nodes.find((n) => n.id === 'personal')!;
    expect(personal.route).toBe('local');
    expect(personal.cloudText).toBeNull();
    expect(personal.reasons[0]).toMatch(/Social Security number/);
    expect(j.nodes.filter((n) => n.cloudText !== null).length).toBeGreaterThan(0);
    expect(JSON.stringify(j.nodes.map((n) => n.cloudText))).not.toContain('536-22-8841');
    expect(j.predicted.dagMs).toBeLessThan(j.predicted.allLocalMs);
    expect(j.localTokenShare).toBeGreaterThan(0);
  });

  it('--demo: the demo upstream plans (a valid graph), on the pseudonymized request', async () => {
    const r = await run([...DEVICE, '--demo', 'Compare PostgreSQL and MySQL for a small analytics startup. Mail the result to jo.smith@example.com.']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Plan \(cloud-planner\): Planned by the cloud model on the pseudonymized request/);
    expect(r.out).toMatch(/Predicted: .* s as steps .*\n\s+vs .* s all in the cloud/);
    expect(r.out).toContain('Assumed: device 50 tok/s (prefill 400); cloud RTT 100 ms, first token 400 ms, 80 tok/s.');
    expect((await run(['--no-ner', '--capability', 'none', 'Compare Rust and Go for a CLI tool.'])).out).toMatch(/Assumed: device 10 tok\/s \(prefill 80\) — the default, a mid-range phone/);
    const j = JSON.parse((await run([...DEVICE, '--demo', '--json', 'Compare PostgreSQL and MySQL for a small analytics startup. Mail the result to jo.smith@example.com.'])).out) as TaskJson;
    const personal = j.nodes.find((n) => n.id === 'personal')!;
    expect(personal.prompt).toContain('jo.smith@example.com'); // restored on the device
    if (personal.cloudText !== null) expect(personal.cloudText).toContain('<EMAIL_1>');
    expect(JSON.stringify(j.nodes.map((n) => n.cloudText))).not.toContain('jo.smith@example.com');
  });

  it('a request that is not split gives one node', async () => {
    const r = await run([...DEVICE, '--json', 'What year did the Berlin Wall fall?']);
    const j = JSON.parse(r.out) as TaskJson;
    expect(j.nodes.map((n) => n.id)).toEqual(['answer']);
    expect(j.final).toBe('answer');
  });

  it('bad arguments: usage and exit 2', async () => {
    const r = await run(['--json']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no request given/);
    expect((await run(['--mode', 'fast', 'x'])).err).toMatch(/--mode must be one of/);
  });
});
