// `npm run eval -- --file data.jsonl [--json] [--plot out.svg]`
// `npm run eval -- --latency-grid [--json] [--plot grid.svg]`
//
// Replays labeled records (one JSON object per line, see src/core/eval/records.ts
// and docs/eval.md) and reports quality against cloud share: the curve over
// every threshold, APGR, CPT(50 %), CPT(80 %), AUROC, and where the real
// policy (plan() + the acceptance rule at θ) lands. A record without a score of
// its own is scored by the capability model (models/capability/default.json or
// --capability): its calibrated P(the local answer is good), the same code and
// weights the browser runs. `--capability none` scores with the reranker alone
// (the old check). The metrics themselves are pure (src/core/eval).
import { readFile, writeFile } from 'node:fs/promises';
import {
  curveSvg, formatGridTable, heatmapSvg, latencyGrid, parseRecords, RecordError, replayPolicy, summarize,
  type EvalRecord, type ScoredTurn,
} from '../src/core/eval';
import { MODES } from '../src/core/policy/weights';
import { DEFAULT_CONFIDENCE_RULE } from '../src/core/capability/confidence';
import type { Mode } from '../src/core/types';
import { auroc, reliability, type CapabilityModel } from '../src/core/capability/model';
import { reliabilitySvg } from '../src/core/eval/svg';
import { parseArgs, formatFlags, UsageError, type CliIO, type FlagSpecs } from './args';
import { DEFAULT_CAPABILITY, loadCapabilityFile, loadReranker, type ConsistencyScorer } from './capability-load';
import { runIfMain } from './run';

export const EVAL_FLAGS = {
  file: { type: 'string', metavar: 'data.jsonl', help: 'labeled records, one JSON object per line' },
  json: { type: 'boolean', help: 'print one JSON object instead of the text report' },
  plot: { type: 'string', metavar: 'out.svg', help: 'write an SVG: the curve (with --file) or the heat map (with --latency-grid)' },
  'latency-grid': { type: 'boolean', help: 'simulate the latency policy over device speed × RTT × load × output tokens' },
  mode: { type: 'string', values: MODES, help: 'routing mode for the policy replay and the grid (default balanced)' },
  theta: { type: 'number', min: 0, max: 1, metavar: 'θ', help: `consistency threshold of the policy replay (default ${DEFAULT_CONFIDENCE_RULE.thetaConsistency})` },
  'local-decode-tps': { type: 'number', min: 0.01, max: 1e5, metavar: 'tok/s', help: 'device generation rate the policy replay assumes (default: the conservative phone)' },
  'rtt-ms': { type: 'number', min: 0, max: 60_000, metavar: 'ms', help: 'round-trip time the policy replay assumes' },
  capability: { type: 'string', metavar: 'model.json|none', help: 'capability model for records without a score (default models/capability/default.json; none = the reranker alone)' },
  reranker: { type: 'string', metavar: 'dir|id', help: 'cross-encoder for the reranker score (default models/tiny-reranker)' },
  help: { type: 'boolean', help: 'show this help' },
} as const satisfies FlagSpecs;

export const EVAL_USAGE = `usage: tsx cli/eval.ts --file data.jsonl [--json] [--plot out.svg] [--mode m] [--theta θ]
       tsx cli/eval.ts --latency-grid [--json] [--plot grid.svg] [--mode m]

Record: {"query", "kind"?, "local": {"answer", "correct", "consistency"?, "latencyMs"?},
         "cloud": {"answer", "correct", "latencyMs"?, "costUsd"?}}
--json prints {"n","localQuality","cloudQuality","auc","apgr","cpt50","cpt80","auroc","scoredBy","reliability","curve":[{"cloudShare","quality","threshold","meanLatencyMs","meanCostUsd"}],"oracle","policy",…}

flags:
${formatFlags(EVAL_FLAGS)}

exit codes: 0 ok, 1 runtime error, 2 bad arguments or input`;

export type { ConsistencyScorer };

export interface EvalIO extends CliIO {
  writeFile: (path: string, text: string) => Promise<void>;
}

export interface EvalDeps {
  /** The reranker (a directory or id; undefined = the tiny one) for records without a score. */
  loadScorer(spec?: string): Promise<ConsistencyScorer>;
  /** The capability model file. */
  loadCapability?(file: string): Promise<CapabilityModel>;
}

export const defaultDeps: EvalDeps = {
  loadScorer: (spec) => loadReranker(spec),
  loadCapability: (file) => loadCapabilityFile(file),
};

interface Scoring {
  capability: CapabilityModel | null;
  reranker?: string;
}

async function score(records: EvalRecord[], deps: EvalDeps, how: Scoring): Promise<{ turns: ScoredTurn[]; computed: number }> {
  const missing = records.filter((r) => r.local.consistency === undefined);
  const cap = how.capability;
  // The reranker runs only where its score is used: the old check, or a model trained with it.
  const needRerank = missing.length > 0 && (!cap || cap.usesRerank);
  const scorer = needRerank ? await deps.loadScorer(how.reranker) : null;
  const turns: ScoredTurn[] = [];
  for (const r of records) {
    let consistency = r.local.consistency;
    if (consistency === undefined) {
      const rerank = scorer ? await scorer.consistency(r.query, r.local.answer) : null;
      consistency = cap
        ? cap.estimate({ query: r.query, kind: r.kind, answer: r.local.answer, rerank, logprobs: r.local.logprobs ?? null }, 'after').p
        : rerank!;
    }
    turns.push({
      consistency,
      localCorrect: r.local.correct,
      cloudCorrect: r.cloud.correct,
      localLatencyMs: r.local.latencyMs,
      cloudLatencyMs: r.cloud.latencyMs,
      cloudCostUsd: r.cloud.costUsd,
    });
  }
  return { turns, computed: missing.length };
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} %`);
const n3 = (x: number | null) => (x === null ? 'n/a (cloud and device quality are equal)' : x.toFixed(3));

type CurveFlags = { json?: boolean; plot?: string; mode?: string; theta?: number; 'local-decode-tps'?: number; 'rtt-ms'?: number; capability?: string; reranker?: string };

async function runCurve(file: string, flags: CurveFlags, io: EvalIO, deps: EvalDeps): Promise<number> {
  let content: string;
  try {
    content = await io.readFile(file);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let records: EvalRecord[];
  try {
    records = parseRecords(content);
  } catch (e) {
    if (e instanceof RecordError) throw new UsageError(e.line ? `${file}:${e.line}: ${e.reason}` : `${file}: ${e.reason}`);
    throw e;
  }
  const needsScore = records.some((r) => r.local.consistency === undefined);
  const capFile = flags.capability ?? DEFAULT_CAPABILITY;
  const capability = needsScore && capFile !== 'none' ? await (deps.loadCapability ?? ((f: string) => loadCapabilityFile(f, io.readFile)))(capFile) : null;
  const { turns, computed } = await score(records, deps, { capability, reranker: flags.reranker });
  const scoredBy = !computed ? 'records' : capability ? `capability model ${capability.name}` : 'reranker';
  const s = summarize(turns);
  const rocAuc = auroc(turns.map((t) => t.consistency), turns.map((t) => t.localCorrect));
  // Calibration only means something for a probability (the capability model's P).
  const calib = capability ? reliability(turns.map((t) => t.consistency), turns.map((t) => t.localCorrect)) : null;
  const mode = (flags.mode ?? 'balanced') as Mode;
  const theta = flags.theta ?? DEFAULT_CONFIDENCE_RULE.thetaConsistency;
  const policy = replayPolicy(
    records.map((r, i) => ({ query: r.query, kind: r.kind, consistency: turns[i].consistency, localCorrect: r.local.correct, cloudCorrect: r.cloud.correct })),
    {
      mode,
      thetaConsistency: theta,
      device: flags['local-decode-tps'] ? { decodeTps: flags['local-decode-tps'] } : undefined,
      network: flags['rtt-ms'] !== undefined ? { rttMs: flags['rtt-ms'] } : undefined,
    },
  );
  // The consistency rule alone at θ (every turn tried on the device first).
  const thresholdOnly = { threshold: theta, cloudShare: turns.filter((t) => t.consistency < theta).length / s.n, quality: turns.reduce((q, t) => q + (t.consistency < theta ? t.cloudCorrect : t.localCorrect), 0) / s.n };
  const reliabilityPlot = flags.plot && calib ? flags.plot.replace(/(\.svg)?$/i, '.reliability.svg') : null;
  if (flags.plot) await io.writeFile(flags.plot, curveSvg(s, `Quality vs. cloud share (${s.n} turns)`));
  if (reliabilityPlot && calib) {
    await io.writeFile(reliabilityPlot, reliabilitySvg(calib.bins, `Reliability of P(good) (${s.n} turns)`, `ECE ${calib.ece.toFixed(3)}`));
  }
  if (flags.json) {
    io.stdout(`${JSON.stringify({
      n: s.n,
      localQuality: s.localQuality,
      cloudQuality: s.cloudQuality,
      auc: s.auc,
      apgr: s.apgr,
      cpt50: s.cpt50,
      cpt80: s.cpt80,
      auroc: rocAuc,
      scoredBy,
      reliability: calib,
      computedConsistency: computed,
      curve: s.curve,
      oracle: s.oracle,
      thresholdOnly,
      policy,
    })}\n`);
  } else {
    const lines = [
      `${s.n} turns (${computed} scored by ${computed ? scoredBy : 'nothing: every record has its own score'})`,
      `quality: device only ${pct(s.localQuality)}, cloud only ${pct(s.cloudQuality)}`,
      `APGR ${n3(s.apgr)} (random router 0.5, higher is better)`,
      `CPT(50 %) ${pct(s.cpt50)} · CPT(80 %) ${pct(s.cpt80)} of turns to the cloud`,
      `AUROC ${rocAuc === null ? 'n/a' : rocAuc.toFixed(3)} (score vs. the local answer being right)${calib ? ` · calibration error ${calib.ece.toFixed(3)}` : ''}`,
      `θ = ${theta}: ${pct(thresholdOnly.cloudShare)} escalate, quality ${pct(thresholdOnly.quality)}`,
      `policy (${mode}, θ ${theta}): ${pct(policy.cloudShare)} answered by the cloud, quality ${pct(policy.quality)} — ` +
        Object.entries(policy.outcomes).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', '),
      '',
      `${'θ'.padStart(8)}${'cloud'.padStart(9)}${'quality'.padStart(9)}${'latency'.padStart(10)}${'cost/turn'.padStart(12)}`,
      ...s.curve.map((p) =>
        `${p.threshold.toFixed(3).padStart(8)}${pct(p.cloudShare).padStart(9)}${pct(p.quality).padStart(9)}` +
        `${(p.meanLatencyMs === null ? '—' : `${Math.round(p.meanLatencyMs)} ms`).padStart(10)}` +
        `${(p.meanCostUsd === null ? '—' : `$${p.meanCostUsd.toFixed(5)}`).padStart(12)}`),
    ];
    if (flags.plot) lines.push('', `plot written to ${flags.plot}${reliabilityPlot ? `, reliability diagram to ${reliabilityPlot}` : ''}`);
    io.stdout(`${lines.join('\n')}\n`);
  }
  return 0;
}

async function runGrid(flags: { json?: boolean; plot?: string; mode?: string }, io: EvalIO): Promise<number> {
  const mode = (flags.mode ?? 'balanced') as Mode;
  const g = latencyGrid({ mode });
  if (flags.plot) await io.writeFile(flags.plot, heatmapSvg(g, `Route latency ÷ faster side (${mode})`));
  if (flags.json) {
    io.stdout(`${JSON.stringify({ mode, ...g })}\n`);
  } else {
    io.stdout(
      `Latency policy (${mode}): the picked route's time ÷ the faster of device and cloud, mean over load ${g.axes.load.join('/')} × output ${g.axes.outputTokens.join('/')} tokens\n` +
        `${formatGridTable(g)}\n` +
        `overall: ${g.overall.points} points, mean ${g.overall.meanRatio.toFixed(3)}, max ${g.overall.maxRatio.toFixed(3)}, ${(g.overall.localShare * 100).toFixed(0)} % on the device` +
        (flags.plot ? `\nheat map written to ${flags.plot}` : '') + '\n',
    );
  }
  return 0;
}

export async function main(argv: readonly string[], io: EvalIO, deps: EvalDeps = defaultDeps): Promise<number> {
  try {
    const { flags, positionals } = parseArgs(argv, EVAL_FLAGS);
    if (flags.help) {
      io.stdout(`${EVAL_USAGE}\n`);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    if (flags['latency-grid']) {
      if (flags.file) throw new UsageError('--latency-grid and --file are separate runs');
      return await runGrid(flags, io);
    }
    if (flags.file === undefined) throw new UsageError('--file (or --latency-grid) is required');
    return await runCurve(flags.file, flags, io, deps);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n\n${EVAL_USAGE}\n`);
      return 2;
    }
    throw e;
  }
}

runIfMain(import.meta.url, main);
