// Pattern scanning: run the recognizer registry over normalized text, score
// with context words, map offsets back to the original, resolve overlaps.
import type { Entity, EntityType } from '../types';
import { normalizeForMatching, toOriginalSpan } from './normalize';
import { recognizersFor } from './recognizers/registry';
import type { PatternSpec, Recognizer } from './recognizers/types';
import { DEFAULT_SENSITIVITY, NEVER_SENDABLE } from './sensitivity';

export interface ScanOptions {
  /** Only run recognizers for these types. */
  types?: readonly EntityType[];
  /** Drop matches scoring below this (default 0.4). */
  minScore?: number;
  /**
   * Stop as soon as this many entities were found (the proxy asks for 1: it
   * only needs to know whether to refuse). The result is then not complete.
   */
  limit?: number;
}

export const DEFAULT_MIN_SCORE = 0.4;
const DEFAULT_BOOST = 0.35;
const DEFAULT_PENALTY = 0.3;
const DEFAULT_WINDOW: [number, number] = [48, 24];

interface CompiledPattern {
  spec: PatternSpec;
  regex: RegExp;
}
interface Compiled {
  patterns: CompiledPattern[];
  ctx: RegExp | null;
  /** Global version of ctx, to find the windows of a requiresContext recognizer. */
  ctxAll: RegExp | null;
  neg: RegExp | null;
  before: number;
  after: number;
  negBefore: number;
  negAfter: number;
}

const compiled = new WeakMap<Recognizer, Compiled>();

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function wordsRegex(words: readonly string[] | undefined): RegExp | null {
  if (!words || words.length === 0) return null;
  const alts = [...words].sort((a, b) => b.length - a.length).map(escapeRe).join('|');
  return new RegExp(`(?<![A-Za-z0-9À-ÿ])(?:${alts})(?![A-Za-z0-9À-ÿ])`, 'i');
}

function compile(rec: Recognizer): Compiled {
  let c = compiled.get(rec);
  if (c) return c;
  const win = rec.contextWindow ?? DEFAULT_WINDOW;
  const [before, after] = typeof win === 'number' ? [win, Math.round(win / 2)] : win;
  c = {
    patterns: rec.patterns.map((spec) => {
      let flags = spec.regex.flags;
      if (!flags.includes('g')) flags += 'g';
      if (spec.group && !flags.includes('d')) flags += 'd';
      flags = flags.replace('y', '');
      return { spec, regex: new RegExp(spec.regex.source, flags) };
    }),
    ctx: wordsRegex(rec.context),
    ctxAll: rec.requiresContext && rec.context?.length ? new RegExp(wordsRegex(rec.context)!.source, 'gi') : null,
    neg: wordsRegex(rec.negativeContext),
    before,
    after,
    negBefore: rec.negativeWindow?.[0] ?? before,
    negAfter: rec.negativeWindow?.[1] ?? after,
  };
  compiled.set(rec, c);
  return c;
}

function nearby(re: RegExp, text: string, s: number, e: number, before: number, after: number): boolean {
  if (before > 0 && re.test(text.slice(Math.max(0, s - before), s))) return true;
  if (after > 0 && re.test(text.slice(e, e + after))) return true;
  return false;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Longest value a context-bound pattern matches (document numbers, accounts …). */
const MAX_SPAN = 64;

/** Merged [start, end) windows around every context word where a match may sit. */
function contextWindows(t: string, ctxAll: RegExp, before: number, after: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  ctxAll.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ctxAll.exec(t)) !== null) {
    if (m[0].length === 0) {
      ctxAll.lastIndex++;
      continue;
    }
    let ws = Math.max(0, m.index - after - MAX_SPAN);
    // Start on a word boundary so a look-behind at the window's start sees what it needs.
    for (let k = 0; k < 16 && ws > 0 && !/\s/.test(t[ws - 1]); k++) ws--;
    const we = Math.min(t.length, m.index + m[0].length + before + MAX_SPAN);
    const last = out[out.length - 1];
    if (last && ws <= last[1]) last[1] = Math.max(last[1], we);
    else out.push([ws, we]);
  }
  return out;
}

/** A run of ≥ 5 digits, possibly with one separator between any two, possibly with letters around. */
const DIGIT_RUN = /\d(?:[ ./_,:+-]?\d){4,}/g;
const NUMERIC_MARGIN = 40;

/** Merged windows around every run of ≥ 5 digits (with a margin for letters, prefixes and look-behinds). */
function numericWindows(t: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  DIGIT_RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DIGIT_RUN.exec(t)) !== null) {
    let ws = Math.max(0, m.index - NUMERIC_MARGIN);
    for (let k = 0; k < 16 && ws > 0 && !/\s/.test(t[ws - 1]); k++) ws--;
    let we = Math.min(t.length, m.index + m[0].length + NUMERIC_MARGIN);
    for (let k = 0; k < 16 && we < t.length && !/\s/.test(t[we]); k++) we++;
    const last = out[out.length - 1];
    if (last && ws <= last[1]) last[1] = Math.max(last[1], we);
    else out.push([ws, we]);
  }
  return out;
}

/** Validate and score one match (offsets into the normalized text); null = dropped. */
function evaluate(rec: Recognizer, c: Compiled, spec: PatternSpec, t: string, s: number, e: number, minScore: number): { s: number; e: number; score: number } | null {
  let score = spec.score;
  if (rec.validate) {
    const value = t.slice(s, e);
    const r = rec.validate(value, { value, start: s, end: e, text: t, pattern: spec.name });
    if (r === false) return null;
    if (typeof r === 'number') score += r;
    else if (typeof r === 'object') {
      const ns = s + (r.start ?? 0);
      const ne = s + (r.end ?? value.length);
      if (ne <= ns) return null;
      s = ns;
      e = ne;
      score += r.delta ?? 0;
    }
  }
  const needsContext = spec.requiresContext ?? rec.requiresContext ?? false;
  if (c.ctx && nearby(c.ctx, t, s, e, c.before, c.after)) {
    score += rec.contextBoost ?? DEFAULT_BOOST;
  } else if (needsContext) {
    return null;
  }
  if (c.neg && nearby(c.neg, t, s, e, c.negBefore, c.negAfter)) score -= rec.negativePenalty ?? DEFAULT_PENALTY;
  score = round3(Math.min(1, Math.max(0, score)));
  if (score < minScore) return null;
  return { s, e, score };
}

/**
 * Scan `text` with the pattern recognizers. Offsets are UTF-16 indices into
 * the ORIGINAL text; the result is sorted by start and free of overlaps.
 */
export function scanPatterns(text: string, opts: ScanOptions = {}): Entity[] {
  if (!text) return [];
  const minScore = opts.minScore ?? DEFAULT_MIN_SCORE;
  const nt = normalizeForMatching(text);
  const t = nt.text;
  const found: Entity[] = [];
  let numeric: Array<[number, number]> | null = null;
  for (const rec of recognizersFor(opts.types)) {
    if (rec.quick && !rec.quick.test(t)) continue;
    const c = compile(rec);
    // A recognizer that needs a context word only looks near one, and one
    // whose values hold a run of digits only looks near such runs: the work
    // is proportional to what could match, not to the text length.
    const windows: Array<[number, number]> = c.ctxAll
      ? contextWindows(t, c.ctxAll, c.before, c.after)
      : rec.scope === 'numeric'
        ? (numeric ??= numericWindows(t))
        : [[0, t.length]];
    for (const [ws, we] of windows) {
      const src = ws === 0 && we === t.length ? t : t.slice(ws, we);
      for (const { spec, regex } of c.patterns) {
        regex.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = regex.exec(src)) !== null) {
          if (m[0].length === 0) {
            regex.lastIndex++;
            continue;
          }
          let s = m.index + ws;
          let e = s + m[0].length;
          if (spec.group) {
            const span = m.indices?.groups?.[spec.group];
            if (!span) continue;
            [s, e] = [span[0] + ws, span[1] + ws];
          }
          const ent = evaluate(rec, c, spec, t, s, e, minScore);
          if (!ent) continue;
          const [os, oe] = toOriginalSpan(nt, ent.s, ent.e);
          const out: Entity = { type: rec.type, start: os, end: oe, score: ent.score, source: 'pattern', text: text.slice(os, oe) };
          if (rec.country) out.country = rec.country;
          found.push(out);
          if (opts.limit !== undefined && found.length >= opts.limit) return resolveOverlaps(found);
        }
      }
    }
  }
  return resolveOverlaps(found);
}

/**
 * Keep a non-overlapping subset: highest score first; on ties the more
 * sensitive type, then the longer span, then the earlier start.
 */
export function resolveOverlaps(entities: readonly Entity[]): Entity[] {
  if (entities.length <= 1) return entities.slice();
  // Validated patterns (checksums, formats) outrank the statistical NER on a
  // clash; then a never-sendable type (an ID whose check digits hold is kept
  // as an ID even when it also looks like a phone number: the safe reading);
  // then score, sensitivity, length.
  const ranked = entities.slice().sort(
    (a, b) =>
      (a.source === 'pattern' ? 0 : 1) - (b.source === 'pattern' ? 0 : 1) ||
      (NEVER_SENDABLE.has(a.type) ? 0 : 1) - (NEVER_SENDABLE.has(b.type) ? 0 : 1) ||
      b.score - a.score ||
      (DEFAULT_SENSITIVITY[b.type] ?? 0) - (DEFAULT_SENSITIVITY[a.type] ?? 0) ||
      b.end - b.start - (a.end - a.start) ||
      a.start - b.start,
  );
  const kept: Entity[] = [];
  for (const e of ranked) {
    if (e.end <= e.start) continue;
    const i = kept.findIndex((k) => e.start < k.end && k.start < e.end);
    if (i < 0) {
      kept.push(e);
      continue;
    }
    // The winner keeps its type but grows to cover the loser, so no part of a
    // detected value is ever left in the clear.
    const k = kept[i];
    if (e.start < k.start || e.end > k.end) kept[i] = union(k, e);
  }
  // Growing may create new overlaps between winners: fold them too.
  kept.sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Entity[] = [];
  for (const e of kept) {
    const last = out[out.length - 1];
    if (last && e.start < last.end) out[out.length - 1] = union(last, e);
    else out.push(e);
  }
  return out;
}

/** `k` extended to the union of both spans (both are slices of the same text). */
function union(k: Entity, e: Entity): Entity {
  const start = Math.min(k.start, e.start);
  const end = Math.max(k.end, e.end);
  const head = e.start < k.start ? e.text.slice(0, k.start - e.start) : '';
  const tail = e.end > k.end ? e.text.slice(e.text.length - (e.end - k.end)) : '';
  return { ...k, start, end, text: head + k.text + tail };
}

/** Merge pattern and NER results (same overlap rule as scanPatterns). */
export function mergeEntities(a: readonly Entity[], b: readonly Entity[]): Entity[] {
  return resolveOverlaps([...a, ...b]);
}
