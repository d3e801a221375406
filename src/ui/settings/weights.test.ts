import { describe, expect, it } from 'vitest';
import { choosePreset, effectiveWeights, presetChoice, setWeight, sliderValues } from './weights';

describe('settings weights', () => {
  const balanced = { mode: 'balanced' as const, preset: null, weights: null };

  it('no preset: the mode weights; a preset brings its mode', () => {
    expect(presetChoice(balanced)).toBe('none');
    expect(effectiveWeights(balanced).latency).toBeCloseTo(0.25, 12);
    const med = choosePreset(balanced, 'medical');
    expect(med).toEqual({ mode: 'privacy-first', preset: 'medical', weights: null });
    expect(presetChoice(med)).toBe('medical');
    expect(effectiveWeights(med).privacy).toBeCloseTo(0.4, 12);
    expect(choosePreset(med, 'none')).toEqual({ mode: 'privacy-first', preset: null, weights: null });
  });

  it('moving a slider makes custom weights from what the sliders showed', () => {
    const s = setWeight(balanced, 'cost', 0.85);
    expect(presetChoice(s)).toBe('custom');
    expect(sliderValues(s)).toEqual({ quality: 0.3, latency: 0.25, cost: 0.85, privacy: 0.2, availability: 0.1 });
    // normalized: 0.85 / 1.7 = 0.5
    expect(effectiveWeights(s).cost).toBeCloseTo(0.5, 12);
    expect(setWeight(s, 'cost', 7).weights!.cost).toBe(1);
    expect(choosePreset(s, 'custom')).toEqual(s);
    expect(choosePreset(balanced, 'custom').weights).toEqual({ quality: 0.3, latency: 0.25, cost: 0.15, privacy: 0.2, availability: 0.1 });
  });
});
