import { describe, expect, it } from 'vitest';
import type { Entity, EntityType, Mode } from '../types';
import {
  DEFAULT_SENSITIVITY,
  MODE_THRESHOLDS,
  NEVER_SENDABLE,
  Pseudonymizer,
  assessPrivacy,
  buildCloudText,
  findNeverSendable,
  mergeEntities,
  scanPatterns,
} from './index';

let pos = 0;
function ent(type: EntityType, text = `v${pos}`, score = 0.9, source: Entity['source'] = 'pattern'): Entity {
  const start = pos;
  pos += text.length + 1;
  return { type, start, end: start + text.length, score, source, text };
}

describe('sensitivity table', () => {
  it('has the documented values', () => {
    for (const t of ['SECRET', 'CREDIT_CARD', 'US_SSN', 'UK_NINO', 'NATIONAL_ID', 'IBAN', 'BANK_ACCOUNT', 'PASSPORT'] as const) {
      expect(DEFAULT_SENSITIVITY[t]).toBe(1);
    }
    expect(DEFAULT_SENSITIVITY.HEALTH).toBe(0.9);
    expect(DEFAULT_SENSITIVITY.ADDRESS).toBe(0.7);
    expect(DEFAULT_SENSITIVITY.PERSON).toBe(0.5);
    expect(DEFAULT_SENSITIVITY.EMAIL).toBe(0.5);
    expect(DEFAULT_SENSITIVITY.LOCATION).toBe(0.2);
  });
  it('never-sendable covers secrets, card, national IDs, bank and health', () => {
    for (const t of ['SECRET', 'CREDIT_CARD', 'US_SSN', 'UK_NINO', 'NATIONAL_ID', 'PASSPORT', 'IBAN', 'BANK_ACCOUNT', 'ABA_ROUTING', 'HEALTH'] as const) {
      expect(NEVER_SENDABLE.has(t)).toBe(true);
    }
    for (const t of ['PERSON', 'EMAIL', 'PHONE', 'ADDRESS', 'LOCATION'] as const) expect(NEVER_SENDABLE.has(t)).toBe(false);
  });
});

describe('assessPrivacy: Sensitivity(q) = max S(e) + α·|E| and thresholds per mode', () => {
  const table: Array<[string, EntityType[], Record<Mode, string>, number]> = [
    ['nothing', [], { 'privacy-first': 'allow', balanced: 'allow', 'performance-first': 'allow' }, 0],
    ['a city', ['LOCATION'], { 'privacy-first': 'pseudonymize', balanced: 'allow', 'performance-first': 'allow' }, 0.25],
    ['an organization', ['ORGANIZATION'], { 'privacy-first': 'pseudonymize', balanced: 'allow', 'performance-first': 'allow' }, 0.35],
    ['an IP address', ['IP_ADDRESS'], { 'privacy-first': 'pseudonymize', balanced: 'pseudonymize', 'performance-first': 'allow' }, 0.45],
    ['a name', ['PERSON'], { 'privacy-first': 'pseudonymize', balanced: 'pseudonymize', 'performance-first': 'pseudonymize' }, 0.55],
    ['name + e-mail + phone', ['PERSON', 'EMAIL', 'PHONE'], { 'privacy-first': 'pseudonymize', balanced: 'pseudonymize', 'performance-first': 'pseudonymize' }, 0.65],
    ['an address', ['ADDRESS'], { 'privacy-first': 'local-only', balanced: 'pseudonymize', 'performance-first': 'pseudonymize' }, 0.75],
    ['address + name + e-mail + phone', ['ADDRESS', 'PERSON', 'EMAIL', 'PHONE'], { 'privacy-first': 'local-only', balanced: 'local-only', 'performance-first': 'pseudonymize' }, 0.9],
    ['a card number', ['CREDIT_CARD'], { 'privacy-first': 'local-only', balanced: 'local-only', 'performance-first': 'local-only' }, 1.05],
    ['health', ['HEALTH'], { 'privacy-first': 'local-only', balanced: 'local-only', 'performance-first': 'local-only' }, 0.95],
    ['a secret and a city', ['SECRET', 'LOCATION'], { 'privacy-first': 'local-only', balanced: 'local-only', 'performance-first': 'local-only' }, 1.1],
  ];
  for (const [label, typesIn, expected, sens] of table) {
    for (const mode of Object.keys(expected) as Mode[]) {
      it(`${label} in ${mode} → ${expected[mode]}`, () => {
        const es = typesIn.map((t) => ent(t));
        const a = assessPrivacy(es, { mode });
        expect(a.action).toBe(expected[mode]);
        expect(a.sensitivity).toBeCloseTo(sens, 6);
        expect(a.reasons.length).toBeGreaterThan(0);
      });
    }
  }

  it('never-sendable forces local-only even with loosened thresholds and zero sensitivity', () => {
    const a = assessPrivacy([ent('US_SSN')], {
      mode: 'performance-first',
      sensitivity: { US_SSN: 0 },
      thresholds: { pseudo: 5, local: 10 },
    });
    expect(a.action).toBe('local-only');
    expect(a.neverSendable.map((e) => e.type)).toEqual(['US_SSN']);
    expect(a.reasons[0]).toBe('Contains a Social Security number — kept on device');
  });

  it('reasons are in plain words', () => {
    expect(assessPrivacy([ent('CREDIT_CARD')], { mode: 'balanced' }).reasons).toEqual(['Contains a card number — kept on device']);
    expect(assessPrivacy([], { mode: 'balanced' }).reasons[0]).toMatch(/No personal data/);
    expect(assessPrivacy([ent('PERSON'), ent('EMAIL')], { mode: 'balanced' }).reasons[0]).toMatch(/A name and an e-mail address will be sent only as placeholders/);
  });

  it('alpha and the sensitivity table are configurable; a repeated value counts once', () => {
    const a = assessPrivacy([ent('PERSON', 'Ann'), ent('PERSON', 'Ann'), ent('EMAIL')], { mode: 'balanced', alpha: 0.1 });
    expect(a.sensitivity).toBeCloseTo(0.7);
    const b = assessPrivacy([ent('LOCATION')], { mode: 'balanced', sensitivity: { LOCATION: 0.6 } });
    expect(b.action).toBe('pseudonymize');
  });

  it('balanced keeps low-sensitivity entities (a city) when pseudonymizing', () => {
    const city = ent('LOCATION');
    const name = ent('PERSON');
    const a = assessPrivacy([city, name], { mode: 'balanced' });
    expect(a.action).toBe('pseudonymize');
    expect(a.toReplace).toEqual([name]);
    const p = assessPrivacy([city, name], { mode: 'privacy-first' });
    expect(p.toReplace).toEqual([city, name]);
  });

  it('exposes the thresholds per mode', () => {
    expect(MODE_THRESHOLDS['privacy-first'].local).toBeLessThan(MODE_THRESHOLDS.balanced.local);
    expect(MODE_THRESHOLDS.balanced.local).toBeLessThan(MODE_THRESHOLDS['performance-first'].local);
    for (const m of Object.values(MODE_THRESHOLDS)) expect(m.pseudo).toBeLessThanOrEqual(0.5 + 0.05);
  });
});

describe('mergeEntities', () => {
  const base = { source: 'pattern' as const, text: 'x' };
  it('highest score wins on overlap between results of the same source, and the span grows to cover both', () => {
    const a: Entity[] = [{ ...base, type: 'PERSON', start: 0, end: 10, score: 0.6, source: 'ner' }];
    const b: Entity[] = [{ ...base, type: 'ORGANIZATION', start: 5, end: 15, score: 0.9, source: 'ner' }];
    expect(mergeEntities(a, b).map((e) => [e.type, e.start, e.end])).toEqual([['ORGANIZATION', 0, 15]]);
  });
  it('a validated pattern beats the NER on a clash, and no part of it is left in the clear', () => {
    // The tiny NER tags pieces of an e-mail address; the EMAIL pattern must keep the whole address.
    const text = 'reach alice.johnson@example.com today';
    const email: Entity = { type: 'EMAIL', start: 6, end: 31, score: 0.9, source: 'pattern', text: text.slice(6, 31) };
    const ner: Entity[] = [
      { type: 'ORGANIZATION', start: 6, end: 11, score: 0.97, source: 'ner', text: 'alice' },
      { type: 'PERSON', start: 28, end: 31, score: 0.99, source: 'ner', text: 'com' },
    ];
    expect(mergeEntities([email], ner)).toEqual([email]);
  });
  it('on ties the more sensitive type wins, then the longer span', () => {
    const a: Entity[] = [{ ...base, type: 'LOCATION', start: 0, end: 10, score: 0.8 }];
    const b: Entity[] = [{ ...base, type: 'ADDRESS', start: 2, end: 8, score: 0.8 }];
    expect(mergeEntities(a, b).map((e) => e.type)).toEqual(['ADDRESS']);
    const c: Entity[] = [{ ...base, type: 'PERSON', start: 0, end: 4, score: 0.8 }];
    const d: Entity[] = [{ ...base, type: 'PERSON', start: 0, end: 10, score: 0.8, source: 'ner' }];
    expect(mergeEntities(c, d).map((e) => e.end)).toEqual([10]);
  });
  it('keeps non-overlapping entities from both, sorted', () => {
    const a: Entity[] = [{ ...base, type: 'EMAIL', start: 20, end: 30, score: 0.9 }];
    const b: Entity[] = [{ ...base, type: 'PERSON', start: 0, end: 5, score: 0.7, source: 'ner' }];
    expect(mergeEntities(a, b).map((e) => e.start)).toEqual([0, 20]);
  });
});

describe('findNeverSendable and buildCloudText', () => {
  it('the proxy check finds only never-sendable types', () => {
    const text = 'I am John Smith, john@example.com, card 4111 1111 1111 1111, key sk-ant-api03-abcdefghijklmnopqrstuvwxyz';
    expect(findNeverSendable(text).map((e) => e.type)).toEqual(['CREDIT_CARD', 'SECRET']);
    expect(findNeverSendable('Hello <PERSON_1>, write to <EMAIL_1>')).toEqual([]);
  });

  it('returns null for local-only, placeholders for pseudonymize, the text for allow', () => {
    const p = new Pseudonymizer();
    const t1 = 'My card 4111 1111 1111 1111 was declined';
    const e1 = scanPatterns(t1);
    expect(buildCloudText(t1, e1, assessPrivacy(e1, { mode: 'performance-first' }), p)).toBeNull();

    const t2 = 'My name is John Smith, e-mail john@example.com. Draft a reply to my landlord.';
    const e2 = scanPatterns(t2);
    const a2 = assessPrivacy(e2, { mode: 'balanced' });
    expect(a2.action).toBe('pseudonymize');
    expect(buildCloudText(t2, e2, a2, p)).toBe('My name is <PERSON_1>, e-mail <EMAIL_1>. Draft a reply to my landlord.');

    const t3 = 'What is the capital of France?';
    expect(buildCloudText(t3, [], assessPrivacy([], { mode: 'balanced' }), p)).toBe(t3);
    // A value mapped earlier keeps its placeholder even in an 'allow' turn.
    const t4 = 'Is John Smith a common name?';
    expect(buildCloudText(t4, [], assessPrivacy([], { mode: 'balanced' }), p)).toBe('Is <PERSON_1> a common name?');
  });

  it('fails closed when a never-sendable value would still leave', () => {
    const p = new Pseudonymizer();
    const text = 'card 4111 1111 1111 1111';
    // A caller that wrongly claims the text is fine still gets null.
    expect(buildCloudText(text, [], { action: 'allow' }, p)).toBeNull();
  });
});
