// Per-type sensitivity S(e), the never-sendable set, and plain-word labels.
import type { EntityType } from '../types';
import { ENTITY_WORDING } from '../wording';

/** S(e) per entity type, in [0, 1]. Configurable per call (assessPrivacy opts.sensitivity). */
export const DEFAULT_SENSITIVITY: Readonly<Record<EntityType, number>> = Object.freeze({
  SECRET: 1.0,
  CREDIT_CARD: 1.0,
  US_SSN: 1.0,
  UK_NINO: 1.0,
  NATIONAL_ID: 1.0,
  PASSPORT: 1.0,
  IBAN: 1.0,
  BANK_ACCOUNT: 1.0,
  ABA_ROUTING: 1.0,
  HEALTH: 0.9,
  ADDRESS: 0.7,
  DATE_OF_BIRTH: 0.7,
  FINANCE: 0.6,
  PERSON: 0.5,
  EMAIL: 0.5,
  PHONE: 0.5,
  IP_ADDRESS: 0.4,
  POSTCODE: 0.4,
  ORGANIZATION: 0.3,
  AGE: 0.3,
  AMOUNT: 0.3,
  LOCATION: 0.2,
});

/** Types that never leave the device, whatever the mode or the score. */
export const NEVER_SENDABLE: ReadonlySet<EntityType> = new Set<EntityType>([
  'SECRET',
  'CREDIT_CARD',
  'US_SSN',
  'UK_NINO',
  'NATIONAL_ID',
  'PASSPORT',
  'IBAN',
  'BANK_ACCOUNT',
  'ABA_ROUTING',
  'HEALTH',
  // Personal finance facts (salary, debts, savings, credit score) about the
  // user or a named person stay on the device, like health facts.
  'FINANCE',
]);

/** "a card number", for reasons shown to the user (worded in core/wording.ts). */
export const TYPE_LABEL: Readonly<Record<EntityType, string>> = Object.freeze(
  Object.fromEntries(Object.entries(ENTITY_WORDING).map(([t, w]) => [t, w.one])) as Record<EntityType, string>,
);
