import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Entity } from '../../core/types';
import { carryOver, DraftScanner, type DraftScanResult, type NerFn } from './draft-scan';
import { draftActionLabel } from './labels';
import { decidePrivacy } from '../../turn/privacy';
import { Pseudonymizer } from '../../core/privacy';

/** A fake NER that finds "Alice Smith" / "Bob" wherever they are, and records its calls. */
function fakeNer(opts: { fail?: boolean; delayMs?: number } = {}) {
  const calls: string[] = [];
  const fn: NerFn = async (text, signal) => {
    calls.push(text);
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    if (signal.aborted) throw new DOMException('aborted', 'AbortError');
    if (opts.fail) throw new Error('model missing');
    const out: Entity[] = [];
    for (const name of ['Alice Smith', 'Bob']) {
      const i = text.indexOf(name);
      if (i >= 0) out.push({ type: 'PERSON', start: i, end: i + name.length, score: 0.9, source: 'ner', text: name });
    }
    return out;
  };
  return { fn, calls };
}

const types = (r: DraftScanResult) => r.entities.map((e) => `${e.type}:${e.source}:${e.text}`);

describe('DraftScanner', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the patterns on every keystroke and NER once after a 300 ms pause', async () => {
    const ner = fakeNer();
    const results: DraftScanResult[] = [];
    const s = new DraftScanner({ mode: 'balanced', ner: ner.fn, onResult: (r) => results.push(r) });
    const text = 'My name is Alice Smith, email alice@example.com';
    for (let i = 1; i <= text.length; i++) s.update(text.slice(0, i));
    expect(ner.calls).toEqual([]);
    // Patterns: both found at once ("my name is" is a pattern too).
    expect(types(s.result)).toEqual(['PERSON:pattern:Alice Smith', 'EMAIL:pattern:alice@example.com']);
    expect(s.result.nerStatus).toBe('pending');
    await vi.advanceTimersByTimeAsync(299);
    expect(ner.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(ner.calls).toEqual([text]);
    expect(s.result.nerStatus).toBe('done');
    expect(s.result.assessment.action).toBe('pseudonymize');
    expect(results.at(-1)).toBe(s.result);
  });

  it('merges NER-only names, keeps them while typing after them and shifts them on edits before them', async () => {
    const ner = fakeNer();
    const s = new DraftScanner({ mode: 'balanced', ner: ner.fn });
    s.update('ask Bob about it');
    expect(types(s.result)).toEqual([]);
    expect(s.result.assessment.action).toBe('allow');
    await vi.advanceTimersByTimeAsync(300);
    expect(types(s.result)).toEqual(['PERSON:ner:Bob']);
    expect(s.result.assessment.action).toBe('pseudonymize');

    s.update('ask Bob about it today'); // typed after: still there before NER reruns
    expect(types(s.result)).toEqual(['PERSON:ner:Bob']);
    s.update('please ask Bob about it today'); // inserted before: shifted
    expect(s.result.entities[0]).toMatchObject({ start: 11, end: 14, text: 'Bob' });
    s.update('please ask Rob about it today'); // the name itself changed: dropped at once
    expect(types(s.result)).toEqual([]);
    await vi.advanceTimersByTimeAsync(300);
    expect(ner.calls).toEqual(['ask Bob about it', 'please ask Rob about it today']);
  });

  it('uses only the latest result when NER calls overlap (single flight)', async () => {
    const ner = fakeNer({ delayMs: 500 });
    const s = new DraftScanner({ mode: 'balanced', ner: ner.fn });
    s.update('hi Bob');
    await vi.advanceTimersByTimeAsync(300); // call 1 starts, takes 500 ms
    s.update('hi Bob and Alice Smith');
    await vi.advanceTimersByTimeAsync(300); // wants call 2 but call 1 is running
    s.update('hi Bob and Alice Smith!'); // t = 600
    await vi.advanceTimersByTimeAsync(250); // call 1 ends at 800; the stale wanted text is skipped
    expect(ner.calls).toEqual(['hi Bob']);
    expect(types(s.result)).toEqual(['PERSON:ner:Bob']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(ner.calls).toEqual(['hi Bob', 'hi Bob and Alice Smith!']);
    expect(types(s.result)).toEqual(['PERSON:ner:Bob', 'PERSON:ner:Alice Smith']);
    expect(s.result.nerStatus).toBe('done');
  });

  it('never lets an older, slower NER result replace a newer one', async () => {
    const calls: string[] = [];
    const ner: NerFn = async (text) => {
      calls.push(text);
      await new Promise((r) => setTimeout(r, text.length < 10 ? 800 : 100)); // the first call is the slow one
      return text.includes('Alice Smith') ? [{ type: 'PERSON', start: 7, end: 18, score: 0.9, source: 'ner', text: 'Alice Smith' }] : [];
    };
    const s = new DraftScanner({ mode: 'balanced', ner });
    s.update('hi you');
    await vi.advanceTimersByTimeAsync(300); // slow call for 'hi you' starts
    s.update('hi you Alice Smith');
    const sent = s.scanNow(); // fast call for the current text
    await vi.advanceTimersByTimeAsync(100);
    expect(types(await sent)).toEqual(['PERSON:ner:Alice Smith']);
    await vi.advanceTimersByTimeAsync(1000); // the stale result arrives last
    expect(calls).toEqual(['hi you', 'hi you Alice Smith']);
    expect(types(s.result)).toEqual(['PERSON:ner:Alice Smith']);
  });

  it('falls back to patterns when NER fails and does not retry on every keystroke', async () => {
    let now = 0;
    const ner = fakeNer({ fail: true });
    const s = new DraftScanner({ mode: 'balanced', ner: ner.fn, now: () => now, errorCooldownMs: 10_000 });
    s.update('card 4111 1111 1111 1111');
    await vi.advanceTimersByTimeAsync(300);
    expect(s.result.nerStatus).toBe('error');
    expect(types(s.result)).toEqual(['CREDIT_CARD:pattern:4111 1111 1111 1111']);
    expect(s.result.assessment.action).toBe('local-only');
    s.update('card 4111 1111 1111 1111 please');
    await vi.advanceTimersByTimeAsync(300);
    expect(ner.calls).toHaveLength(1);
    now = 10_001;
    s.update('card 4111 1111 1111 1111 please!');
    await vi.advanceTimersByTimeAsync(300);
    expect(ner.calls).toHaveLength(2);
  });

  it('scanNow gives NER for exactly the current text without waiting, and never rejects', async () => {
    const ner = fakeNer();
    const s = new DraftScanner({ mode: 'balanced', ner: ner.fn });
    s.update('tell Bob');
    const r = await s.scanNow();
    expect(r.text).toBe('tell Bob');
    expect(types(r)).toEqual(['PERSON:ner:Bob']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(ner.calls).toEqual(['tell Bob']); // the debounced call was cancelled
    expect((await s.scanNow()).entities).toHaveLength(1);
    expect(ner.calls).toHaveLength(1);

    const failing = new DraftScanner({ mode: 'balanced', ner: fakeNer({ fail: true }).fn });
    failing.update('tell Bob, alice@example.com');
    const f = await failing.scanNow();
    expect(f.nerStatus).toBe('error');
    expect(types(f)).toEqual(['EMAIL:pattern:alice@example.com']);
  });

  it('re-assesses when the mode changes, and works without NER', () => {
    const s = new DraftScanner({ mode: 'balanced', ner: null });
    s.update('I live at 221B Baker Street');
    expect(s.result.nerStatus).toBe('off');
    expect(s.result.entities.map((e) => e.type)).toEqual(['ADDRESS']);
    expect(s.result.assessment.action).toBe('pseudonymize');
    s.mode = 'privacy-first';
    expect(s.result.assessment.action).toBe('local-only');
  });

  it('re-assesses with the live α from Settings, exactly as the turn will', async () => {
    const text = 'write to sam@example.org and 415-555-0100';
    const s = new DraftScanner({ mode: 'balanced', alpha: 0.05, ner: null });
    s.update(text);
    expect(s.result.assessment.action).toBe('pseudonymize');
    s.alpha = 0.2; // two details at 0.5 each: 0.5 + 2·0.2 = 0.9 ≥ balanced's 0.85
    expect(s.result.assessment.action).toBe('local-only');
    const turn = await decidePrivacy({ nlp: null, pseudonymizer: new Pseudonymizer() }, { messages: [{ role: 'user', content: text }], mode: 'balanced', alpha: 0.2 });
    expect(turn.action).toBe(s.result.assessment.action);
    expect(turn.assessment.sensitivity).toBe(s.result.assessment.sensitivity);
  });

  it('stops calling NER after dispose', async () => {
    const ner = fakeNer();
    const s = new DraftScanner({ mode: 'balanced', ner: ner.fn });
    s.update('hi Bob');
    s.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(ner.calls).toEqual([]);
  });
});

describe('carryOver', () => {
  const e = (text: string, start: number): Entity => ({ type: 'PERSON', start, end: start + text.length, score: 0.9, source: 'ner', text });
  it('keeps, shifts or drops entities from an older text', () => {
    const prev = { text: 'hi Bob and Ann', entities: [e('Bob', 3), e('Ann', 11)] };
    expect(carryOver(prev, prev.text)).toBe(prev.entities);
    expect(carryOver(prev, 'hi Bob and Ann!').map((x) => x.start)).toEqual([3, 11]);
    expect(carryOver(prev, 'oh hi Bob and Ann').map((x) => x.start)).toEqual([6, 14]);
    expect(carryOver(prev, 'hi Rob and Ann').map((x) => x.text)).toEqual(['Ann']);
    expect(carryOver(prev, '')).toEqual([]);
    // Two edits at once (before and after): found again as whole words near their old place.
    expect(carryOver(prev, 'oh hi Bob and Ann?').map((x) => [x.text, x.start])).toEqual([['Bob', 6], ['Ann', 14]]);
    // Not inside another word.
    expect(carryOver(prev, 'xx Bobby and Annie').map((x) => x.text)).toEqual([]);
    // Edit that touches the entity itself: the value must still be there as a word.
    expect(carryOver(prev, 'hi Bobby and Ann').map((x) => x.text)).toEqual(['Ann']);
  });
});

describe('draftActionLabel', () => {
  it('says what the mode would do', () => {
    expect(draftActionLabel('local-only', [])).toBe('Stays on this device');
    expect(draftActionLabel('pseudonymize', ['PERSON', 'PERSON'])).toBe('Names will be replaced before sending');
    expect(draftActionLabel('pseudonymize', ['PERSON', 'EMAIL', 'PHONE'])).toBe(
      'Names, e-mail addresses and phone numbers will be replaced before sending',
    );
    expect(draftActionLabel('allow', [])).toBeNull();
  });
});
