// Counters behind the per-client rate limit, the failed-authentication limit
// and the daily token budgets. In memory by default; in Redis
// (limits/redis.ts, Node only) when REDIS_URL is set so that several proxy
// instances share them.

export interface CounterStore {
  /** Add `n` to `key` (creating it with a TTL of `ttlMs`) and return the new value. Atomic. */
  incr(key: string, n: number, ttlMs: number): Promise<number>;
  /** Current value of `key` (0 when missing or expired). */
  get(key: string): Promise<number>;
  /**
   * Atomically reserve `fixed + g` on every key, where g is as large as
   * possible up to `want` without taking any key past its limit (limit 0 = no
   * limit). Refuses (returns -1, changes nothing) when g would be below
   * `min`. Returns g.
   */
  reserve(keys: readonly string[], limits: readonly number[], fixed: number, want: number, min: number, ttlMs: number): Promise<number>;
  /** Liveness for /healthz. */
  ping?(): Promise<boolean>;
  close?(): Promise<void>;
}

export interface LimitsConfig {
  rateLimitPerMin: number;
  authFailuresPerMin: number;
  dailyTokenBudget: number;
  dailyTokenBudgetPerClient: number;
}

export type LimitVerdict =
  | { ok: true }
  | { ok: false; code: 'rate_limited' | 'budget_exceeded' | 'too_many_auth_failures'; message: string; retryAfterSec: number };

/** Tokens held for one request until its answer is settled. */
export interface Reservation {
  keys: string[];
  /** prompt estimate + granted completion tokens, as added to every key. */
  tokens: number;
  /** Completion tokens granted: the max_tokens forwarded upstream. */
  grant: number;
}

export type ReserveResult = { ok: true; reservation: Reservation | null; grant: number } | Extract<LimitVerdict, { ok: false }>;

/** A settlement that could not be written (store unreachable): logged and counted, never silent. */
export interface LostCharge {
  tokens: number;
  reason: string;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

export class Limits {
  /** Settlements lost while the store was unreachable (since start). */
  lost = { count: 0, tokens: 0 };

  constructor(
    readonly store: CounterStore,
    readonly cfg: LimitsConfig,
    readonly prefix = 'ew:',
    private now: () => number = Date.now,
    private onLost: (l: LostCharge) => void = () => {},
  ) {}

  get budgetsOn(): boolean {
    return this.cfg.dailyTokenBudget > 0 || this.cfg.dailyTokenBudgetPerClient > 0;
  }

  /** Count one request for `client` against the per-minute limit. */
  async hitRequest(client: string): Promise<LimitVerdict> {
    if (this.cfg.rateLimitPerMin <= 0) return { ok: true };
    const t = this.now();
    const window = Math.floor(t / MINUTE);
    const n = await this.store.incr(`${this.prefix}rl:${client}:${window}`, 1, MINUTE + 5_000);
    if (n > this.cfg.rateLimitPerMin) {
      return {
        ok: false, code: 'rate_limited',
        message: `Rate limit of ${this.cfg.rateLimitPerMin} requests per minute exceeded`,
        retryAfterSec: this.untilNextMinute(t),
      };
    }
    return { ok: true };
  }

  /** Refuse before checking a token when this IP failed too often this minute. */
  async checkAuthFailures(ip: string): Promise<LimitVerdict> {
    if (this.cfg.authFailuresPerMin <= 0) return { ok: true };
    const t = this.now();
    const n = await this.store.get(this.authKey(ip, t));
    if (n >= this.cfg.authFailuresPerMin) {
      return {
        ok: false, code: 'too_many_auth_failures',
        message: 'Too many requests with a missing or wrong token from this address; wait before trying again',
        retryAfterSec: this.untilNextMinute(t),
      };
    }
    return { ok: true };
  }

  async recordAuthFailure(ip: string): Promise<void> {
    if (this.cfg.authFailuresPerMin <= 0) return;
    await this.store.incr(this.authKey(ip, this.now()), 1, MINUTE + 5_000);
  }

  /**
   * Reserve `prompt + maxTokens` on today's budgets before forwarding. When
   * less is left, max_tokens shrinks to what fits; when not even one
   * completion token fits → budget_exceeded.
   */
  async reserve(client: string, prompt: number, maxTokens: number): Promise<ReserveResult> {
    if (!this.budgetsOn) return { ok: true, reservation: null, grant: maxTokens };
    const { dailyTokenBudget: g, dailyTokenBudgetPerClient: pc } = this.cfg;
    const day = Math.floor(this.now() / DAY);
    // Only the budgets that are on (same hash tag: one Redis Cluster slot).
    const keys: string[] = [];
    const limits: number[] = [];
    if (g > 0) keys.push(`${this.prefix}budget:{${day}}`), limits.push(g);
    if (pc > 0) keys.push(`${this.prefix}budget:{${day}}:${client}`), limits.push(pc);
    const grant = await this.store.reserve(keys, limits, prompt, maxTokens, 1, 2 * DAY);
    if (grant < 0) {
      const t = this.now();
      return {
        ok: false, code: 'budget_exceeded',
        message: 'The daily token budget of this proxy is used up; try again tomorrow (UTC) or answer on the device',
        retryAfterSec: Math.max(1, Math.ceil(((Math.floor(t / DAY) + 1) * DAY - t) / 1000)),
      };
    }
    return { ok: true, reservation: { keys, tokens: prompt + grant, grant }, grant };
  }

  /**
   * Replace a reservation by the tokens actually used (a refund when fewer).
   * Never throws: a settlement the store cannot take is logged and counted.
   * The reservation was charged before forwarding, so an outage costs the
   * client its reservation (fail closed) and loses only usage beyond it.
   */
  async settle(r: Reservation | null, used: number): Promise<void> {
    if (!r) return;
    const delta = Math.max(0, Math.round(used)) - r.tokens;
    if (delta === 0) return;
    try {
      await Promise.all(r.keys.map((k) => this.store.incr(k, delta, 2 * DAY)));
    } catch (e) {
      this.lost.count++;
      if (delta > 0) this.lost.tokens += delta;
      this.onLost({ tokens: delta, reason: (e as Error)?.name ?? 'Error' });
    }
  }

  private authKey(ip: string, t: number): string {
    return `${this.prefix}af:${ip}:${Math.floor(t / MINUTE)}`;
  }

  private untilNextMinute(t: number): number {
    return Math.max(1, Math.ceil(((Math.floor(t / MINUTE) + 1) * MINUTE - t) / 1000));
  }
}
