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

export interface DeviceRates {
  prefillTps: number;
  decodeTps: number;
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

  private pinned: DeviceRates | null = null;

  /**
   * Fixes the rates device() reports (test hook: routing outcomes that must
   * not depend on how busy the machine is). Measurements are still kept and
   * saved; only what the planner sees is pinned. null unpins.
   */
  pinDevice(rates: DeviceRates | null): void {
    this.pinned = rates ? { ...rates } : null;
  }

  device(): { prefillTps?: number; decodeTps?: number } {
    if (this.pinned) return { ...this.pinned };
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
