// The plan's reasons read as plain sentences: no scores, no symbols, and
// capability before speed when both sent the question away from the device.
import { describe, expect, it } from 'vitest';
import { choiceReasons, type ChoiceContext } from './reasons';

const base: ChoiceContext = {
  strategy: 'cloud-direct', tiers: ['cloud'], hedge: false, mode: 'balanced', kind: 'math', pLocal: 0.2,
  thetaConsistency: 0.6, localMs: 9000, cloudMs: 2000, edgeMs: null, localFirstMs: 9500, localUseful: true,
  capabilitySkip: false, hasConstraintReasons: false,
};

describe('choiceReasons wording', () => {
  it('names what the device is bad at before saying the cloud is faster', () => {
    const r = choiceReasons(base);
    expect(r[0]).toBe('The on-device model often gets multi-step math and proofs wrong');
    expect(r[1]).toBe('The cloud is also faster for this question');
  });

  it('gives the same capability reason on a fast device where latency does not apply', () => {
    const r = choiceReasons({ ...base, localMs: 1000 });
    expect(r).toEqual(['The on-device model often gets multi-step math and proofs wrong']);
  });

  it('a capability skip leads with the model\'s own words', () => {
    const r = choiceReasons({ ...base, capabilitySkip: true, capabilityReason: 'Questions like this often go wrong on this device' });
    expect(r[0]).toBe('Questions like this often go wrong on this device');
  });

  it('never shows a score, a symbol or an abbreviation', () => {
    for (const strategy of ['cloud-direct', 'local-verify', 'edge-verify', 'local-only'] as const) {
      for (const hedge of [false, true]) {
        for (const pLocal of [0.1, 0.9]) {
          const text = choiceReasons({ ...base, strategy, hedge, pLocal, tiers: strategy === 'local-verify' ? ['local', 'cloud'] : ['cloud'] }).join(' ');
          expect(text).not.toMatch(/\d|≥|≈|P\(|consistency/);
        }
      }
    }
  });
});
