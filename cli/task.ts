// `npm run task -- [route flags] [--demo] [--json] "<request>"`
// Splits a request into a task graph and prints each step's route and reason
// and the predicted critical-path latency against one tier for everything.
// Without --demo the local template planner plans (nothing leaves the
// machine); with --demo the in-process demo upstream is the cloud planner.
// It runs the same code as the app: the privacy stage per step with one
// pseudonymizer, plan() per step, the graph's scheduler.
import type { Mode, Tier } from '../src/core/types';
import { PRESETS, type PresetName } from '../src/core/policy/weights';
import { Pseudonymizer } from '../src/core/privacy/index';
import { planForLane } from '../src/core/task/index';
import type { RemoteEngine, RoutingSettings } from '../src/turn/deps';
import { decidePrivacy } from '../src/turn/privacy';
import { decideTaskPlanning } from '../src/turn/task/planner';
import { cloudTextOf, predictTask, type StepPlanContext } from '../src/turn/task/predict';
import { RoutingStats } from '../src/turn/stats';
import { DEFAULT_CLOUD, DEFAULT_DEVICE, PREFILL_PER_DECODE } from '../src/core/latency/model';
import { formatFlags, parseArgs, UsageError, type CliIO, type FlagSpecs } from './args';
import { defaultDeps, planInputFromFlags, ROUTE_FLAGS, type RouteDeps } from './route';
import { runIfMain } from './run';
import { DEFAULT_CAPABILITY, loadCapabilityFile } from './capability-load';
import { DeviceCapability } from '../src/turn/capability';
import type { CapabilityModel } from '../src/core/capability/model/index';

const { file: _file, 'prompt-tokens': _p, 'output-tokens': _o, ...SHARED } = ROUTE_FLAGS;

export const TASK_FLAGS = {
  ...SHARED,
  demo: { type: 'boolean', help: 'the in-process demo upstream plans (as the cloud planner)' },
  json: { type: 'boolean', help: 'print one JSON object' },
} as const satisfies FlagSpecs;

export const TASK_USAGE = `usage: npm run task -- [flags] "<request>"

Prints the task graph: each step's route and reason, and the predicted
critical-path latency against the whole request on one tier. With --json:
{"nodes":[{"id","prompt","deps","route","cloudText","reasons"}],"final",
 "predicted":{"dagMs","allCloudMs","allLocalMs"},"localTokenShare"}

flags:
${formatFlags(TASK_FLAGS)}

exit codes: 0 ok, 1 runtime error, 2 bad arguments`;

type Flags = ReturnType<typeof parseArgs<typeof TASK_FLAGS>>['flags'];

export interface TaskNodeRecord {
  id: string;
  prompt: string;
  deps: string[];
  route: Tier;
  cloudText: string | null;
  reasons: string[];
}

export interface TaskJson {
  nodes: TaskNodeRecord[];
  final: string;
  predicted: { dagMs: number; allCloudMs: number; allLocalMs: number };
  localTokenShare: number;
}

export interface TaskDeps extends Pick<RouteDeps, 'loadNer' | 'loadCapability'> {
  /** The demo upstream as a cloud engine (in-process). */
  demoCloud(): Promise<RemoteEngine>;
}

/** A non-streaming OpenAI-style call into the demo upstream's fetch handler, in-process. */
async function demoCloud(): Promise<RemoteEngine> {
  const { createDemoUpstream } = await import('../server/demo-upstream.ts');
  const demo = createDemoUpstream({}, { ttftMs: 0, tokensPerSec: 100_000 });
  return {
    info: { modelId: 'edgewise-demo' },
    async chat(req) {
      const res = await demo.fetch(new Request('http://demo/v1/chat/completions', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'edgewise-demo', messages: req.messages, max_tokens: req.maxTokens, stream: false }),
      }));
      if (!res.ok) throw new Error(`demo upstream answered ${res.status}`);
      const body = (await res.json()) as { choices: { message: { content: string } }[] };
      const text = body.choices[0]?.message.content ?? '';
      return { text, finishReason: 'stop', usage: { promptTokens: 0, outputTokens: 0, prefillTps: null, decodeTps: null, timeToFirstTokenMs: null, totalMs: 0 }, logprobs: null };
    },
  };
}

export const defaultTaskDeps: TaskDeps = { loadNer: defaultDeps.loadNer, loadCapability: defaultDeps.loadCapability, demoCloud };

const r1 = (x: number) => Math.round(x * 10) / 10;

function settingsFrom(flags: Flags): RoutingSettings {
  const mode: Mode = (flags.mode as Mode | undefined) ?? (flags.preset ? PRESETS[flags.preset as PresetName].mode : 'balanced');
  return { mode, preset: (flags.preset as PresetName | undefined) ?? null, weights: null, thetaConsistency: 0.6, consentRequired: false, privacyAlpha: 0.05 };
}

/** Plans the request and returns the JSON record and the planner's reason. */
export async function planTask(request: string, flags: Flags, nlp: StepPlanContext['nlp'], cloud: RemoteEngine | null, capability: CapabilityModel | null = null) {
  const settings = settingsFrom(flags);
  const pseudonymizer = new Pseudonymizer();
  const privacy = await decidePrivacy({ nlp, pseudonymizer }, { messages: [{ role: 'user', content: request }], mode: settings.mode, alpha: settings.privacyAlpha });
  const base = planInputFromFlags(request, flags, { action: 'allow', sensitivity: 0 });
  const online = base.network.online && base.network.cloudConfigured;
  const planning = await decideTaskPlanning({ cloud: online ? cloud : null, pseudonymizer }, { request, privacy, mode: settings.mode });
  const ctx: StepPlanContext = {
    pseudonymizer, nlp, settings, network: base.network, device: base.device,
    stats: new RoutingStats(), prices: {}, maxTokens: 1024,
    // P(a good device answer) per step as the app estimates it (no device labels here).
    capability: capability ? new DeviceCapability(capability, null, () => 'cli').estimate : null,
  };
  const pred = await predictTask(ctx, request, planning.graph);
  const nodes: TaskNodeRecord[] = pred.steps.map((s) => {
    const choice = pred.assignment.choices.get(s.node.id)!;
    const p = s.plan ? planForLane(s.plan, choice.lane) : null;
    const tiers = p ? p.tiers : [];
    return {
      id: s.node.id, prompt: s.node.prompt, deps: [...s.node.deps],
      route: tiers[0] ?? 'local',
      cloudText: cloudTextOf(s, tiers),
      reasons: p ? p.reasons : ["Put together on this device from the steps' outputs (nothing is generated)."],
    };
  });
  const json: TaskJson = {
    nodes, final: planning.graph.final,
    predicted: { dagMs: r1(pred.predicted.dagMs), allCloudMs: r1(pred.predicted.allCloudMs), allLocalMs: r1(pred.predicted.allLocalMs) },
    localTokenShare: Math.round(pred.localTokenShare * 1000) / 1000,
  };
  return { json, planning, criticalPath: pred.assignment.schedule.criticalPath, assumed: assumedLine(base) };
}

/** The rates the prediction assumed, so a reader knows which device and cloud it is about. */
function assumedLine(base: ReturnType<typeof planInputFromFlags>): string {
  const d = base.device;
  const n = base.network;
  const decode = d.decodeTps ?? DEFAULT_DEVICE.decodeTps;
  const prefill = d.prefillTps ?? (d.decodeTps ? decode * PREFILL_PER_DECODE : DEFAULT_DEVICE.prefillTps);
  const device = `device ${decode} tok/s (prefill ${prefill})${d.decodeTps ? '' : ' — the default, a mid-range phone; set --local-decode-tps for yours'}`;
  if (!n.online || !n.cloudConfigured) return `Assumed: ${device}; no cloud.`;
  return `Assumed: ${device}; cloud RTT ${n.rttMs ?? DEFAULT_CLOUD.rttMs} ms, first token ${n.cloudTtftMs ?? DEFAULT_CLOUD.ttftMs} ms, ${n.cloudTps ?? DEFAULT_CLOUD.tps} tok/s.`;
}

function humanReport(r: Awaited<ReturnType<typeof planTask>>): string {
  const { json, planning } = r;
  const lines = [`Plan (${planning.source}): ${planning.reason}`, ''];
  for (const n of json.nodes) {
    lines.push(`${n.id === json.final ? '★' : '•'} ${n.id} [${n.route}]${n.deps.length ? ` after ${n.deps.join(', ')}` : ''}`);
    lines.push(`    ${n.prompt.length > 110 ? `${n.prompt.slice(0, 107)}…` : n.prompt}`);
    lines.push(`    why: ${n.reasons[0] ?? ''}`);
    if (n.cloudText !== null && n.cloudText !== n.prompt) lines.push(`    leaves as: ${n.cloudText.length > 100 ? `${n.cloudText.slice(0, 97)}…` : n.cloudText}`);
  }
  const p = json.predicted;
  lines.push('', `Predicted: ${(p.dagMs / 1000).toFixed(1)} s as steps (critical path ${r.criticalPath.join(' → ')}),`,
    `  vs ${(p.allCloudMs / 1000).toFixed(1)} s all in the cloud (${(p.dagMs / p.allCloudMs).toFixed(2)}×), ${(p.allLocalMs / 1000).toFixed(1)} s all on this device.`,
    `  ${(json.localTokenShare * 100).toFixed(0)} % of the generated tokens on this device.`, r.assumed);
  return `${lines.join('\n')}\n`;
}

export async function main(argv: readonly string[], io: CliIO, deps: TaskDeps = defaultTaskDeps): Promise<number> {
  let flags: Flags;
  let request: string;
  try {
    const parsed = parseArgs(argv, TASK_FLAGS);
    flags = parsed.flags;
    if (flags.help) {
      io.stdout(`${TASK_USAGE}\n`);
      return 0;
    }
    if (flags['no-ner'] && flags['ner-model'] !== undefined) throw new UsageError('--no-ner and --ner-model conflict');
    request = parsed.positionals.join(' ').trim();
    if (!request) throw new UsageError('no request given');
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n\n${TASK_USAGE}\n`);
      return 2;
    }
    throw e;
  }
  let nlp: StepPlanContext['nlp'] = null;
  if (!flags['no-ner']) {
    try {
      const ner = await deps.loadNer(flags['ner-model'] ?? null);
      nlp = { ner: (text: string) => ner.run(text) };
    } catch (e) {
      if (flags['ner-model'] !== undefined) {
        io.stderr(`error: cannot load NER model ${flags['ner-model']}: ${(e as Error).message}\n`);
        return 1;
      }
      io.stderr(`warning: NER unavailable (${(e as Error).message}); using pattern recognizers only\n`);
    }
  }
  let capability: CapabilityModel | null = null;
  if (flags.capability !== 'none') {
    try {
      capability = await (deps.loadCapability ?? loadCapabilityFile)(flags.capability ?? DEFAULT_CAPABILITY);
    } catch (e) {
      io.stderr(`error: ${(e as Error).message}\n`);
      return 1;
    }
  }
  const cloud = flags.demo ? await deps.demoCloud() : null;
  const result = await planTask(request, flags, nlp, cloud, capability);
  io.stdout(flags.json ? `${JSON.stringify(result.json)}\n` : humanReport(result));
  return 0;
}

runIfMain(import.meta.url, (argv) => import('./route').then(({ processIO }) => main(argv, processIO)));
