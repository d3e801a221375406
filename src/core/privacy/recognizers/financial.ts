// Payment and bank identifiers: CREDIT_CARD, IBAN, BANK_ACCOUNT, ABA_ROUTING.
import type { Recognizer } from './types';
import { insideIbanShape } from './world-ids';
import { IBAN_LENGTHS, abaValid, creditCardValid, mod97 } from '../validators';

const CARD_CONTEXT = [
  'card', 'credit', 'debit', 'visa', 'mastercard', 'amex', 'american express', 'discover',
  'cc', 'cvv', 'cvc', 'expiry', 'expires', 'pan',
];

export const creditCard: Recognizer = {
  name: 'credit-card',
  type: 'CREDIT_CARD',
  scope: 'numeric',
  quick: /\d{4}/,
  patterns: [
    // 4-4-4-4(-1..3) with one consistent separator or none. Normalization has
    // already collapsed any run of separators between digits to one character.
    { name: 'grouped-4', regex: /(?<![\w.-]|\d[./_,-])\d{4}([ ./_,-]?)\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?(?!\d)/g, score: 0.9 },
    // Amex 4-6-5
    { name: 'amex', regex: /(?<![\w.-])3[47]\d{2}([ ./_,-]?)\d{6}\1\d{5}(?!\d)/g, score: 0.9 },
    // Diners 4-6-4
    { name: 'diners', regex: /(?<![\w.-])3\d{3}([ ./_,-]?)\d{6}\1\d{4}(?!\d)/g, score: 0.9 },
    // 13–19 digits with separators anywhere, mixed ("4111/1111-11 11…").
    // Not right after another digit group glued by punctuation, nor inside an
    // IBAN-shaped string (checked in validate).
    { name: 'any-groups', regex: /(?<![A-Za-z0-9]|\d[./_,-])\d(?:[ ./_,-]?\d){12,18}(?![A-Za-z0-9]|[-/_.]\d)/g, score: 0.85 },
  ],
  validate: (v, m) => creditCardValid(v) && !insideIbanShape(m.text, m.start),
  context: CARD_CONTEXT,
  contextBoost: 0.1,
  negativeContext: ['order', 'tracking', 'invoice', 'reference', 'ref', 'isbn', 'serial'],
  negativePenalty: 0.25,
};

// Candidate IBAN: country + check digits + 10..30 alphanumerics with optional
// single separators (space, dash, dot, slash, underscore). The validator trims to the country's exact length and
// checks mod 97, so a following word is never swallowed.
const IBAN_CANDIDATE = /(?<![\w])[A-Z]{2}[\s./_,-]*\d{2}(?:[\s./_,-]*[A-Z0-9]){10,30}(?![A-Z0-9])/gi;

const IBAN_SEP = ' ./_,-\t\n\r';

export const iban: Recognizer = {
  name: 'iban',
  type: 'IBAN',
  quick: /[A-Za-z]{2}\d{2}/,
  patterns: [{ name: 'iban', regex: IBAN_CANDIDATE, score: 0.95 }],
  validate: (v) => {
    const cc = v.slice(0, 2).toUpperCase();
    const want = IBAN_LENGTHS[cc];
    if (!want) return false;
    let compact = '';
    let used = 0;
    for (; used < v.length && compact.length < want; used++) {
      const ch = v[used];
      if (IBAN_SEP.includes(ch)) continue;
      compact += ch.toUpperCase();
    }
    if (compact.length !== want) return false;
    // Must not stop in the middle of a group: the next character, if any, is a separator.
    if (used < v.length && !IBAN_SEP.includes(v[used])) return false;
    if (mod97(compact.slice(4) + compact.slice(0, 4)) !== 1) return false;
    return used === v.length ? true : { end: used };
  },
  context: ['iban', 'bank', 'account', 'transfer', 'wire', 'sepa'],
  contextBoost: 0.05,
};

export const abaRouting: Recognizer = {
  name: 'aba-routing',
  type: 'ABA_ROUTING',
  scope: 'numeric',
  quick: /\d{4}/,
  patterns: [
    { name: 'aba', regex: /(?<![\w.-])\d{9}(?![\w]|[.-]\d)/g, score: 0.3 },
    { name: 'aba-dashed', regex: /(?<![\w.-])\d{4}-\d{4}-\d(?![\w]|[.-]\d)/g, score: 0.3 },
  ],
  validate: (v) => abaValid(v),
  context: ['routing', 'aba', 'rtn', 'transit', 'routing number', 'wire'],
  contextBoost: 0.55,
  // "account number 123456789" right before the number: a bank account, not a routing number.
  negativeContext: ['account', 'account number', 'account no', 'acct', 'a/c'],
  negativePenalty: 0.5,
  negativeWindow: [18, 0],
};

export const bankAccount: Recognizer = {
  name: 'bank-account',
  type: 'BANK_ACCOUNT',
  quick: /\d\d/,
  requiresContext: true,
  patterns: [
    { name: 'account-digits', regex: /(?<![\w.,$£€-])\d{6,17}(?![\w]|[.,-]\d)/g, score: 0.4 },
    { name: 'account-grouped', regex: /(?<![\w.,$£€-])\d{4}[ -]\d{4}(?:[ -]\d{2,4})?(?![\w]|[.,-]\d)/g, score: 0.4 },
    { name: 'uk-sort-code', regex: /(?<![\w.-])\d{2}-\d{2}-\d{2}(?![\w]|[.-]\d)/g, score: 0.4 },
  ],
  context: [
    'account', 'acct', 'a/c', 'account number', 'account no', 'bank account', 'sort code',
    'checking', 'savings account', 'bsb', 'kontonummer',
  ],
  contextWindow: [36, 16],
  negativeContext: ['order', 'tracking', 'invoice', 'phone', 'call', 'ssn', 'social security'],
};

export const financialRecognizers: Recognizer[] = [creditCard, iban, abaRouting, bankAccount];
