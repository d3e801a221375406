// Tiny scale helpers for the SVG charts (instead of d3-scale).
import type { Tier } from '../../core/types';
import { TIER_WORDING } from '../../core/wording';

/** Maps [d0, d1] linearly onto [r0, r1]. */
export function linear(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  const span = d1 - d0 || 1;
  return (x: number) => r0 + ((x - d0) / span) * (r1 - r0);
}

/** A round upper bound ≥ x (1, 2, 2.5, 5 × 10^k). */
export function niceMax(x: number): number {
  if (!(x > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

/** n + 1 evenly spaced ticks over [0, max]. */
export function ticks(max: number, n = 4): number[] {
  return Array.from({ length: n + 1 }, (_, i) => (max * i) / n);
}

/** Point on a radar axis: axis i of n, radius r, centre (cx, cy); axis 0 points up. */
export function polar(i: number, n: number, r: number, cx: number, cy: number): [number, number] {
  const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
  return [cx + r * Math.cos(a), cy + r * Math.sin(a)];
}

export const TIER_COLORS: Record<'local' | 'edge' | 'cloud', string> = { local: '#16a34a', edge: '#7c3aed', cloud: '#2563eb' };
export const TIER_LABELS: Record<Tier, string> = { local: TIER_WORDING.local.label, edge: TIER_WORDING.edge.label, cloud: TIER_WORDING.cloud.label };

export function fmtMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function pct(x: number): string {
  return `${Math.round(x * 100)} %`;
}
