// The settings view's weight logic: which preset choice is shown, what the
// sliders show, and what a slider move stores. Pure.
import { MODE_WEIGHTS, OBJECTIVES, PRESETS, resolveWeights, type Objective, type PresetName, type Weights } from '../../core/policy/weights';
import type { Mode } from '../../core/types';

export type PresetChoice = 'none' | PresetName | 'custom';

export const OBJECTIVE_LABELS: Record<Objective, string> = {
  quality: 'Quality',
  latency: 'Latency',
  cost: 'Cost',
  privacy: 'Privacy',
  availability: 'Availability',
};

export interface WeightsInput {
  mode: Mode;
  preset: PresetName | null;
  weights: Partial<Weights> | null;
}

export function presetChoice(s: WeightsInput): PresetChoice {
  if (s.weights) return 'custom';
  return s.preset ?? 'none';
}

/** The weights the policy will use (normalized to sum 1). */
export function effectiveWeights(s: WeightsInput): Weights {
  return resolveWeights(s).weights;
}

/** The raw slider values: the custom weights when set, else the effective ones. */
export function sliderValues(s: WeightsInput): Weights {
  const src = s.weights ?? effectiveWeights(s);
  const out = {} as Weights;
  for (const k of OBJECTIVES) out[k] = Math.round(Math.max(0, src[k] ?? 0) * 1e4) / 1e4;
  return out;
}

/** The settings after picking a preset choice. A preset brings its mode's rules (consent, hedging). */
export function choosePreset(s: WeightsInput, choice: PresetChoice): WeightsInput {
  if (choice === 'custom') return { ...s, weights: s.weights ?? sliderValues(s) };
  if (choice === 'none') return { ...s, preset: null, weights: null };
  return { mode: PRESETS[choice].mode, preset: choice, weights: null };
}

/** The settings after moving one slider: custom weights from what the sliders show. */
export function setWeight(s: WeightsInput, k: Objective, value: number): WeightsInput {
  const w = sliderValues(s);
  w[k] = Math.max(0, Math.min(1, value));
  return { ...s, weights: w };
}

export const modeWeights = (m: Mode): Weights => ({ ...MODE_WEIGHTS[m] });
