// Plain-English phrases for reasons and badges.
import type { EntityType, QueryKind, Tier } from '../types';

const ENTITY_PHRASE: Record<EntityType, string> = {
  PERSON: 'a name',
  LOCATION: 'a place name',
  ADDRESS: 'a street address',
  POSTCODE: 'a postcode',
  ORGANIZATION: 'an organization name',
  EMAIL: 'an e-mail address',
  PHONE: 'a phone number',
  US_SSN: 'a social security number',
  UK_NINO: 'a national insurance number',
  NATIONAL_ID: 'a national ID number',
  PASSPORT: 'a passport number',
  CREDIT_CARD: 'a card number',
  IBAN: 'a bank account number (IBAN)',
  BANK_ACCOUNT: 'a bank account number',
  ABA_ROUTING: 'a bank routing number',
  IP_ADDRESS: 'an IP address',
  DATE_OF_BIRTH: 'a date of birth',
  SECRET: 'a password or secret key',
  HEALTH: 'personal health details',
  FINANCE: 'personal financial details',
  AGE: 'an age',
  AMOUNT: 'an amount of money',
};

/** Types that the privacy layer never lets leave the device (used to pick what to name). */
export const HIGH_SENSITIVITY_TYPES: ReadonlySet<EntityType> = new Set<EntityType>([
  'CREDIT_CARD', 'US_SSN', 'UK_NINO', 'NATIONAL_ID', 'PASSPORT', 'IBAN', 'BANK_ACCOUNT',
  'ABA_ROUTING', 'SECRET', 'HEALTH',
]);

export function entityPhrase(type: EntityType | string): string {
  return ENTITY_PHRASE[type as EntityType] ?? `a ${String(type).toLowerCase().replace(/_/g, ' ')}`;
}

/** "a card number", "a name and an e-mail address", "a, b and c". */
export function describeEntityTypes(types: readonly (EntityType | string)[]): string {
  const seen: string[] = [];
  for (const t of types) {
    const p = entityPhrase(t);
    if (!seen.includes(p)) seen.push(p);
  }
  if (seen.length === 0) return 'sensitive data';
  if (seen.length === 1) return seen[0];
  return `${seen.slice(0, -1).join(', ')} and ${seen[seen.length - 1]}`;
}

const KIND_PHRASE: Record<QueryKind, string> = {
  greeting: 'greetings',
  translation: 'translations',
  knowledge: 'factual questions',
  code: 'code',
  logic: 'logic puzzles',
  math: 'multi-step math and proofs',
  analysis: 'in-depth analysis',
  creative: 'creative writing',
};

export function kindPhrase(kind: QueryKind): string {
  return KIND_PHRASE[kind] ?? kind;
}

export function tierPhrase(t: Tier): string {
  return t === 'local' ? 'on device' : t === 'edge' ? 'at the edge' : 'in the cloud';
}

export function tierName(t: Tier): string {
  return t === 'local' ? 'device' : t;
}

/** "2.1 s", "0.4 s", "12 s". */
export function fmtSeconds(ms: number): string {
  if (!Number.isFinite(ms)) return '? s';
  const s = ms / 1000;
  return s >= 10 ? `${Math.round(s)} s` : `${s.toFixed(1)} s`;
}

export function fmt2(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : '?';
}
