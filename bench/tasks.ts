// `npm run bench:tasks` — HybridFlow task graphs on bench/tasks.jsonl, in one
// run against the two one-tier baselines under the latency model:
//   all-cloud  : the whole request to the cloud, the same tokens in one stream;
//   all-device : the whole request on the device, the same tokens.
// Per request: the local planner (the demo's cloud planner uses the same
// templates) → privacy + plan() per step → the graph's scheduler. Reported:
//   - share of generated tokens on the device (goal ≥ 50 %),
//   - predicted end-to-end latency ÷ all-cloud (goal ≤ 1.1×),
//   - never-sendable or listed private values in any cloud text (goal 0) —
//     checked on an "echo" run where every step's output repeats its whole
//     input (the worst case: private details flow on to the steps after it),
//     each step's text re-decided by the privacy stage as at run time;
//   - the planner against the file: node counts, which steps hold private details.
// Device: decode 50 tok/s, prefill 400 tok/s (a laptop-class WebGPU device
// with a ~1 B q4 model), warm; cloud: RTT 100 ms, TTFT 400 ms, 80 tok/s, idle.
// A sweep over the device's decode rate shows where the goals hold.
// P(accept) per step is the app's estimate: the shipped capability model
// (models/capability/default.json) with no device labels yet.
//   flags: --no-ner (patterns only), --decode <tok/s>, --mode <mode>,
//          --capability <model.json|none> (none: the built-in per-kind prior),
//          --steps (each request's steps: kind, lane, tokens, predicted start/end)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Mode } from '../src/core/types';
import { findNeverSendable, Pseudonymizer } from '../src/core/privacy/index';
import { assignSteps, DEVICE_MIN_P_ACCEPT, isAssembly, planForLane, stepMessage, topologicalOrder } from '../src/core/task/index';
import type { PlanInput } from '../src/core/policy/plan';
import { decidePrivacy } from '../src/turn/privacy';
import { decideTaskPlanning } from '../src/turn/task/planner';
import { cloudTextOf, planStep, predictTask, type StepPlanContext } from '../src/turn/task/predict';
import { RoutingStats } from '../src/turn/stats';
import { defaultDeps } from '../cli/route';
import { DEFAULT_CAPABILITY, loadCapabilityFile } from '../cli/capability-load';
import { DeviceCapability } from '../src/turn/capability';

interface Case { id: string; text: string; expectedNodes: number; privateNodes: string[]; privateValues: string[] }

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const MODE = (flag('mode') ?? 'balanced') as Mode;
const DECODE = Number(flag('decode') ?? 50);
const SWEEP = [10, 20, 30, 40, 50, 60, 70, 80, 100, 150];
const CASES: Case[] = readFileSync(fileURLToPath(new URL('./tasks.jsonl', import.meta.url)), 'utf8')
  .split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Case);

const network = (): PlanInput['network'] => ({ online: true, cloudConfigured: true, rttMs: 100, cloudTtftMs: 400, cloudTps: 80, cloudLoad: 0 });

let nlp: StepPlanContext['nlp'] = null;
if (!args.includes('--no-ner')) {
  try {
    const ner = await defaultDeps.loadNer(null);
    nlp = { ner: (t: string) => ner.run(t) };
  } catch (e) {
    console.error(`NER unavailable (${(e as Error).message}); patterns only`);
  }
}

// P(a good device answer) per step as the app estimates it: the shipped capability model (--capability none: the per-kind prior).
const capFlag = flag('capability');
const capModel = capFlag === 'none' ? null : await loadCapabilityFile(capFlag ?? DEFAULT_CAPABILITY);
const capability: StepPlanContext['capability'] = capModel ? new DeviceCapability(capModel, null, () => 'bench').estimate : null;

function ctxFor(decode: number): StepPlanContext {
  return {
    pseudonymizer: new Pseudonymizer(), nlp,
    settings: { mode: MODE, preset: null, weights: null, thetaConsistency: 0.6, consentRequired: false, privacyAlpha: 0.05 },
    network: network(), device: { localAvailable: true, loaded: true, decodeTps: decode, prefillTps: decode * 8 },
    stats: new RoutingStats(), prices: {}, maxTokens: 1024, capability,
  };
}

interface StepLine { id: string; kind: string; lane: string; tokens: number; pAccept: number | null; startMs: number; endMs: number; laneEndMs: number }

interface Outcome {
  steps: StepLine[];
  id: string; nodes: number; nodesOk: boolean; privateOk: boolean; source: string;
  localTokens: number; totalTokens: number; ceilingLocal: number; ceilingTotal: number; dagMs: number; allCloudMs: number; allLocalMs: number; leaks: string[]; cloudSteps: number;
}

/** Runs the graph with every step echoing its input, deciding privacy per step as at run time; returns what left. */
async function echoLeaks(ctx: StepPlanContext, c: Case, pred: Awaited<ReturnType<typeof predictTask>>, graph: Parameters<typeof topologicalOrder>[0]) {
  const outputs = new Map<string, string>();
  const leaks: string[] = [];
  let cloudSteps = 0;
  for (const node of topologicalOrder(graph)) {
    const msg = stepMessage(node, outputs);
    const step = await planStep(ctx, node, msg, [c.text]);
    const lane = pred.assignment.choices.get(node.id)!.lane;
    const tiers = step.plan ? planForLane(step.plan, lane).tiers : [];
    const cloudText = cloudTextOf(step, tiers);
    if (cloudText !== null) {
      cloudSteps++;
      for (const e of findNeverSendable(cloudText)) leaks.push(`${node.id}: ${e.type}`);
      for (const v of c.privateValues) if (cloudText.includes(v)) leaks.push(`${node.id}: "${v}"`);
    }
    outputs.set(node.id, `Result of ${node.id}: ${msg.content}`);
  }
  return { leaks, cloudSteps };
}

async function runCase(c: Case, decode: number, checkLeaks: boolean): Promise<Outcome> {
  const ctx = ctxFor(decode);
  const privacy = await decidePrivacy({ nlp, pseudonymizer: ctx.pseudonymizer }, { messages: [{ role: 'user', content: c.text }], mode: MODE, alpha: 0.05 });
  const planning = await decideTaskPlanning({ cloud: null, pseudonymizer: ctx.pseudonymizer }, { request: c.text, privacy, mode: MODE });
  const pred = await predictTask(ctx, c.text, planning.graph);
  const holding = planning.graph.nodes.filter((n) => c.privateValues.some((v) => n.prompt.includes(v))).map((n) => n.id).sort();
  const local = [...pred.assignment.choices.values()].reduce((n, x) => n + x.localTokens, 0);
  const total = [...pred.assignment.choices.values()].reduce((n, x) => n + x.localTokens + x.remoteTokens, 0);
  // The ceiling without a latency rule: every step the device may take (privacy, pAccept) on the device.
  const stepPlans = pred.steps.map((st) => ({ id: st.node.id, deps: st.node.deps, assembly: isAssembly(st.node), outputTokens: st.outputTokens, plan: st.plan }));
  const ceiling = assignSteps(stepPlans, { mode: MODE, allCloudMs: Number.MAX_SAFE_INTEGER });
  const ceilingLocal = [...ceiling.choices.values()].reduce((n, x) => n + x.localTokens, 0);
  const ceilingTotal = [...ceiling.choices.values()].reduce((n, x) => n + x.localTokens + x.remoteTokens, 0);
  const { leaks, cloudSteps } = checkLeaks ? await echoLeaks(ctx, c, pred, planning.graph) : { leaks: [], cloudSteps: 0 };
  const steps = pred.steps.map((st): StepLine => {
    const at = pred.assignment.schedule.steps.find((x) => x.id === st.node.id)!;
    return { id: st.node.id, kind: st.node.kind ?? 'answer', lane: pred.assignment.choices.get(st.node.id)!.lane, tokens: st.outputTokens, pAccept: st.plan?.expected.pAccept ?? null, startMs: at.startMs, endMs: at.endMs, laneEndMs: at.laneEndMs };
  });
  return {
    steps,
    id: c.id, nodes: planning.graph.nodes.length, nodesOk: planning.graph.nodes.length === c.expectedNodes,
    privateOk: JSON.stringify(holding) === JSON.stringify([...c.privateNodes].sort()), source: planning.source,
    localTokens: local, totalTokens: total, ceilingLocal, ceilingTotal, dagMs: pred.predicted.dagMs, allCloudMs: pred.predicted.allCloudMs, allLocalMs: pred.predicted.allLocalMs,
    leaks, cloudSteps,
  };
}

function summary(rs: Outcome[]) {
  const split = rs.filter((r) => r.nodes > 1);
  const share = split.reduce((n, r) => n + r.localTokens, 0) / Math.max(1, split.reduce((n, r) => n + r.totalTokens, 0));
  const ratios = split.map((r) => r.dagMs / r.allCloudMs).sort((a, b) => a - b);
  const mean = ratios.reduce((a, b) => a + b, 0) / Math.max(1, ratios.length);
  const total = split.reduce((n, r) => n + r.dagMs, 0) / Math.max(1, split.reduce((n, r) => n + r.allCloudMs, 0));
  const ceiling = split.reduce((n, r) => n + r.ceilingLocal, 0) / Math.max(1, split.reduce((n, r) => n + r.ceilingTotal, 0));
  const over = ratios.filter((x) => x > 1.1 + 1e-9).length;
  return { share, ceiling, mean, total, over, n: ratios.length, max: ratios[ratios.length - 1] ?? 0, p90: ratios[Math.floor(0.9 * (ratios.length - 1))] ?? 0, leaks: rs.reduce((n, r) => n + r.leaks.length, 0) };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const main: Outcome[] = [];
for (const c of CASES) main.push(await runCase(c, DECODE, true));
console.log(`bench:tasks — ${CASES.length} requests, mode ${MODE}, device ${DECODE} tok/s decode (${DECODE * 8} prefill), cloud RTT 100 ms / TTFT 400 ms / 80 tok/s`);
console.log('');
console.log('request                 steps  plan ok  private ok  device tokens   DAG     all-cloud  all-device  DAG÷cloud  cloud steps  leaks');
for (const r of main) {
  console.log(`${r.id.padEnd(24)}${String(r.nodes).padStart(5)}  ${(r.nodesOk ? 'yes' : 'NO').padEnd(7)}  ${(r.privateOk ? 'yes' : 'NO').padEnd(10)}  ${`${Math.round(r.localTokens)}/${Math.round(r.totalTokens)}`.padStart(13)}  ${s(r.dagMs).padStart(6)}  ${s(r.allCloudMs).padStart(9)}  ${s(r.allLocalMs).padStart(10)}  ${(r.dagMs / r.allCloudMs).toFixed(2).padStart(8)}×  ${String(r.cloudSteps).padStart(11)}  ${r.leaks.length ? r.leaks.join('; ') : '0'}`);
}
if (args.includes('--steps')) {
  console.log('');
  for (const r of main.filter((x) => x.nodes > 1)) {
    console.log(`${r.id}: ${r.steps.map((x) => `${x.id}[${x.kind} ${x.lane}${x.tokens ? ` ${x.tokens}t p${x.pAccept?.toFixed(2)}` : ''} ${s(x.startMs)}→${s(x.endMs)}${x.laneEndMs < x.endMs - 1 ? ` (lane ${s(x.laneEndMs)})` : ''}]`).join(' ')}`);
  }
}
const m = summary(main);
console.log('');
console.log(`planner: node counts as expected ${main.filter((r) => r.nodesOk).length}/${main.length}, private details in the expected steps ${main.filter((r) => r.privateOk).length}/${main.length}`);
console.log(`split requests (${main.filter((r) => r.nodes > 1).length}):`);
console.log(`  generated tokens on the device: DAG ${pct(m.share)} · all-cloud 0.0 % · all-device 100.0 %   (goal ≥ 50 %: ${m.share >= 0.5 ? 'met' : 'NOT met'})`);
console.log(`  ceiling with no latency rule (every step the device may take, by privacy and pAccept ≥ ${DEVICE_MIN_P_ACCEPT}, on the device): ${pct(m.ceiling)}`);
console.log(`  predicted latency ÷ all-cloud: mean ${m.mean.toFixed(2)}×, p90 ${m.p90.toFixed(2)}×, max ${m.max.toFixed(2)}×, summed ${m.total.toFixed(2)}× · all-device ÷ all-cloud ${(main.reduce((n, r) => n + r.allLocalMs, 0) / main.reduce((n, r) => n + r.allCloudMs, 0)).toFixed(2)}×   (goal ≤ 1.1×: ${m.mean <= 1.1 ? 'met' : 'NOT met'} on the mean)`);
console.log(`  requests over 1.1× all-cloud: ${m.over}/${m.n}`);
console.log(`  never-sendable or listed private values in cloud text: ${m.leaks}   (goal 0: ${m.leaks === 0 ? 'met' : 'NOT met'})`);
console.log('');
console.log('sweep over the device decode rate (same requests; prefill = 8× decode):');
console.log('decode tok/s   device share   DAG÷cloud mean   max     over 1.1×');
for (const d of SWEEP) {
  const rs: Outcome[] = [];
  for (const c of CASES) rs.push(await runCase(c, d, false));
  const x = summary(rs);
  console.log(`${String(d).padStart(12)}   ${pct(x.share).padStart(12)}   ${x.mean.toFixed(2).padStart(14)}×   ${x.max.toFixed(2)}×   ${x.over}/${x.n}`);
}
process.exitCode = m.leaks === 0 ? 0 : 1;
