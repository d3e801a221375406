import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findPlaceholders, segmentText, type Span } from './segments';

const join = (segs: { text: string }[]) => segs.map((s) => s.text).join('');
const marked = (text: string, spans: Span[]) =>
  segmentText(text, spans).map((s) => (s.mark ? `[${s.text}]` : s.text)).join('');

describe('segmentText', () => {
  it('marks spans and keeps the plain text between them', () => {
    expect(marked('My name is Alice Smith, email alice@example.com', [{ start: 11, end: 22 }, { start: 30, end: 47 }]))
      .toBe('My name is [Alice Smith], email [alice@example.com]');
  });

  it('keeps adjacent spans as two marks with nothing between', () => {
    const segs = segmentText('AliceSmith', [{ start: 5, end: 10 }, { start: 0, end: 5 }]);
    expect(segs.map((s) => [s.text, s.mark !== null])).toEqual([['Alice', true], ['Smith', true]]);
  });

  it('resolves overlaps: the earlier (then longer) span keeps the shared part, the other is clipped', () => {
    const a = { start: 0, end: 7, id: 'a' };
    const b = { start: 4, end: 10, id: 'b' };
    const inner = { start: 1, end: 3, id: 'inner' };
    const segs = segmentText('0123456789xyz', [b, inner, a]);
    expect(segs.map((s) => [s.text, s.mark?.id ?? null])).toEqual([['0123456', 'a'], ['789', 'b'], ['xyz', null]]);
  });

  it('clamps out-of-range and drops empty spans', () => {
    expect(marked('abc', [{ start: -3, end: 1 }, { start: 2, end: 99 }, { start: 1, end: 1 }])).toBe('[a]b[c]');
    expect(segmentText('', [{ start: 0, end: 3 }])).toEqual([]);
  });

  it('never cuts a surrogate pair: spans widen to whole code points', () => {
    const text = 'Hi 😀José 👩‍💻 Zoë';
    // 😀 is two UTF-16 units at 3..5; a span starting inside it widens to 3.
    expect(marked(text, [{ start: 4, end: 9 }])).toBe('Hi [😀José] 👩‍💻 Zoë');
    // A span ending inside 👩 (10..12) widens to 12.
    expect(marked(text, [{ start: 10, end: 11 }])).toBe('Hi 😀José [👩]\u200d💻 Zoë');
    expect(marked('日本語の田中太郎です', [{ start: 4, end: 8 }])).toBe('日本語の[田中太郎]です');
  });

  it('property: runs cover the text exactly, in order, with no lone surrogate at a boundary', () => {
    const chars = fc.constantFrom('a', ' ', 'é', '😀', '日', '\u200d', 'Z');
    fc.assert(
      fc.property(
        fc.array(chars, { maxLength: 30 }).map((a) => a.join('')),
        fc.array(fc.tuple(fc.integer({ min: -2, max: 70 }), fc.integer({ min: -2, max: 70 })), { maxLength: 6 }),
        (text, pairs) => {
          const spans = pairs.map(([s, e]) => ({ start: s, end: e }));
          const segs = segmentText(text, spans);
          expect(join(segs)).toBe(text);
          let pos = 0;
          for (const s of segs) {
            expect(s.start).toBe(pos);
            expect(s.end).toBeGreaterThan(s.start);
            expect(text.slice(s.start, s.end)).toBe(s.text);
            pos = s.end;
            const first = s.text.charCodeAt(0);
            expect(first >= 0xdc00 && first <= 0xdfff).toBe(false);
          }
          // Every character inside some valid span is marked.
          for (const sp of spans) {
            for (let i = Math.max(0, sp.start); i < Math.min(text.length, sp.end); i++) {
              expect(segs.find((s) => s.start <= i && i < s.end)?.mark).not.toBeNull();
            }
          }
        },
      ),
    );
  });
});

describe('findPlaceholders', () => {
  const text = 'Write to <PERSON_1> at <EMAIL_1>, not <FOO_1> or <person_2> or <PERSON_x>. <CREDIT_CARD_12>';

  it('finds typed placeholders of known entity types', () => {
    expect(findPlaceholders(text).map((p) => [p.placeholder, p.type, text.slice(p.start, p.end)])).toEqual([
      ['<PERSON_1>', 'PERSON', '<PERSON_1>'],
      ['<EMAIL_1>', 'EMAIL', '<EMAIL_1>'],
      ['<CREDIT_CARD_12>', 'CREDIT_CARD', '<CREDIT_CARD_12>'],
    ]);
  });

  it('with the issued mapping, marks only placeholders that were issued', () => {
    const issued = new Map([['<EMAIL_1>', 'EMAIL' as const]]);
    expect(findPlaceholders(text, issued).map((p) => p.placeholder)).toEqual(['<EMAIL_1>']);
  });
});
