// This device's online correction of the capability model: one logit offset
// per query kind and per local model id, moved by an SGD step on each label
// (thumbs, "Ask the cloud instead", a rejected-then-escalated turn) and kept
// within ±OFFSET_BOUND, so a few labels move a decision but never pin it.
import type { QueryKind } from '../../types';
import { QUERY_KINDS } from '../classify';
import type { KindOffsets } from './model';

export const OFFSET_BOUND = 4;
export const OFFSET_RATE = 4;

export interface DeviceCapabilityState {
  version: 1;
  /** Per local model id: per-kind logit offsets and how many labels moved them. */
  models: Record<string, { offsets: KindOffsets; labels: number }>;
}

export function emptyDeviceState(): DeviceCapabilityState {
  return { version: 1, models: {} };
}

/**
 * One SGD step of the log-loss on the offset: offset += rate·weight·(y − p).
 * `p` is the model's probability for the labeled turn (with the current offset).
 */
export function stepOffset(offsets: KindOffsets, kind: QueryKind, p: number, good: boolean, weight = 1): KindOffsets {
  const cur = offsets[kind] ?? 0;
  const y = good ? 1 : 0;
  const next = Math.max(-OFFSET_BOUND, Math.min(OFFSET_BOUND, cur + OFFSET_RATE * weight * (y - p)));
  return { ...offsets, [kind]: Math.round(next * 1e6) / 1e6 };
}

/** A stored state, validated: anything malformed is dropped, not trusted. */
export function deviceStateFrom(raw: unknown): DeviceCapabilityState {
  const out = emptyDeviceState();
  const models = (raw as { models?: unknown } | null)?.models;
  if (!models || typeof models !== 'object') return out;
  for (const [id, m] of Object.entries(models as Record<string, { offsets?: Record<string, unknown>; labels?: unknown }>)) {
    const offsets: KindOffsets = {};
    for (const k of QUERY_KINDS) {
      const v = m?.offsets?.[k];
      if (typeof v === 'number' && Number.isFinite(v)) offsets[k] = Math.max(-OFFSET_BOUND, Math.min(OFFSET_BOUND, v));
    }
    const labels = typeof m?.labels === 'number' && Number.isFinite(m.labels) && m.labels >= 0 ? m.labels : 0;
    out.models[id] = { offsets, labels };
  }
  return out;
}
