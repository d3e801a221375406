// Deterministic training of the capability model: L2-regularized logistic
// regression per head, full-batch Adam in a fixed order (no randomness), sign
// constraints projected after each step, the hashed weights pruned to the
// largest, Platt scaling fitted on out-of-fold logits. k-fold CV reports
// APGR/AUROC/CPT on the out-of-fold probabilities.
import type { QueryKind } from '../../types';
import { DENSE_FEATURES, DENSE_INDEX, extractFeatures, SIGN_CONSTRAINTS, type SparseVector, type TurnInput } from './features';
import { fnv1a } from './hash';
import { CapabilityModel, sigmoid, type CapabilityModelJson, type HeadWeights, type Stage } from './model';

export interface TrainExample {
  turn: TurnInput;
  localCorrect: number;
  cloudCorrect: number;
}

/** What "good" means for training: the local answer is right, or the cloud would not do better. */
export type LabelKind = 'local' | 'no-gain';

export interface TrainOptions {
  name?: string;
  hashBits?: number;
  label?: LabelKind;
  /** L2 strength of the dense and the hashed weights. */
  l2Dense?: number;
  l2Hashed?: number;
  iterations?: number;
  learningRate?: number;
  /** Hashed weights kept per head (the largest by magnitude). */
  keepHashed?: number;
  folds?: number;
  /** Called between folds (progress). */
  onProgress?: (msg: string) => void;
  /** Computes APGR / AUROC / CPT of the out-of-fold P. */
  report?: StageReporter;
}

export const TRAIN_DEFAULTS = {
  hashBits: 18,
  label: 'local' as LabelKind,
  l2Dense: 1e-4,
  l2Hashed: 2e-4,
  iterations: 300,
  learningRate: 0.05,
  keepHashed: 2500,
  folds: 5,
};

export function labelOf(e: TrainExample, kind: LabelKind): number {
  return kind === 'local' ? e.localCorrect : e.cloudCorrect > e.localCorrect ? 0 : 1;
}

interface Fitted {
  bias: number;
  dense: Float64Array;
  hashed: Map<number, number>;
}

function logitOf(f: Fitted, x: SparseVector): number {
  let z = f.bias;
  for (let i = 0; i < x.dense.length; i++) z += f.dense[i] * x.dense[i];
  for (let j = 0; j < x.buckets.length; j++) z += (f.hashed.get(x.buckets[j]) ?? 0) * x.values[j];
  return z;
}

const SIGNS: Array<[number, 1 | -1]> = Object.entries(SIGN_CONSTRAINTS).map(([k, s]) => [DENSE_INDEX[k], s]);

/** L2 logistic regression by full-batch Adam; deterministic. */
function fit(xs: readonly SparseVector[], ys: readonly number[], o: Required<Omit<TrainOptions, 'onProgress' | 'name' | 'label' | 'folds' | 'report'>>): Fitted {
  const D = DENSE_FEATURES.length;
  const H = 1 << o.hashBits;
  const P = 1 + D + H; // [bias, dense…, hashed…]
  const w = new Float64Array(P);
  const g = new Float64Array(P);
  const m = new Float64Array(P);
  const v = new Float64Array(P);
  const used = new Uint8Array(H);
  for (const x of xs) for (const b of x.buckets) used[b] = 1;
  const active: number[] = [0];
  for (let i = 0; i < D; i++) active.push(1 + i);
  for (let b = 0; b < H; b++) if (used[b]) active.push(1 + D + b);
  const n = xs.length;
  const mean = ys.reduce((s, y) => s + y, 0) / n;
  w[0] = Math.log(Math.max(1e-3, mean) / Math.max(1e-3, 1 - mean));
  const b1 = 0.9;
  const b2 = 0.999;
  for (let t = 1; t <= o.iterations; t++) {
    for (const p of active) g[p] = 0;
    for (let k = 0; k < n; k++) {
      const x = xs[k];
      let z = w[0];
      for (let i = 0; i < D; i++) z += w[1 + i] * x.dense[i];
      for (let j = 0; j < x.buckets.length; j++) z += w[1 + D + x.buckets[j]] * x.values[j];
      const r = (sigmoid(z) - ys[k]) / n;
      g[0] += r;
      for (let i = 0; i < D; i++) g[1 + i] += r * x.dense[i];
      for (let j = 0; j < x.buckets.length; j++) g[1 + D + x.buckets[j]] += r * x.values[j];
    }
    for (let i = 0; i < D; i++) g[1 + i] += o.l2Dense * w[1 + i];
    const lr = o.learningRate / Math.sqrt(1 + t / 100);
    for (const p of active) {
      if (p >= 1 + D) g[p] += o.l2Hashed * w[p];
      m[p] = b1 * m[p] + (1 - b1) * g[p];
      v[p] = b2 * v[p] + (1 - b2) * g[p] * g[p];
      const mh = m[p] / (1 - b1 ** t);
      const vh = v[p] / (1 - b2 ** t);
      w[p] -= (lr * mh) / (Math.sqrt(vh) + 1e-8);
    }
    for (const [i, s] of SIGNS) if (w[1 + i] * s < 0) w[1 + i] = 0;
  }
  const hashedAll: Array<[number, number]> = [];
  for (let b = 0; b < H; b++) if (used[b] && w[1 + D + b] !== 0) hashedAll.push([b, w[1 + D + b]]);
  hashedAll.sort((a, c) => Math.abs(c[1]) - Math.abs(a[1]) || a[0] - c[0]);
  return { bias: w[0], dense: w.slice(1, 1 + D), hashed: new Map(hashedAll.slice(0, o.keepHashed)) };
}

/** Platt scaling: σ(a·z + b) fitted by Newton's method on (logit, label). */
export function fitPlatt(z: readonly number[], y: readonly number[]): { a: number; b: number } {
  let a = 1;
  let b = 0;
  for (let it = 0; it < 50; it++) {
    let ga = 0, gb = 0, haa = 1e-6, hab = 0, hbb = 1e-6;
    for (let i = 0; i < z.length; i++) {
      const p = sigmoid(a * z[i] + b);
      const r = p - y[i];
      const w = p * (1 - p);
      ga += r * z[i];
      gb += r;
      haa += w * z[i] * z[i];
      hab += w * z[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 1e-12)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { a: a > 1e-3 ? a : 1e-3, b };
}

const round = (x: number, d = 5) => Math.round(x * 10 ** d) / 10 ** d;

function toHead(f: Fitted, platt: { a: number; b: number }): HeadWeights {
  const dense: Record<string, number> = {};
  DENSE_FEATURES.forEach((name, i) => {
    if (f.dense[i] !== 0) dense[name] = round(f.dense[i]);
  });
  const hashed: Record<string, number> = {};
  for (const [b, wt] of [...f.hashed].sort((x, y) => x[0] - y[0])) hashed[String(b)] = round(wt, 4);
  return { bias: round(f.bias), dense, hashed, platt: { a: round(platt.a), b: round(platt.b) } };
}

export interface StageReport {
  apgr: number | null;
  cpt50: number | null;
  cpt80: number | null;
  /** AUROC of P against local.correct. */
  auroc: number | null;
  /** AUROC of P against "the cloud would not do better". */
  aurocNoGain: number | null;
}

/** Turns out-of-fold P into the report (src/core/eval/capability-report.ts; injected to keep core/capability free of core/eval). */
export type StageReporter = (p: readonly number[], ex: readonly TrainExample[]) => StageReport;

export interface CvReport {
  folds: number;
  n: number;
  /** null when no reporter was given. */
  before: StageReport | null;
  after: StageReport | null;
  /** Out-of-fold calibrated P per example, by stage (input order). */
  oof: Record<Stage, number[]>;
}

/** Fold of an example: from its query text, so it does not depend on file order. */
export function foldOf(e: TrainExample, folds: number): number {
  return fnv1a(`fold:${e.turn.query}`) % folds;
}

export interface TrainResult {
  model: CapabilityModelJson;
  cv: CvReport;
}

export function train(examples: readonly TrainExample[], opts: TrainOptions = {}): TrainResult {
  if (examples.length < 10) throw new RangeError(`need at least 10 labeled records to train, got ${examples.length}`);
  const o = { ...TRAIN_DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) } as typeof TRAIN_DEFAULTS & TrainOptions;
  const fitOpts = { hashBits: o.hashBits, l2Dense: o.l2Dense, l2Hashed: o.l2Hashed, iterations: o.iterations, learningRate: o.learningRate, keepHashed: o.keepHashed };
  const ys = examples.map((e) => labelOf(e, o.label));
  const stages: Stage[] = ['before', 'after'];
  const xs: Record<Stage, SparseVector[]> = {
    before: examples.map((e) => extractFeatures(e.turn, o.hashBits, false)),
    after: examples.map((e) => extractFeatures(e.turn, o.hashBits, true)),
  };
  const fold = examples.map((e) => foldOf(e, o.folds));
  const oofLogit: Record<Stage, number[]> = { before: new Array(examples.length).fill(0), after: new Array(examples.length).fill(0) };
  for (let f = 0; f < o.folds; f++) {
    o.onProgress?.(`fold ${f + 1}/${o.folds}`);
    const tr = examples.map((_, i) => i).filter((i) => fold[i] !== f);
    const te = examples.map((_, i) => i).filter((i) => fold[i] === f);
    if (!te.length || !tr.length) continue;
    for (const s of stages) {
      const m = fit(tr.map((i) => xs[s][i]), tr.map((i) => ys[i]), fitOpts);
      for (const i of te) oofLogit[s][i] = logitOf(m, xs[s][i]);
    }
  }
  const heads = {} as Record<Stage, HeadWeights>;
  const oof = {} as Record<Stage, number[]>;
  for (const s of stages) {
    const platt = fitPlatt(oofLogit[s], ys);
    oof[s] = oofLogit[s].map((z) => sigmoid(platt.a * z + platt.b));
    o.onProgress?.(`final ${s} head`);
    heads[s] = toHead(fit(xs[s], ys, fitOpts), platt);
  }
  const rep = o.report;
  const cv: CvReport = { folds: o.folds, n: examples.length, before: rep ? rep(oof.before, examples) : null, after: rep ? rep(oof.after, examples) : null, oof };
  const model: CapabilityModelJson = {
    format: 'edgewise-capability',
    version: 1,
    name: o.name ?? 'capability',
    hashBits: o.hashBits,
    inputs: {
      rerank: examples.some((e) => typeof e.turn.rerank === 'number'),
      logprobs: examples.some((e) => (e.turn.logprobs?.length ?? 0) > 0),
    },
    baseRate: round(ys.reduce((a, y) => a + y, 0) / ys.length),
    label: o.label === 'local' ? 'local.correct' : 'not (cloud.correct > local.correct)',
    before: heads.before,
    after: heads.after,
    meta: {
      n: examples.length,
      options: { label: o.label, l2Dense: o.l2Dense, l2Hashed: o.l2Hashed, iterations: o.iterations, learningRate: o.learningRate, keepHashed: o.keepHashed, folds: o.folds },
      cv: { before: cv.before, after: cv.after },
    },
  };
  new CapabilityModel(model); // validates what we write
  return { model, cv };
}

export type { QueryKind };
