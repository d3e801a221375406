// The one place where entity types, tiers and query kinds are put into words.
// Reasons (core/privacy, core/policy), the turn's stage line and every UI
// table read from here, so a type is never "a place" in one sentence and "a
// place name" in the next. Pure data.
import type { EntityType, QueryKind, Tier } from './types';

export interface EntityWording {
  /** "a card number" — one value, inside a sentence. */
  one: string;
  /** "card numbers" — a list of kinds of values. */
  many: string;
}

export const ENTITY_WORDING: Readonly<Record<EntityType, Readonly<EntityWording>>> = Object.freeze({
  PERSON: { one: 'a name', many: 'names' },
  LOCATION: { one: 'a place', many: 'places' },
  ADDRESS: { one: 'a street address', many: 'street addresses' },
  POSTCODE: { one: 'a postcode', many: 'postcodes' },
  ORGANIZATION: { one: 'an organization name', many: 'organization names' },
  EMAIL: { one: 'an e-mail address', many: 'e-mail addresses' },
  PHONE: { one: 'a phone number', many: 'phone numbers' },
  US_SSN: { one: 'a Social Security number', many: 'Social Security numbers' },
  UK_NINO: { one: 'a National Insurance number', many: 'National Insurance numbers' },
  NATIONAL_ID: { one: 'a national ID number', many: 'national ID numbers' },
  PASSPORT: { one: 'a passport number', many: 'passport numbers' },
  CREDIT_CARD: { one: 'a card number', many: 'card numbers' },
  IBAN: { one: 'an IBAN', many: 'IBANs' },
  BANK_ACCOUNT: { one: 'a bank account number', many: 'bank account numbers' },
  ABA_ROUTING: { one: 'a bank routing number', many: 'bank routing numbers' },
  IP_ADDRESS: { one: 'an IP address', many: 'IP addresses' },
  DATE_OF_BIRTH: { one: 'a date of birth', many: 'dates of birth' },
  SECRET: { one: 'a password or secret key', many: 'passwords and secret keys' },
  HEALTH: { one: 'personal health information', many: 'health details' },
  FINANCE: { one: 'personal financial details', many: 'financial details' },
  AGE: { one: 'an age', many: 'ages' },
  AMOUNT: { one: 'a money amount', many: 'money amounts' },
});

/** "a card number"; an unknown type is worded from its name ("a tax id"). */
export function entityOne(type: EntityType | string): string {
  return ENTITY_WORDING[type as EntityType]?.one ?? `a ${String(type).toLowerCase().replace(/_/g, ' ')}`;
}

/** "card numbers"; an unknown type is returned as it is. */
export function entityMany(type: EntityType | string): string {
  return ENTITY_WORDING[type as EntityType]?.many ?? String(type);
}

/** "a, b and c" (the words as given, duplicates kept). */
export function joinAnd(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

export interface TierWording {
  /** "cloud" — inside a sentence: "goes straight to the cloud". */
  name: string;
  /** "in the cloud" — where an answer came from. */
  where: string;
  /** "Cloud" — chart legends and tables. */
  label: string;
  /** "Cloud" — the answer's route badge. */
  badge: string;
  /** "Asking the cloud…" — the stage line while this tier answers. */
  working: string;
}

export const TIER_WORDING: Readonly<Record<Tier, Readonly<TierWording>>> = Object.freeze({
  local: { name: 'device', where: 'on device', label: 'Device', badge: 'On device', working: 'Answering on device…' },
  edge: { name: 'edge', where: 'at the edge', label: 'Edge', badge: 'Edge', working: 'Asking the edge server…' },
  cloud: { name: 'cloud', where: 'in the cloud', label: 'Cloud', badge: 'Cloud', working: 'Asking the cloud…' },
});

/** Query kinds as the reasons name them: "the on-device model rarely handles code". */
export const KIND_WORDING: Readonly<Record<QueryKind, string>> = Object.freeze({
  greeting: 'greetings',
  translation: 'translations',
  knowledge: 'factual questions',
  code: 'code',
  logic: 'logic puzzles',
  math: 'multi-step math and proofs',
  analysis: 'in-depth analysis',
  creative: 'creative writing',
});

/** The pending answer's stage line, before any tier answers (the tiers' own lines are in TIER_WORDING). */
export const STAGE_WORDING = Object.freeze({
  /** The NER model is still downloading or compiling (the first message of a visit). */
  loadingPrivacy: 'Loading the privacy checker…',
  privacy: 'Checking privacy…',
  deciding: 'Deciding where to answer…',
  consent: 'Waiting for your consent…',
  /** The device tier is next but its model is still loading. */
  waitingDevice: 'Waiting for the on-device model to load…',
});
