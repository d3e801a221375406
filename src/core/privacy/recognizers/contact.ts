// EMAIL and PHONE.
import type { Recognizer } from './types';

export const email: Recognizer = {
  name: 'email',
  type: 'EMAIL',
  quick: /@/,
  patterns: [
    {
      name: 'email',
      regex: /(?<![\w.+%\u00C0-\u024F-])[A-Za-z0-9\u00C0-\u024F](?:[A-Za-z0-9\u00C0-\u024F._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])/g,
      score: 0.9,
    },
  ],
  validate: (v) => {
    const at = v.indexOf('@');
    const local = v.slice(0, at);
    if (local.includes('..') || local.endsWith('.')) return false;
    return true;
  },
  context: ['email', 'e-mail', 'mail', 'contact', 'reach'],
  contextBoost: 0.05,
};

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

export const phone: Recognizer = {
  name: 'phone',
  type: 'PHONE',
  quick: /\d/,
  patterns: [
    // +CC …: +44 7700 900123, +1 (555) 555-5555, +33 1 23 45 67 89, +49-30-1234567
    {
      name: 'international',
      regex: /(?<![\w+])\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?[ .-]?\d{1,14}(?:[ .-]\d{1,8}){0,6}(?![\w]|[.-]\d)/g,
      score: 0.75,
    },
    // (555) 555-5555
    {
      name: 'nanp-parens',
      regex: /(?<![\w(])\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}(?![\w]|[.-]\d)/g,
      score: 0.75,
    },
    // 555-555-5555, 555.555.5555, 555 555 5555 (area and exchange start 2–9)
    {
      name: 'nanp',
      regex: /(?<![\w.+-])[2-9]\d{2}([ .-])[2-9]\d{2}\1\d{4}(?![\w]|[.-]\d)/g,
      score: 0.65,
    },
    // UK and other trunk-prefix numbers: 07700 900123, 020 7946 0958, 0161-496-0000
    {
      name: 'trunk-0',
      regex: /(?<![\w.+-])0[1-9]\d{1,3}[ -]?\d{3,4}[ -]?\d{3,4}(?![\w]|[.-]\d)/g,
      score: 0.6,
    },
    // Unbroken 10 digits: only with context ("call me on 5555555555")
    { name: 'ten-digits', regex: /(?<![\w.+-])[2-9]\d{9}(?![\w]|[.-]\d)/g, score: 0.3, requiresContext: true },
    // Local 7-digit 555-1234: only with context
    { name: 'local-7', regex: /(?<![\w.+-])\d{3}-\d{4}(?![\w]|[.-]\d)/g, score: 0.25, requiresContext: true },
  ],
  validate: (v, m) => {
    const n = digitCount(v);
    if (m.pattern === 'international') return n >= 8 && n <= 15;
    if (m.pattern === 'trunk-0') return n === 10 || n === 11;
    if (m.pattern === 'local-7') return n === 7;
    return n === 10;
  },
  context: [
    'phone', 'call', 'tel', 'telephone', 'mobile', 'cell', 'whatsapp', 'text me', 'sms',
    'reach me', 'ring', 'fax', 'landline', 'number', 'contact',
  ],
  contextBoost: 0.35,
  negativeContext: ['order', 'invoice', 'tracking', 'isbn', 'serial', 'ref', 'reference', 'account', 'routing', 'ssn'],
  negativePenalty: 0.3,
};

export const contactRecognizers: Recognizer[] = [email, phone];
