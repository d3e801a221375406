// Plain words for privacy actions and entity types, shared by the components. Pure.
import type { EntityType, PrivacyAction } from '../../core/types';
import { TYPE_LABEL } from '../../core/privacy/sensitivity';

const PLURAL: Readonly<Record<EntityType, string>> = {
  PERSON: 'names',
  LOCATION: 'places',
  ADDRESS: 'street addresses',
  POSTCODE: 'postcodes',
  ORGANIZATION: 'organization names',
  EMAIL: 'e-mail addresses',
  PHONE: 'phone numbers',
  US_SSN: 'Social Security numbers',
  UK_NINO: 'National Insurance numbers',
  NATIONAL_ID: 'national ID numbers',
  PASSPORT: 'passport numbers',
  CREDIT_CARD: 'card numbers',
  IBAN: 'IBANs',
  BANK_ACCOUNT: 'bank account numbers',
  ABA_ROUTING: 'bank routing numbers',
  IP_ADDRESS: 'IP addresses',
  DATE_OF_BIRTH: 'dates of birth',
  SECRET: 'passwords and secret keys',
  HEALTH: 'health details',
  FINANCE: 'financial details',
  AGE: 'ages',
  AMOUNT: 'money amounts',
};

/** "a name" — for one entity. */
export function typeLabel(type: EntityType): string {
  return TYPE_LABEL[type] ?? type;
}

/** "names, e-mail addresses and phone numbers" (distinct, in first-seen order). */
export function pluralList(types: readonly (EntityType | string)[]): string {
  const words = [...new Set(types)].map((t) => PLURAL[t as EntityType] ?? t);
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const cap = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);

/**
 * What the current mode would do with the draft, for the composer: null when
 * it may be sent as is.
 */
export function draftActionLabel(action: PrivacyAction, replacedTypes: readonly EntityType[]): string | null {
  if (action === 'local-only') return 'Stays on this device';
  if (action === 'pseudonymize') {
    const list = pluralList(replacedTypes);
    return `${cap(list || 'personal details')} will be replaced before sending`;
  }
  return null;
}

/** What was done with a sent message, for its privacy log. */
export function loggedActionLabel(action: PrivacyAction): string {
  if (action === 'local-only') return 'Kept on this device';
  if (action === 'pseudonymize') return 'Personal details replaced by placeholders';
  return 'Could be sent as is';
}
