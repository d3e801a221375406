// The declarative shape of a pattern recognizer (Presidio style).
import type { EntityType } from '../../types';

export interface PatternSpec {
  /** Short name, shown in debugging output. */
  name: string;
  /** The regex (run on the NORMALIZED text). Flags are kept; `g` is added. */
  regex: RegExp;
  /** Base score in [0, 1] when the pattern matches and validation passes. */
  score: number;
  /**
   * Named capture group holding the entity itself (e.g. the name after
   * "my name is"). Without it the whole match is the entity.
   */
  group?: string;
  /** Drop the match unless a context word is near it (overrides the recognizer). */
  requiresContext?: boolean;
}

export interface MatchInfo {
  /** Matched value (the group, or the whole match), normalized text. */
  value: string;
  /** Offsets of the value in the normalized text. */
  start: number;
  end: number;
  /** The whole normalized text. */
  text: string;
  /** Which pattern matched. */
  pattern: string;
}

/**
 * What a validator says:
 *  - `false`: reject; `true`: keep as is;
 *  - a number: added to the score (can be negative);
 *  - an object: keep with a narrowed span (offsets relative to the value)
 *    and an optional score delta; return `false` instead of an empty span.
 */
export type ValidationResult = boolean | number | { start?: number; end?: number; delta?: number };

export interface Recognizer {
  name: string;
  type: EntityType;
  /** ISO 3166 country of a national identifier ("IN", "KR" …); copied to the entity. */
  country?: string;
  patterns: PatternSpec[];
  validate?(value: string, m: MatchInfo): ValidationResult;
  /** Words (or short phrases) near the match that raise the score. */
  context?: string[];
  /** Score added when a context word is present (default 0.35, as in Presidio). */
  contextBoost?: number;
  /** Words near the match that lower the score (e.g. "order", "version"). */
  negativeContext?: string[];
  /** Score removed when a negative context word is present (default 0.3). */
  negativePenalty?: number;
  /** Characters before / after the match searched for context (default 48 / 24). */
  contextWindow?: number | [number, number];
  /** Characters before / after searched for negative context (default: contextWindow). */
  negativeWindow?: [number, number];
  /** Drop every match that has no context word nearby. */
  requiresContext?: boolean;
  /** Cheap pre-filter: the recognizer is skipped when this does not match. */
  quick?: RegExp;
  /**
   * 'numeric': every match contains a run of ≥ 5 digits (IDs, cards, IBANs);
   * the scan then only looks at windows around such runs, found once per text.
   */
  scope?: 'numeric';
}
