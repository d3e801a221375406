// Plain-English phrases for reasons and badges (the words themselves live in
// core/wording.ts).
import type { EntityType, QueryKind, Tier } from '../types';
import { entityOne, joinAnd, KIND_WORDING, TIER_WORDING } from '../wording';

export function entityPhrase(type: EntityType | string): string {
  return entityOne(type);
}

/** "a card number", "a name and an e-mail address", "a, b and c". */
export function describeEntityTypes(types: readonly (EntityType | string)[]): string {
  const seen: string[] = [];
  for (const t of types) {
    const p = entityOne(t);
    if (!seen.includes(p)) seen.push(p);
  }
  return seen.length === 0 ? 'sensitive data' : joinAnd(seen);
}

export function kindPhrase(kind: QueryKind): string {
  return KIND_WORDING[kind] ?? kind;
}

/** "on device", "at the edge", "in the cloud". */
export function tierPhrase(t: Tier): string {
  return TIER_WORDING[t].where;
}

/** "device", "edge", "cloud". */
export function tierName(t: Tier): string {
  return TIER_WORDING[t].name;
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
