// National identifiers: US_SSN, UK_NINO, PASSPORT.
import type { Recognizer } from './types';
import { ninoValid, ssnValid } from '../validators';

export const usSsn: Recognizer = {
  name: 'us-ssn',
  type: 'US_SSN',
  scope: 'numeric',
  quick: /\d{4}/,
  patterns: [
    { name: 'ssn-dashed', regex: /(?<![\w.-])\d{3}-\d{2}-\d{4}(?![\w]|[.-]\d)/g, score: 0.65 },
    // any other separators (normalization collapsed each run to one character)
    { name: 'ssn-spaced', regex: /(?<![\w.-])\d{3}[ ./_,-]\d{2}[ ./_,-]\d{4}(?![\w]|[.-]\d)/g, score: 0.5 },
    { name: 'ssn-plain', regex: /(?<![\w.-])\d{9}(?![\w]|[.-]\d)/g, score: 0.2 },
  ],
  validate: (v) => ssnValid(v),
  context: ['ssn', 'ssns', 'social security', 'social', 'ss#', 'ss #', 'ssn#', 'taxpayer', 'itin'],
  contextBoost: 0.35,
  negativeContext: ['phone', 'call', 'order', 'routing', 'account'],
  negativePenalty: 0.2,
};

export const ukNino: Recognizer = {
  name: 'uk-nino',
  type: 'UK_NINO',
  quick: /\d{2}/,
  patterns: [
    { name: 'nino', regex: /(?<![\w])[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\w])/gi, score: 0.75 },
  ],
  validate: (v) => ninoValid(v),
  context: ['national insurance', 'nino', 'ni number', 'ni no', 'insurance number'],
  contextBoost: 0.2,
};

export const passport: Recognizer = {
  name: 'passport',
  type: 'PASSPORT',
  quick: /\d\d/,
  requiresContext: true,
  patterns: [
    { name: 'passport', regex: /(?<![\w])[A-Z]{0,2}\d{6,9}[A-Z]?(?![\w])/gi, score: 0.5 },
    { name: 'passport-alnum', regex: /(?<![\w])(?=[A-Z0-9]*\d[A-Z0-9]*\d[A-Z0-9]*\d)[A-Z][A-Z0-9]{7,8}(?![\w])/g, score: 0.5 },
  ],
  context: [
    'passport', 'passport number', 'passport no', 'travel document', 'reisepass', 'passeport', 'pasaporte', 'passaporto',
    'passaporte', 'paspoort', 'paszport', 'pas', 'passi', 'pasaport', 'паспорт', 'паспорта', '여권', 'パスポート', '旅券', '护照',
    '護照', 'पासपोर्ट', 'جواز سفر', 'جواز', 'hộ chiếu', 'หนังสือเดินทาง',
  ],
  contextBoost: 0.4,
  contextWindow: [40, 20],
};

export const nationalIdRecognizers: Recognizer[] = [usSsn, ukNino, passport];
