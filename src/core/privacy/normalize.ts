// Text normalization for matching, with a map back to the ORIGINAL offsets.
//
// Recognizers run on a normalized copy of the text:
//   - every Unicode decimal digit (\p{Nd}: Arabic-Indic, Devanagari, Thai,
//     full-width, mathematical …) → ASCII 0-9;
//   - format characters (\p{Cf}: bidi marks such as U+200E, zero-width
//     space/joiners, soft hyphen, BOM, word joiner, invisible separators),
//     variation selectors and combining marks (\p{M}) are removed, so
//     "4111\u200E1111…" cannot hide a card;
//   - Unicode NFKC for everything else (full-width letters, ligatures …);
//   - typographic dashes and minus signs (‐ ‑ ‒ – — − ﹣ －) → "-";
//     every Unicode space → " " (tabs and newlines stay, except between digits);
//   - a RUN of separators between two digits (spaces, tabs, newlines, NBSP,
//     `/ . - _ ,`, dashes, mixed: "4111 -- 1111", "4111\n\n1111") collapses
//     to ONE character: the first non-space separator of the run, else " ".
//     Recognizers then accept one separator between digit groups.
// One pass, O(n): each original UTF-16 unit is read a bounded number of times.
// Entities are reported with UTF-16 offsets into the original text.

export interface NormalizedText {
  /** The text the recognizers see. */
  text: string;
  /** Original text. */
  original: string;
  /**
   * For each normalized index i: original index where the source of text[i]
   * starts. `null` when the normalized text is identical to the original
   * (the common ASCII case) — then offsets map 1:1.
   */
  startMap: Int32Array | null;
  /** For each normalized index i: original index just after the source of text[i]. */
  endMap: Int32Array | null;
}

// The zero of every block of ten \p{Nd} digits (Unicode 16, generated with
// /\p{Nd}/u over all code points). A digit's value is (cp - zero).
const DIGIT_ZEROS: readonly number[] = [
  0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0,
  0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620,
  0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x10d40, 0x11066, 0x110f0, 0x11136,
  0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x116d0, 0x116da, 0x11730, 0x118e0, 0x11950, 0x11bf0,
  0x11c50, 0x11d50, 0x11da0, 0x11de0, 0x11f50, 0x16130, 0x16a60, 0x16ac0, 0x16b50, 0x16d70, 0x1ccf0, 0x1d7ce,
  0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e4f0, 0x1e5f1, 0x1e950, 0x1fbf0,
];

/** ASCII value of a \p{Nd} code point, or -1. Binary search over the block zeros. */
export function digitValue(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  if (cp < 0x660) return -1;
  let lo = 0;
  let hi = DIGIT_ZEROS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (DIGIT_ZEROS[mid] <= cp) lo = mid;
    else hi = mid - 1;
  }
  const d = cp - DIGIT_ZEROS[lo];
  return d >= 0 && d <= 9 ? d : -1;
}

const DROP = /^[\p{Cf}\p{M}]$/u;
const DASH = /^[\p{Pd}\u2212\uFE63\uFF0D]$/u;
const SPACE = /^[\p{Zs}\u2028\u2029]$/u;
/** Is this normalized character a digit-group separator? */
const isSep = (c: string) =>
  c === ' ' || c === '-' || c === '.' || c === '/' || c === '_' || c === ',' || c === '\t' || c === '\n' || c === '\r';
const isWs = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
// Anything that might change: non-ASCII, or ASCII separators between digits
// that are not a single space/dot/dash/slash/underscore/comma.
const NEEDS_WORK = /[^\u0000-\u007F]|\d(?:[\t\r\n]|[ ./_,-]{2})/;

export function normalizeForMatching(original: string): NormalizedText {
  if (!NEEDS_WORK.test(original)) {
    return { text: original, original, startMap: null, endMap: null };
  }
  const n = original.length;
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  // Pending separator run after a digit: its characters are held back until
  // we know whether a digit follows (collapse) or not (emit as is).
  let pendStart = -1;
  let pend: Array<[string, number, number]> = [];
  let lastWasDigit = false;
  const push = (c: string, s: number, e: number) => {
    out.push(c);
    starts.push(s);
    ends.push(e);
  };
  const flushPending = (collapse: boolean) => {
    if (pend.length === 0) return;
    if (collapse && (pend.length > 1 || pend[0][0] !== ' ' && isWs(pend[0][0]))) {
      const first = pend.find(([c]) => !isWs(c));
      push(first ? first[0] : ' ', pendStart, pend[pend.length - 1][2]);
    } else {
      for (const [c, s, e] of pend) push(c, s, e);
    }
    pend = [];
    pendStart = -1;
  };
  let i = 0;
  while (i < n) {
    const start = i;
    const code = original.codePointAt(i)!;
    i += code > 0xffff ? 2 : 1;
    let norm: string;
    if (code < 0x80) {
      norm = original[start];
    } else {
      const ch = code > 0xffff ? original.slice(start, i) : original[start];
      const dv = digitValue(code);
      if (dv >= 0) norm = String.fromCharCode(48 + dv);
      else if (DROP.test(ch)) norm = '';
      else if (DASH.test(ch)) norm = '-';
      else if (SPACE.test(ch)) norm = ' ';
      else {
        norm = ch.normalize('NFKC');
        // NFKC may yield a digit or combining marks ("①" → "1", "ǆ" …): keep letters/digits, drop marks.
        if (norm.length > 0 && /\p{M}/u.test(norm)) norm = norm.replace(/\p{M}/gu, '');
      }
    }
    if (norm.length === 0) continue; // dropped: does not break a separator run or a digit group
    if (norm.length === 1 && isSep(norm) && (lastWasDigit || pend.length > 0)) {
      if (pend.length === 0) pendStart = start;
      pend.push([norm, start, i]);
      continue;
    }
    const isDigit = norm.length === 1 && norm >= '0' && norm <= '9';
    flushPending(isDigit);
    for (let k = 0; k < norm.length; k++) push(norm[k], start, i);
    lastWasDigit = norm.length > 0 && norm[norm.length - 1] >= '0' && norm[norm.length - 1] <= '9';
  }
  flushPending(false);
  const text = out.join('');
  return {
    text,
    original,
    startMap: Int32Array.from(starts),
    endMap: Int32Array.from(ends),
  };
}

/** Map a normalized span [s, e) back to the original text. */
export function toOriginalSpan(nt: NormalizedText, s: number, e: number): [number, number] {
  if (!nt.startMap || !nt.endMap) return [s, e];
  if (e <= s) {
    const pos = s < nt.startMap.length ? nt.startMap[s] : nt.original.length;
    return [pos, pos];
  }
  return [nt.startMap[s], nt.endMap[e - 1]];
}
