// Live network awareness: RTT probes to the proxy's GET /v1/ping (EWMA, jitter,
// loss), navigator.onLine and its events, the Network Information API where it
// exists, and the cloud's speed learned from real responses.
//
// Probing: about every `intervalMs` while the page is visible and online; at
// once on demand (`refreshIfStale`, `probeNow`) and when the browser comes back
// online; never while offline (no request at all) and not on a timer while the
// page is hidden. A probe that takes longer than `timeoutMs` counts as lost.
//
// Everything the browser provides is injected, so the unit tests run in Node
// with fake timers.
import { Ewma } from '../core/latency/ewma';
import { UNKNOWN_TIER, parsePing } from './ping';
import type { NetworkSnapshot, TierHealth } from './types';

export interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/** The Network Information API (`navigator.connection`), Chromium-only. */
export interface ConnectionLike extends EventTargetLike {
  effectiveType?: string;
  /** Mbit/s. */
  downlink?: number;
  /** ms. */
  rtt?: number;
  saveData?: boolean;
}

export interface NavigatorLike {
  onLine: boolean;
  connection?: ConnectionLike;
}

export interface DocumentLike extends EventTargetLike {
  visibilityState: string;
}

export interface TimersLike {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface NetworkMonitorOptions {
  /** Proxy base URL; '' = same origin. */
  baseUrl: string;
  /**
   * Accepted for symmetry with ProxyEngine but never sent: /v1/ping is open, and
   * a probe without Authorization needs no CORS preflight (which would double
   * the measured RTT cross-origin).
   */
  token?: string;
  /** Period of background probes while visible and online (default 15 s). */
  intervalMs?: number;
  /** A probe slower than this is aborted and counted as lost (default 3 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Monotonic clock, ms (default performance.now). */
  now?: () => number;
  timers?: TimersLike;
  /** For visibilitychange; null = always visible. Default: globalThis.document. */
  document?: DocumentLike | null;
  /** For onLine and connection; null = always online. Default: globalThis.navigator. */
  navigator?: NavigatorLike | null;
  /** Target of the online/offline events. Default: globalThis (window). */
  window?: EventTargetLike | null;
  /** EWMA weights for RTT (mean α, jitter and loss β); defaults are RFC 6298's 1/8 and 1/4. */
  rttAlpha?: number;
  rttBeta?: number;
}

export type NetworkListener = (snapshot: NetworkSnapshot) => void;

export interface CloudObservation {
  ttftMs?: number | null;
  tokensPerSec?: number | null;
}

export const DEFAULT_PROBE_INTERVAL_MS = 15_000;
export const DEFAULT_PROBE_TIMEOUT_MS = 3_000;
export const MIN_PROBE_INTERVAL_MS = 1_000;
/** A connection `change` event probes at once unless a probe ran this recently. */
const CHANGE_DEBOUNCE_MS = 1_000;

const isPos = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;

export class NetworkMonitor {
  private readonly url: string;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly timers: TimersLike;
  private readonly doc: DocumentLike | null;
  private readonly nav: NavigatorLike | null;
  private readonly win: EventTargetLike | null;

  private readonly rtt: Ewma;
  private readonly cloudTtft = new Ewma({ alpha: 0.2 });
  private readonly cloudTps = new Ewma({ alpha: 0.2 });
  private tiers: { cloud: TierHealth; edge: TierHealth } = { cloud: { ...UNKNOWN_TIER }, edge: { ...UNKNOWN_TIER } };
  private proxyReachable = false;
  private lastSampleAt: number | null = null;
  private lastAttemptAt: number | null = null;
  private lastRttMs: number | null = null;
  private probeCount = 0;

  private started = false;
  private timer: unknown = null;
  private inflight: Promise<void> | null = null;
  private inflightCtl: AbortController | null = null;
  private readonly listeners = new Set<NetworkListener>();
  private snap: NetworkSnapshot;

  constructor(opts: NetworkMonitorOptions) {
    this.url = `${opts.baseUrl.replace(/\/+$/, '')}/v1/ping`;
    this.intervalMs = Math.max(MIN_PROBE_INTERVAL_MS, opts.intervalMs ?? DEFAULT_PROBE_INTERVAL_MS);
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
    this.fetchImpl = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.now = opts.now ?? (() => performance.now());
    this.timers = opts.timers ?? {
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    const g = globalThis as { document?: DocumentLike; navigator?: NavigatorLike } & Partial<EventTargetLike>;
    this.doc = opts.document !== undefined ? opts.document : (g.document ?? null);
    this.nav = opts.navigator !== undefined ? opts.navigator : (g.navigator ?? null);
    this.win = opts.window !== undefined ? opts.window
      : typeof g.addEventListener === 'function' ? (g as EventTargetLike) : null;
    this.rtt = new Ewma({ alpha: opts.rttAlpha ?? 0.125, beta: opts.rttBeta ?? 0.25 });
    this.snap = this.build();
  }

  // ---- public API -----------------------------------------------------------

  /** Listens to events and starts periodic probing (the first probe runs at once). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.win?.addEventListener('online', this.onOnline);
    this.win?.addEventListener('offline', this.onOffline);
    this.doc?.addEventListener('visibilitychange', this.onVisibility);
    this.nav?.connection?.addEventListener('change', this.onConnection);
    this.schedule();
    this.emit();
  }

  /** Stops probing and listening; an in-flight probe is abandoned (not counted). */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.win?.removeEventListener('online', this.onOnline);
    this.win?.removeEventListener('offline', this.onOffline);
    this.doc?.removeEventListener('visibilitychange', this.onVisibility);
    this.nav?.connection?.removeEventListener('change', this.onConnection);
    this.clearTimer();
    this.cancelInflight();
    this.emit();
  }

  snapshot(): NetworkSnapshot {
    return this.snap;
  }

  /** Calls `listener` now and after every change; returns the unsubscribe function (Svelte store contract). */
  subscribe(listener: NetworkListener): () => void {
    this.listeners.add(listener);
    listener(this.snap);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * For a routing decision: probes at once when the last probe (successful or
   * not) is older than `maxAgeMs`, and resolves with the fresh snapshot.
   * Offline: resolves at once, without a request.
   */
  async refreshIfStale(maxAgeMs: number): Promise<NetworkSnapshot> {
    if (!this.online()) return this.snap;
    if (this.inflight) {
      await this.inflight;
      return this.snap;
    }
    if (this.lastAttemptAt !== null && this.now() - this.lastAttemptAt <= maxAgeMs) return this.snap;
    return this.probeNow();
  }

  /** Probes at once (joins a probe in flight); no request while offline. */
  async probeNow(): Promise<NetworkSnapshot> {
    if (!this.online()) return this.snap;
    await this.probe();
    return this.snap;
  }

  /** Learns the cloud's speed from a real response (EWMA, α = 0.2). */
  observeCloud(obs: CloudObservation): void {
    let changed = false;
    if (isPos(obs.ttftMs)) {
      this.cloudTtft.observe(obs.ttftMs);
      changed = true;
    }
    if (isPos(obs.tokensPerSec)) {
      this.cloudTps.observe(obs.tokensPerSec);
      changed = true;
    }
    if (changed) this.emit();
  }

  // ---- events -----------------------------------------------------------------

  private readonly onOnline = () => {
    // The network changed: measure it at once.
    this.clearTimer();
    if (this.active()) void this.probe();
    this.emit();
  };

  private readonly onOffline = () => {
    this.clearTimer();
    this.cancelInflight();
    this.emit();
  };

  private readonly onVisibility = () => {
    if (this.visible()) this.schedule();
    else this.clearTimer();
    this.emit();
  };

  private readonly onConnection = () => {
    if (this.active() && !this.inflight && (this.lastAttemptAt === null || this.now() - this.lastAttemptAt > CHANGE_DEBOUNCE_MS)) {
      void this.probe();
    }
    this.emit();
  };

  // ---- probing ------------------------------------------------------------------

  private online(): boolean {
    return this.nav ? this.nav.onLine !== false : true;
  }

  private visible(): boolean {
    return this.doc ? this.doc.visibilityState !== 'hidden' : true;
  }

  private active(): boolean {
    return this.started && this.online() && this.visible();
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** Arms the periodic timer: due `intervalMs` after the last attempt (at once if none). */
  private schedule(): void {
    this.clearTimer();
    if (!this.active() || this.inflight) return;
    const due = this.lastAttemptAt === null ? 0 : Math.max(0, this.lastAttemptAt + this.intervalMs - this.now());
    if (due === 0) {
      void this.probe();
      return;
    }
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.probe();
    }, due);
  }

  private cancelInflight(): void {
    this.inflightCtl?.abort();
  }

  private probe(): Promise<void> {
    if (this.inflight) return this.inflight;
    this.clearTimer();
    const ctl = new AbortController();
    this.inflightCtl = ctl;
    let timedOut = false;
    const timeout = this.timers.setTimeout(() => {
      timedOut = true;
      ctl.abort();
    }, this.timeoutMs);
    const run = async (): Promise<void> => {
      const t0 = this.now();
      let rttMs: number | null = null;
      let body: ReturnType<typeof parsePing> = null;
      try {
        const res = await this.fetchImpl(this.url, {
          method: 'GET', cache: 'no-store', signal: ctl.signal, headers: { accept: 'application/json' },
        });
        rttMs = this.now() - t0;
        body = res.ok ? parsePing(await res.json().catch(() => null)) : null;
        if (!res.ok) await res.body?.cancel().catch(() => {});
      } catch {
        body = null;
      } finally {
        this.timers.clearTimeout(timeout);
      }
      const cancelled = ctl.signal.aborted && !timedOut;
      if (cancelled) return; // offline or stopped: neither a sample nor a loss
      this.probeCount++;
      this.lastAttemptAt = this.now();
      if (body && rttMs !== null && !timedOut) {
        this.rtt.observe(rttMs);
        this.lastRttMs = rttMs;
        this.lastSampleAt = this.lastAttemptAt;
        this.tiers = body.tiers;
        this.proxyReachable = true;
      } else {
        this.rtt.observeLoss();
        this.proxyReachable = false;
      }
    };
    const p = run().finally(() => {
      if (this.inflightCtl === ctl) this.inflightCtl = null;
      this.inflight = null;
      this.schedule();
      this.emit();
    });
    this.inflight = p;
    return p;
  }

  // ---- snapshot -----------------------------------------------------------------

  private emit(): void {
    this.snap = this.build();
    for (const l of [...this.listeners]) {
      try {
        l(this.snap);
      } catch (e) {
        console.error('network listener failed', e);
      }
    }
  }

  private build(): NetworkSnapshot {
    const online = this.online();
    const s: NetworkSnapshot = {
      online,
      proxyReachable: online && this.proxyReachable,
      rttMs: this.rtt.value,
      jitterMs: this.rtt.count >= 2 ? this.rtt.jitter : null,
      lossRate: this.rtt.lossRate,
      lastSampleAt: this.lastSampleAt,
      tiers: { cloud: { ...this.tiers.cloud }, edge: { ...this.tiers.edge } },
      observedCloud: { ttftMs: this.cloudTtft.value, tokensPerSec: this.cloudTps.value },
      lastRttMs: this.lastRttMs,
      probeCount: this.probeCount,
      paused: !this.started ? 'stopped' : !online ? 'offline' : !this.visible() ? 'hidden' : null,
    };
    const c = this.nav?.connection;
    if (c) {
      if (typeof c.effectiveType === 'string') s.effectiveType = c.effectiveType;
      if (typeof c.downlink === 'number' && Number.isFinite(c.downlink)) s.downlinkMbps = c.downlink;
      if (typeof c.rtt === 'number' && Number.isFinite(c.rtt)) s.connectionRttMs = c.rtt;
      if (typeof c.saveData === 'boolean') s.saveData = c.saveData;
    }
    return Object.freeze(s);
  }
}
