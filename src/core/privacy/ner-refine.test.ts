import { describe, expect, it } from 'vitest';
import type { Entity, EntityType } from '../types';
import { isPublicEntity, refineNer } from './ner-refine';

const ner = (text: string, sub: string, type: EntityType = 'PERSON'): Entity => {
  const s = text.indexOf(sub);
  if (s < 0) throw new Error(`${sub} not in ${text}`);
  return { type, start: s, end: s + sub.length, score: 0.9, source: 'ner', text: sub };
};
const texts = (text: string, ...es: Entity[]) => refineNer(text, es).map((e) => `${e.type}:${text.slice(e.start, e.end)}`);

describe('refineNer', () => {
  it('never takes a context keyword (the number next to it is the patterns’ job)', () => {
    expect(texts('His RRN is 960121-1234567', ner('His RRN is 960121-1234567', 'RRN'))).toEqual([]);
    expect(texts('My passport number is X1234567', ner('My passport number is X1234567', 'passport number', 'ORGANIZATION'))).toEqual([]);
    expect(texts('IBAN please', ner('IBAN please', 'IBAN', 'ORGANIZATION'))).toEqual([]);
  });

  it('extends a partial name to the whole name, particles included', () => {
    expect(texts('Please ask John Smith about it', ner('Please ask John Smith about it', 'Smith'))).toEqual(['PERSON:John Smith']);
    expect(texts('Invite Anna Maria Rossi too', ner('Invite Anna Maria Rossi too', 'Maria'))).toEqual(['PERSON:Anna Maria Rossi']);
    const t = 'I met Jan van der Berg yesterday';
    expect(texts(t, ner(t, 'Jan'))).toEqual(['PERSON:Jan van der Berg']);
    // never across a sentence end
    const u = 'We flew to Brisbane. Kofi Abernathy met us. Then I met John Smith.';
    expect(texts(u, ner(u, 'Kofi Abernathy'), ner(u, 'John'))).toEqual(['PERSON:Kofi Abernathy', 'PERSON:John Smith']);
  });

  it('leaves out the quotes and brackets the tokenizer glued to a span, so a placeholder never swallows them', () => {
    const t = 'Ask "Anna Rossi" about it, or (Bob).';
    const glued = (sub: string): Entity => ({ ...ner(t, sub), text: sub });
    expect(refineNer(t, [glued('Anna Rossi"'), glued('(Bob)')]).map((e) => [e.text, t.slice(e.start, e.end)])).toEqual([
      ['Anna Rossi', 'Anna Rossi'], ['Bob', 'Bob'],
    ]);
    expect(refineNer(t, [glued('"')])).toEqual([]);
  });

  it('drops lowercase spans in cased scripts (not names), keeps uncased scripts and all-lowercase chat', () => {
    expect(texts('Explain how a heat pump works', ner('Explain how a heat pump works', 'pump'))).toEqual([]);
    const lc = 'i met ezekiel petrov in valencia.';
    expect(texts(lc, ner(lc, 'ezekiel petrov'))).toEqual(['PERSON:ezekiel petrov']);
    expect(texts('我的朋友王小明住在北京', ner('我的朋友王小明住在北京', '王小明'))).toEqual(['PERSON:王小明']);
  });

  it.each([
    ['Compare Python and JavaScript', 'Python'],
    ['Compare Python and JavaScript', 'JavaScript'],
    ['Summarize the plot of Hamlet', 'Hamlet'],
    ['How does the Luhn algorithm work?', 'Luhn'],
    ['Who was Ada Lovelace?', 'Lovelace'],
    ['What did Marie Curie discover?', 'Marie Curie'],
    ['Is FedEx faster than UPS?', 'FedEx'],
    ['Translate this into German', 'German'],
  ])('leaves a public entity alone: %s (%s)', (text, sub) => {
    expect(texts(text, ner(text, sub))).toEqual([]);
  });

  it('keeps a public name when something ties it to the user', () => {
    const a = 'My friend Marie Curie lives next door';
    expect(texts(a, ner(a, 'Marie Curie'))).toEqual(['PERSON:Marie Curie']);
    const b = 'I work at FedEx in Memphis';
    expect(texts(b, ner(b, 'FedEx', 'ORGANIZATION'))).toEqual(['ORGANIZATION:FedEx']);
    const c = 'Contact Ada Lovelace at ada@example.com';
    expect(texts(c, ner(c, 'Ada Lovelace'))).toEqual(['PERSON:Ada Lovelace']);
  });

  it('keeps private names and pattern entities untouched', () => {
    const t = 'My colleague Priya Raman wants the slides';
    const pattern: Entity = { type: 'EMAIL', start: 0, end: 2, score: 0.9, source: 'pattern', text: 'My' };
    expect(refineNer(t, [pattern, ner(t, 'Priya Raman')]).map((e) => e.text)).toEqual(['My', 'Priya Raman']);
  });

  it('gazetteer lookups fold case and "the"', () => {
    expect(isPublicEntity('The Odyssey')).toBe(true);
    expect(isPublicEntity('JAVASCRIPT')).toBe(true);
    expect(isPublicEntity('Tobias Lindqvist')).toBe(false);
  });
});
