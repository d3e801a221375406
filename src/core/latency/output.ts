// Output-length prediction per query kind: seed defaults, learned per kind from
// observed outputs (EWMA), clamped to max_tokens.
import type { QueryKind } from '../types';
import { Ewma, type EwmaState } from './ewma';

export const DEFAULT_OUTPUT_TOKENS: Readonly<Record<QueryKind, number>> = Object.freeze({
  greeting: 20,
  translation: 60,
  knowledge: 120,
  code: 250,
  logic: 200,
  math: 250,
  analysis: 400,
  creative: 350,
});

/** Observations a kind needs before the learned mean fully replaces the default. */
export const OUTPUT_PRIOR_WEIGHT = 3;

export type OutputLengthState = Partial<Record<QueryKind, EwmaState>>;

/** Learned output lengths per kind (tokens). Serializable with toJSON()/from(). */
export class OutputLengthStats {
  private readonly byKind = new Map<QueryKind, Ewma>();
  constructor(private readonly alpha = 0.2) {}

  record(kind: QueryKind, outputTokens: number): void {
    if (!Number.isFinite(outputTokens) || outputTokens < 0) return;
    let e = this.byKind.get(kind);
    if (!e) {
      e = new Ewma({ alpha: this.alpha });
      this.byKind.set(kind, e);
    }
    e.observe(outputTokens);
  }

  /** Learned mean and sample count for a kind, or null. */
  get(kind: QueryKind): { mean: number; count: number } | null {
    const e = this.byKind.get(kind);
    if (!e || e.value === null) return null;
    return { mean: e.value, count: e.count };
  }

  toJSON(): OutputLengthState {
    const out: OutputLengthState = {};
    for (const [k, e] of this.byKind) out[k] = e.toJSON();
    return out;
  }

  static from(state: OutputLengthState | null | undefined): OutputLengthStats {
    const s = new OutputLengthStats();
    if (!state) return s;
    for (const [k, v] of Object.entries(state)) {
      if (k in DEFAULT_OUTPUT_TOKENS && v) s.byKind.set(k as QueryKind, Ewma.from(v));
    }
    return s;
  }
}

export interface OutputHints {
  /** An explicit length request in words ("in 500 words"). */
  wordTarget?: number | null;
}

/**
 * Predicted output tokens for a query of `kind`. With history, the learned
 * per-kind mean is blended with the default (prior weight OUTPUT_PRIOR_WEIGHT
 * samples); an explicit word target wins (≈1.35 tokens per word). Always
 * clamped to [1, maxTokens].
 */
export function predictOutputTokens(
  kind: QueryKind,
  maxTokens: number,
  history?: OutputLengthStats | null,
  hints?: OutputHints,
): number {
  let est: number = DEFAULT_OUTPUT_TOKENS[kind] ?? DEFAULT_OUTPUT_TOKENS.knowledge;
  const learned = history?.get(kind);
  if (learned && learned.count > 0) {
    const w = learned.count / (learned.count + OUTPUT_PRIOR_WEIGHT);
    est = w * learned.mean + (1 - w) * est;
  }
  if (hints?.wordTarget && hints.wordTarget > 0) est = hints.wordTarget * 1.35;
  const cap = Number.isFinite(maxTokens) && maxTokens > 0 ? maxTokens : Infinity;
  return Math.max(1, Math.round(Math.min(est, cap)));
}
