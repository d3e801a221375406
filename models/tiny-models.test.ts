// Integration tests of the three bundled tiny models through the same
// transformers.js code the app's workers use (src/nlp), in Node.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  configureLocalModels, generate, loadCausalLM, loadCrossEncoder, loadTokenClassifier, runNer, scoreConsistency,
  CONSISTENCY_THRESHOLD, type LoadedModel,
} from '../src/nlp';

const MODELS_DIR = fileURLToPath(new URL('./', import.meta.url));
const PRIMES_Q = 'Give a rigorous proof that there are infinitely many primes.';
const PRIMES_PROOF =
  'Suppose there are finitely many primes p1, ..., pn. Let N = p1 * p2 * ... * pn + 1. N is not divisible by any pi, ' +
  'since dividing leaves remainder 1, so any prime factor of N is a prime not in the list. This contradicts the ' +
  'assumption, so there are infinitely many primes.';

let lm: LoadedModel;
let ner: LoadedModel;
let rr: LoadedModel;

beforeAll(async () => {
  configureLocalModels({ localModelPath: MODELS_DIR, allowRemote: false });
  [lm, ner, rr] = await Promise.all([
    loadCausalLM('tiny-lm', { device: 'cpu' }),
    loadTokenClassifier('tiny-ner', { device: 'cpu' }),
    loadCrossEncoder('tiny-reranker', { device: 'cpu' }),
  ]);
});

describe('tiny-lm', () => {
  it('greets back, streams the same text it returns, and reports usage and log-probs', async () => {
    const deltas: string[] = [];
    const r = await generate(lm, [{ role: 'user', content: 'hello' }], {
      maxNewTokens: 40, onToken: (d) => deltas.push(d), logprobs: true,
    });
    expect(r.text).toMatch(/hello|hi|help/i);
    expect(r.finishReason).toBe('stop');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(r.text);
    expect(r.usage.promptTokens).toBeGreaterThan(0);
    expect(r.usage.outputTokens).toBeGreaterThan(1);
    expect(r.usage.prefillTps).toBeGreaterThan(0);
    expect(r.usage.decodeTps).toBeGreaterThan(0);
    expect(r.usage.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(r.usage.totalMs).toBeGreaterThanOrEqual(r.usage.timeToFirstTokenMs ?? 0);
    expect(r.logprobs).toHaveLength(r.usage.outputTokens);
    for (const t of r.logprobs ?? []) {
      expect(t.logprob).toBeLessThanOrEqual(0);
      expect(t.entropy).toBeGreaterThanOrEqual(0);
    }
    expect((r.logprobs ?? []).map((t) => t.token).join('')).toBe(r.text);
  });

  it('answers a simple fact, also with a system prompt and earlier turns in the prompt', async () => {
    const plain = await generate(lm, [{ role: 'user', content: 'What is the capital of France?' }], { maxNewTokens: 40 });
    expect(plain.text).toMatch(/Paris/);
    const withHistory = await generate(lm, [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Hi! How can I help you today?' },
      { role: 'user', content: 'How many centimeters in a meter?' },
    ], { maxNewTokens: 40 });
    expect(withHistory.text).toMatch(/100/);
  });

  it('trims a history longer than the context window instead of failing', async () => {
    const qa: Array<[string, string]> = [
      ['What is the capital of Germany?', 'The capital of Germany is Berlin.'],
      ['How many days are in a week?', 'There are 7 days in a week.'],
      ['thanks', "You're welcome! Let me know if you need anything else."],
    ];
    const history = Array.from({ length: 40 }, (_, i) => [
      { role: 'user' as const, content: qa[i % qa.length][0] },
      { role: 'assistant' as const, content: qa[i % qa.length][1] },
    ]).flat();
    // 256 = the window the tiny LM is reliable in (see models/README.md).
    const r = await generate(lm, [{ role: 'system', content: 'You are a helpful assistant.' }, ...history,
      { role: 'user', content: 'hello' }], { maxNewTokens: 24, contextWindow: 256 });
    expect(r.usage.promptTokens).toBeLessThanOrEqual(256 - 24);
    expect(r.usage.promptTokens).toBeGreaterThan(150); // trimmed, not emptied
    expect(r.text).toMatch(/hello|hi|help/i);
  });

  it('stops early with finishReason "abort" when the signal fires', async () => {
    const ctrl = new AbortController();
    let n = 0;
    const r = await generate(lm, [{ role: 'user', content: 'Write a 1000-word essay on globalization.' }], {
      maxNewTokens: 200,
      signal: ctrl.signal,
      onToken: () => { if (++n === 1) ctrl.abort(); },
    });
    expect(r.finishReason).toBe('abort');
    expect(r.usage.outputTokens).toBeLessThan(15);
  });

  it('gives a short generic answer to a hard question (held out of training)', async () => {
    const r = await generate(lm, [{ role: 'user', content: PRIMES_Q }], { maxNewTokens: 60 });
    expect(r.finishReason).toBe('stop');
    expect(r.text.length).toBeGreaterThan(0);
    expect(r.text.length).toBeLessThan(120);
    expect(r.text).not.toMatch(/divisib|contradict/i);
  });
});

describe('tiny-ner', () => {
  // Every name, city and organisation below is held out of training (HELD_* in
  // models/train/train_ner.py); the sentence shapes are training templates.
  // Held-out *templates* are weaker (entity F1 ~0.87 overall, see models/README.md).
  const cases: Array<[string, Array<[string, string]>]> = [
    ['Kofi Abernathy works at Soylent Corp in Brisbane.',
      [['PERSON', 'Kofi Abernathy'], ['ORGANIZATION', 'Soylent Corp'], ['LOCATION', 'Brisbane']]],
    ['i met ezekiel petrov in valencia.', [['PERSON', 'ezekiel petrov'], ['LOCATION', 'valencia']]],
    ['My name is Tobias Lindqvist and I live in Krakow.', [['PERSON', 'Tobias Lindqvist'], ['LOCATION', 'Krakow']]],
    ['Please send the report to Rosalind Okonkwo at Vandelay Industries.',
      [['PERSON', 'Rosalind Okonkwo'], ['ORGANIZATION', 'Vandelay Industries']]],
  ];

  it.each(cases)('finds entities with exact offsets: %s', async (text, expected) => {
    const ents = await runNer(text, ner);
    for (const e of ents) {
      expect(text.slice(e.start, e.end)).toBe(e.text);
      expect(e.source).toBe('ner');
      expect(e.score).toBeGreaterThan(0);
      expect(e.score).toBeLessThanOrEqual(1);
    }
    expect(ents.map((e) => [e.type, e.text])).toEqual(expected);
  });

  it('finds nothing in a general question', async () => {
    expect(await runNer('what are the symptoms of diabetes?', ner)).toEqual([]);
  });

  it('handles texts longer than the model window (sentence by sentence)', async () => {
    const text = 'Kofi Abernathy works at Soylent Corp in Brisbane. '.repeat(12) + 'Then I met John Smith in Paris.';
    expect(ner.tokenizer.encode(text).length).toBeGreaterThan(128); // longer than the model's 128 positions
    const ents = await runNer(text, ner);
    for (const e of ents) expect(text.slice(e.start, e.end)).toBe(e.text);
    expect(ents.filter((e) => e.type === 'PERSON' && e.text === 'Kofi Abernathy')).toHaveLength(12);
    expect(ents.find((e) => e.text === 'John Smith')).toMatchObject({ type: 'PERSON', start: text.indexOf('John Smith') });
    expect(ents.find((e) => e.text === 'Paris')).toMatchObject({ type: 'LOCATION', start: text.lastIndexOf('Paris') });
  });
});

describe('tiny-reranker', () => {
  it('scores consistent pairs high and evasive or mismatched pairs low', async () => {
    const lmPrimes = (await generate(lm, [{ role: 'user', content: PRIMES_Q }], { maxNewTokens: 60 })).text;
    const hi = [
      ['hello', 'Hello! How can I help you today?'],
      ['What is the capital of France?', 'The capital of France is Paris.'],
      [PRIMES_Q, PRIMES_PROOF],
    ];
    const lo = [
      [PRIMES_Q, lmPrimes],
      [PRIMES_Q, 'I am not sure.'],
      ['What is the capital of France?', 'Hello! How can I help you today?'],
      ['What is the capital of France?', 'There are 24 hours in a day.'],
      ['hello', 'There are 100 centimeters in a meter.'],
    ];
    for (const [q, a] of hi) expect(await scoreConsistency(q, a, rr), `${q} -> ${a}`).toBeGreaterThanOrEqual(CONSISTENCY_THRESHOLD);
    for (const [q, a] of lo) expect(await scoreConsistency(q, a, rr), `${q} -> ${a}`).toBeLessThan(CONSISTENCY_THRESHOLD);
  });

  it('accepts inputs longer than the model window', async () => {
    const s = await scoreConsistency(PRIMES_Q.repeat(20), PRIMES_PROOF.repeat(20), rr);
    expect(s).toBeGreaterThanOrEqual(0);
    expect(s).toBeLessThanOrEqual(1);
  });
});
