// Counters behind the per-client rate limit and the daily token budgets.
// In memory by default; in Redis (limits/redis.ts, Node only) when REDIS_URL
// is set so that several proxy instances share them.

export interface CounterStore {
  /** Add `n` to `key` (creating it with a TTL of `ttlMs`) and return the new value. Atomic. */
  incr(key: string, n: number, ttlMs: number): Promise<number>;
  /** Current value of `key` (0 when missing or expired). */
  get(key: string): Promise<number>;
  /** Liveness for /healthz. */
  ping?(): Promise<boolean>;
  close?(): Promise<void>;
}

export interface LimitsConfig {
  rateLimitPerMin: number;
  dailyTokenBudget: number;
  dailyTokenBudgetPerClient: number;
}

export type LimitVerdict =
  | { ok: true }
  | { ok: false; code: 'rate_limited' | 'budget_exceeded'; message: string; retryAfterSec: number };

const MINUTE = 60_000;
const DAY = 86_400_000;

export class Limits {
  constructor(readonly store: CounterStore, readonly cfg: LimitsConfig, readonly prefix = 'ew:', private now: () => number = Date.now) {}

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
        retryAfterSec: Math.max(1, Math.ceil(((window + 1) * MINUTE - t) / 1000)),
      };
    }
    return { ok: true };
  }

  /** Refuse when today's budget (global or per client) is already used up. */
  async checkBudget(client: string): Promise<LimitVerdict> {
    const { dailyTokenBudget: g, dailyTokenBudgetPerClient: pc } = this.cfg;
    if (g <= 0 && pc <= 0) return { ok: true };
    const day = this.day();
    const [used, usedClient] = await Promise.all([
      g > 0 ? this.store.get(`${this.prefix}budget:${day}`) : 0,
      pc > 0 ? this.store.get(`${this.prefix}budget:${day}:${client}`) : 0,
    ]);
    if ((g > 0 && used >= g) || (pc > 0 && usedClient >= pc)) {
      const t = this.now();
      return {
        ok: false, code: 'budget_exceeded',
        message: 'The daily token budget of this proxy is used up; try again tomorrow (UTC) or answer on the device',
        retryAfterSec: Math.max(1, Math.ceil(((Math.floor(t / DAY) + 1) * DAY - t) / 1000)),
      };
    }
    return { ok: true };
  }

  /** Charge tokens actually used (prompt + completion). */
  async chargeTokens(client: string, tokens: number): Promise<void> {
    const { dailyTokenBudget: g, dailyTokenBudgetPerClient: pc } = this.cfg;
    if (tokens <= 0 || (g <= 0 && pc <= 0)) return;
    const day = this.day();
    await Promise.all([
      g > 0 ? this.store.incr(`${this.prefix}budget:${day}`, tokens, 2 * DAY) : 0,
      pc > 0 ? this.store.incr(`${this.prefix}budget:${day}:${client}`, tokens, 2 * DAY) : 0,
    ]);
  }

  private day(): number {
    return Math.floor(this.now() / DAY);
  }
}
