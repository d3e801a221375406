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

/** What was done with a sent message, for its privacy log. */
export function loggedActionLabel(action: PrivacyAction): string {
  if (action === 'local-only') return 'Kept on this device';
  if (action === 'pseudonymize') return 'Personal details replaced by placeholders';
  return 'Could be sent as is';
}
