// Laplace noise for numeric values (ages, amounts) — the "perturb instead of
// replace" option from PRISM. rng is injectable so tests are deterministic.

/** A uniform [0, 1) generator. */
export type Rng = () => number;

/** value + Laplace(0, sensitivity / epsilon). */
export function laplaceNoise(value: number, epsilon: number, sensitivity: number, rng: Rng = Math.random): number {
  if (!(epsilon > 0)) throw new RangeError('epsilon must be > 0');
  if (!(sensitivity >= 0)) throw new RangeError('sensitivity must be >= 0');
  const b = sensitivity / epsilon;
  const u = rng() - 0.5; // [-0.5, 0.5)
  const mag = Math.max(1 - 2 * Math.abs(u), Number.MIN_VALUE);
  return value - b * Math.sign(u) * Math.log(mag);
}

/** Small seeded PRNG (mulberry32) for tests, the CLI and the eval. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ParsedNumber {
  prefix: string;
  value: number;
  decimals: number;
  grouping: string | null;
  suffix: string;
  multiplier: number;
}

const MULT: Record<string, number> = { k: 1e3, thousand: 1e3, grand: 1e3, m: 1e6, million: 1e6, bn: 1e9, billion: 1e9 };

/** Parse "$85,000", "£1.2k", "34", "85000 dollars" into parts that can be re-formatted. */
export function parseNumeric(text: string): ParsedNumber | null {
  const m = /^(\D*?)(\d{1,3}(?:([,\s])\d{3})+|\d+)(?:\.(\d+))?(.*)$/su.exec(text);
  if (!m) return null;
  const [, prefix, intPart, sep, frac, suffix] = m;
  const n = Number(intPart.replace(/[,\s]/g, '') + (frac ? `.${frac}` : ''));
  if (!Number.isFinite(n)) return null;
  const unit = /^\s?(k|thousand|grand|m|million|bn|billion)\b/i.exec(suffix)?.[1]?.toLowerCase();
  return {
    prefix,
    value: n,
    decimals: frac ? frac.length : 0,
    grouping: sep ?? null,
    suffix,
    multiplier: unit ? MULT[unit] : 1,
  };
}

/** Format a new value in the shape of the parsed original. */
export function formatLike(p: ParsedNumber, value: number): string {
  const fixed = Math.abs(value).toFixed(p.decimals);
  let [int, frac] = fixed.split('.');
  if (p.grouping) int = int.replace(/\B(?=(\d{3})+(?!\d))/g, p.grouping);
  return `${value < 0 ? '-' : ''}${p.prefix}${int}${frac ? `.${frac}` : ''}${p.suffix}`;
}
