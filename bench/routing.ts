// `tsx bench/routing.ts` — routing quality of the latency decision and the
// per-turn decision overhead of plan().
//
// (1) A simulated grid over the seed's ranges: device decode 5–100 tok/s
//     (prefill = 8× decode), RTT 10–500 ms, cloud load 0–90 %, output 10–1,000
//     tokens (prompt 50 tokens, cloud TTFT 400 ms unloaded, 80 tok/s). The
//     policy is told the true parameters (the estimator is exact here; the
//     benchmark measures the decision, not the estimator). For each point:
//     latency of the route the policy picks ÷ the faster of local and cloud,
//     averaged, next to always-local, always-cloud and prefer-local (local
//     unless it is more than 1.5× slower than the cloud).
//     Table A isolates latency: the capability question is taken out (every
//     local answer is accepted, the check costs 0 ms) so "the faster of the
//     two" is well defined. Table B keeps the default capability profile for a
//     knowledge question (P(accept) 0.65, check 80 ms): the policy's expected
//     time E[strategy] is compared with the best of E[local-first] and T_cloud.
// (2) Decision overhead: plan() per call (classifier included), median over
//     batches, next to a trivial baseline (two latency estimates + a compare)
//     in the same run.
// (3) The capability model per estimate (models/capability/default.json, on
//     the device: device-prior.ts), before generating (query only) and after
//     (query + a ~600-character answer), next to the old check in the same
//     run: the built-in per-kind estimate (classifier + pAccept) before, and
//     the consistency rule with the self-confidence veto after. The reranker
//     call is excluded on both sides (it is the same call).
import { performance } from 'node:perf_hooks';
import { plan, type PlanInput, type PlanSettings } from '../src/core/policy/plan';
import { estimateCloud, estimateLocal } from '../src/core/latency/model';
import { classifyQuery } from '../src/core/capability/classify';
import { DEFAULT_LOCAL_PROFILE, type CapabilityProfile } from '../src/core/capability/profile';
import type { QueryKind } from '../src/core/types';
import { readFileSync } from 'node:fs';
import { pAccept } from '../src/core/capability/profile';
import { consistencyRule } from '../src/core/policy/accept';
import { CapabilityModel, deviceEstimate } from '../src/core/capability/model';

const DECODE = [5, 10, 20, 35, 50, 70, 100];
const RTT = [10, 50, 100, 200, 350, 500];
const LOAD = [0, 0.3, 0.6, 0.9];
const OUTPUT = [10, 30, 100, 300, 600, 1000];
const PROMPT = 50;
const TTFT = 400;
const CLOUD_TPS = 80;

const ALWAYS_ACCEPT: CapabilityProfile = {
  ...DEFAULT_LOCAL_PROFILE,
  prior: Object.fromEntries(Object.keys(DEFAULT_LOCAL_PROFILE.prior).map((k) => [k, 1])) as Record<QueryKind, number>,
  constraintFactor: 1,
};

const TEXT = 'What is the difference between a list and a tuple?';
const CLS = classifyQuery(TEXT);

interface Point { decode: number; rtt: number; load: number; out: number }

function points(): Point[] {
  const ps: Point[] = [];
  for (const decode of DECODE) for (const rtt of RTT) for (const load of LOAD) for (const out of OUTPUT) ps.push({ decode, rtt, load, out });
  return ps;
}

function inputFor(p: Point, settings: PlanSettings): PlanInput {
  return {
    query: { text: TEXT, classification: CLS },
    privacy: { action: 'allow', sensitivity: 0 },
    network: { online: true, cloudConfigured: true, rttMs: p.rtt, cloudLoad: p.load, cloudTtftMs: TTFT, cloudTps: CLOUD_TPS },
    device: { localAvailable: true, decodeTps: p.decode, prefillTps: p.decode * 8 },
    settings,
    promptTokens: PROMPT,
    outputTokens: p.out,
  };
}

function times(p: Point) {
  const L = estimateLocal({ promptTokens: PROMPT, outputTokens: p.out, prefillTps: p.decode * 8, decodeTps: p.decode }).totalMs;
  const C = estimateCloud({ promptTokens: PROMPT, outputTokens: p.out, rttMs: p.rtt, load: p.load, ttftMs: TTFT, tps: CLOUD_TPS }).totalMs;
  return { L, C };
}

const CONFIGS: [string, PlanSettings][] = [
  ['balanced (default)', { mode: 'balanced' }],
  ['performance-first', { mode: 'performance-first' }],
  ['preset real-time-chat', { preset: 'real-time-chat' }],
  ['privacy-first', { mode: 'privacy-first' }],
  ['weights latency only', { weights: { latency: 1 } }],
];

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const f3 = (x: number) => x.toFixed(3);

function tableA() {
  const ps = points();
  const rows: { name: string; mean: number; p95: number; max: number; local: number }[] = [];
  const base = { local: [] as number[], cloud: [] as number[], prefer: [] as number[] };
  for (const p of ps) {
    const { L, C } = times(p);
    const best = Math.min(L, C);
    base.local.push(L / best);
    base.cloud.push(C / best);
    base.prefer.push((L > 1.5 * C ? C : L) / best);
  }
  for (const [name, s] of CONFIGS) {
    const ratios: number[] = [];
    let local = 0;
    for (const p of ps) {
      const { L, C } = times(p);
      const pl = plan(inputFor(p, { ...s, localProfile: ALWAYS_ACCEPT, checkMs: 0 }));
      const t = pl.route === 'local' ? L : C;
      if (pl.route === 'local') local++;
      ratios.push(t / Math.min(L, C));
    }
    rows.push({ name: `policy, ${name}`, mean: mean(ratios), p95: pct(ratios, 0.95), max: Math.max(...ratios), local: local / ps.length });
  }
  rows.push({ name: 'always-local', mean: mean(base.local), p95: pct(base.local, 0.95), max: Math.max(...base.local), local: 1 });
  rows.push({ name: 'always-cloud', mean: mean(base.cloud), p95: pct(base.cloud, 0.95), max: Math.max(...base.cloud), local: 0 });
  rows.push({ name: 'prefer-local (≤1.5× cloud)', mean: mean(base.prefer), p95: pct(base.prefer, 0.95), max: Math.max(...base.prefer), local: NaN });
  return { n: ps.length, rows };
}

function tableB() {
  const ps = points();
  const rows: { name: string; mean: number; p95: number; max: number; local: number }[] = [];
  for (const [name, s] of CONFIGS) {
    const ratios: number[] = [];
    let localFirst = 0;
    for (const p of ps) {
      const pl = plan(inputFor(p, s));
      const oracle = Math.min(pl.expected.localFirstMs, pl.expected.cloudMs);
      ratios.push(pl.expected.totalMs / oracle);
      if (pl.tiers[0] === 'local') localFirst++;
    }
    rows.push({ name: `policy, ${name}`, mean: mean(ratios), p95: pct(ratios, 0.95), max: Math.max(...ratios), local: localFirst / ps.length });
  }
  const lf: number[] = [];
  const cl: number[] = [];
  for (const p of ps) {
    const pl = plan(inputFor(p, { mode: 'balanced' }));
    const oracle = Math.min(pl.expected.localFirstMs, pl.expected.cloudMs);
    lf.push(pl.expected.localFirstMs / oracle);
    cl.push(pl.expected.cloudMs / oracle);
  }
  rows.push({ name: 'always local-first (verify)', mean: mean(lf), p95: pct(lf, 0.95), max: Math.max(...lf), local: 1 });
  rows.push({ name: 'always-cloud', mean: mean(cl), p95: pct(cl, 0.95), max: Math.max(...cl), local: 0 });
  return { n: ps.length, rows };
}

function printTable(title: string, t: ReturnType<typeof tableA>, localLabel: string) {
  console.log(`\n${title} (${t.n} grid points)`);
  console.log(`  ${'strategy'.padEnd(36)}${'mean'.padStart(8)}${'p95'.padStart(8)}${'max'.padStart(8)}${localLabel.padStart(14)}`);
  for (const r of t.rows) {
    const l = Number.isNaN(r.local) ? '—' : `${(r.local * 100).toFixed(0)} %`;
    console.log(`  ${r.name.padEnd(36)}${f3(r.mean).padStart(8)}${f3(r.p95).padStart(8)}${f3(r.max).padStart(8)}${l.padStart(14)}`);
  }
}

function overhead() {
  const texts = [
    'hello',
    'What is the capital of France?',
    'Write a Python function that merges two sorted lists',
    'Give a rigorous proof, step by step, that there are infinitely many primes.',
    'Compare React and Svelte for a large application, with trade-offs',
    'Write a 300-word poem about the sea',
  ];
  const ps = points();
  const inputs: PlanInput[] = ps.map((p, i) => ({ ...inputFor(p, { mode: 'balanced' }), query: { text: texts[i % texts.length] }, outputTokens: undefined }));
  const BATCH = 100;
  const ROUNDS = 300;
  let sink = 0;
  const measure = (fn: (x: PlanInput) => number) => {
    const perCall: number[] = [];
    for (let w = 0; w < 2000; w++) sink += fn(inputs[w % inputs.length]); // warm-up (JIT)
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = performance.now();
      for (let b = 0; b < BATCH; b++) sink += fn(inputs[(r * BATCH + b) % inputs.length]);
      perCall.push((performance.now() - t0) / BATCH);
    }
    return { median: pct(perCall, 0.5), p99: pct(perCall, 0.99) };
  };
  const trivial = (x: PlanInput) => {
    const o = x.outputTokens ?? 120;
    const L = estimateLocal({ promptTokens: PROMPT, outputTokens: o, prefillTps: x.device.prefillTps!, decodeTps: x.device.decodeTps! }).totalMs;
    const C = estimateCloud({ promptTokens: PROMPT, outputTokens: o, rttMs: x.network.rttMs!, load: x.network.cloudLoad!, ttftMs: TTFT, tps: CLOUD_TPS }).totalMs;
    return L < C ? 0 : 1;
  };
  const withText = (x: PlanInput) => plan(x).expected.outputTokens;
  const preclassified = inputs.map((x) => ({ ...x, query: { classification: classifyQuery(x.query.text ?? '') } }));
  let k = 0;
  const withCls = () => plan(preclassified[k++ % preclassified.length]).expected.outputTokens;
  // Interleave to share machine noise.
  const a = measure(trivial);
  const b = measure(withText);
  const c = measure(withCls);
  const a2 = measure(trivial);
  const b2 = measure(withText);
  return {
    trivial: { median: Math.min(a.median, a2.median), p99: Math.max(a.p99, a2.p99) },
    plan: { median: Math.min(b.median, b2.median), p99: Math.max(b.p99, b2.p99) },
    planPreclassified: c,
    sink,
  };
}

function capabilityTiming() {
  const model = CapabilityModel.parse(readFileSync(new URL('../models/capability/default.json', import.meta.url), 'utf8'));
  const answer = 'First, 16 - 3 = 13 eggs are left. Then 13 - 4 = 9 go to the market.\n'.repeat(4) + 'She sells them at $2 each: 9 * 2 = 18 dollars.\n#### 18';
  const turns = [
    'hello',
    'What is the capital of France?',
    'Janet’s ducks lay 16 eggs per day. She eats three for breakfast and bakes muffins with four. How much does she make at the market?',
    'Give a rigorous proof, step by step, that there are infinitely many primes.',
    'Compare React and Svelte for a large application, with trade-offs',
  ];
  const logprobs = Array.from({ length: 120 }, (_, i) => ({ logprob: -0.05 * (i % 7) }));
  const oldRule = consistencyRule(0.6);
  let sink = 0;
  const ROUNDS = 200;
  const BATCH = 50;
  const measure = (fn: (q: string) => number) => {
    const per: number[] = [];
    for (let w = 0; w < 500; w++) sink += fn(turns[w % turns.length]);
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = performance.now();
      for (let b = 0; b < BATCH; b++) sink += fn(turns[(r + b) % turns.length]);
      per.push((performance.now() - t0) / BATCH);
    }
    return pct(per, 0.5);
  };
  const oldBefore = (q: string) => pAccept(classifyQuery(q));
  const newBefore = (q: string) => deviceEstimate(model, { query: q }, 'before').p;
  const oldAfter = (q: string) => (oldRule({ tier: 'local', question: q, answer, kind: 'math', consistency: 0.7, logprobs }).accepted ? 1 : 0);
  const newAfter = (q: string) => deviceEstimate(model, { query: q, answer, rerank: 0.7, logprobs }, 'after').p;
  // Interleaved, twice, min of the medians (shared machine).
  const r = { oldBefore: Infinity, newBefore: Infinity, oldAfter: Infinity, newAfter: Infinity };
  for (let i = 0; i < 2; i++) {
    r.oldBefore = Math.min(r.oldBefore, measure(oldBefore));
    r.newBefore = Math.min(r.newBefore, measure(newBefore));
    r.oldAfter = Math.min(r.oldAfter, measure(oldAfter));
    r.newAfter = Math.min(r.newAfter, measure(newAfter));
  }
  return { ...r, sink };
}

const A = tableA();
printTable('(1A) latency of the picked route ÷ faster of local and cloud — capability taken out', A, 'routed local');
const B = tableB();
printTable('(1B) expected time ÷ best of E[local-first] and T_cloud — default capability, knowledge question', B, 'local first');
const O = overhead();
const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
console.log('\n(2) decision overhead per turn (model calls excluded), median of 300 batches of 100 calls');
console.log(`  plan() incl. classifier        median ${us(O.plan.median)}   p99 ${us(O.plan.p99)}   (goal ≤ 100 µs)`);
console.log(`  plan() pre-classified          median ${us(O.planPreclassified.median)}   p99 ${us(O.planPreclassified.p99)}`);
console.log(`  trivial baseline (2 estimates) median ${us(O.trivial.median)}   p99 ${us(O.trivial.p99)}`);
const K = capabilityTiming();
console.log('\n(3) capability estimate per turn (reranker call excluded), median of 200 batches of 50');
console.log(`  before: capability model ${us(K.newBefore)} vs. built-in per-kind estimate ${us(K.oldBefore)}  → ×${(K.newBefore / K.oldBefore).toFixed(2)}`);
console.log(`  after:  capability model ${us(K.newAfter)} vs. consistency rule + self-confidence ${us(K.oldAfter)}  → ×${(K.newAfter / K.oldAfter).toFixed(2)}`);
console.log(
  `\n${JSON.stringify({
    capabilityUs: { before: Number((K.newBefore * 1000).toFixed(2)), oldBefore: Number((K.oldBefore * 1000).toFixed(2)), after: Number((K.newAfter * 1000).toFixed(2)), oldAfter: Number((K.oldAfter * 1000).toFixed(2)), ratioBefore: Number((K.newBefore / K.oldBefore).toFixed(2)), ratioAfter: Number((K.newAfter / K.oldAfter).toFixed(2)) },
    gridPoints: A.n,
    latencyRatio: Object.fromEntries(A.rows.map((r) => [r.name, Number(f3(r.mean))])),
    expectedRatioWithCapability: Object.fromEntries(B.rows.map((r) => [r.name, Number(f3(r.mean))])),
    overheadUs: { plan: Number((O.plan.median * 1000).toFixed(2)), planPreclassified: Number((O.planPreclassified.median * 1000).toFixed(2)), trivial: Number((O.trivial.median * 1000).toFixed(3)) },
  })}`,
);
