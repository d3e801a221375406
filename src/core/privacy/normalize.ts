// Text normalization for matching, with a map back to the ORIGINAL offsets.
//
// Recognizers run on a normalized copy of the text:
//   - Unicode NFKC (full-width digits "４１１１" → "4111", full-width letters,
//     ideographic space, ligatures …), applied per base character + its
//     combining marks so every output character can be traced back;
//   - typographic dashes and minus signs (‐ ‑ ‒ – — − ﹣) → "-";
//   - every Unicode space separator → " ";
//   - invisible format characters (zero-width space/joiners, soft hyphen,
//     BOM, word joiner) are removed, so "4111\u200B1111…" cannot hide a card.
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

const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/;
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/;
const SPACE = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/;
// Fast check: anything that might change under our normalization.
// Below U+00A0 nothing changes (ASCII + C1 controls), except combining marks
// following an ASCII letter, which are >= U+0300 and caught here too.
const NEEDS_WORK = /[^\u0000-\u009F]/;

function isMark(code: number): boolean {
  // Combining Diacritical Marks and friends (enough for composition needs).
  return (
    (code >= 0x0300 && code <= 0x036f) ||
    (code >= 0x1ab0 && code <= 0x1aff) ||
    (code >= 0x1dc0 && code <= 0x1dff) ||
    (code >= 0x20d0 && code <= 0x20ff) ||
    (code >= 0xfe20 && code <= 0xfe2f) ||
    code === 0x3099 ||
    code === 0x309a
  );
}

export function normalizeForMatching(original: string): NormalizedText {
  if (!NEEDS_WORK.test(original)) {
    return { text: original, original, startMap: null, endMap: null };
  }
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const n = original.length;
  let i = 0;
  while (i < n) {
    const start = i;
    const code = original.codePointAt(i)!;
    i += code > 0xffff ? 2 : 1;
    // Extend the cluster with following combining marks.
    while (i < n && isMark(original.charCodeAt(i))) i++;
    const cluster = original.slice(start, i);
    let norm: string;
    if (cluster.length === 1 && code < 0xa0) {
      norm = cluster;
    } else if (INVISIBLE.test(cluster) && cluster.length === 1) {
      norm = '';
    } else if (DASHES.test(cluster) && cluster.length === 1) {
      norm = '-';
    } else if (SPACE.test(cluster) && cluster.length === 1) {
      norm = ' ';
    } else {
      norm = cluster.normalize('NFKC');
    }
    for (let k = 0; k < norm.length; k++) {
      out.push(norm[k]);
      starts.push(start);
      ends.push(i);
    }
  }
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
