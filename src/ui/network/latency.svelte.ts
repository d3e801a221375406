// Reactive view of the network monitor for Svelte components: the latest
// snapshot as $state, and "measure now". One instance per app (main.ts), shared
// by the latency panel and anything else that shows the network.
import type { NetworkSnapshot } from '../../net/types';
import { networkLabel, ProbeWindow } from '../../net/label';

/** What the view needs from NetworkMonitor (also easy to fake in tests). */
export interface NetworkSource {
  snapshot(): NetworkSnapshot;
  /** Calls the listener at once and on every change; returns unsubscribe. */
  subscribe(listener: (s: NetworkSnapshot) => void): () => void;
  probeNow(): Promise<NetworkSnapshot>;
}

export class LiveNetwork {
  /** The monitor's latest snapshot (frozen; replaced on every change). */
  current: NetworkSnapshot = $state.raw(null as unknown as NetworkSnapshot);
  /** A "measure now" probe is running. */
  probing = $state(false);
  /** The header's label, from the last several probes (src/net/label.ts). */
  label = $state('Online');
  private readonly window = new ProbeWindow();
  private readonly off: () => void;

  constructor(private readonly source: NetworkSource) {
    this.current = source.snapshot();
    this.off = source.subscribe((s) => {
      this.current = s;
      this.window.observe(s);
      this.label = networkLabel(s, this.window.outcomes);
    });
  }

  /** Probes at once (no request while offline). */
  async measureNow(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await this.source.probeNow();
    } finally {
      this.probing = false;
    }
  }

  dispose(): void {
    this.off();
  }
}
