// PRISM-style scoring: Sensitivity(q) = max_e S(e) + α·|E|, then thresholds.
import type { Entity, EntityType, Mode, PrivacyAction } from '../types';
import { DEFAULT_SENSITIVITY, NEVER_SENDABLE, TYPE_LABEL } from './sensitivity';

export interface PrivacyThresholds {
  /** At or above → 'pseudonymize' (below → 'allow'). */
  pseudo: number;
  /** At or above → 'local-only'. */
  local: number;
  /**
   * When pseudonymizing, entities whose S(e) is below this floor are sent as
   * they are (e.g. a city in 'balanced' mode keeps the answer useful).
   */
  entityFloor: number;
}

/** Thresholds per mode (documented in docs/privacy.md). */
export const MODE_THRESHOLDS: Readonly<Record<Mode, PrivacyThresholds>> = Object.freeze({
  'privacy-first': Object.freeze({ pseudo: 0.2, local: 0.7, entityFloor: 0 }),
  balanced: Object.freeze({ pseudo: 0.4, local: 0.85, entityFloor: 0.25 }),
  'performance-first': Object.freeze({ pseudo: 0.5, local: 0.95, entityFloor: 0.35 }),
});

export const DEFAULT_ALPHA = 0.05;

export interface AssessOptions {
  mode: Mode;
  /** Weight of the entity count term (default 0.05). */
  alpha?: number;
  /** Overrides of the per-type sensitivity table. */
  sensitivity?: Partial<Record<EntityType, number>>;
  /** Overrides of the mode's thresholds. */
  thresholds?: Partial<PrivacyThresholds>;
}

export interface PrivacyAssessment {
  /** max S(e) + α·|E| (0 when nothing was found), rounded to 3 decimals. */
  sensitivity: number;
  action: PrivacyAction;
  /** Entities of never-sendable types (any of them forces 'local-only'). */
  neverSendable: Entity[];
  /** Plain-word explanations, most important first. */
  reasons: string[];
  /** Entities to replace by placeholders when the action is 'pseudonymize'. */
  toReplace: Entity[];
  /** The thresholds that were applied. */
  thresholds: PrivacyThresholds;
}

function listTypes(types: EntityType[]): string {
  const labels = [...new Set(types)].map((t) => TYPE_LABEL[t]);
  if (labels.length <= 1) return labels[0] ?? '';
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** Distinct entities by (type, value) — a name repeated twice counts once. */
function distinctCount(entities: readonly Entity[]): number {
  const keys = new Set<string>();
  for (const e of entities) keys.add(`${e.type}\u0000${e.text.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase()}`);
  return keys.size;
}

export function assessPrivacy(entities: readonly Entity[], opts: AssessOptions): PrivacyAssessment {
  const table = { ...DEFAULT_SENSITIVITY, ...(opts.sensitivity ?? {}) } as Record<EntityType, number>;
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  const base = MODE_THRESHOLDS[opts.mode] ?? MODE_THRESHOLDS.balanced;
  const th: PrivacyThresholds = { ...base, ...(opts.thresholds ?? {}) };
  const s = (e: Entity) => table[e.type] ?? 0;

  const neverSendable = entities.filter((e) => NEVER_SENDABLE.has(e.type));
  let sensitivity = 0;
  if (entities.length > 0) {
    sensitivity = Math.max(...entities.map(s)) + alpha * distinctCount(entities);
  }
  sensitivity = Math.round(sensitivity * 1000) / 1000;
  const shown = sensitivity.toFixed(2);

  const reasons: string[] = [];
  let action: PrivacyAction;
  let toReplace: Entity[] = [];

  if (neverSendable.length > 0) {
    action = 'local-only';
    const types = [...new Set(neverSendable.map((e) => e.type))];
    for (const t of types) reasons.push(`Contains ${TYPE_LABEL[t]} — kept on device`);
  } else if (entities.length > 0 && sensitivity >= th.local) {
    action = 'local-only';
    reasons.push(
      `Contains several personal details (${listTypes(entities.map((e) => e.type))}); sensitivity ${shown} is at or above ${th.local} for this mode — kept on device`,
    );
  } else if (entities.length > 0 && sensitivity >= th.pseudo) {
    action = 'pseudonymize';
    toReplace = entities.filter((e) => s(e) >= th.entityFloor);
    // Many low-sensitivity details together crossed the threshold: hide them all.
    if (toReplace.length === 0) toReplace = entities.slice();
    const kept = entities.filter((e) => !toReplace.includes(e));
    reasons.push(
      `${capitalize(listTypes(toReplace.map((e) => e.type)))} will be sent only as placeholders (sensitivity ${shown}, between ${th.pseudo} and ${th.local} for this mode)`,
    );
    if (kept.length > 0) reasons.push(`${capitalize(listTypes(kept.map((e) => e.type)))} is low-sensitivity and sent as is`);
  } else {
    action = 'allow';
    if (entities.length === 0) reasons.push('No personal data found — can be sent as is');
    else
      reasons.push(
        `Only low-sensitivity details (${listTypes(entities.map((e) => e.type))}); sensitivity ${shown} is below ${th.pseudo} for this mode — can be sent as is`,
      );
  }
  return { sensitivity, action, neverSendable, reasons, toReplace, thresholds: th };
}
