import { describe, expect, it } from 'vitest';
import { main, parseTraces } from './calibrate';
import type { CliIO } from './args';

async function run(argv: string[], files: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readFile: async (p) => {
      if (p in files) return files[p];
      throw new Error(`ENOENT: ${p}`);
    },
  };
  const code = await main(argv, io);
  return { code, out, err };
}

const traces = Array.from({ length: 100 }, (_, i) =>
  JSON.stringify(i % 10 === 9 ? { strategy: 'cloud-direct' } : { scores: { consistency: i / 100 }, accepted: i >= 30 }),
).join('\n');

describe('calibrate CLI', () => {
  it('picks θ for the target cloud share and prints JSON + a human line', async () => {
    const { code, out, err } = await run(['--file', 't.jsonl', '--target-cloud-share', '0.3'], { 't.jsonl': traces });
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.n).toBe(90);
    expect(r.skipped).toBe(10);
    expect(r.cloudShare).toBeCloseTo(0.3, 1);
    expect(r.threshold).toBeGreaterThan(0.25);
    expect(r.threshold).toBeLessThan(0.35);
    expect(r.quality).toBeGreaterThan(0.9);
    expect(err).toMatch(/^θ_consistency = 0\.\d{3}: 30\.0 % of 90 turns escalate/);
  });

  it('uses the capability model\'s P(good) of the local check when the trace has one (θ is then a probability)', () => {
    const line = (pGood: number | null, consistency: number) => JSON.stringify({ checks: [{ tier: 'local', consistency, pGood, accepted: true }], accepted: true });
    const { traces: t } = parseTraces(`${line(0.8, 0.1)}\n${line(null, 0.4)}\n`, 'x');
    expect(t.map((x) => x.consistency)).toEqual([0.8, 0.4]);
  });

  it('defaults the target to 0.3 and accepts several label spellings', () => {
    const { traces: t } = parseTraces('{"consistency":0.5,"localCorrect":1}\n{"check":{"consistency":0.2},"label":"bad","cloudCorrect":false}\n', 'x');
    expect(t).toEqual([
      { consistency: 0.5, accepted: true, cloudAccepted: null },
      { consistency: 0.2, accepted: false, cloudAccepted: false },
    ]);
  });

  it.each([
    [[], /--file is required/],
    [['--file', 't.jsonl', '--target-cloud-share', '2'], /≤ 1/],
    [['--file', 'none.jsonl'], /cannot read/],
    [['--file', 'empty.jsonl'], /no trace has a consistency score/],
    [['--file', 'bad.jsonl'], /not valid JSON/],
    [['--file', 't.jsonl', 'extra'], /unexpected argument/],
  ])('bad input %j → exit 2', async (argv, msg) => {
    const { code, err } = await run(argv as string[], { 't.jsonl': traces, 'empty.jsonl': '{"a":1}\n', 'bad.jsonl': 'nope\n' });
    expect(code).toBe(2);
    expect(err).toMatch(msg as RegExp);
    expect(err).toContain('usage:');
  });
});

describe('calibrate reads the app\'s exported routing traces', () => {
  it('takes the on-device check from `checks` (Settings → Export routing traces)', async () => {
    const { parseTraces } = await import('./calibrate');
    const trace = (consistency: number, accepted: boolean, finalTier: string) =>
      JSON.stringify({
        id: 'x', at: 0, conversationId: 'c', kind: 'knowledge', mode: 'balanced', strategy: 'local-verify',
        tiers: ['local', 'cloud'], hedge: false, finalTier,
        privacy: { action: 'allow', sensitivity: 0, types: [] },
        checks: [{ tier: 'local', consistency, self: 0.9, accepted, verdict: accepted ? 'accepted' : 'low-consistency' }],
        thetaConsistency: 0.6, predicted: {}, actual: { totalMs: 1, tiers: [] }, failedTier: null, reason: '',
      });
    const jsonl = [trace(0.9, true, 'local'), trace(0.2, false, 'cloud'), JSON.stringify({ kind: 'greeting', checks: [] })].join('\n');
    const { traces, skipped } = parseTraces(jsonl, 'traces.jsonl');
    expect(traces.map((t) => t.consistency)).toEqual([0.9, 0.2]);
    expect(skipped).toBe(1); // a cloud-direct turn has no on-device check to learn from
  });
});
