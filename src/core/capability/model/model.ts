// The capability model: two logistic heads over extractFeatures(), each with
// Platt calibration, stored as JSON. P(the local answer is good) =
//   σ(a · (bias + w·x) + b + offset[kind])
// where offset is this device's learned per-kind correction (0 for the prior).
import type { QueryKind } from '../../types';
import { classifyQuery } from '../classify';
import { DENSE_FEATURES, DENSE_INDEX, extractFeatures, type SparseVector, type TurnInput } from './features';

export interface HeadWeights {
  bias: number;
  /** Dense weights by feature name (absent = 0). */
  dense: Record<string, number>;
  /** Hashed-bucket weights by bucket number (absent = 0). */
  hashed: Record<string, number>;
  /** Platt scaling of the raw logit. */
  platt: { a: number; b: number };
}

export interface CapabilityModelJson {
  format: 'edgewise-capability';
  version: 1;
  name: string;
  hashBits: number;
  /** What the label means (e.g. "local.correct"). */
  label: string;
  /**
   * Which optional inputs the training records had. An input the model never
   * saw is ignored at estimate time, so a reranker score or log-probs cannot
   * shift a model that was calibrated without them.
   */
  inputs?: { rerank: boolean; logprobs: boolean };
  before: HeadWeights;
  after: HeadWeights;
  /** Share of "good" labels in the training data (the calibrated P's average). */
  baseRate?: number;
  /** Where it came from and how it cross-validated (informational). */
  meta?: Record<string, unknown>;
}

export type Stage = 'before' | 'after';

/** A device's per-kind logit offsets (the on-device update). */
export type KindOffsets = Partial<Record<QueryKind, number>>;

export interface Estimate {
  stage: Stage;
  /** Calibrated P(the local answer is good), 0..1. */
  p: number;
  /** The raw (uncalibrated) logit. */
  logit: number;
  kind: QueryKind;
}

export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
export { sigmoid };

interface CompiledHead {
  bias: number;
  dense: Float64Array;
  hashed: Map<number, number>;
  a: number;
  b: number;
}

function finite(x: unknown, where: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new ModelFormatError(`${where} must be a finite number`);
  return x;
}

function compileHead(h: unknown, name: string): CompiledHead {
  if (!h || typeof h !== 'object') throw new ModelFormatError(`${name} head is missing`);
  const o = h as Partial<HeadWeights>;
  const dense = new Float64Array(DENSE_FEATURES.length);
  for (const [k, v] of Object.entries(o.dense ?? {})) {
    const i = DENSE_INDEX[k];
    if (i === undefined) throw new ModelFormatError(`${name}.dense: unknown feature ${JSON.stringify(k)}`);
    dense[i] = finite(v, `${name}.dense.${k}`);
  }
  const hashed = new Map<number, number>();
  for (const [k, v] of Object.entries(o.hashed ?? {})) hashed.set(Number(k), finite(v, `${name}.hashed.${k}`));
  const a = finite(o.platt?.a, `${name}.platt.a`);
  if (a <= 0) throw new ModelFormatError(`${name}.platt.a must be positive`);
  return { bias: finite(o.bias, `${name}.bias`), dense, hashed, a, b: finite(o.platt?.b, `${name}.platt.b`) };
}

function rawLogit(h: CompiledHead, x: SparseVector): number {
  let z = h.bias;
  for (let i = 0; i < x.dense.length; i++) z += h.dense[i] * x.dense[i];
  for (let j = 0; j < x.buckets.length; j++) z += (h.hashed.get(x.buckets[j]) ?? 0) * x.values[j];
  return z;
}

/** A loaded model: validate once, estimate many times. */
export class CapabilityModel {
  private readonly heads: Record<Stage, CompiledHead>;
  readonly hashBits: number;
  readonly name: string;
  /** Whether the after head uses the reranker's score (else the caller can skip the reranker). */
  readonly usesRerank: boolean;
  /** The training data's share of good labels (0.5 when the file does not say). */
  readonly baseRate: number;

  constructor(readonly json: CapabilityModelJson) {
    if (!json || typeof json !== 'object' || json.format !== 'edgewise-capability') {
      throw new ModelFormatError('not a capability model (format must be "edgewise-capability")');
    }
    if (json.version !== 1) throw new ModelFormatError(`unsupported capability model version ${String(json.version)}`);
    const bits = json.hashBits;
    if (!Number.isInteger(bits) || bits < 4 || bits > 24) throw new ModelFormatError('hashBits must be an integer in [4, 24]');
    this.hashBits = bits;
    this.name = typeof json.name === 'string' ? json.name : 'capability';
    this.usesRerank = !!json.inputs?.rerank;
    const br = json.baseRate;
    this.baseRate = typeof br === 'number' && br > 0 && br < 1 ? br : 0.5;
    this.heads = { before: compileHead(json.before, 'before'), after: compileHead(json.after, 'after') };
  }

  /** Parses and validates a model file's text. */
  static parse(text: string): CapabilityModel {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ModelFormatError('not valid JSON');
    }
    return new CapabilityModel(raw as CapabilityModelJson);
  }

  /** P(the local answer is good) at a stage; `offsets` is the device's per-kind correction. */
  estimate(t: TurnInput, stage: Stage, offsets?: KindOffsets | null): Estimate {
    const kind = t.kind ?? classifyQuery(t.query).kind;
    const inputs = this.json.inputs;
    const x = extractFeatures(
      { ...t, kind, rerank: inputs?.rerank ? t.rerank : null, logprobs: inputs?.logprobs ? t.logprobs : null },
      this.hashBits,
      stage === 'after',
    );
    const h = this.heads[stage];
    const logit = rawLogit(h, x);
    const off = offsets?.[kind] ?? 0;
    return { stage, p: sigmoid(h.a * logit + h.b + (Number.isFinite(off) ? off : 0)), logit, kind };
  }
}
