// Online per-kind acceptance counts (the Beta posterior's evidence).
// Optional exponential forgetting so a changed model or threshold is re-learned.
import type { QueryKind } from '../types';

export interface KindCounts {
  accepted: number;
  rejected: number;
}

export interface AcceptanceState {
  version: 1;
  /** Multiplier applied to old counts on each new observation of the kind (1 = no forgetting). */
  decay: number;
  kinds: Partial<Record<QueryKind, KindCounts>>;
}

export class AcceptanceStats {
  private readonly kinds = new Map<QueryKind, KindCounts>();
  constructor(readonly decay = 1) {
    if (!(decay > 0 && decay <= 1)) throw new RangeError(`decay must be in (0, 1], got ${decay}`);
  }

  record(kind: QueryKind, accepted: boolean): void {
    const c = this.kinds.get(kind) ?? { accepted: 0, rejected: 0 };
    c.accepted *= this.decay;
    c.rejected *= this.decay;
    if (accepted) c.accepted += 1;
    else c.rejected += 1;
    this.kinds.set(kind, c);
  }

  counts(kind: QueryKind): KindCounts {
    const c = this.kinds.get(kind);
    return c ? { ...c } : { accepted: 0, rejected: 0 };
  }

  /** Observed acceptance rate for a kind, or null when nothing was observed. */
  rate(kind: QueryKind): number | null {
    const c = this.kinds.get(kind);
    if (!c || c.accepted + c.rejected === 0) return null;
    return c.accepted / (c.accepted + c.rejected);
  }

  toJSON(): AcceptanceState {
    const kinds: Partial<Record<QueryKind, KindCounts>> = {};
    for (const [k, c] of this.kinds) kinds[k] = { ...c };
    return { version: 1, decay: this.decay, kinds };
  }

  static from(state: Partial<AcceptanceState> | null | undefined): AcceptanceStats {
    const s = new AcceptanceStats(typeof state?.decay === 'number' && state.decay > 0 && state.decay <= 1 ? state.decay : 1);
    for (const [k, c] of Object.entries(state?.kinds ?? {})) {
      if (!c) continue;
      const a = Number(c.accepted);
      const r = Number(c.rejected);
      if (Number.isFinite(a) && Number.isFinite(r) && a >= 0 && r >= 0) {
        s.kinds.set(k as QueryKind, { accepted: a, rejected: r });
      }
    }
    return s;
  }
}
