// Exponentially weighted moving average with jitter and loss rate.
// Pure and serializable: the app persists `toJSON()` and restores with `Ewma.from()`.
//
//   value  ← value  + a·(x − value)
//   jitter ← jitter + b·(|x − value_prev| − jitter)      (EWMA of absolute deviation)
//   loss   ← loss   + b·(lost − loss)                     (lost ∈ {0,1})
//
// Warm-up: the effective weight is max(α, 1/n), so the first samples are a plain
// running mean instead of being dragged towards an arbitrary initial value.

export interface EwmaOptions {
  /** Weight of a new sample for the mean (RFC 6298 uses 1/8). */
  alpha?: number;
  /** Weight of a new sample for jitter and loss rate (RFC 6298 uses 1/4). */
  beta?: number;
}

export interface EwmaState {
  alpha: number;
  beta: number;
  value: number | null;
  jitter: number;
  lossRate: number;
  count: number;
  lost: number;
}

export class Ewma {
  readonly alpha: number;
  readonly beta: number;
  private _value: number | null = null;
  private _jitter = 0;
  private _loss = 0;
  private _count = 0;
  private _lost = 0;

  constructor(opts: EwmaOptions = {}) {
    const alpha = opts.alpha ?? 0.125;
    const beta = opts.beta ?? 0.25;
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`alpha must be in (0, 1], got ${alpha}`);
    if (!(beta > 0 && beta <= 1)) throw new RangeError(`beta must be in (0, 1], got ${beta}`);
    this.alpha = alpha;
    this.beta = beta;
  }

  /** Records one successful sample. Non-finite samples are ignored. */
  observe(x: number): this {
    if (!Number.isFinite(x)) return this;
    this._count += 1;
    const n = this._count;
    const events = n + this._lost;
    const b = Math.max(this.beta, 1 / events);
    if (this._value === null) {
      this._value = x;
      this._jitter = 0;
    } else {
      const a = Math.max(this.alpha, 1 / n);
      const bj = Math.max(this.beta, 1 / n);
      const dev = Math.abs(x - this._value);
      this._jitter += bj * (dev - this._jitter);
      this._value += a * (x - this._value);
    }
    this._loss += b * (0 - this._loss);
    return this;
  }

  /** Records a lost sample (timeout, failed probe). Does not move the mean. */
  observeLoss(): this {
    this._lost += 1;
    const events = this._count + this._lost;
    const b = Math.max(this.beta, 1 / events);
    this._loss += b * (1 - this._loss);
    return this;
  }

  /** Current mean, or null before the first sample. */
  get value(): number | null {
    return this._value;
  }
  /** Value, or `fallback` when nothing has been observed yet. */
  valueOr(fallback: number): number {
    return this._value ?? fallback;
  }
  get jitter(): number {
    return this._jitter;
  }
  get lossRate(): number {
    return this._loss;
  }
  /** Number of successful samples. */
  get count(): number {
    return this._count;
  }
  /** Number of lost samples. */
  get lostCount(): number {
    return this._lost;
  }

  toJSON(): EwmaState {
    return {
      alpha: this.alpha,
      beta: this.beta,
      value: this._value,
      jitter: this._jitter,
      lossRate: this._loss,
      count: this._count,
      lost: this._lost,
    };
  }

  static from(state: Partial<EwmaState> | null | undefined, defaults: EwmaOptions = {}): Ewma {
    const e = new Ewma({ alpha: state?.alpha ?? defaults.alpha, beta: state?.beta ?? defaults.beta });
    if (!state) return e;
    e._value = typeof state.value === 'number' && Number.isFinite(state.value) ? state.value : null;
    e._jitter = finiteNonNeg(state.jitter);
    e._loss = Math.min(1, finiteNonNeg(state.lossRate));
    e._count = Math.floor(finiteNonNeg(state.count));
    e._lost = Math.floor(finiteNonNeg(state.lost));
    if (e._value === null) e._count = 0;
    return e;
  }
}

function finiteNonNeg(x: unknown): number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0;
}
