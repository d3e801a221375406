// `npm run capability:train -- --file A.jsonl [B.jsonl…] --out models/capability/<name>.json`
//
// Fits the capability model (src/core/capability/model) on labeled eval
// records, deterministically, and prints the cross-validated APGR / AUROC /
// CPT per input file and overall, for the "before" (query only) and "after"
// (query + answer) heads.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseRecords, RecordError, stageReport, type EvalRecord } from '../src/core/eval';
import { train, TRAIN_DEFAULTS, type CvReport, type LabelKind, type StageReport, type TrainExample } from '../src/core/capability/model';
import { parseArgs, formatFlags, UsageError, type CliIO, type FlagSpecs } from './args';
import { runIfMain } from './run';

export const TRAIN_FLAGS = {
  file: { type: 'string', metavar: 'F.jsonl', help: 'labeled records (more files may follow as plain arguments)' },
  out: { type: 'string', metavar: 'model.json', help: 'where to write the model' },
  name: { type: 'string', metavar: 'name', help: 'the model name stored in the file (default: from --out)' },
  label: { type: 'string', values: ['no-gain', 'local'], help: `what "good" means (default no-gain: the cloud would not do better)` },
  folds: { type: 'number', min: 2, max: 20, integer: true, metavar: 'k', help: `cross-validation folds (default ${TRAIN_DEFAULTS.folds})` },
  'keep-hashed': { type: 'number', min: 0, max: 100_000, integer: true, metavar: 'n', help: `hashed n-gram weights kept per head (default ${TRAIN_DEFAULTS.keepHashed})` },
  iterations: { type: 'number', min: 1, max: 10_000, integer: true, metavar: 'n', help: `optimizer steps (default ${TRAIN_DEFAULTS.iterations})` },
  json: { type: 'boolean', help: 'print the cross-validation report as JSON' },
  help: { type: 'boolean', help: 'show this help' },
} as const satisfies FlagSpecs;

export const TRAIN_USAGE = `usage: tsx cli/capability-train.ts --file A.jsonl [B.jsonl…] --out models/capability/<name>.json

Record: {"query", "kind"?, "local": {"answer", "correct", "consistency"?, "logprobs"?}, "cloud": {"answer", "correct"}}

flags:
${formatFlags(TRAIN_FLAGS)}

exit codes: 0 ok, 1 runtime error, 2 bad arguments or input`;

export interface TrainIO extends CliIO {
  writeFile: (path: string, text: string) => Promise<void>;
}

export const DEFAULT_LABEL: LabelKind = 'no-gain';

export function toExample(r: EvalRecord): TrainExample {
  return {
    turn: { query: r.query, kind: r.kind, answer: r.local.answer, rerank: r.local.consistency ?? null, logprobs: r.local.logprobs ?? null },
    localCorrect: r.local.correct,
    cloudCorrect: r.cloud.correct,
  };
}

const f3 = (x: number | null) => (x === null ? 'n/a' : x.toFixed(3));
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} %`);
const row = (label: string, s: StageReport) =>
  `  ${label.padEnd(8)} APGR ${f3(s.apgr)}  AUROC ${f3(s.auroc)} (vs. no-gain ${f3(s.aurocNoGain)})  CPT50 ${pct(s.cpt50)}  CPT80 ${pct(s.cpt80)}`;

async function load(files: string[], io: CliIO): Promise<{ file: string; examples: TrainExample[] }[]> {
  const out: { file: string; examples: TrainExample[] }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await io.readFile(file);
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
    }
    try {
      out.push({ file, examples: parseRecords(text).map(toExample) });
    } catch (e) {
      if (e instanceof RecordError) throw new UsageError(e.line ? `${file}:${e.line}: ${e.reason}` : `${file}: ${e.reason}`);
      throw e;
    }
  }
  return out;
}

export async function main(argv: readonly string[], io: TrainIO): Promise<number> {
  try {
    const { flags, positionals } = parseArgs(argv, TRAIN_FLAGS);
    if (flags.help) {
      io.stdout(`${TRAIN_USAGE}\n`);
      return 0;
    }
    if (flags.file === undefined) throw new UsageError('--file is required');
    if (flags.out === undefined) throw new UsageError('--out is required');
    const sets = await load([flags.file, ...positionals], io);
    const all = sets.flatMap((s) => s.examples);
    const name = flags.name ?? path.basename(flags.out).replace(/\.json$/, '');
    const { model, cv } = train(all, {
      name,
      label: (flags.label ?? DEFAULT_LABEL) as LabelKind,
      folds: flags.folds,
      keepHashed: flags['keep-hashed'],
      iterations: flags.iterations,
      onProgress: (m) => io.stderr(`${m}\n`),
      report: stageReport,
    });
    const perFile: Record<string, { n: number; before: StageReport; after: StageReport }> = {};
    let at = 0;
    for (const s of sets) {
      const idx = s.examples.map((_, i) => at + i);
      at += s.examples.length;
      const pick = (st: keyof CvReport['oof']) => idx.map((i) => cv.oof[st][i]);
      perFile[s.file] = { n: s.examples.length, before: stageReport(pick('before'), s.examples), after: stageReport(pick('after'), s.examples) };
    }
    (model.meta ??= {}).trainedOn = sets.map((s) => ({ file: path.basename(s.file), n: s.examples.length }));
    model.meta.cvPerFile = Object.fromEntries(Object.entries(perFile).map(([f, r]) => [path.basename(f), { n: r.n, before: r.before, after: r.after }]));
    const text = `${JSON.stringify(model)}\n`;
    await mkdir(path.dirname(flags.out), { recursive: true }).catch(() => undefined);
    await io.writeFile(flags.out, text);
    if (flags.json) {
      io.stdout(`${JSON.stringify({ out: flags.out, bytes: text.length, folds: cv.folds, n: cv.n, overall: { before: cv.before, after: cv.after }, perFile })}\n`);
    } else {
      const lines = [`trained on ${cv.n} records, ${cv.folds}-fold cross-validation (out-of-fold, calibrated):`];
      for (const [f, r] of Object.entries(perFile)) lines.push(`${f} (${r.n})`, row('before', r.before), row('after', r.after));
      if (sets.length > 1) lines.push(`all (${cv.n})`, row('before', cv.before!), row('after', cv.after!));
      lines.push(`model written to ${flags.out} (${(text.length / 1024).toFixed(0)} KB)`);
      io.stdout(`${lines.join('\n')}\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n\n${TRAIN_USAGE}\n`);
      return 2;
    }
    throw e;
  }
}

runIfMain(import.meta.url, main);
