// Modes, presets and custom weights over the five objectives of the seed.
import type { Mode } from '../types';

export type Objective = 'quality' | 'latency' | 'cost' | 'privacy' | 'availability';
export const OBJECTIVES: readonly Objective[] = ['quality', 'latency', 'cost', 'privacy', 'availability'];
export type Weights = Record<Objective, number>;

export const MODES: readonly Mode[] = ['privacy-first', 'balanced', 'performance-first'];

export const MODE_WEIGHTS: Readonly<Record<Mode, Readonly<Weights>>> = Object.freeze({
  'privacy-first': Object.freeze({ quality: 0.25, latency: 0.1, cost: 0.1, privacy: 0.4, availability: 0.15 }),
  balanced: Object.freeze({ quality: 0.3, latency: 0.25, cost: 0.15, privacy: 0.2, availability: 0.1 }),
  'performance-first': Object.freeze({ quality: 0.35, latency: 0.45, cost: 0.05, privacy: 0.05, availability: 0.1 }),
});

export type PresetName = 'medical' | 'real-time-chat';

export interface Preset {
  /** The mode whose hard rules apply (consent, local-first, hedging). */
  mode: Mode;
  weights: Readonly<Weights>;
  description: string;
}

/** Presets from the seed, as rank-ordered weights. */
export const PRESETS: Readonly<Record<PresetName, Preset>> = Object.freeze({
  medical: Object.freeze({
    mode: 'privacy-first' as Mode,
    weights: Object.freeze({ privacy: 0.4, quality: 0.3, latency: 0.15, cost: 0.05, availability: 0.1 }),
    description: 'privacy > quality > latency > cost',
  }),
  'real-time-chat': Object.freeze({
    mode: 'performance-first' as Mode,
    weights: Object.freeze({ latency: 0.4, quality: 0.3, cost: 0.15, privacy: 0.05, availability: 0.1 }),
    description: 'latency > quality > cost > privacy',
  }),
});

/** Non-negative weights scaled to sum 1; missing objectives count 0; all-zero → balanced. */
export function normalizeWeights(w: Partial<Weights> | null | undefined): Weights {
  const out = { quality: 0, latency: 0, cost: 0, privacy: 0, availability: 0 } as Weights;
  let sum = 0;
  for (const k of OBJECTIVES) {
    const v = w?.[k];
    const x = typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
    out[k] = x;
    sum += x;
  }
  if (sum === 0) return { ...MODE_WEIGHTS.balanced };
  for (const k of OBJECTIVES) out[k] = out[k] / sum;
  return out;
}

export function isMode(x: unknown): x is Mode {
  return typeof x === 'string' && (MODES as readonly string[]).includes(x);
}

export function isPreset(x: unknown): x is PresetName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(PRESETS, x);
}

/**
 * Resolves the effective mode and weights: custom weights win over a preset's,
 * which win over the mode's; an explicit mode wins over the preset's mode.
 */
export function resolveWeights(s: { mode?: Mode; preset?: PresetName | null; weights?: Partial<Weights> | null }): {
  mode: Mode;
  weights: Weights;
} {
  const preset = s.preset && isPreset(s.preset) ? PRESETS[s.preset] : null;
  const mode: Mode = s.mode && isMode(s.mode) ? s.mode : (preset?.mode ?? 'balanced');
  const base = s.weights ?? preset?.weights ?? MODE_WEIGHTS[mode];
  return { mode, weights: normalizeWeights(base) };
}
