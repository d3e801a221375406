// `npm run eval -- --file data.jsonl [--json] [--plot out.svg]`
// `npm run eval -- --latency-grid [--json] [--plot grid.svg]`
//
// Replays labeled records (one JSON object per line, see src/core/eval/records.ts
// and docs/eval.md) and reports quality against cloud share: the curve over
// every consistency threshold, APGR, CPT(50 %), CPT(80 %), and where the real
// policy (plan() + the acceptance rule at θ) lands. Missing consistency scores
// are computed with the tiny cross-encoder in models/ (the same src/nlp code the
// browser's nlp worker runs). The metrics themselves are pure (src/core/eval).
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import {
  curveSvg, formatGridTable, heatmapSvg, latencyGrid, parseRecords, RecordError, replayPolicy, summarize,
  type EvalRecord, type ScoredTurn,
} from '../src/core/eval';
import { MODES } from '../src/core/policy/weights';
import { DEFAULT_CONFIDENCE_RULE } from '../src/core/capability/confidence';
import type { Mode } from '../src/core/types';
import { parseArgs, formatFlags, UsageError, type CliIO, type FlagSpecs } from './args';

export const EVAL_FLAGS = {
  file: { type: 'string', metavar: 'data.jsonl', help: 'labeled records, one JSON object per line' },
  json: { type: 'boolean', help: 'print one JSON object instead of the text report' },
  plot: { type: 'string', metavar: 'out.svg', help: 'write an SVG: the curve (with --file) or the heat map (with --latency-grid)' },
  'latency-grid': { type: 'boolean', help: 'simulate the latency policy over device speed × RTT × load × output tokens' },
  mode: { type: 'string', values: MODES, help: 'routing mode for the policy replay and the grid (default balanced)' },
  theta: { type: 'number', min: 0, max: 1, metavar: 'θ', help: `consistency threshold of the policy replay (default ${DEFAULT_CONFIDENCE_RULE.thetaConsistency})` },
  'local-decode-tps': { type: 'number', min: 0.01, max: 1e5, metavar: 'tok/s', help: 'device generation rate the policy replay assumes (default: the conservative phone)' },
  'rtt-ms': { type: 'number', min: 0, max: 60_000, metavar: 'ms', help: 'round-trip time the policy replay assumes' },
  help: { type: 'boolean', help: 'show this help' },
} as const satisfies FlagSpecs;

export const EVAL_USAGE = `usage: tsx cli/eval.ts --file data.jsonl [--json] [--plot out.svg] [--mode m] [--theta θ]
       tsx cli/eval.ts --latency-grid [--json] [--plot grid.svg] [--mode m]

Record: {"query", "kind"?, "local": {"answer", "correct", "consistency"?, "latencyMs"?},
         "cloud": {"answer", "correct", "latencyMs"?, "costUsd"?}}
--json prints {"n","localQuality","cloudQuality","auc","apgr","cpt50","cpt80","curve":[{"cloudShare","quality","threshold","meanLatencyMs","meanCostUsd"}],"oracle","policy",…}

flags:
${formatFlags(EVAL_FLAGS)}

exit codes: 0 ok, 1 runtime error, 2 bad arguments or input`;

export interface ConsistencyScorer {
  consistency(question: string, answer: string): Promise<number>;
}

export interface EvalIO extends CliIO {
  writeFile: (path: string, text: string) => Promise<void>;
}

export interface EvalDeps {
  /** The reranker used when a record has no consistency score. */
  loadScorer(): Promise<ConsistencyScorer>;
}

export const defaultDeps: EvalDeps = {
  async loadScorer() {
    const { NodeNlpClient } = await import('../src/turn/testing/node-engines');
    return new NodeNlpClient();
  },
};

async function score(records: EvalRecord[], deps: EvalDeps): Promise<{ turns: ScoredTurn[]; computed: number }> {
  const missing = records.filter((r) => r.local.consistency === undefined);
  const scorer = missing.length ? await deps.loadScorer() : null;
  const turns: ScoredTurn[] = [];
  for (const r of records) {
    const consistency = r.local.consistency ?? (await scorer!.consistency(r.query, r.local.answer));
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

async function runCurve(file: string, flags: { json?: boolean; plot?: string; mode?: string; theta?: number; 'local-decode-tps'?: number; 'rtt-ms'?: number }, io: EvalIO, deps: EvalDeps): Promise<number> {
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
  const { turns, computed } = await score(records, deps);
  const s = summarize(turns);
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
  if (flags.plot) await io.writeFile(flags.plot, curveSvg(s, `Quality vs. cloud share (${s.n} turns)`));
  if (flags.json) {
    io.stdout(`${JSON.stringify({
      n: s.n,
      localQuality: s.localQuality,
      cloudQuality: s.cloudQuality,
      auc: s.auc,
      apgr: s.apgr,
      cpt50: s.cpt50,
      cpt80: s.cpt80,
      computedConsistency: computed,
      curve: s.curve,
      oracle: s.oracle,
      thresholdOnly,
      policy,
    })}\n`);
  } else {
    const lines = [
      `${s.n} turns (${computed} consistency scores computed with the tiny reranker)`,
      `quality: device only ${pct(s.localQuality)}, cloud only ${pct(s.cloudQuality)}`,
      `APGR ${n3(s.apgr)} (random router 0.5, higher is better)`,
      `CPT(50 %) ${pct(s.cpt50)} · CPT(80 %) ${pct(s.cpt80)} of turns to the cloud`,
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
    if (flags.plot) lines.push('', `plot written to ${flags.plot}`);
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

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2), {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readFile: (p) => readFile(p, 'utf8'),
    writeFile: (p, t) => writeFile(p, t, 'utf8'),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
