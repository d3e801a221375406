// The per-message privacy record shown in the "Privacy" section of a message
// and stored with it. It holds entity TYPES and scores, never their values or
// offsets. Pure.
import type { Entity, EntityType, PrivacyAction } from '../../core/types';

export interface PrivacyLogEntity {
  type: EntityType;
  source: Entity['source'];
  score: number;
}

export interface PrivacyLogRecord {
  entities: PrivacyLogEntity[];
  action: PrivacyAction;
  sensitivity: number;
  /** The exact text of this message that left (or would leave) the device; null = never. */
  outboundText: string | null;
  /** Whether it actually left the device (absent = it did whenever outboundText is set). */
  sent?: boolean;
  reasons: string[];
}

/**
 * Builds the record from a scan. Copies only type, source and a rounded
 * score from each entity, so nothing of the raw value can leak into storage.
 */
export function toPrivacyLogRecord(
  entities: readonly Entity[],
  assessment: { action: PrivacyAction; sensitivity: number; reasons: readonly string[] },
  outboundText: string | null,
  sent?: boolean,
): PrivacyLogRecord {
  return {
    ...(sent === undefined ? {} : { sent }),
    entities: entities.map((e) => ({ type: e.type, source: e.source, score: Math.round(e.score * 100) / 100 })),
    action: assessment.action,
    sensitivity: assessment.sensitivity,
    outboundText,
    reasons: [...assessment.reasons],
  };
}

export interface TypeSummary {
  type: EntityType;
  count: number;
  sources: Entity['source'][];
  maxScore: number;
}

/** One line per entity type, in first-seen order. */
export function summarizeTypes(entities: readonly PrivacyLogEntity[]): TypeSummary[] {
  const by = new Map<EntityType, TypeSummary>();
  for (const e of entities) {
    const s = by.get(e.type) ?? { type: e.type, count: 0, sources: [], maxScore: 0 };
    s.count++;
    if (!s.sources.includes(e.source)) s.sources.push(e.source);
    s.maxScore = Math.max(s.maxScore, e.score);
    by.set(e.type, s);
  }
  return [...by.values()];
}

/** What the log shows as "left this device": null when nothing did. */
export function leftDevice(record: Pick<PrivacyLogRecord, 'outboundText' | 'sent'>): string | null {
  return record.sent === false ? null : record.outboundText;
}
