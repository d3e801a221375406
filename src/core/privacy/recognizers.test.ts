import { describe, expect, it } from 'vitest';
import type { EntityType } from '../types';
import {
  abaValid,
  assessPrivacy,
  creditCardValid,
  ibanValid,
  luhnValid,
  ninoValid,
  scanPatterns,
  ssnValid,
} from './index';

const types = (text: string) => scanPatterns(text).map((e) => e.type);
const find = (text: string, type: EntityType) => scanPatterns(text).filter((e) => e.type === type);

describe('validators', () => {
  it.each([
    ['4111111111111111', true],
    ['5555555555554444', true],
    ['378282246310005', true],
    ['6011111111111117', true],
    ['4111111111111112', false],
    ['5555555555554443', false],
    ['79927398713', true], // classic Luhn example
    ['79927398710', false],
  ])('luhn %s → %s', (n, ok) => expect(luhnValid(n)).toBe(ok));

  it.each([
    ['4111 1111 1111 1111', true],
    ['3530111333300000', true], // JCB
    ['30569309025904', true], // Diners 14
    ['0000000000000000', false], // all zeros pass Luhn, fail IIN
    ['9111111111111119', false], // unknown IIN
    ['4111111111111', false], // wrong length for the number (Luhn fails)
  ])('card %s → %s', (n, ok) => expect(creditCardValid(n)).toBe(ok));

  it.each([
    ['GB82WEST12345698765432', true],
    ['GB82 WEST 1234 5698 7654 32', true],
    ['DE89370400440532013000', true],
    ['FR1420041010050500013M02606', true],
    ['GB82WEST12345698765433', false], // one digit off
    ['DE89370400440532013001', false],
    ['FR1420041010050500013M02607', false],
    ['GB82WEST1234569876543', false], // wrong length
    ['XX82WEST12345698765432', false], // unknown country
  ])('iban %s → %s', (n, ok) => expect(ibanValid(n)).toBe(ok));

  it.each([
    ['021000021', true],
    ['011000015', true],
    ['122105155', true],
    ['021000022', false],
    ['123456789', false],
    ['999999999', false],
  ])('aba %s → %s', (n, ok) => expect(abaValid(n)).toBe(ok));

  it.each([
    ['536-22-1234', true],
    ['536221234', true],
    ['000-12-3456', false], // area 000
    ['666-12-3456', false], // area 666
    ['912-34-5678', false], // area 9xx
    ['536-00-1234', false], // group 00
    ['536-22-0000', false], // serial 0000
    ['078-05-1120', false], // Woolworth
    ['219-09-9999', false], // advertisement
    ['123-45-6789', false], // known sample
    ['111-11-1111', false], // repeated digit
  ])('ssn %s → %s', (n, ok) => expect(ssnValid(n)).toBe(ok));

  it.each([
    ['AB123456C', true],
    ['AB 12 34 56 C', true],
    ['ab123456c', true],
    ['BG123456A', false], // forbidden prefix
    ['GB123456A', false],
    ['DA123456A', false], // first letter D
    ['AO123456A', false], // second letter O
    ['AB123456E', false], // suffix E
  ])('nino %s → %s', (n, ok) => expect(ninoValid(n)).toBe(ok));
});

describe('recognizers — positives', () => {
  const cases: Array<[string, EntityType, string]> = [
    ['My card is 4111 1111 1111 1111, expiring soon', 'CREDIT_CARD', '4111 1111 1111 1111'],
    ['card: 4111-1111-1111-1111', 'CREDIT_CARD', '4111-1111-1111-1111'],
    ['pay with 5555555555554444 please', 'CREDIT_CARD', '5555555555554444'],
    ['amex 3782 822463 10005', 'CREDIT_CARD', '3782 822463 10005'],
    ['card 4111.1111.1111.1111', 'CREDIT_CARD', '4111.1111.1111.1111'],
    ['My IBAN is GB82 WEST 1234 5698 7654 32 thanks', 'IBAN', 'GB82 WEST 1234 5698 7654 32'],
    ['send to DE89 3704 0044 0532 0130 00.', 'IBAN', 'DE89 3704 0044 0532 0130 00'],
    ['FR1420041010050500013M02606 is mine', 'IBAN', 'FR1420041010050500013M02606'],
    ['My SSN is 536-22-1234', 'US_SSN', '536-22-1234'],
    ['social security number 536 22 1234', 'US_SSN', '536 22 1234'],
    ['ssn: 536221234', 'US_SSN', '536221234'],
    ['My NI number is AB 12 34 56 C', 'UK_NINO', 'AB 12 34 56 C'],
    ['passport number 123456789', 'PASSPORT', '123456789'],
    ['my passport is C01X00T47', 'PASSPORT', 'C01X00T47'],
    ['routing number 021000021', 'ABA_ROUTING', '021000021'],
    ['my account number is 12345678', 'BANK_ACCOUNT', '12345678'],
    ['sort code 12-34-56', 'BANK_ACCOUNT', '12-34-56'],
    ['write to jane.doe+work@example.co.uk today', 'EMAIL', 'jane.doe+work@example.co.uk'],
    ['call me at +44 7700 900123', 'PHONE', '+44 7700 900123'],
    ['my number is (555) 555-5555', 'PHONE', '(555) 555-5555'],
    ['phone: 415-555-0132', 'PHONE', '415-555-0132'],
    ['ring 07700 900123 after six', 'PHONE', '07700 900123'],
    ['+1 (212) 555-0199 is the office', 'PHONE', '+1 (212) 555-0199'],
    ['+33 1 23 45 67 89', 'PHONE', '+33 1 23 45 67 89'],
    ['server at 192.168.1.20 is down', 'IP_ADDRESS', '192.168.1.20'],
    ['ping 2001:db8:85a3::8a2e:370:7334 now', 'IP_ADDRESS', '2001:db8:85a3::8a2e:370:7334'],
    ['my box is fe80::1ff:fe23:4567:890a', 'IP_ADDRESS', 'fe80::1ff:fe23:4567:890a'],
    ['I was born on 12/03/1985', 'DATE_OF_BIRTH', '12/03/1985'],
    ['DOB: 1990-01-31', 'DATE_OF_BIRTH', '1990-01-31'],
    ['my date of birth is 4 July 1976', 'DATE_OF_BIRTH', '4 July 1976'],
    ['born March 3rd, 1990 in Ohio', 'DATE_OF_BIRTH', 'March 3rd, 1990'],
    ['key sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345', 'SECRET', 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345'],
    // The high-entropy token spans the whole assignment; overlapping detections are unioned.
    ['OPENAI_API_KEY=sk-proj-AbCdEfGhIjKlMnOpQrStUvWx1234', 'SECRET', 'OPENAI_API_KEY=sk-proj-AbCdEfGhIjKlMnOpQrStUvWx1234'],
    ['token ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'SECRET', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['aws AKIAIOSFODNN7EXAMPLE', 'SECRET', 'AKIAIOSFODNN7EXAMPLE'],
    ['slack xoxb-123456789012-abcdefghij', 'SECRET', 'xoxb-123456789012-abcdefghij'],
    ['AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q', 'SECRET', 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'],
    ['my password is hunter2!', 'SECRET', 'hunter2'],
    ['Password: "Tr0ub4dor&3"', 'SECRET', 'Tr0ub4dor&3'],
    ['the wifi password is sunshine42.', 'SECRET', 'sunshine42'],
    ['here: aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW', 'SECRET', 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW'],
    ['I have type 2 diabetes', 'HEALTH', 'diabetes'],
    ['I was diagnosed with breast cancer last year', 'HEALTH', 'breast cancer'],
    ['what should my metformin dose be?', 'HEALTH', 'metformin'],
    ["I'm taking sertraline 50mg", 'HEALTH', 'sertraline'],
    ["I'm pregnant and tired", 'HEALTH', 'pregnant'],
    ['my mother has dementia', 'HEALTH', 'dementia'],
    ['my salary is $85,000', 'FINANCE', '$85,000'],
    ['I owe £12,000 on my card', 'FINANCE', '£12,000'],
    ["I'm in debt and scared", 'FINANCE', "I'm in debt"],
    ['my credit score is 640', 'FINANCE', '640'],
    ["I'm 34 years old", 'AGE', '34'],
    ['I paid $1,299 for my laptop', 'AMOUNT', '$1,299'],
    ['My name is John Smith.', 'PERSON', 'John Smith'],
    ['Please ask Dr. Jane Doe', 'PERSON', 'Jane Doe'],
    ['Thanks,\nMaria Garcia', 'PERSON', 'Maria Garcia'],
    ['I live in San Francisco', 'LOCATION', 'San Francisco'],
    ['I live at 221B Baker Street', 'ADDRESS', '221B Baker Street'],
    ['ship to 1600 Pennsylvania Avenue, Apt 4', 'ADDRESS', '1600 Pennsylvania Avenue, Apt 4'],
    ['postcode SW1A 1AA', 'POSTCODE', 'SW1A 1AA'],
    ['Springfield, IL 62704', 'POSTCODE', '62704'],
    ['my zip code is 94103', 'POSTCODE', '94103'],
    ['I work at Acme Widgets Inc.', 'ORGANIZATION', 'Acme Widgets Inc'],
    ['Siemens AG and Globex GmbH', 'ORGANIZATION', 'Globex GmbH'],
  ];
  it.each(cases)('%s → %s', (text, type, value) => {
    const hits = find(text, type);
    expect(hits.map((e) => e.text)).toContain(value);
    for (const e of hits) expect(text.slice(e.start, e.end)).toBe(e.text);
  });
});

describe('recognizers — false-positive traps', () => {
  const negatives = [
    'What are the symptoms of diabetes?',
    'How does the Luhn check work?',
    'What is an IBAN?',
    'Is 4111 a prime?',
    'Order number 4111 1111 1111 1112 has shipped', // fails Luhn
    'Tracking 1234567890123456 arrives Monday', // fails Luhn
    'The war ended in 1945 and the treaty was signed in 1947.',
    'It costs $19.99 or €1,250.00 in the shop.',
    'Upgrade from version 1.2.3 to 2.10.4 please.',
    'Install version 10.0.19041.1 of the SDK.',
    'What is the capital of France?',
    'Explain how metformin works.',
    'Can I take ibuprofen with sertraline?',
    'Is a salary of $85,000 good in Denver?',
    'Compute 123456789 * 987654321.',
    'The meeting is at 10:30:45 on 2024-05-12.',
    'std::vector<int> v; Foo::Bar();',
    'What is a strong password?',
    'The password is too short.',
    'Your PIN is 4 digits long.',
    'Call the function getElementByIdAndUpdateTheCounterNow.',
    'git checkout 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39',
    'uuid 123e4567-e89b-12d3-a456-426614174000',
    'Chapter 12 covers pages 100-200.',
    'My favourite number is 42.',
    'How do I tell if someone has diabetes?',
    'Write a poem about the sea.',
    'The ISBN is 978-3-16-148410-0.',
    'Population grew from 1,234,567 to 2,345,678.',
    'Hello World!',
    'Enter your password: then press enter.',
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'See https://github.com/vercel/next.js/blob/canary/packages/next/src/server/base-server.ts',
    'const apiUrl = "https://example.com/v1/users/getAllUsersByOrganizationId";',
    'I have a question about diabetes.',
    'My name is not important.',
  ];
  it.each(negatives)('no sensitive entity: %s', (text) => {
    const es = scanPatterns(text);
    const a = assessPrivacy(es, { mode: 'balanced' });
    expect(a.neverSendable).toEqual([]);
    expect(a.action).toBe('allow');
    expect(es.filter((e) => e.type !== 'AMOUNT' && e.type !== 'LOCATION')).toEqual([]);
  });

  it('an order number failing Luhn is not a card, a Luhn-valid one with the same shape is', () => {
    expect(types('order 4111 1111 1111 1112')).not.toContain('CREDIT_CARD');
    expect(types('card 4111 1111 1111 1111')).toContain('CREDIT_CARD');
  });

  it('does not swallow the word after an IBAN', () => {
    const [e] = find('IBAN GB82 WEST 1234 5698 7654 32 THEN more', 'IBAN');
    expect(e.text).toBe('GB82 WEST 1234 5698 7654 32');
  });
});

describe('normalization and offsets', () => {
  it('detects full-width digits and reports offsets into the original text', () => {
    const text = 'カード番号は ４１１１ １１１１ １１１１ １１１１ です';
    const [e] = find(text, 'CREDIT_CARD');
    expect(e).toBeDefined();
    expect(e.text).toBe('４１１１ １１１１ １１１１ １１１１');
    expect(text.slice(e.start, e.end)).toBe(e.text);
  });

  it('handles emoji and combining marks before the entity', () => {
    const text = '😀 Café\u0301 👍🏽 — email zoë@example.com';
    const [e] = find(text, 'EMAIL');
    // "zoë" has a non-ASCII letter: the address part after it still matches
    expect(text.slice(e.start, e.end)).toBe(e.text);
    expect(e.text.endsWith('@example.com')).toBe(true);
  });

  it('sees through zero-width characters and typographic dashes', () => {
    const text = 'card 4111\u200B1111\u200B1111\u200B1111 and ssn 536–22–1234';
    const card = find(text, 'CREDIT_CARD')[0];
    expect(card.text).toBe('4111\u200B1111\u200B1111\u200B1111');
    const ssn = find(text, 'US_SSN')[0];
    expect(ssn.text).toBe('536–22–1234');
  });

  it('tolerates separators in numbers (spaces, dashes, dots)', () => {
    for (const sep of [' ', '-', '.', '']) {
      const n = ['4111', '1111', '1111', '1111'].join(sep);
      expect(find(`card ${n}`, 'CREDIT_CARD')[0]?.text).toBe(n);
    }
  });

  it('returns sorted, non-overlapping entities', () => {
    const es = scanPatterns('Mail a@b.io, call +1 415 555 0132, card 4111111111111111, ssn 536-22-1234');
    for (let i = 1; i < es.length; i++) expect(es[i].start).toBeGreaterThanOrEqual(es[i - 1].end);
    expect(es.every((e) => e.source === 'pattern')).toBe(true);
  });

  it('filters by type', () => {
    const es = scanPatterns('John: a@b.io, card 4111111111111111', { types: ['EMAIL'] });
    expect(es.map((e) => e.type)).toEqual(['EMAIL']);
  });
});
