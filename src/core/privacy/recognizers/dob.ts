// DATE_OF_BIRTH: a date with "born", "DOB", "date of birth" … nearby.
import type { Recognizer } from './types';
import { plausibleDate } from '../validators';

const MONTHS =
  'Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?';
const MONTH_INDEX: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

export const dateOfBirth: Recognizer = {
  name: 'date-of-birth',
  type: 'DATE_OF_BIRTH',
  quick: /\d/,
  requiresContext: true,
  patterns: [
    { name: 'numeric', regex: /(?<![\w/.-])\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})(?![\w]|[/.-]\d)/g, score: 0.5 },
    { name: 'iso', regex: /(?<![\w/.-])\d{4}([/.-])\d{1,2}\1\d{1,2}(?![\w]|[/.-]\d)/g, score: 0.5 },
    {
      name: 'day-month-year',
      regex: new RegExp(`(?<![\\w])\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTHS})\\.?(?:,\\s*|\\s+)\\d{4}(?![\\w])`, 'gi'),
      score: 0.5,
    },
    {
      name: 'month-day-year',
      regex: new RegExp(`(?<![\\w])(?:${MONTHS})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,\\s*|\\s+)\\d{4}(?![\\w])`, 'gi'),
      score: 0.5,
    },
  ],
  validate: (v, m) => {
    if (m.pattern === 'numeric') {
      const [a, b, c] = v.split(/[/.-]/).map(Number);
      return plausibleDate(c, b, a) || plausibleDate(c, a, b);
    }
    if (m.pattern === 'iso') {
      const [y, mo, d] = v.split(/[/.-]/).map(Number);
      return plausibleDate(y, mo, d);
    }
    const year = Number(/\d{4}/.exec(v)?.[0]);
    const day = Number(/(?<!\d)\d{1,2}(?!\d)/.exec(v)?.[0]);
    const mon = MONTH_INDEX[(/[A-Za-z]{3}/.exec(v.replace(/\b(?:st|nd|rd|th|of)\b/gi, ''))?.[0] ?? '').toLowerCase()];
    return !!mon && plausibleDate(year, mon, day);
  },
  context: ['born', 'dob', 'd.o.b', 'date of birth', 'birthday', 'birth date', 'birthdate', 'b-day', 'geburtsdatum'],
  contextBoost: 0.4,
  contextWindow: [40, 30],
};

export const dobRecognizers: Recognizer[] = [dateOfBirth];
