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
// Anything that might change: non-ASCII, or a run of separators between two
// digits that is not a single space/dot/dash/slash/underscore/comma.
const NEEDS_WORK = /[^\u0000-\u007F]|\d(?:[ ./_,-]?[\t\r\n]|[ ./_,-]{2})[\t\r\n ./_,-]*\d/;

// Per code point, what a non-ASCII character becomes (memoized: a text has
// few distinct characters, so the Unicode property tests and NFKC run once each).
const memo = new Map<number, string>();
function mapNonAscii(cp: number, ch: string): string {
  let r = memo.get(cp);
  if (r !== undefined) return r;
  const dv = digitValue(cp);
  if (dv >= 0) r = String.fromCharCode(48 + dv);
  else if (DROP.test(ch)) r = '';
  else if (DASH.test(ch)) r = '-';
  else if (SPACE.test(ch)) r = ' ';
  else {
    r = ch.normalize('NFKC');
    // NFKC may yield combining marks: drop them.
    if (/\p{M}/u.test(r)) r = r.replace(/\p{M}/gu, '');
  }
  if (memo.size < 65536) memo.set(cp, r);
  return r;
}

const isSepCode = (c: number) => c === 32 || c === 45 || c === 46 || c === 47 || c === 95 || c === 44 || c === 9 || c === 10 || c === 13;
const isWsCode = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
const isDigitCode = (c: number) => c >= 48 && c <= 57;

export function normalizeForMatching(original: string): NormalizedText {
  if (!NEEDS_WORK.test(original)) {
    return { text: original, original, startMap: null, endMap: null };
  }
  const n = original.length;
  let cap = n + 16;
  let buf = new Uint16Array(cap);
  let st = new Int32Array(cap);
  let en = new Int32Array(cap);
  let len = 0;
  const emit = (c: number, s: number, e: number) => {
    if (len === cap) {
      cap *= 2;
      const b = new Uint16Array(cap); b.set(buf); buf = b;
      const x = new Int32Array(cap); x.set(st); st = x;
      const y = new Int32Array(cap); y.set(en); en = y;
    }
    buf[len] = c;
    st[len] = s;
    en[len] = e;
    len++;
  };
  // A separator run after a digit is held back until we know whether a digit
  // follows (collapse it to one character) or not (emit it as it is).
  const pend: number[] = []; // triples: code, start, end
  let lastWasDigit = false;
  const flush = (collapse: boolean) => {
    const k = pend.length / 3;
    if (k === 0) return;
    if (collapse && (k > 1 || (pend[0] !== 32 && isWsCode(pend[0])))) {
      let c = 32;
      for (let q = 0; q < pend.length; q += 3) {
        if (!isWsCode(pend[q])) {
          c = pend[q];
          break;
        }
      }
      emit(c, pend[1], pend[pend.length - 1]);
    } else {
      for (let q = 0; q < pend.length; q += 3) emit(pend[q], pend[q + 1], pend[q + 2]);
    }
    pend.length = 0;
  };
  const one = (c: number, s: number, e: number) => {
    if (isSepCode(c) && (lastWasDigit || pend.length > 0)) {
      pend.push(c, s, e);
      return;
    }
    const digit = isDigitCode(c);
    if (pend.length > 0) flush(digit);
    emit(c, s, e);
    lastWasDigit = digit;
  };
  let i = 0;
  while (i < n) {
    const start = i;
    const code = original.charCodeAt(i);
    if (code < 0x80) {
      i++;
      one(code, start, i);
      continue;
    }
    const cp = original.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    const norm = mapNonAscii(cp, cp > 0xffff ? original.slice(start, i) : original[start]);
    if (norm.length === 0) continue; // dropped: does not break a separator run or a digit group
    if (norm.length === 1) {
      one(norm.charCodeAt(0), start, i);
      continue;
    }
    if (pend.length > 0) flush(false);
    for (let k = 0; k < norm.length; k++) emit(norm.charCodeAt(k), start, i);
    lastWasDigit = isDigitCode(norm.charCodeAt(norm.length - 1));
  }
  flush(false);
  let text = '';
  for (let k = 0; k < len; k += 8192) text += String.fromCharCode.apply(null, buf.subarray(k, Math.min(len, k + 8192)) as unknown as number[]);
  return { text, original, startMap: st.subarray(0, len), endMap: en.subarray(0, len) };
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
