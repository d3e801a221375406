// `npm run route -- [flags] "<text>"` / `npm run route -- --file cases.jsonl`
// Prints the routing decision as JSON, one object per input, in order. It runs
// the same core code as the app: privacy patterns (+ the tiny NER in Node by
// default), the privacy assessment, and plan().
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { Entity, Mode, PrivacyAction, QueryKind, Tier } from '../src/core/types';
import { plan, type Plan, type PlanInput, type Strategy } from '../src/core/policy/plan';
import { planPrivacyFrom } from '../src/core/policy/privacy-input';
import { MODES, PRESETS, type PresetName } from '../src/core/policy/weights';
import type { CloudBreakdown, LocalBreakdown } from '../src/core/latency/model';
import * as privacyCore from '../src/core/privacy/index';
import { parseArgs, parseJsonLines, formatFlags, UsageError, type CliIO, type FlagSpecs } from './args';
import { planCapability } from '../src/core/policy/capability-rule';
import { deviceEstimate, type CapabilityModel, type Stage, type TurnInput } from '../src/core/capability/model';
import { DEFAULT_CAPABILITY, loadCapabilityFile, loadReranker, type ConsistencyScorer } from './capability-load';
import { runIfMain } from './run';

export const ROUTE_FLAGS = {
  mode: { type: 'string', values: MODES, help: 'routing mode (default balanced)' },
  preset: { type: 'string', values: Object.keys(PRESETS), help: 'objective weights preset' },
  'rtt-ms': { type: 'number', min: 0, max: 60_000, metavar: 'ms', help: 'round-trip time to the cloud proxy' },
  'local-prefill-tps': { type: 'number', min: 0.01, max: 1e6, metavar: 'tok/s', help: 'device prompt-reading rate' },
  'local-decode-tps': { type: 'number', min: 0.01, max: 1e5, metavar: 'tok/s', help: 'device generation rate' },
  'cloud-ttft-ms': { type: 'number', min: 0, max: 600_000, metavar: 'ms', help: 'cloud time to first token (unloaded)' },
  'cloud-tps': { type: 'number', min: 0.01, max: 1e5, metavar: 'tok/s', help: 'cloud generation rate' },
  'cloud-load': { type: 'number', min: 0, max: 1, metavar: 'ρ', help: 'cloud utilization' },
  'prompt-tokens': { type: 'number', min: 1, max: 10_000_000, integer: true, metavar: 'n', help: 'prompt tokens (default: estimated from the text)' },
  'output-tokens': { type: 'number', min: 1, max: 10_000_000, integer: true, metavar: 'n', help: 'output tokens (default: predicted from the query kind)' },
  offline: { type: 'boolean', help: 'the device is offline' },
  'no-cloud': { type: 'boolean', help: 'no cloud is configured' },
  'no-ner': { type: 'boolean', help: 'pattern recognizers only (skip the NER model)' },
  'ner-model': { type: 'string', metavar: 'path|id', help: 'NER model directory or id (default models/tiny-ner)' },
  file: { type: 'string', metavar: 'F.jsonl', help: 'one {"text": …, "answer"?: …} object per line' },
  capability: { type: 'string', metavar: 'model.json|none', help: 'capability model for P(the device answers well) (default models/capability/default.json; none = the built-in per-kind estimate)' },
  reranker: { type: 'string', metavar: 'dir|id', help: 'cross-encoder that scores a case\'s "answer" (default models/tiny-reranker)' },
  help: { type: 'boolean', help: 'show this help' },
} as const satisfies FlagSpecs;

export const ROUTE_USAGE = `usage: tsx cli/route.ts [flags] "<text>"
       tsx cli/route.ts [flags] --file cases.jsonl

Prints the routing decision as JSON, one object per input, in order:
{"route","action","sensitivity","entities","cloudText","reasons","latency","strategy","kind","pAccept",…}
With an "answer" in a case, "check" gives the capability model's P(good) for it and whether θ accepts it.

flags:
${formatFlags(ROUTE_FLAGS)}

exit codes: 0 ok, 1 runtime error, 2 bad arguments`;

// --- the privacy layer and the NER, as this CLI uses them ------------------

export interface PrivacyAssessmentLike {
  sensitivity: number;
  action: PrivacyAction;
  neverSendable?: readonly { type: string }[];
  reasons?: string[];
  toReplace?: Entity[];
}

export interface PrivacyLayer {
  scanPatterns(text: string): Entity[];
  mergeEntities(a: Entity[], b: Entity[]): Entity[];
  assessPrivacy(entities: Entity[], opts: { mode: Mode }): PrivacyAssessmentLike;
  Pseudonymizer: new () => unknown;
  buildCloudText(text: string, entities: Entity[], assessment: PrivacyAssessmentLike, pseudonymizer: unknown): string | null;
}

export interface NerRunner {
  run(text: string): Promise<Entity[]>;
}

export interface RouteDeps {
  loadPrivacy(): Promise<PrivacyLayer>;
  loadCapability?(file: string): Promise<CapabilityModel>;
  loadScorer?(spec?: string): Promise<ConsistencyScorer>;
  /** model: a directory or id; null = the bundled tiny NER. */
  loadNer(model: string | null): Promise<NerRunner>;
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const defaultDeps: RouteDeps = {
  loadCapability: (file) => loadCapabilityFile(file),
  loadScorer: (spec) => loadReranker(spec),
  async loadPrivacy() {
    return privacyCore satisfies PrivacyLayer;
  },
  async loadNer(model) {
    // The same transformers.js code the app's nlp worker runs, on local files only.
    const { configureLocalModels, loadTokenClassifier, runNer } = await import('../src/nlp/index.ts');
    const ref = model ?? path.join(REPO_ROOT, 'models', 'tiny-ner');
    const isDir = existsSync(ref);
    configureLocalModels({ localModelPath: isDir ? path.dirname(path.resolve(ref)) : path.join(REPO_ROOT, 'models'), allowRemote: false });
    const loaded = await loadTokenClassifier(isDir ? path.basename(path.resolve(ref)) : ref);
    return { run: (text) => runNer(text, loaded) };
  },
};

// --- one record -----------------------------------------------------------

export interface RouteRecord {
  route: Tier;
  action: PrivacyAction;
  sensitivity: number;
  entities: { type: string; start: number; end: number; score: number; source: string }[];
  cloudText: string | null;
  reasons: string[];
  latency: { localMs: number; cloudMs: number; local: LocalBreakdown; cloud: CloudBreakdown };
  strategy: Strategy;
  kind: QueryKind;
  tiers: Tier[];
  hedge: boolean;
  bestEffort: boolean;
  pAccept: number;
  promptTokens: number;
  outputTokens: number;
  /** The capability model's verdict on a given answer (cases with "answer" only). */
  check?: { pGood: number | null; consistency: number | null; accepted: boolean; theta: number };
}

export interface RouteCapability {
  model: CapabilityModel | null;
  scorer: ConsistencyScorer | null;
}

type Flags = ReturnType<typeof parseArgs<typeof ROUTE_FLAGS>>['flags'];

const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const roundAll = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? r1(v) : v])) as T;

export function planInputFromFlags(text: string, flags: Flags, privacy: PlanInput['privacy']): PlanInput {
  const mode = (flags.mode as Mode | undefined) ?? undefined;
  return {
    query: { text },
    privacy,
    network: {
      online: !flags.offline,
      cloudConfigured: !flags['no-cloud'],
      rttMs: flags['rtt-ms'],
      cloudLoad: flags['cloud-load'],
      cloudTtftMs: flags['cloud-ttft-ms'],
      cloudTps: flags['cloud-tps'],
    },
    device: {
      localAvailable: true,
      prefillTps: flags['local-prefill-tps'],
      decodeTps: flags['local-decode-tps'],
    },
    settings: { mode, preset: (flags.preset as PresetName | undefined) ?? null },
    promptTokens: flags['prompt-tokens'],
    outputTokens: flags['output-tokens'],
  };
}

export function toRecord(p: Plan, entities: Entity[], assessment: PrivacyAssessmentLike, cloudText: string | null): RouteRecord {
  return {
    route: p.route,
    action: assessment.action,
    sensitivity: r3(assessment.sensitivity),
    entities: entities.map((e) => ({ type: e.type, start: e.start, end: e.end, score: r3(e.score), source: e.source })),
    cloudText,
    reasons: p.reasons,
    latency: {
      localMs: r1(p.latency.localMs),
      cloudMs: r1(p.latency.cloudMs),
      local: roundAll(p.latency.local.breakdown),
      cloud: roundAll(p.latency.cloud.breakdown),
    },
    strategy: p.strategy,
    kind: p.kind,
    tiers: p.tiers,
    hedge: p.hedge,
    bestEffort: p.bestEffort,
    pAccept: r3(p.expected.pAccept),
    promptTokens: p.expected.promptTokens,
    outputTokens: p.expected.outputTokens,
  };
}

export async function routeOne(
  text: string,
  flags: Flags,
  privacy: PrivacyLayer,
  ner: NerRunner | null,
  cap: RouteCapability = { model: null, scorer: null },
  answer?: string,
): Promise<RouteRecord> {
  const mode: Mode = (flags.mode as Mode | undefined) ?? (flags.preset ? PRESETS[flags.preset as PresetName].mode : 'balanced');
  let entities = privacy.scanPatterns(text);
  if (ner) entities = privacy.mergeEntities(entities, await ner.run(text));
  const assessment = privacy.assessPrivacy(entities, { mode });
  const pseudonymizer = new privacy.Pseudonymizer();
  const cloudText = assessment.action === 'local-only'
    ? null
    : privacy.buildCloudText(text, entities, assessment, pseudonymizer);
  const input = planInputFromFlags(text, flags, planPrivacyFrom(assessment, entities));
  const model = cap.model;
  // The same estimate the app makes for its own local model (no device labels here).
  const est = model ? (t: TurnInput, stage: Stage) => deviceEstimate(model, t, stage) : null;
  if (est) input.capability = planCapability(est, { text });
  const p = plan(input);
  const rec = toRecord(p, entities, assessment, cloudText);
  if (answer !== undefined) {
    const consistency = cap.scorer ? await cap.scorer.consistency(text, answer) : null;
    const theta = p.thetaConsistency;
    const pGood = est ? est({ query: text, kind: p.kind, answer, rerank: consistency }, 'after').p : null;
    const score = pGood ?? consistency ?? 0;
    rec.check = { pGood: pGood === null ? null : r3(pGood), consistency: consistency === null ? null : r3(consistency), accepted: score >= theta, theta };
  }
  return rec;
}

// --- main -----------------------------------------------------------------

interface Case {
  text: string;
  answer?: string;
}

function parseCases(content: string, path: string): Case[] {
  return parseJsonLines(content, path).map(({ line, value }) => {
    const v = value as { text?: unknown; answer?: unknown } | null;
    if (typeof v?.text !== 'string') throw new UsageError(`${path}:${line}: expected {"text": string}`);
    if (v.answer !== undefined && typeof v.answer !== 'string') throw new UsageError(`${path}:${line}: "answer" must be a string`);
    return { text: v.text, answer: v.answer as string | undefined };
  });
}

export async function main(argv: readonly string[], io: CliIO, deps: RouteDeps = defaultDeps): Promise<number> {
  let flags: Flags;
  let texts: Case[];
  try {
    const parsed = parseArgs(argv, ROUTE_FLAGS);
    flags = parsed.flags;
    if (flags.help) {
      io.stdout(`${ROUTE_USAGE}\n`);
      return 0;
    }
    if (flags.file !== undefined && parsed.positionals.length > 0) {
      throw new UsageError('give either --file or a text, not both');
    }
    if (flags['no-ner'] && flags['ner-model'] !== undefined) throw new UsageError('--no-ner and --ner-model conflict');
    if (flags.file !== undefined) {
      let content: string;
      try {
        content = await io.readFile(flags.file);
      } catch (e) {
        throw new UsageError(`cannot read ${flags.file}: ${(e as Error).message}`);
      }
      texts = parseCases(content, flags.file);
    } else {
      const text = parsed.positionals.join(' ');
      if (!text.trim()) throw new UsageError('no text given');
      texts = [{ text }];
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n\n${ROUTE_USAGE}\n`);
      return 2;
    }
    throw e;
  }

  let privacy: PrivacyLayer;
  try {
    privacy = await deps.loadPrivacy();
  } catch (e) {
    io.stderr(`error: cannot load the privacy layer: ${(e as Error).message}\n`);
    return 1;
  }
  let ner: NerRunner | null = null;
  if (!flags['no-ner']) {
    try {
      ner = await deps.loadNer(flags['ner-model'] ?? null);
    } catch (e) {
      if (flags['ner-model'] !== undefined) {
        io.stderr(`error: cannot load NER model ${flags['ner-model']}: ${(e as Error).message}\n`);
        return 1;
      }
      io.stderr(`warning: NER unavailable (${(e as Error).message}); using pattern recognizers only\n`);
    }
  }
  const cap: RouteCapability = { model: null, scorer: null };
  try {
    if (flags.capability !== 'none') {
      cap.model = await (deps.loadCapability ?? loadCapabilityFile)(flags.capability ?? DEFAULT_CAPABILITY);
    }
    // The device estimate uses the reranker's verdict after generating.
    const needScorer = texts.some((t) => t.answer !== undefined);
    if (needScorer) cap.scorer = await (deps.loadScorer ?? loadReranker)(flags.reranker);
  } catch (e) {
    io.stderr(`error: ${(e as Error).message}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
  for (const { text, answer } of texts) {
    const rec = await routeOne(text, flags, privacy, ner, cap, answer);
    io.stdout(`${JSON.stringify(rec)}\n`);
  }
  return 0;
}

export const processIO: CliIO = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  readFile: (p) => readFile(p, 'utf8'),
};

runIfMain(import.meta.url, (argv) => main(argv, processIO));
