// A request as a task graph through the real stages (privacy, plan(), ladder,
// record) with the real privacy layer; only the engines are fakes at the
// boundary: a device engine and a cloud that record what they were given.
import { describe, expect, it } from 'vitest';
import { Pseudonymizer } from '../../core/privacy';
import { planLocally, PLANNER_MARKER, type TaskRecord } from '../../core/task';
import type { ChatMessage } from '../../core/types';
import type { ChatRequest, ChatResult, LocalEngine } from '../../engines/types';
import type { OrchestratorDeps, RemoteChatRequest, RoutingSettings } from '../deps';
import { RoutingStats } from '../stats';
import type { NetworkSnapshot } from '../../net/types';
import type { TurnTrace } from '../record';
import { runTask, type TaskInput } from './run';
import { predictTask, cloudTextOf, type StepPlanContext } from './predict';
import { planForLane } from '../../core/task';

const SSN = '536-22-8841';
const REPORT = `Write a report on remote work for our HR team. My SSN is ${SSN} and it must appear in the cover note.`;
const SETTINGS: RoutingSettings = { mode: 'balanced', preset: null, weights: null, thetaConsistency: 0.6, consentRequired: false, privacyAlpha: 0.05 };

const ONLINE: NetworkSnapshot = {
  online: true, proxyReachable: true, rttMs: 100, jitterMs: 0, lossRate: 0, lastSampleAt: 0, observedCloud: { ttftMs: null, tokensPerSec: null },
  tiers: {
    cloud: { configured: true, healthy: true, ttftMsEwma: 400, tokensPerSecEwma: 80, inFlight: 0, errorRate: 0 },
    edge: { configured: false, healthy: false, ttftMsEwma: null, tokensPerSecEwma: null, inFlight: 0, errorRate: 0 },
  },
};
const usage = (n: number) => ({ promptTokens: 10, outputTokens: n, prefillTps: 400, decodeTps: 50, timeToFirstTokenMs: 10, totalMs: 10 });
const result = (text: string): ChatResult => ({ text, finishReason: 'stop', usage: usage(text.split(/\s+/).length), logprobs: null });

function fakes(opts: { cloudFails?: boolean; plannerReply?: (masked: string) => string } = {}) {
  const toCloud: ChatMessage[][] = [];
  const onDevice: ChatMessage[][] = [];
  const engine = {
    info: { kind: 'onnx', modelId: 'fake-device', device: 'cpu', contextWindow: 4096 },
    async chat(req: ChatRequest) {
      onDevice.push(req.messages);
      const last = req.messages[req.messages.length - 1].content;
      const text = `Device wrote: ${last.slice(0, 160)}`;
      req.onToken?.(text);
      return result(text);
    },
  } as unknown as LocalEngine;
  const remote = () => ({
    info: { modelId: 'fake-cloud' },
    async chat(req: RemoteChatRequest) {
      toCloud.push(req.messages.map((m) => ({ ...m })));
      if (opts.cloudFails) throw new Error('cloud down');
      const sys = req.messages[0];
      if (sys.role === 'system' && sys.content.startsWith(PLANNER_MARKER)) {
        const masked = req.messages[1].content;
        return result(opts.plannerReply ? opts.plannerReply(masked) : JSON.stringify(planLocally(masked, [...masked.matchAll(/<[A-Z_]+_\d+>/g)].map((m) => ({ start: m.index!, end: m.index! + m[0].length }))).graph));
      }
      const text = `Cloud wrote about: ${req.messages[req.messages.length - 1].content.slice(0, 80)}`;
      req.onToken?.(text);
      return result(text);
    },
  });
  const traces: TurnTrace[] = [];
  const stats = new RoutingStats();
  stats.pinDevice({ prefillTps: 400, decodeTps: 50 });
  const deps: OrchestratorDeps = {
    settings: () => SETTINGS,
    local: { ready: async () => engine, isReady: () => true, available: () => true },
    nlp: null,
    network: { snapshot: () => ONLINE, refreshIfStale: async () => ONLINE, observeCloud: () => {} },
    remote,
    pseudonymizer: (() => { const p = new Pseudonymizer(); return () => p; })(),
    consent: async () => 'send',
    stats,
    recordTrace: async (t) => void traces.push(t),
    maxNewTokens: 256,
    prices: {},
  };
  return { deps, toCloud, onDevice, traces };
}

function input(text: string, over: Partial<TaskInput> = {}): TaskInput & { answer: () => string; graphs: TaskRecord[] } {
  let answer = '';
  const graphs: TaskRecord[] = [];
  return {
    conversationId: 'c1', history: [{ role: 'user', content: text }], signal: new AbortController().signal,
    onStage: () => {}, onEngine: () => {}, onToken: (d) => (answer += d), onReplace: (t) => (answer = t),
    onTask: (t) => graphs.push(t), answer: () => answer, graphs, ...over,
  };
}

describe('task graph: prediction', () => {
  it('counts the dependencies’ expected outputs in a step’s prompt (the device’s prefill)', async () => {
    const ctx: StepPlanContext = {
      pseudonymizer: new Pseudonymizer(), nlp: null, settings: SETTINGS, stats: new RoutingStats(), prices: {}, maxTokens: 1024,
      network: { online: true, cloudConfigured: true }, device: { localAvailable: true, decodeTps: 50, prefillTps: 400 },
    };
    const graph = planLocally('Write a report on remote work and team productivity.').graph;
    const pred = await predictTask(ctx, 'Write a report on remote work and team productivity.', graph);
    const at = (id: string) => pred.steps.find((s) => s.node.id === id)!;
    const outline = at('outline').outputTokens;
    const own = (id: string) => Math.ceil(at(id).node.prompt.length / 4);
    expect(at('background').plan!.expected.promptTokens).toBeLessThan(own('background') + 20); // no dependencies
    expect(at('recommendations').plan!.expected.promptTokens).toBeGreaterThanOrEqual(own('recommendations') + outline);
    expect(at('recommendations').plan!.latency.local.breakdown.prefillMs).toBeGreaterThan((outline / 400) * 1000);
  });
});

describe('task graph: a step is routed by its own ask', () => {
  it('the earlier questions in its prompt do not change its kind; they count in its length', async () => {
    const ctx: StepPlanContext = {
      pseudonymizer: new Pseudonymizer(), nlp: null, settings: SETTINGS, stats: new RoutingStats(), prices: {}, maxTokens: 1024,
      network: { online: true, cloudConfigured: true }, device: { localAvailable: true, decodeTps: 50, prefillTps: 400 },
    };
    const request = '1) What is a hash map? 2) Give an example in Python. 3) What is its time complexity?';
    const pred = await predictTask(ctx, request, planLocally(request).graph);
    const at = (id: string) => pred.steps.find((s) => s.node.id === id)!;
    expect(at('q2').plan!.kind).toBe('code');
    expect(at('q3').plan!.kind).toBe('knowledge'); // the whole prompt mentions Python: it would read as code
    expect(at('q3').plan!.classification.features.tokens).toBeGreaterThan(Math.ceil('What is its time complexity?'.length / 4));
  });
});

describe('task graph: a rejected device draft frees the device', () => {
  it('the next device step starts while the remote tier redoes the rejected one', async () => {
    const f = fakes();
    const log: string[] = [];
    let devicesDuringRedo = 0;
    let redoing = false;
    const cloud = f.deps.remote;
    f.deps.remote = (tier) => {
      const r = cloud(tier);
      return { ...r, async chat(req: RemoteChatRequest) {
        const last = req.messages[req.messages.length - 1].content;
        if (last.includes('"Background" section')) {
          log.push('cloud: background (redo)');
          // Hold the redo while pending work settles (no clock): the device may take its next step meanwhile.
          redoing = true;
          for (let i = 0; i < 50 && devicesDuringRedo === 0; i++) await new Promise((resolve) => setImmediate(resolve));
          redoing = false;
        }
        return r.chat(req);
      } };
    };
    const device = await f.deps.local.ready();
    const chat = device.chat.bind(device);
    device.chat = async (req: ChatRequest) => {
      const last = req.messages[req.messages.length - 1].content;
      log.push(`device: ${/"(\w+)" section|summary/i.exec(last)?.[0] ?? last.slice(0, 20)}`);
      if (redoing) devicesDuringRedo++;
      return chat(req);
    };
    f.deps.nlp = { ready: async () => {}, ner: async () => [], consistency: async () => 0.9, dispose: () => {} };
    f.deps.acceptRule = () => (e) => ({ tier: e.tier, consistency: e.consistency, self: null, verdict: 'low-consistency', accepted: !(e.tier === 'local' && e.question.includes('"Background" section')) });
    const res = await runTask(f.deps, input('Write a report on remote work and team productivity.'));
    const background = res.task.steps.find((s) => s.id === 'background')!;
    expect(background.route).toBe('cloud');
    // The step says what happened, not what was planned ("on device is faster").
    expect(background.reason).toBe('Escalated to cloud: the on-device answer did not pass the quality check');
    // The device's discarded draft was generated there, and the sentence says so.
    expect(res.reason).toMatch(/^Split into 6 steps \(\d on this device, \d remote\); \d+ % of the generated text was written on this device \(\d+ % in drafts that were redone remotely\)\./);
    expect(res.task.steps.find((s) => s.id === 'summary')!.reason).toMatch(/^Answered on device: it passed the quality check/);
    const redoAt = log.indexOf('cloud: background (redo)');
    expect(redoAt).toBeGreaterThan(log.indexOf('device: "Background" section'));
    // Another device step started after the redo began and before it ended.
    expect(devicesDuringRedo).toBeGreaterThan(0);
  });
});

describe('task graph: privacy per step', () => {
  it('predicted: the step holding a never-sendable value runs on the device and its cloud text is null; the others carry none', async () => {
    const ctx: StepPlanContext = {
      pseudonymizer: new Pseudonymizer(), nlp: null, settings: SETTINGS, stats: new RoutingStats(), prices: {}, maxTokens: 1024,
      network: { online: true, cloudConfigured: true }, device: { localAvailable: true, decodeTps: 50, prefillTps: 400 },
    };
    const planning = planLocally(REPORT, [{ start: REPORT.indexOf(SSN), end: REPORT.indexOf(SSN) + SSN.length }]);
    const pred = await predictTask(ctx, REPORT, planning.graph);
    const personal = pred.steps.find((s) => s.node.id === 'personal')!;
    const tiers = planForLane(personal.plan!, pred.assignment.choices.get('personal')!.lane).tiers;
    expect(tiers).toEqual(['local']);
    expect(cloudTextOf(personal, tiers)).toBeNull();
    const remote = pred.steps.filter((s) => s.plan && planForLane(s.plan, pred.assignment.choices.get(s.node.id)!.lane).tiers.some((t) => t !== 'local'));
    expect(remote.length).toBeGreaterThan(0);
    for (const s of remote) expect(s.privacy!.record.outboundText).not.toContain(SSN);
  });

  it('runs: the request with a never-sendable value is planned locally, some steps go to the cloud without it, the answer is assembled', async () => {
    const f = fakes();
    const inp = input(REPORT);
    const res = await runTask(f.deps, inp);
    expect(res.task.source).toBe('local-planner');
    expect(res.task.planReason).toMatch(/never leaves this device/);
    expect(f.toCloud.length).toBeGreaterThan(0);
    expect(f.toCloud.some((ms) => ms[0].content.startsWith(PLANNER_MARKER))).toBe(false);
    expect(JSON.stringify(f.toCloud)).not.toContain(SSN);
    const personal = res.task.steps.find((s) => s.id === 'personal')!;
    expect(personal.route).toBe('local');
    expect(personal.cloudText).toBeNull();
    expect(personal.output).toContain(SSN); // the device saw the real value
    const routes = new Set(res.task.steps.filter((s) => s.kind !== 'assemble').map((s) => s.route));
    expect(routes).toEqual(new Set(['local', 'cloud']));
    // The answer is every part, in order, and it streamed as steps completed.
    for (const id of ['summary', 'background', 'analysis', 'recommendations', 'personal']) expect(res.text).toContain(res.task.steps.find((s) => s.id === id)!.output.trim());
    expect(inp.answer()).toBe(res.text);
    expect(inp.graphs.some((g) => g.steps.some((s) => s.status === 'running'))).toBe(true);
    expect(res.task.steps.every((s) => s.status === 'done')).toBe(true);
    // One trace per generated step, tagged with the task.
    expect(f.traces.length).toBe(6);
    expect(new Set(f.traces.map((t) => t.task?.id)).size).toBe(1);
  });

  it('with the cloud planner: it sees only the masked request, and the steps get the real values back on the device', async () => {
    const f = fakes();
    const text = 'Draft a proposal for our bakery going online. Contact me at maria.lopez@example.org for the follow-up.';
    const res = await runTask(f.deps, input(text));
    expect(res.task.source).toBe('cloud-planner');
    const planner = f.toCloud.find((ms) => ms[0].content.startsWith(PLANNER_MARKER))!;
    expect(planner[1].content).toContain('<EMAIL_1>');
    expect(JSON.stringify(f.toCloud)).not.toContain('maria.lopez@example.org');
    expect(res.task.steps.find((s) => s.id === 'personal')!.prompt).toContain('maria.lopez@example.org');
  });

  it('a malformed plan from the cloud falls back to a single turn, with the reason shown', async () => {
    const f = fakes({ plannerReply: () => '{"nodes":[{"id":"a","prompt":"x","deps":["b"]},{"id":"b","prompt":"y","deps":["a"]}],"final":"b"}' });
    const res = await runTask(f.deps, input('Compare PostgreSQL and MySQL for a small analytics startup.'));
    expect(res.task.source).toBe('single');
    expect(res.reason).toMatch(/Answered in one step: the plan is unusable: the steps depend on each other in a circle/);
    expect(res.text.length).toBeGreaterThan(0);
  });

  it('when the cloud refuses, the local planner plans and the device answers every step', async () => {
    const f = fakes({ cloudFails: true });
    const res = await runTask(f.deps, input('Compare PostgreSQL and MySQL for a small analytics startup.'));
    expect(res.task.source).toBe('local-planner');
    expect(res.task.planReason).toMatch(/cloud planner did not answer/);
    expect(res.task.steps.every((s) => s.route === 'local' && s.status === 'done')).toBe(true);
    expect(res.route).toBe('local');
    expect(res.reason).toMatch(/100 % of the generated text was written on this device\. /);
    // Assembled under headings: the key facts on each, then the comparison.
    expect(res.text).toMatch(/^### PostgreSQL\n\nDevice wrote: List the key facts about PostgreSQL[\s\S]*\n### MySQL\n\nDevice wrote: List the key facts about MySQL[\s\S]*\n### Comparison\n\nDevice wrote: Compare PostgreSQL and MySQL/);
  });
});
