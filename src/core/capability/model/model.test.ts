import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkArithmetic, evaluate } from './arith';
import { CapabilityModel, ModelFormatError } from './model';
import { train, type TrainExample } from './train';
import { auroc, reliability } from './metrics';
import { deviceEstimate } from './device-prior';
import { stepOffset, OFFSET_BOUND, deviceStateFrom } from './online';
import { parseRecords } from '../../eval/records';
import { plan } from '../../policy/plan';
import { planCapability } from '../../policy/capability-rule';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const prior = CapabilityModel.parse(readFileSync(`${root}models/capability/default.json`, 'utf8'));
const fixture = parseRecords(readFileSync(`${root}cli/fixtures/eval-sample.jsonl`, 'utf8'));
const examples: TrainExample[] = fixture.map((r) => ({
  turn: { query: r.query, kind: r.kind, answer: r.local.answer },
  localCorrect: r.local.correct,
  cloudCorrect: r.cloud.correct,
}));

describe('arithmetic check', () => {
  it('verifies the statements an answer makes, right and wrong', () => {
    expect(checkArithmetic('16 - 3 = 13 eggs, then 13 * 2 = 26 dollars')).toEqual({ right: 2, wrong: 0 });
    expect(checkArithmetic('16 - 3 = 14')).toEqual({ right: 0, wrong: 1 });
    expect(checkArithmetic('so <<3*60=180>>180 meters and (2 + 3) * 4 = 21')).toEqual({ right: 1, wrong: 1 });
    expect(checkArithmetic('$1,200 / 3 = $400 and 10/3 = 3.33')).toEqual({ right: 2, wrong: 0 });
    expect(checkArithmetic('no sums here = none')).toEqual({ right: 0, wrong: 0 });
    expect(evaluate('2 ^ 3 + 1')).toBe(9);
    expect(evaluate('(1 +')).toBeNull();
  });
});

describe('training', () => {
  const opts = { iterations: 60, folds: 3, hashBits: 12, keepHashed: 200 };

  it('is deterministic: the same records give the same weights, whatever their order', () => {
    const a = train(examples, opts);
    const b = train(examples, opts);
    expect(JSON.stringify(b.model)).toBe(JSON.stringify(a.model));
    const c = train([...examples].reverse(), opts);
    expect(c.model.before).toEqual(a.model.before);
    expect(c.model.after).toEqual(a.model.after);
  });

  it('learns: on its own training records the after head ranks right answers above wrong ones', () => {
    const { model } = train(examples, { ...opts, label: 'local' });
    const m = new CapabilityModel(model);
    const p = examples.map((e) => m.estimate(e.turn, 'after').p);
    expect(auroc(p, examples.map((e) => e.localCorrect))!).toBeGreaterThan(0.8);
  });

  it('refuses too few records, and a model file that is not one', () => {
    expect(() => train(examples.slice(0, 3))).toThrow(/at least 10/);
    expect(() => CapabilityModel.parse('{"format":"x"}')).toThrow(ModelFormatError);
    expect(() => CapabilityModel.parse('nope')).toThrow(/not valid JSON/);
    const bad = { ...prior.json, after: { ...prior.json.after, dense: { 'no.such': 1 } } };
    expect(() => new CapabilityModel(bad)).toThrow(/unknown feature "no.such"/);
  });
});

describe('the shipped prior', () => {
  it('is small', () => {
    expect(readFileSync(`${root}models/capability/default.json`).length).toBeLessThan(300_000);
  });

  const num = fc.integer({ min: 2, max: 900 });
  const statement = fc.tuple(num, num).map(([a, b]) => ({ a, b }));

  it('turning a right arithmetic statement wrong never raises P (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 5 }), fc.nat(), fc.integer({ min: 1, max: 9 }), (sts, pick, delta) => {
        const i = pick % sts.length;
        const lines = (wrongAt: number | null) =>
          sts.map(({ a, b }, j) => `Then ${a} + ${b} = ${a + b + (j === wrongAt ? delta : 0)} items.`).join('\n');
        const q = 'Tom has some apples and buys more. How many apples does he have?';
        const right = prior.estimate({ query: q, answer: `${lines(null)}\n#### 7` }, 'after').p;
        const wrong = prior.estimate({ query: q, answer: `${lines(i)}\n#### 7` }, 'after').p;
        return wrong <= right + 1e-12;
      }),
      { numRuns: 200 },
    );
  });

  it('a higher reranker score never lowers P on the device (fast-check)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('hello', 'What is the capital of France?', 'Prove that 2 is prime.'), (r1, r2, q) => {
        const [lo, hi] = r1 <= r2 ? [r1, r2] : [r2, r1];
        const p = (r: number) => deviceEstimate(prior, { query: q, answer: 'Paris.', rerank: r }, 'after').p;
        return p(lo) <= p(hi) + 1e-12;
      }),
    );
  });

  it('gives a probability for any text, the same every time', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (q, a) => {
        const e1 = prior.estimate({ query: q, answer: a }, 'after');
        const e2 = prior.estimate({ query: q, answer: a }, 'after');
        return e1.p >= 0 && e1.p <= 1 && e1.p === e2.p;
      }),
    );
  });

  it('on the demo device: greetings and simple facts are tried locally, proofs and essays go straight to the cloud', () => {
    const strategy = (q: string) =>
      plan({
        query: { text: q },
        privacy: { action: 'allow', sensitivity: 0, entities: [], neverSendable: [], toReplace: [], hasConsent: true } as never,
        network: { online: true, cloudConfigured: true },
        device: { loaded: true, localAvailable: true, prefillTps: 800, decodeTps: 90 } as never,
        capability: planCapability((t, st) => deviceEstimate(prior, t, st), { text: q }),
      }).strategy;
    expect(strategy('hello')).toBe('local-verify');
    expect(strategy('What is the capital of France?')).toBe('local-verify');
    expect(strategy('Give a rigorous proof that there are infinitely many primes.')).toBe('cloud-direct');
    expect(strategy('Write a long essay about the history of the Roman empire and its emperors')).toBe('cloud-direct');
    // And the reason says it in plain words.
    expect(planCapability((t, st) => deviceEstimate(prior, t, st), { text: 'Give a rigorous proof that there are infinitely many primes.' }).reason)
      .toBe('Questions like this are often answered badly on this device');
  });
});

describe('learning on the device', () => {
  it('a thumbs down lowers P for that kind of question, bounded; a thumbs up raises it', () => {
    const q = 'What is the capital of France?';
    const p0 = deviceEstimate(prior, { query: q }, 'before');
    const down = stepOffset({}, p0.kind, p0.p, false);
    const p1 = deviceEstimate(prior, { query: 'Who wrote Hamlet?' }, 'before', { offsets: down }).p;
    expect(p1).toBeLessThan(deviceEstimate(prior, { query: 'Who wrote Hamlet?' }, 'before').p);
    let o = {};
    for (let i = 0; i < 50; i++) o = stepOffset(o, 'knowledge', 0.99, false);
    expect((o as Record<string, number>).knowledge).toBe(-OFFSET_BOUND);
    expect(stepOffset(down, 'knowledge', 0.2, true).knowledge!).toBeGreaterThan(down.knowledge!);
  });

  it('a stored state is validated, not trusted', () => {
    const s = deviceStateFrom({ models: { m: { offsets: { knowledge: 99, math: 'x', nope: 1 }, labels: -2 } } });
    expect(s.models.m).toEqual({ offsets: { knowledge: OFFSET_BOUND }, labels: 0 });
    expect(deviceStateFrom('garbage')).toEqual({ version: 1, models: {} });
  });
});

describe('metrics', () => {
  it('AUROC counts ties half and reliability bins average', () => {
    expect(auroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(auroc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(auroc([0.5, 0.6], [1, 1])).toBeNull();
    const r = reliability([0.05, 0.15, 0.95, 0.95], [0, 1, 1, 0], 10);
    expect(r.bins[9]).toMatchObject({ n: 2, rate: 0.5 });
    expect(r.ece).toBeCloseTo((0.05 + 0.85 + 2 * 0.45) / 4, 12);
  });
});
