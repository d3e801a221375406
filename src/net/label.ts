// The header's network label, from the last several probes — never from one:
// a busy device can miss one probe's deadline while the proxy is fine, and
// the label must not say "unreachable" while the next turn goes to the cloud.
import type { NetworkSnapshot } from './types';

/** How many recent probe outcomes the label looks at. */
export const LABEL_WINDOW = 3;

/** Keeps the outcome of the last LABEL_WINDOW probes (true = the proxy answered). */
export class ProbeWindow {
  private seen = 0;
  readonly outcomes: boolean[] = [];

  /** Feeds a snapshot; records an outcome when a new probe finished. */
  observe(s: NetworkSnapshot): void {
    const n = s.probeCount ?? 0;
    if (n <= this.seen) return;
    this.seen = n;
    this.outcomes.push(s.proxyReachable);
    if (this.outcomes.length > LABEL_WINDOW) this.outcomes.shift();
  }
}

/** Unreachable only when every one of the last LABEL_WINDOW probes failed (or every probe so far, at least two). */
export function proxyDown(outcomes: readonly boolean[]): boolean {
  const enough = outcomes.length >= Math.min(2, LABEL_WINDOW);
  return enough && outcomes.every((ok) => !ok);
}

export function networkLabel(s: NetworkSnapshot, outcomes: readonly boolean[]): string {
  if (!s.online) return 'Offline — answering on device';
  if (s.lastSampleAt !== null && !s.tiers.cloud.configured) return 'Cloud not configured — on device only';
  if (proxyDown(outcomes)) return 'Cloud unreachable — answering on device';
  if (outcomes.length > 0 && !outcomes[outcomes.length - 1]) return 'Online · connection unsteady';
  return s.rttMs !== null ? `Online · ${Math.round(s.rttMs)} ms` : 'Online';
}
