// The recognizer registry: every pattern recognizer, in one list.
// Add a recognizer by writing a small declarative object in a family file
// and listing it here.
import type { EntityType } from '../../types';
import type { Recognizer } from './types';
import { contactRecognizers } from './contact';
import { dobRecognizers } from './dob';
import { financialRecognizers } from './financial';
import { healthRecognizers } from './health';
import { locationRecognizers } from './location';
import { nationalIdRecognizers } from './national-id';
import { networkRecognizers } from './network';
import { organizationRecognizers } from './organization';
import { personRecognizers } from './person';
import { personalFinanceRecognizers } from './personal-finance';
import { secretRecognizers } from './secrets';
import { worldIdRecognizers } from './world-ids';

export type { Recognizer, PatternSpec, MatchInfo, ValidationResult } from './types';

export const RECOGNIZERS: readonly Recognizer[] = [
  ...secretRecognizers,
  ...financialRecognizers,
  ...nationalIdRecognizers,
  ...worldIdRecognizers,
  ...contactRecognizers,
  ...networkRecognizers,
  ...dobRecognizers,
  ...healthRecognizers,
  ...personalFinanceRecognizers,
  ...personRecognizers,
  ...locationRecognizers,
  ...organizationRecognizers,
];

/** Recognizers that can produce one of the given types. */
export function recognizersFor(types?: readonly EntityType[]): readonly Recognizer[] {
  if (!types) return RECOGNIZERS;
  const want = new Set(types);
  return RECOGNIZERS.filter((r) => want.has(r.type));
}
