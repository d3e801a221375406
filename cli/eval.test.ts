import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, defaultDeps, type EvalDeps, type EvalIO } from './eval';
import { DEFAULT_CAPABILITY } from './capability-load';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = join(ROOT, 'cli/fixtures/eval-sample.jsonl');
const fixtureText = readFileSync(FIXTURE, 'utf8');
const fixtureLines = fixtureText.trim().split('\n').map((l) => JSON.parse(l));

async function run(argv: string[], files: Record<string, string> = {}, deps: EvalDeps = defaultDeps) {
  let out = '';
  let err = '';
  const written: Record<string, string> = {};
  const io: EvalIO = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    readFile: async (p) => {
      if (p in files) return files[p];
      if (p === FIXTURE) return fixtureText;
      if (p === DEFAULT_CAPABILITY) return readFileSync(p, 'utf8');
      throw new Error(`ENOENT: ${p}`);
    },
    writeFile: async (p, t) => void (written[p] = t),
  };
  const code = await main(argv, io, deps);
  return { code, out, err, written, json: () => JSON.parse(out) };
}

/** A scorer that must not be called. */
const noScorer: EvalDeps = { loadScorer: async () => ({ consistency: async () => { throw new Error('scorer called'); } }) };

/** Well-formed enough: one root <svg>, every opened element closed, in order. */
function assertSvg(svg: string) {
  expect(svg.startsWith('<?xml')).toBe(true);
  const body = svg.replace(/<\?xml[^>]*\?>/, '');
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)([a-zA-Z]+)([^>]*?)(\/?)>/g)) {
    const [, close, name, , self] = m;
    if (self) continue;
    if (close) expect(stack.pop()).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
  expect(body.trim().startsWith('<svg')).toBe(true);
  expect(body).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(body).not.toMatch(/NaN|undefined|Infinity/);
}

describe('eval CLI on the sample set', () => {
  it('--json: missing consistency scores are filled in by the tiny reranker', async () => {
    const missing = fixtureLines.filter((r) => r.local.consistency === undefined).length;
    expect(missing).toBeGreaterThan(5);
    expect(missing).toBeLessThan(fixtureLines.length);
    const { code, json } = await run(['--file', FIXTURE, '--json']);
    expect(code).toBe(0);
    const r = json();
    expect(r.n).toBe(fixtureLines.length);
    expect(r.computedConsistency).toBe(missing);
    const meanLocal = fixtureLines.reduce((s, x) => s + x.local.correct, 0) / fixtureLines.length;
    const meanCloud = fixtureLines.reduce((s, x) => s + x.cloud.correct, 0) / fixtureLines.length;
    expect(r.localQuality).toBeCloseTo(meanLocal, 12);
    expect(r.cloudQuality).toBeCloseTo(meanCloud, 12);
    // The curve runs from all-local to all-cloud, share strictly increasing.
    expect(r.curve[0].cloudShare).toBe(0);
    expect(r.curve.at(-1).cloudShare).toBe(1);
    for (let i = 1; i < r.curve.length; i++) expect(r.curve[i].cloudShare).toBeGreaterThan(r.curve[i - 1].cloudShare);
    for (const p of r.curve) {
      expect(Object.keys(p).sort()).toEqual(['cloudShare', 'meanCostUsd', 'meanLatencyMs', 'quality', 'threshold']);
      expect(p.meanLatencyMs).toBeGreaterThan(0);
      expect(p.meanCostUsd).toBeGreaterThanOrEqual(0);
    }
    // The reranker is better than a coin: APGR above the random router's 0.5.
    expect(r.apgr).toBeGreaterThan(0.5);
    expect(r.apgr).toBeLessThanOrEqual(1);
    expect(r.cpt50).toBeGreaterThan(0);
    expect(r.cpt50).toBeLessThanOrEqual(r.cpt80);
    expect(r.cpt80).toBeLessThan(1);
    expect(r.policy.n).toBe(fixtureLines.length);
    expect(r.policy.mode).toBe('balanced');
  });

  it('--json with every consistency given: the reranker is not loaded, and the scores decide', async () => {
    // Give every record a score that ranks exactly the wrong local answers lowest: the oracle.
    const lines = fixtureLines.map((x) => ({ ...x, local: { ...x.local, consistency: x.local.correct === 1 ? 0.9 : x.local.correct === 0 ? 0.1 : 0.5 } }));
    const { code, json } = await run(['--file', 'all.jsonl', '--json'], { 'all.jsonl': lines.map((l) => JSON.stringify(l)).join('\n') }, noScorer);
    expect(code).toBe(0);
    const r = json();
    expect(r.computedConsistency).toBe(0);
    // Three distinct scores → four points; escalating the wrong answers first reaches cloud quality early.
    expect(r.curve).toHaveLength(4);
    const wrong = fixtureLines.filter((x) => x.local.correct === 0).length / fixtureLines.length;
    expect(r.curve[1].cloudShare).toBeCloseTo(wrong, 12);
    expect(r.cpt80).toBeCloseTo(wrong, 12);
    // It is the oracle: every point of the curve lies on the oracle curve.
    for (const p of r.curve) {
      const o = r.oracle.find((x: { cloudShare: number }) => Math.abs(x.cloudShare - p.cloudShare) < 1e-12);
      expect(o.quality).toBeCloseTo(p.quality, 12);
    }
    // AUC by hand: w = wrong share, q0 = local quality, one half-right turn (+0.5/n) then flat at 1:
    // w·(q0 + q0 + w)/2 + (1/n)·(q0 + w + 1)/2 + (1 − w − 1/n)·1
    const n = fixtureLines.length;
    const q0 = r.localQuality;
    const auc = (wrong * (2 * q0 + wrong)) / 2 + ((1 / n) * (q0 + wrong + 1)) / 2 + (1 - wrong - 1 / n);
    expect(r.auc).toBeCloseTo(auc, 12);
    expect(r.apgr).toBeCloseTo((auc - q0) / (1 - q0), 12);
  });

  it('a scorer is asked only for the records without a score, with (query, local answer)', async () => {
    const asked: string[] = [];
    const deps: EvalDeps = { loadScorer: async () => ({ consistency: async (q, a) => (asked.push(`${q}|${a}`), 0.5) }) };
    const { code, json } = await run(['--file', FIXTURE, '--json', '--capability', 'none'], {}, deps);
    expect(code).toBe(0);
    expect(json().scoredBy).toBe('reranker');
    const missing = fixtureLines.filter((r) => r.local.consistency === undefined);
    expect(asked).toEqual(missing.map((r) => `${r.query}|${r.local.answer}`));
    expect(json().curve.some((p: { threshold: number }) => p.threshold === 0.5)).toBe(true);
  });

  it('records without a score are scored by the capability model (no reranker needed), with AUROC and calibration', async () => {
    const { code, json } = await run(['--file', FIXTURE, '--json'], {}, noScorer);
    expect(code).toBe(0);
    const r = json();
    expect(r.scoredBy).toBe('capability model default');
    expect(r.computedConsistency).toBe(fixtureLines.filter((l) => l.local.consistency === undefined).length);
    for (const k of ['apgr', 'cpt50', 'cpt80', 'localQuality', 'cloudQuality', 'auroc']) expect(typeof r[k]).toBe('number');
    expect(r.reliability.bins).toHaveLength(10);
    expect(r.reliability.bins.reduce((s: number, b: { n: number }) => s + b.n, 0)).toBe(fixtureLines.length);
  });

  it('--capability with a file that is not a model exits 2 and says why', async () => {
    const { code, err } = await run(['--file', FIXTURE, '--capability', 'm.json'], { 'm.json': '{"format": "other"}' }, { ...noScorer, loadCapability: undefined });
    expect(code).toBe(2);
    expect(err).toContain('m.json: not a capability model');
  });

  it('--plot writes an SVG of the curve with the random diagonal and the oracle', async () => {
    const { code, written, out } = await run(['--file', FIXTURE, '--plot', 'out.svg'], {}, defaultDeps);
    expect(code).toBe(0);
    expect(out).toMatch(/APGR 0\.\d{3}/);
    const svg = written['out.svg'];
    assertSvg(svg);
    expect(svg.match(/<path /g)).toHaveLength(3);
    expect(svg).toContain('random');
    expect(svg).toContain('oracle');
    expect(svg).toMatch(/<desc id="d">n=32; .*APGR 0\.\d{3}/);
    // The capability model's P is a probability: its reliability diagram comes along.
    assertSvg(written['out.reliability.svg']);
    expect(written['out.reliability.svg']).toContain('Reliability');
  });

  it('text report names the quality, APGR and CPT', async () => {
    const { code, out } = await run(['--file', FIXTURE]);
    expect(code).toBe(0);
    expect(out).toMatch(/device only \d+\.\d %, cloud only \d+\.\d %/);
    expect(out).toMatch(/CPT\(50 %\) \d+\.\d % · CPT\(80 %\)/);
  });

  it('APGR is null (and said so) when cloud and device quality are equal', async () => {
    const rec = (c: number, l: number, cl: number) => JSON.stringify({ query: 'q', local: { answer: 'a', correct: l, consistency: c }, cloud: { answer: 'b', correct: cl } });
    const files = { 'eq.jsonl': [rec(0.2, 1, 0), rec(0.8, 0, 1)].join('\n') };
    const j = await run(['--file', 'eq.jsonl', '--json'], files, noScorer);
    expect(j.json().apgr).toBeNull();
    const t = await run(['--file', 'eq.jsonl'], files, noScorer);
    expect(t.out).toContain('APGR n/a (cloud and device quality are equal)');
  });
});

describe('eval CLI: bad input exits 2 and names the line', () => {
  const good = JSON.stringify({ query: 'hi', local: { answer: 'hello', correct: 1, consistency: 0.9 }, cloud: { answer: 'hey', correct: 1 } });
  const cases: [string, string, RegExp][] = [
    ['not JSON', `${good}\n{"query": oops}\n`, /bad\.jsonl:2: not valid JSON/],
    ['missing correct', `${good}\n${good}\n{"query":"q","local":{"answer":"a"},"cloud":{"answer":"b","correct":1}}`, /bad\.jsonl:3: local\.correct is required/],
    ['correct out of range', `{"query":"q","local":{"answer":"a","correct":2},"cloud":{"answer":"b","correct":1}}`, /bad\.jsonl:1: local\.correct must be in \[0, 1\], got 2/],
    ['no cloud', `{"query":"q","local":{"answer":"a","correct":1}}`, /bad\.jsonl:1: cloud must be an object/],
    ['unknown kind', `{"query":"q","kind":"poetry","local":{"answer":"a","correct":1},"cloud":{"answer":"b","correct":1}}`, /bad\.jsonl:1: kind must be one of/],
    ['array', `[1,2]`, /bad\.jsonl:1: expected a JSON object/],
    ['consistency not a number', `{"query":"q","local":{"answer":"a","correct":1,"consistency":"high"},"cloud":{"answer":"b","correct":1}}`, /bad\.jsonl:1: local\.consistency must be a number/],
    ['empty', `\n\n`, /bad\.jsonl: no records/],
  ];
  for (const [name, text, msg] of cases) {
    it(name, async () => {
      const { code, err, out } = await run(['--file', 'bad.jsonl', '--json'], { 'bad.jsonl': text }, noScorer);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(msg);
      expect(err).toContain('usage: tsx cli/eval.ts');
    });
  }

  it('flags: missing --file, unreadable file, unknown flag, --file with --latency-grid', async () => {
    expect((await run([])).err).toMatch(/--file \(or --latency-grid\) is required/);
    expect((await run(['--file', 'nope.jsonl'])).err).toMatch(/cannot read nope\.jsonl/);
    expect((await run(['--frobnicate'])).code).toBe(2);
    expect((await run(['--theta', '1.5', '--file', FIXTURE])).code).toBe(2);
    expect((await run(['--latency-grid', '--file', FIXTURE])).code).toBe(2);
  });

  it('the real process exits 2 on a bad line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-'));
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${good}\nnot json\n`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'cli/eval.ts'), '--file', bad], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}:2: not valid JSON`);
  });
});

describe('eval CLI --latency-grid', () => {
  it('--json: one cell per (device speed, RTT), ratios ≥ 1', async () => {
    const { code, json } = await run(['--latency-grid', '--json']);
    expect(code).toBe(0);
    const g = json();
    expect(g.cells).toHaveLength(g.axes.decodeTps.length * g.axes.rttMs.length);
    expect(g.axes.decodeTps[0]).toBe(5);
    expect(g.axes.decodeTps.at(-1)).toBe(100);
    expect(g.axes.rttMs[0]).toBe(10);
    expect(g.axes.rttMs.at(-1)).toBe(500);
    expect(g.overall.points).toBe(g.cells.length * g.axes.load.length * g.axes.outputTokens.length);
    for (const c of g.cells) {
      expect(c.meanRatio).toBeGreaterThanOrEqual(1);
      expect(c.maxRatio).toBeGreaterThanOrEqual(c.meanRatio);
    }
    // The policy is close to the faster side on average (the latency model is exact here).
    expect(g.overall.meanRatio).toBeLessThan(1.1);
  });

  it('text table and heat-map SVG', async () => {
    const { code, out, written } = await run(['--latency-grid', '--plot', 'grid.svg']);
    expect(code).toBe(0);
    expect(out).toMatch(/decode\\RTT\s+10 ms/);
    expect(out).toMatch(/^100 tok\/s/m);
    assertSvg(written['grid.svg']);
    expect(written['grid.svg'].match(/<rect [^>]*fill="rgb/g)).toHaveLength(42);
  });
});
