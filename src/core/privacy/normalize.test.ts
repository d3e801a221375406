import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { digitValue, normalizeForMatching, toOriginalSpan } from './normalize';
import { findNeverSendable, scanPatterns } from './index';

/** Every \p{Nd} script's zero, for "every digit script" tables. */
const ZEROS = [0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xe50, 0xed0, 0xf20, 0x1040, 0x17e0, 0x1810, 0xff10, 0x1d7ce];
export const inScript = (s: string, zero: number) => s.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d)));

describe('normalizeForMatching', () => {
  it('leaves plain ASCII prose alone (identity map)', () => {
    const nt = normalizeForMatching('Hello, call me at 3pm. Total: 1,200 and 3.5 kg');
    expect(nt.text).toBe('Hello, call me at 3pm. Total: 1,200 and 3.5 kg');
    expect(nt.startMap).toBeNull();
  });

  it.each(ZEROS.map((z) => [z.toString(16), z]))('maps digits of script U+%s to ASCII', (_, zero) => {
    const s = inScript('0123456789', zero as number);
    expect(normalizeForMatching(`n ${s}`).text).toBe('n 0123456789');
    for (let d = 0; d <= 9; d++) expect(digitValue((zero as number) + d)).toBe(d);
  });

  it('strips format characters, variation selectors and combining marks', () => {
    const t = 'a\u200Eb\u200Fc\u2066d\u2069e\u00ADf\uFE0Fg\u0301h\u2063i\u200Bj\uFEFFk';
    expect(normalizeForMatching(t).text).toBe('abcdefghijk');
  });

  it.each([
    ['4111  1111', '4111 1111'],
    ['4111\t1111', '4111 1111'],
    ['4111\n\n1111', '4111 1111'],
    ['4111\u00A01111', '4111 1111'],
    ['4111 - 1111', '4111-1111'],
    ['4111 – 1111', '4111-1111'],
    ['4111 / 1111', '4111/1111'],
    ['4111._,1111', '4111.1111'],
    ['4111 \u200E 1111', '4111 1111'],
  ])('collapses the separator run in %j', (input, out) => {
    expect(normalizeForMatching(input).text).toBe(out);
  });

  it('keeps separators that are not between digits, and newlines in prose', () => {
    expect(normalizeForMatching('Best regards,\n\nJane 12 -- x').text).toBe('Best regards,\n\nJane 12 -- x');
  });

  it('maps offsets back to the original text', () => {
    const t = 'card: ٤١١١\u200E ١١١١';
    const nt = normalizeForMatching(t);
    const s = nt.text.indexOf('4111');
    const [os, oe] = toOriginalSpan(nt, s, nt.text.length);
    expect(t.slice(os, oe)).toBe('٤١١١\u200E ١١١١');
  });

  it('is linear: a long run of separators or marks costs one pass', () => {
    const t = '4111' + ' '.repeat(200_000) + '1111' + '\u0301'.repeat(200_000);
    expect(normalizeForMatching(t).text).toBe('4111 1111');
  });
});

// ── property: inserting invisible characters or separator runs never hides an ID ──
const IDS: Array<[string, string[], string]> = [
  // [type, groups as the ID is usually written, how a user names it]
  ['CREDIT_CARD', ['4111', '1111', '1111', '1111'], 'my card'],
  ['CREDIT_CARD', ['3782', '822463', '10005'], 'amex'],
  ['IBAN', ['DE89', '3704', '0044', '0532', '0130', '00'], 'IBAN'],
  ['US_SSN', ['536', '22', '1234'], 'SSN'],
  ['NATIONAL_ID', ['2341', '2341', '2346'], 'Aadhaar'],
  ['NATIONAL_ID', ['960121', '1234567'], '주민등록번호'],
  ['NATIONAL_ID', ['111', '444', '777', '35'], 'CPF'],
  ['NATIONAL_ID', ['110105', '19491231', '002X'], '身份证号'],
  ['NATIONAL_ID', ['943', '476', '5919'], 'NHS number'],
  ['NATIONAL_ID', ['12345678', 'Z'], 'DNI'],
  ['NATIONAL_ID', ['130', '692', '544'], 'SIN'],
  ['NATIONAL_ID', ['811228', '9874'], 'personnummer'],
];
const FORMAT = ['\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u202A', '\u202C', '\u2060', '\u2066', '\u2069', '\uFEFF', '\u00AD', '\uFE0F', '\u2063'];
const SEP = [' ', '  ', '\t', '\n', '\u00A0', '\u2009', '\u3000', '/', '.', '-', '_', ',', '–', '—', '‑', ' - ', ' / ', '. ', ' ,', '\u200E \u200E'];

describe('property: obfuscation never hides an ID', () => {
  const gen = fc.record({
    id: fc.constantFrom(...IDS),
    seps: fc.array(fc.oneof(fc.constantFrom(...SEP), fc.array(fc.constantFrom(' ', '/', '.', '-', '_', ',', '\t', '\n', '\u00A0', '—'), { minLength: 1, maxLength: 6 }).map((a) => a.join(''))), { minLength: 6, maxLength: 6 }),
    fmt: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...FORMAT)), { maxLength: 4 }),
    script: fc.constantFrom(...ZEROS),
    prefix: fc.constantFrom('my %s is ', '%s: ', '%s ', 'Use this %s — '),
  });
  it('a separator run between groups and format characters anywhere: still found, never sendable', () => {
    fc.assert(
      fc.property(gen, ({ id: [type, groups, label], seps, fmt, script, prefix }) => {
        let value = groups.map((g, i) => (i === 0 ? g : seps[i - 1] + g)).join('');
        value = inScript(value, script);
        const chars = [...value];
        for (const [pos, f] of fmt) chars.splice(pos % (chars.length + 1), 0, f);
        const text = `${prefix.replace('%s', label)}${chars.join('')} thanks`;
        const found = scanPatterns(text).filter((e) => e.type === type);
        expect(found.length, text).toBeGreaterThan(0);
        expect(findNeverSendable(text).length, text).toBeGreaterThan(0);
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});
