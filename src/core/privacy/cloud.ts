// The exact text that would leave the device, and the proxy's check.
import type { Entity, PrivacyAction } from '../types';
import type { Pseudonymizer } from './pseudonymizer';
import { scanPatterns } from './scan';
import { NEVER_SENDABLE } from './sensitivity';

const NEVER_SENDABLE_TYPES = [...NEVER_SENDABLE];

/**
 * Defence in depth (used by the proxy): pattern recognizers only, never-sendable
 * types only. Non-empty → the request must be refused. `limit: 1` stops at the
 * first hit (the proxy only needs a yes/no).
 */
export function findNeverSendable(text: string, opts: { limit?: number } = {}): Entity[] {
  return scanPatterns(text, { types: NEVER_SENDABLE_TYPES, limit: opts.limit });
}

/**
 * The exact user text that would be sent to the cloud for this turn, or null
 * when privacy forbids sending it.
 *  - 'local-only' → null;
 *  - 'pseudonymize' → assessment.toReplace (or all entities) become placeholders;
 *  - 'allow' → the text, with values already mapped earlier in the
 *    conversation still replaced by their placeholders (consistency).
 * Fails closed: if a never-sendable value is still found in the result, null.
 */
export function buildCloudText(
  text: string,
  entities: readonly Entity[],
  assessment: { action: PrivacyAction; toReplace?: readonly Entity[] },
  pseudonymizer: Pseudonymizer,
): string | null {
  if (assessment.action === 'local-only') return null;
  const replace = assessment.action === 'pseudonymize' ? (assessment.toReplace ?? entities) : [];
  const out = pseudonymizer.pseudonymize(text, replace);
  if (findNeverSendable(out).length > 0) return null;
  return out;
}
