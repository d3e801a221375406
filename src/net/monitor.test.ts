import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NetworkMonitor, type ConnectionLike, type NetworkMonitorOptions } from './monitor';
import { parsePing } from './ping';
import { cloudParams, loadFromInFlight, planNetworkFrom } from './plan-input';
import type { NetworkSnapshot } from './types';

const PING = {
  time: 1,
  tiers: {
    cloud: { configured: true, healthy: true, ttftMsEwma: 180, tokensPerSecEwma: 75, inFlight: 2, errorRate: 0.1, samples: 9 },
    edge: { configured: false, healthy: false, ttftMsEwma: null, tokensPerSecEwma: null, inFlight: 0, errorRate: 0, samples: 0 },
  },
};

class FakeDoc extends EventTarget {
  visibilityState = 'visible';
  set(v: 'visible' | 'hidden') {
    this.visibilityState = v;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

class FakeConnection extends EventTarget implements ConnectionLike {
  effectiveType = '4g';
  downlink = 10;
  rtt = 50;
  saveData = false;
}

/**
 * A fake /v1/ping: answers after `delays` ms (one per call, last repeats), honours
 * the abort signal like a browser fetch, counts calls.
 */
function fakePing(delays: number[] = [20], body: unknown = PING, status = 200) {
  let i = 0;
  const fn = vi.fn<typeof fetch>((_url, init) => new Promise<Response>((resolve, reject) => {
    const d = delays[Math.min(i++, delays.length - 1)];
    const t = setTimeout(() => resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })), d);
    init?.signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new DOMException('aborted', 'AbortError'));
    });
  }));
  return fn;
}

let win: EventTarget;
let nav: { onLine: boolean; connection?: ConnectionLike };
let doc: FakeDoc;

function monitor(fetchImpl: typeof fetch, extra: Partial<NetworkMonitorOptions> = {}) {
  return new NetworkMonitor({
    baseUrl: 'http://proxy.test',
    fetch: fetchImpl,
    now: () => Date.now(),
    timers: { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
    document: doc,
    navigator: nav,
    window: win,
    ...extra,
  });
}

function goOffline() {
  nav.onLine = false;
  win.dispatchEvent(new Event('offline'));
}
function goOnline() {
  nav.onLine = true;
  win.dispatchEvent(new Event('online'));
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  win = new EventTarget();
  nav = { onLine: true };
  doc = new FakeDoc();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('probing and RTT math', () => {
  it('probes at once on start, then every 15 s; RTT is an EWMA with jitter', async () => {
    const f = fakePing([100, 200, 300]);
    const m = monitor(f);
    m.start();
    expect(f).toHaveBeenCalledTimes(1);
    expect(f.mock.calls[0][0]).toBe('http://proxy.test/v1/ping');
    expect(f.mock.calls[0][1]?.cache).toBe('no-store');
    await vi.advanceTimersByTimeAsync(100);
    let s = m.snapshot();
    expect(s.rttMs).toBe(100);
    expect(s.lastRttMs).toBe(100);
    expect(s.jitterMs).toBeNull(); // one sample: no jitter yet
    expect(s.proxyReachable).toBe(true);
    expect(s.lastSampleAt).toBe(1_000_100);

    await vi.advanceTimersByTimeAsync(14_999);
    expect(f).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1 + 200);
    expect(f).toHaveBeenCalledTimes(2);
    s = m.snapshot();
    // Warm-up: the first samples are a running mean.
    expect(s.rttMs).toBe(150);
    // Jitter: deviation |200 − 100| weighted max(β, 1/2).
    expect(s.jitterMs).toBe(50);
    expect(s.lastRttMs).toBe(200);
    // Third sample (300): α = max(1/8, 1/3); jitter: dev |300−150| = 150, β = max(1/4, 1/3).
    await vi.advanceTimersByTimeAsync(15_000 + 300);
    s = m.snapshot();
    expect(s.rttMs).toBeCloseTo(150 + (300 - 150) / 3);
    expect(s.jitterMs).toBeCloseTo(50 + (150 - 50) / 3);
    expect(s.lossRate).toBe(0);
    expect(s.probeCount).toBe(3);
    m.stop();
  });

  it('reads the per-tier health from the ping body', async () => {
    const m = monitor(fakePing());
    m.start();
    await vi.advanceTimersByTimeAsync(20);
    expect(m.snapshot().tiers.cloud).toEqual({ configured: true, healthy: true, ttftMsEwma: 180, tokensPerSecEwma: 75, inFlight: 2, errorRate: 0.1 });
    expect(m.snapshot().tiers.edge.configured).toBe(false);
    m.stop();
  });

  it('a probe slower than the timeout is aborted and counts as loss, and probing goes on', async () => {
    const f = fakePing([5000, 40]);
    const m = monitor(f, { timeoutMs: 3000 });
    m.start();
    await vi.advanceTimersByTimeAsync(3000);
    let s = m.snapshot();
    expect((f.mock.calls[0][1]?.signal as AbortSignal).aborted).toBe(true);
    expect(s.rttMs).toBeNull();
    expect(s.lossRate).toBe(1);
    expect(s.proxyReachable).toBe(false);
    expect(s.probeCount).toBe(1);
    await vi.advanceTimersByTimeAsync(15_000 + 40);
    s = m.snapshot();
    expect(f).toHaveBeenCalledTimes(2);
    expect(s.rttMs).toBe(40);
    expect(s.lossRate).toBeCloseTo(0.5);
    expect(s.proxyReachable).toBe(true);
    m.stop();
  });

  it('a network error, an HTTP error or a non-ping body count as loss', async () => {
    for (const f of [
      vi.fn<typeof fetch>(async () => { throw new TypeError('Failed to fetch'); }),
      fakePing([10], { error: { code: 'nope' } }, 502),
      fakePing([10], '<html>'),
    ]) {
      const m = monitor(f);
      const p = m.probeNow();
      await vi.advanceTimersByTimeAsync(10);
      await p;
      expect(m.snapshot().lossRate).toBe(1);
      expect(m.snapshot().rttMs).toBeNull();
      expect(m.snapshot().proxyReachable).toBe(false);
    }
  });
});

describe('pausing', () => {
  it('hidden → no probes; visible again → probes at once when stale', async () => {
    const f = fakePing([10]);
    const m = monitor(f);
    m.start();
    await vi.advanceTimersByTimeAsync(10);
    doc.set('hidden');
    expect(m.snapshot().paused).toBe('hidden');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(f).toHaveBeenCalledTimes(1);
    doc.set('visible');
    expect(f).toHaveBeenCalledTimes(2);
    expect(m.snapshot().paused).toBeNull();
    m.stop();
  });

  it('visible again before the interval → waits for the rest of it', async () => {
    const f = fakePing([10]);
    const m = monitor(f);
    m.start();
    await vi.advanceTimersByTimeAsync(5_000);
    doc.set('hidden');
    doc.set('visible');
    expect(f).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(10_009);
    expect(f).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(f).toHaveBeenCalledTimes(2);
    m.stop();
  });

  it('offline → no request at all (timers, on demand, or a probe in flight), online → probes at once', async () => {
    const f = fakePing([50]);
    const m = monitor(f);
    m.start();
    expect(f).toHaveBeenCalledTimes(1);
    goOffline(); // while the first probe is in flight: abandoned, not a loss
    await vi.advanceTimersByTimeAsync(50);
    let s = m.snapshot();
    expect(s.online).toBe(false);
    expect(s.proxyReachable).toBe(false);
    expect(s.paused).toBe('offline');
    expect(s.lossRate).toBe(0);
    expect(s.probeCount).toBe(0);
    await vi.advanceTimersByTimeAsync(120_000);
    await m.refreshIfStale(0);
    await m.probeNow();
    expect(f).toHaveBeenCalledTimes(1);

    goOnline();
    expect(f).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(50);
    s = m.snapshot();
    expect(s.online).toBe(true);
    expect(s.rttMs).toBe(50);
    m.stop();
  });

  it('going offline between probes disarms the periodic timer', async () => {
    const f = fakePing([10]);
    const m = monitor(f);
    m.start();
    await vi.advanceTimersByTimeAsync(5_000);
    goOffline();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(f).toHaveBeenCalledTimes(1);
    m.stop();
  });

  it('starting while offline makes no request', async () => {
    nav.onLine = false;
    const f = fakePing();
    const m = monitor(f);
    m.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(f).not.toHaveBeenCalled();
    expect(m.snapshot().online).toBe(false);
    m.stop();
  });

  it('stop() ends probing and listening', async () => {
    const f = fakePing([10]);
    const m = monitor(f);
    m.start();
    await vi.advanceTimersByTimeAsync(10);
    m.stop();
    expect(m.snapshot().paused).toBe('stopped');
    await vi.advanceTimersByTimeAsync(60_000);
    goOffline();
    goOnline();
    expect(f).toHaveBeenCalledTimes(1);
  });
});

describe('refreshIfStale', () => {
  it('returns the snapshot without a request when fresh, probes when stale, joins a probe in flight', async () => {
    const f = fakePing([30]);
    const m = monitor(f);
    m.start();
    // In flight: joins it.
    const joined = m.refreshIfStale(60_000);
    await vi.advanceTimersByTimeAsync(30);
    expect((await joined).rttMs).toBe(30);
    expect(f).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(4_000);
    expect((await m.refreshIfStale(5_000)).rttMs).toBe(30);
    expect(f).toHaveBeenCalledTimes(1);

    const p = m.refreshIfStale(2_000);
    expect(f).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(30);
    const s = await p;
    expect(s.probeCount).toBe(2);
    expect(s.lastSampleAt).toBe(Date.now());
    // The periodic timer restarts from this probe.
    await vi.advanceTimersByTimeAsync(14_999);
    expect(f).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(f).toHaveBeenCalledTimes(3);
    m.stop();
  });

  it('works before start() (on demand only)', async () => {
    const f = fakePing([5]);
    const m = monitor(f);
    const p = m.refreshIfStale(1000);
    await vi.advanceTimersByTimeAsync(5);
    expect((await p).rttMs).toBe(5);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(f).toHaveBeenCalledTimes(1);
  });
});

describe('Network Information API and subscribers', () => {
  it('reports connection fields where present and re-probes on change', async () => {
    const conn = new FakeConnection();
    nav.connection = conn;
    const f = fakePing([10]);
    const m = monitor(f);
    m.start();
    await vi.advanceTimersByTimeAsync(5_000);
    let s = m.snapshot();
    expect(s).toMatchObject({ effectiveType: '4g', downlinkMbps: 10, connectionRttMs: 50, saveData: false });
    conn.effectiveType = '3g';
    conn.rtt = 300;
    conn.dispatchEvent(new Event('change'));
    s = m.snapshot();
    expect(s.effectiveType).toBe('3g');
    expect(s.connectionRttMs).toBe(300);
    expect(f).toHaveBeenCalledTimes(2);
    m.stop();
  });

  it('leaves the fields out where the API is absent', () => {
    const s = monitor(fakePing()).snapshot();
    expect('effectiveType' in s).toBe(false);
    expect('downlinkMbps' in s).toBe(false);
    expect('saveData' in s).toBe(false);
  });

  it('works with no navigator/document at all (Node, workers)', async () => {
    const f = fakePing([10]);
    const m = monitor(f, { navigator: null, document: null, window: null });
    m.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(m.snapshot()).toMatchObject({ online: true, rttMs: 10 });
    m.stop();
  });

  it('subscribe calls at once and on every change; unsubscribe stops it', async () => {
    const m = monitor(fakePing([10]));
    const seen: NetworkSnapshot[] = [];
    const off = m.subscribe((s) => seen.push(s));
    expect(seen).toHaveLength(1);
    m.start();
    await vi.advanceTimersByTimeAsync(10);
    expect(seen.at(-1)!.rttMs).toBe(10);
    const n = seen.length;
    off();
    m.observeCloud({ ttftMs: 300 });
    expect(seen).toHaveLength(n);
    expect(Object.isFrozen(m.snapshot())).toBe(true);
    m.stop();
  });

  it('observeCloud learns the cloud speed as an EWMA and ignores junk', () => {
    const m = monitor(fakePing());
    m.observeCloud({ ttftMs: 400, tokensPerSec: 50 });
    m.observeCloud({ ttftMs: 200, tokensPerSec: null });
    m.observeCloud({ ttftMs: NaN, tokensPerSec: -3 });
    expect(m.snapshot().observedCloud).toEqual({ ttftMs: 300, tokensPerSec: 50 });
  });
});

describe('ping parsing and plan input', () => {
  it('parsePing is tolerant of missing and odd fields', () => {
    expect(parsePing(null)).toBeNull();
    expect(parsePing('<html>')).toBeNull();
    expect(parsePing({ time: 1 })).toBeNull();
    const p = parsePing({ tiers: { cloud: { configured: true, healthy: true, inFlight: -2, errorRate: 7, ttftMsEwma: 'x' } } })!;
    expect(p.time).toBeNull();
    expect(p.tiers.cloud).toEqual({ configured: true, healthy: true, ttftMsEwma: null, tokensPerSecEwma: null, inFlight: 0, errorRate: 1 });
    expect(p.tiers.edge.configured).toBe(false);
    // Not configured can never be healthy.
    expect(parsePing({ tiers: { cloud: { configured: false, healthy: true } } })!.tiers.cloud.healthy).toBe(false);
  });

  it('maps the snapshot to the policy input', async () => {
    const m = monitor(fakePing([40]));
    const p = m.probeNow();
    await vi.advanceTimersByTimeAsync(40);
    const s = await p;
    const n = planNetworkFrom(s);
    expect(n).toMatchObject({
      online: true, cloudConfigured: true, edgeConfigured: false, rttMs: 40, cloudTtftMs: 180, cloudTps: 75,
      cloudErrorRate: 0.1, cloudHealthy: true, edgeHealthy: false,
    });
    expect(n.cloudLoad).toBeCloseTo(2 / 10);
    expect(loadFromInFlight(0)).toBe(0);
    expect(loadFromInFlight(8)).toBe(0.5);
  });

  it('falls back to what this browser observed, minus one RTT', () => {
    const m = monitor(fakePing());
    m.observeCloud({ ttftMs: 500, tokensPerSec: 40 });
    const s = { ...m.snapshot(), rttMs: 100 };
    expect(cloudParams(s)).toEqual({ load: 0, ttftMs: 400, tps: 40 });
    expect(planNetworkFrom(s).cloudHealthy).toBe(false); // never reached the proxy
  });
});
