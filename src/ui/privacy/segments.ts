// Splitting text into plain and marked runs for highlighting: entity spans in
// a draft, placeholders in outbound text. Pure; offsets are UTF-16 indices.
import type { EntityType } from '../../core/types';
import { DEFAULT_SENSITIVITY } from '../../core/privacy/sensitivity';

export interface Span {
  start: number;
  end: number;
}

export interface Segment<T extends Span> {
  start: number;
  end: number;
  text: string;
  /** The span this run belongs to, or null for plain text. */
  mark: T | null;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** Moves `i` left off the middle of a surrogate pair. */
function snapDown(text: string, i: number): number {
  return i > 0 && i < text.length && isLow(text.charCodeAt(i)) && isHigh(text.charCodeAt(i - 1)) ? i - 1 : i;
}
/** Moves `i` right off the middle of a surrogate pair. */
function snapUp(text: string, i: number): number {
  return i > 0 && i < text.length && isLow(text.charCodeAt(i)) && isHigh(text.charCodeAt(i - 1)) ? i + 1 : i;
}

/**
 * Covers `text` with consecutive runs: plain text and one run per span.
 * Spans are clamped to the text and widened to whole code points; where spans
 * overlap, the one starting first (the longer on a tie) keeps the shared part
 * and the other is clipped to what remains, so every character covered by any
 * span stays marked. Empty spans are dropped. Concatenating the runs' text
 * always gives back `text`.
 */
export function segmentText<T extends Span>(text: string, spans: readonly T[]): Segment<T>[] {
  const norm = spans
    .map((s) => ({
      span: s,
      start: snapDown(text, Math.max(0, Math.min(text.length, Math.floor(s.start)))),
      end: snapUp(text, Math.max(0, Math.min(text.length, Math.ceil(s.end)))),
    }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);

  const out: Segment<T>[] = [];
  let cursor = 0;
  for (const s of norm) {
    const start = Math.max(s.start, cursor);
    if (s.end <= start) continue; // entirely inside an earlier span
    if (start > cursor) out.push({ start: cursor, end: start, text: text.slice(cursor, start), mark: null });
    out.push({ start, end: s.end, text: text.slice(start, s.end), mark: s.span });
    cursor = s.end;
  }
  if (cursor < text.length) out.push({ start: cursor, end: text.length, text: text.slice(cursor), mark: null });
  return out;
}

export interface PlaceholderSpan extends Span {
  placeholder: string;
  type: EntityType;
}

const PLACEHOLDER_RE = /<([A-Z][A-Z_]*)_(\d+)>/g;
const isEntityType = (t: string): t is EntityType => Object.hasOwn(DEFAULT_SENSITIVITY, t);

/**
 * Placeholders (`<PERSON_1>`) in outbound text. With `issued` (the
 * pseudonymizer's `mapping()`), only placeholders it issued are reported;
 * without it, any `<TYPE_N>` of a known entity type.
 */
export function findPlaceholders(text: string, issued?: ReadonlyMap<string, EntityType>): PlaceholderSpan[] {
  const out: PlaceholderSpan[] = [];
  for (const m of text.matchAll(PLACEHOLDER_RE)) {
    const placeholder = m[0];
    const start = m.index ?? 0;
    const type = issued ? issued.get(placeholder) : isEntityType(m[1]) ? m[1] : undefined;
    if (type) out.push({ start, end: start + placeholder.length, placeholder, type });
  }
  return out;
}
