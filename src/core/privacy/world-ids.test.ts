// Table tests for every national-ID recognizer: a valid value is found (with
// and, where the check is strong enough, without a context word), a wrong
// check digit is not, every separator and every digit script still work.
import { describe, expect, it } from 'vitest';
import { assessPrivacy, findNeverSendable, scanPatterns } from './index';

interface Row {
  country: string;
  /** A context word as a user would write it. */
  ctx: string;
  /** Valid value, written as usual (groups separated by spaces or the official punctuation). */
  valid: string;
  /** Same value with a wrong check digit / letter. */
  invalid: string;
  /** Found without a context word too. */
  bare: boolean;
  /** The dash is part of the value (Finnish century sign), not a separator. */
  dashIsData?: boolean;
}

const ROWS: Row[] = [
  { country: 'IN', ctx: 'My Aadhaar number is', valid: '2341 2341 2346', invalid: '2341 2341 2347', bare: true },
  { country: 'IN', ctx: 'PAN card:', valid: 'ABCPD1234Z', invalid: 'ABCXD1234Z', bare: true },
  { country: 'KR', ctx: '주민등록번호', valid: '960121-1021413', invalid: '961321-1021413', bare: true },
  { country: 'TR', ctx: 'TC kimlik no', valid: '10000000146', invalid: '10000000147', bare: true },
  { country: 'PL', ctx: 'numer PESEL', valid: '44051401359', invalid: '44051401358', bare: true },
  { country: 'PL', ctx: 'NIP', valid: '123-456-32-18', invalid: '123-456-32-19', bare: true },
  { country: 'NL', ctx: 'mijn BSN is', valid: '111222333', invalid: '111222334', bare: true },
  { country: 'ES', ctx: 'mi DNI es', valid: '12345678Z', invalid: '12345678A', bare: true },
  { country: 'ES', ctx: 'NIE', valid: 'X1234567L', invalid: 'X1234567M', bare: true },
  { country: 'BR', ctx: 'meu CPF é', valid: '111.444.777-35', invalid: '111.444.777-36', bare: true },
  { country: 'CA', ctx: 'my SIN is', valid: '130 692 544', invalid: '130 692 545', bare: true },
  { country: 'CN', ctx: '身份证号', valid: '11010519491231002X', invalid: '110105194912310021', bare: true },
  { country: 'SE', ctx: 'personnummer', valid: '811228-9874', invalid: '811228-9875', bare: true },
  { country: 'SG', ctx: 'NRIC', valid: 'S1234567D', invalid: 'S1234567E', bare: true },
  { country: 'FR', ctx: 'numéro de sécurité sociale', valid: '1 85 05 78 006 084 91', invalid: '1 85 05 78 006 084 92', bare: true },
  { country: 'AU', ctx: 'tax file number', valid: '876 543 210', invalid: '876 543 211', bare: true },
  { country: 'AU', ctx: 'ABN', valid: '51 824 753 556', invalid: '52 824 753 556', bare: true },
  { country: 'AU', ctx: 'ACN', valid: '005 499 981', invalid: '005 499 982', bare: false },
  { country: 'AU', ctx: 'Medicare number', valid: '2123 45670 1', invalid: '2123 45671 1', bare: true },
  { country: 'GB', ctx: 'NHS number', valid: '401 023 2137', invalid: '401 023 2138', bare: true },
  // Same check, but shaped like a North-American phone number (NXX NXX XXXX): needs its context word.
  { country: 'GB', ctx: 'NHS number', valid: '943 476 5919', invalid: '943 476 5918', bare: false },
  { country: 'FI', ctx: 'henkilötunnus', valid: '131052-308T', invalid: '131052-308U', bare: true, dashIsData: true },
  { country: 'US', ctx: 'ITIN', valid: '912-70-1234', invalid: '912-89-1234', bare: true },
  { country: 'JP', ctx: 'マイナンバー', valid: '1234 5678 9018', invalid: '1234 5678 9019', bare: true },
  { country: 'IT', ctx: 'codice fiscale', valid: 'RSSMRA85T10A562S', invalid: 'RSSMRA85T10A562T', bare: true },
  { country: 'TH', ctx: 'เลขบัตรประชาชน', valid: '1-2345-67890-12-1', invalid: '1-2345-67890-12-3', bare: true },
  { country: 'DE', ctx: 'Steuer-ID', valid: '86095740014', invalid: '86095740015', bare: false },
  { country: 'RU', ctx: 'СНИЛС', valid: '112-233-445 95', invalid: '112-233-445 96', bare: true },
  { country: 'RU', ctx: 'ИНН', valid: '770708300020', invalid: '770708300021', bare: false },
];

const ids = (text: string, country: string) => scanPatterns(text).filter((e) => e.type === 'NATIONAL_ID' && e.country === country);
const SEPARATORS = [' ', '-', '.', '/', '_', ',', '  ', '\t', '\n', '\u00A0', '\u2009', '–', '—', ' - ', ' / ', '\u200E', '\u200B'];
const SCRIPTS: Array<[string, number]> = [
  ['Arabic-Indic', 0x660], ['Persian', 0x6f0], ['Devanagari', 0x966], ['Bengali', 0x9e6], ['Thai', 0xe50],
  ['Myanmar', 0x1040], ['Full-width', 0xff10], ['Mathematical bold', 0x1d7ce],
];
const inScript = (s: string, zero: number) => s.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d)));

describe.each(ROWS)('$country $ctx', (row) => {
  it('valid value with its context word: found, with the country, kept on the device', () => {
    const text = `${row.ctx} ${row.valid}, can you check my form?`;
    const found = ids(text, row.country);
    expect(found.map((e) => e.text)).toEqual([row.valid]);
    expect(assessPrivacy(scanPatterns(text), { mode: 'performance-first' }).action).toBe('local-only');
    expect(findNeverSendable(text, { limit: 1 })).toHaveLength(1);
  });

  it(row.bare ? 'valid value without a context word: found' : 'valid value without a context word: needs one', () => {
    const found = ids(`here it is: ${row.valid} thanks`, row.country);
    expect(found.length > 0).toBe(row.bare);
  });

  it('wrong check digit: not this ID', () => {
    expect(ids(`${row.ctx} ${row.invalid}`, row.country)).toEqual([]);
  });

  it('every separator between the groups', () => {
    const groups = row.valid.split(row.dashIsData ? /[ .]/ : /[ .-]/);
    if (groups.length < 2) return;
    for (const sep of SEPARATORS) {
      const v = groups.join(sep);
      expect(ids(`${row.ctx} ${v} thanks`, row.country).length, JSON.stringify(v)).toBe(1);
    }
  });

  it('every digit script', () => {
    for (const [name, zero] of SCRIPTS) {
      const v = inScript(row.valid, zero);
      const found = ids(`${row.ctx} ${v} ok`, row.country);
      expect(found.map((e) => e.text), name).toEqual([v]);
    }
  });
});

describe('cards and IBANs with any separators', () => {
  it.each(SEPARATORS)('card 4111 1111 1111 1111 with %j', (sep) => {
    const v = ['4111', '1111', '1111', '1111'].join(sep);
    expect(scanPatterns(`card ${v} exp 12/29`).filter((e) => e.type === 'CREDIT_CARD').map((e) => e.text)).toEqual([v]);
  });
  it.each(SEPARATORS)('IBAN DE89 3704 0044 0532 0130 00 with %j', (sep) => {
    const v = ['DE89', '3704', '0044', '0532', '0130', '00'].join(sep);
    expect(scanPatterns(`IBAN ${v} please`).filter((e) => e.type === 'IBAN').map((e) => e.text)).toEqual([v]);
  });
});

describe('numbers that are not IDs', () => {
  it.each([
    'The population grew from 1,234,567 to 2,345,678 in 2024.',
    'Call me on +44 20 7946 0958 tomorrow',
    'Order 123456789 shipped',
    'What is 123456789 * 987654321?',
    'Version 2.3.1 was released on 2024-05-06',
    'ISBN 978-3-16-148410-0',
    'The Luhn algorithm checks numbers like card numbers.',
  ])('%s → no never-sendable value', (text) => {
    expect(findNeverSendable(text)).toEqual([]);
  });
});
