// Plain words for privacy actions and entity types, shared by the components. Pure.
import type { EntityType, PrivacyAction } from '../../core/types';
import { entityMany, entityOne, joinAnd } from '../../core/wording';

/** "a name" — for one entity. */
export function typeLabel(type: EntityType): string {
  return entityOne(type);
}

/** "names, e-mail addresses and phone numbers" (distinct, in first-seen order). */
export function pluralList(types: readonly (EntityType | string)[]): string {
  return joinAnd([...new Set(types)].map(entityMany));
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

/**
 * What happened to a message, for its privacy log: the outcome, not the plan
 * (a message that could have gone out with placeholders but was answered on
 * the device was kept on the device). `sent` absent = records saved before it
 * existed, where a set outbound text meant it left.
 */
export function loggedActionLabel(action: PrivacyAction, sent?: boolean): string {
  if (action === 'local-only' || sent === false) return 'Kept on this device';
  if (action === 'pseudonymize') return 'Sent with personal details replaced';
  return 'Sent as typed';
}
