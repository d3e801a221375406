// Plain-words formatting for the network panel. Pure.
import type { CloudUnavailable } from './predict';

export const CLOUD_UNAVAILABLE_TEXT: Readonly<Record<CloudUnavailable, string>> = Object.freeze({
  offline: 'Offline',
  'not-configured': 'Cloud not configured',
  unreachable: 'Edgewise server unreachable',
  checking: 'Checking…',
});

/** "12 %" (0..1 in). */
export function pct(x: number): string {
  return `${Math.round(Math.max(0, Math.min(1, x)) * 100)} %`;
}

/** Whole milliseconds as text, or "—" when unknown. */
export function msNumber(x: number | null | undefined): string {
  return typeof x === 'number' && Number.isFinite(x) ? String(Math.round(x)) : '—';
}

/** "42 tok/s", or "—". */
export function tps(x: number | null | undefined): string {
  if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0) return '—';
  return `${x >= 10 ? Math.round(x) : x.toFixed(1)} tok/s`;
}
