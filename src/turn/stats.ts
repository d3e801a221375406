// What the router learns from finished turns: per-kind acceptance of the local
// answer, per-kind output length, the device's measured token rates. Pure
// container; persistence is in store/routing-stats.ts.
import { AcceptanceStats, type AcceptanceState } from '../core/capability/stats';
import { OutputLengthStats, type OutputLengthState } from '../core/latency/output';
import { Ewma, type EwmaState } from '../core/latency/ewma';

export interface RoutingStatsState {
  acceptance: AcceptanceState;
  outputLengths: OutputLengthState;
  prefillTps: EwmaState | null;
  decodeTps: EwmaState | null;
}

export class RoutingStats {
  constructor(
    readonly acceptance = new AcceptanceStats(),
    readonly outputLengths = new OutputLengthStats(),
    readonly prefillTps = new Ewma({ alpha: 0.3 }),
    readonly decodeTps = new Ewma({ alpha: 0.3 }),
  ) {}

  /** Device token rates measured by the local engine (ignores missing values). */
  observeDevice(usage: { prefillTps: number | null; decodeTps: number | null }): void {
    if (usage.prefillTps && Number.isFinite(usage.prefillTps) && usage.prefillTps > 0) this.prefillTps.observe(usage.prefillTps);
    if (usage.decodeTps && Number.isFinite(usage.decodeTps) && usage.decodeTps > 0) this.decodeTps.observe(usage.decodeTps);
  }

  device(): { prefillTps?: number; decodeTps?: number } {
    return {
      prefillTps: this.prefillTps.count ? this.prefillTps.value ?? undefined : undefined,
      decodeTps: this.decodeTps.count ? this.decodeTps.value ?? undefined : undefined,
    };
  }

  toJSON(): RoutingStatsState {
    return {
      acceptance: this.acceptance.toJSON(),
      outputLengths: this.outputLengths.toJSON(),
      prefillTps: this.prefillTps.count ? this.prefillTps.toJSON() : null,
      decodeTps: this.decodeTps.count ? this.decodeTps.toJSON() : null,
    };
  }

  static from(s: Partial<RoutingStatsState> | null | undefined): RoutingStats {
    return new RoutingStats(
      AcceptanceStats.from(s?.acceptance),
      OutputLengthStats.from(s?.outputLengths),
      s?.prefillTps ? Ewma.from(s.prefillTps, { alpha: 0.3 }) : new Ewma({ alpha: 0.3 }),
      s?.decodeTps ? Ewma.from(s.decodeTps, { alpha: 0.3 }) : new Ewma({ alpha: 0.3 }),
    );
  }
}
