// `npm run calibrate -- --file traces.jsonl --target-cloud-share 0.3`
// Picks θ_consistency from exported routing traces (RouteLLM-style quantile
// calibration) and prints it with the cloud share and quality it implies:
// one JSON object on stdout, one human sentence on stderr.
//
// Each trace line needs the consistency score of the local answer, found at
// `consistency`, `scores.consistency`, `check.consistency` or
// `localConsistency`; optional labels: `accepted` / `localCorrect` / `label`
// (boolean or 0/1: was the local answer good?) and `cloudAccepted` /
// `cloudCorrect`. Lines without a score (e.g. cloud-direct turns) are skipped.
import { readFile } from 'node:fs/promises';
import { calibrateThreshold, type CalibrationTrace } from '../src/core/policy/calibrate';
import { parseArgs, formatFlags, UsageError, type CliIO, type FlagSpecs, parseJsonLines } from './args';
import { runIfMain } from './run';

export const CALIBRATE_FLAGS = {
  file: { type: 'string', metavar: 'traces.jsonl', help: 'routing traces, one JSON object per line (required)' },
  'target-cloud-share': { type: 'number', min: 0, max: 1, metavar: 'share', help: 'share of turns to escalate (default 0.3)' },
  help: { type: 'boolean', help: 'show this help' },
} as const satisfies FlagSpecs;

export const CALIBRATE_USAGE = `usage: tsx cli/calibrate.ts --file traces.jsonl [--target-cloud-share 0.3]

Picks θ_consistency so that the target share of turns escalates, and prints
{"threshold","cloudShare","targetCloudShare","n","skipped","quality",…} on stdout
and a one-line summary on stderr.

flags:
${formatFlags(CALIBRATE_FLAGS)}

exit codes: 0 ok, 1 runtime error, 2 bad arguments or input`;

function pick(obj: Record<string, unknown>, paths: string[]): unknown {
  for (const p of paths) {
    let cur: unknown = obj;
    for (const k of p.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
    if (cur !== undefined && cur !== null) return cur;
  }
  return undefined;
}

function asBool(x: unknown): boolean | null {
  if (typeof x === 'boolean') return x;
  if (x === 0 || x === 1) return x === 1;
  if (x === 'good' || x === 'accepted') return true;
  if (x === 'bad' || x === 'rejected') return false;
  return null;
}

export function parseTraces(content: string, path: string): { traces: CalibrationTrace[]; skipped: number } {
  const traces: CalibrationTrace[] = [];
  let skipped = 0;
  for (const { line, value } of parseJsonLines(content, path)) {
    if (!value || typeof value !== 'object') throw new UsageError(`${path}:${line}: expected a JSON object`);
    const o = value as Record<string, unknown>;
    // The app's exported routing traces carry the on-device check in `checks`.
    const localCheck = Array.isArray(o.checks)
      ? (o.checks as Record<string, unknown>[]).find((c) => c && c.tier === 'local')
      : undefined;
    // θ applies to the capability model's P(good) when the check had one (issue #10), else to the reranker's score.
    const c = localCheck?.pGood ?? localCheck?.consistency ?? pick(o, ['consistency', 'scores.consistency', 'check.consistency', 'localConsistency']);
    if (typeof c !== 'number' || !Number.isFinite(c)) {
      skipped += 1;
      continue;
    }
    traces.push({
      consistency: c,
      accepted: asBool(pick(o, ['accepted', 'localCorrect', 'label', 'labels.local'])),
      cloudAccepted: asBool(pick(o, ['cloudAccepted', 'cloudCorrect', 'labels.cloud'])),
    });
  }
  return { traces, skipped };
}

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let traces: CalibrationTrace[];
  let skipped: number;
  let target: number;
  try {
    const { flags, positionals } = parseArgs(argv, CALIBRATE_FLAGS);
    if (flags.help) {
      io.stdout(`${CALIBRATE_USAGE}\n`);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument: ${positionals[0]}`);
    if (flags.file === undefined) throw new UsageError('--file is required');
    target = flags['target-cloud-share'] ?? 0.3;
    let content: string;
    try {
      content = await io.readFile(flags.file);
    } catch (e) {
      throw new UsageError(`cannot read ${flags.file}: ${(e as Error).message}`);
    }
    ({ traces, skipped } = parseTraces(content, flags.file));
    if (traces.length === 0) throw new UsageError(`${flags.file}: no trace has a consistency score`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n\n${CALIBRATE_USAGE}\n`);
      return 2;
    }
    throw e;
  }
  const r = calibrateThreshold(traces, target);
  const round = (x: number | null) => (x === null ? null : Math.round(x * 10000) / 10000);
  const out = {
    threshold: round(r.threshold),
    cloudShare: round(r.cloudShare),
    targetCloudShare: r.targetCloudShare,
    n: r.n,
    skipped,
    quality: round(r.quality),
    cloudOnlyQuality: round(r.cloudOnlyQuality),
    keptLocalPrecision: round(r.keptLocalPrecision),
  };
  io.stdout(`${JSON.stringify(out)}\n`);
  const q = r.quality === null
    ? 'no quality labels in the traces'
    : `quality ${(r.quality * 100).toFixed(1)} % (cloud only: ${((r.cloudOnlyQuality ?? 0) * 100).toFixed(1)} %)`;
  io.stderr(
    `θ_consistency = ${r.threshold.toFixed(3)}: ${(r.cloudShare * 100).toFixed(1)} % of ${r.n} turns escalate ` +
      `(target ${(target * 100).toFixed(1)} %), ${q}\n`,
  );
  return 0;
}

runIfMain(import.meta.url, main);
