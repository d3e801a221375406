// "Ask the cloud now" (issue #16): a turn waiting for the device's model to
// load may skip it — only where plan() allows a remote tier — and a Stop during
// that wait sends nothing. Real stages, real tiny NER, real proxy with its demo
// upstream; the device's model never finishes loading unless a test says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/node';
import { ProxyEngine } from '../engines/proxy';
import { Pseudonymizer } from '../core/privacy';
import { STAGE_WORDING } from '../core/wording';
import { runTurn, type OrchestratorDeps } from './orchestrator';
import { RoutingStats } from './stats';
import { NodeLocalEngine, NodeNlpClient } from './testing/node-engines';
import type { NetworkSnapshot } from '../net/types';
import type { LocalEngine } from '../engines/types';
import type { TurnInput } from './types';

let server: RunningServer;
const local = new NodeLocalEngine();
const nlp = new NodeNlpClient();
const sent: string[] = [];

beforeAll(async () => {
  server = await startServer({
    port: 0, staticDir: null, log: () => {},
    env: { DEMO_UPSTREAM: '1', DEMO_TTFT_MS: '5', DEMO_TOKENS_PER_SEC: '2000', RATE_LIMIT_PER_MIN: '0' },
  });
  await Promise.all([local.load(), nlp.ready()]);
});
afterAll(async () => {
  await server?.close();
});

function snapshot(): NetworkSnapshot {
  const tier = { configured: true, healthy: true, ttftMsEwma: 300, tokensPerSecEwma: 80, inFlight: 0, errorRate: 0 };
  return {
    online: true, proxyReachable: true, rttMs: 40, jitterMs: 5, lossRate: 0, lastSampleAt: 0,
    tiers: { cloud: tier, edge: { ...tier, configured: false } },
    observedCloud: { ttftMs: null, tokensPerSec: null },
  };
}

/** The device's model is still loading: ready() resolves only when `load()` is called. */
function loadingDevice() {
  let resolve!: (e: LocalEngine) => void;
  const ready = new Promise<LocalEngine>((r) => (resolve = r));
  let loaded = false;
  return {
    port: { ready: () => ready, isReady: () => loaded, available: () => true },
    load: () => {
      loaded = true;
      resolve(local);
    },
  };
}

type Mode = 'privacy-first' | 'performance-first';
const asked: string[] = [];

// Privacy-first: the plan starts on the device (and may escalate to the cloud) even while its model loads.
function makeDeps(device: OrchestratorDeps['local'], mode: Mode = 'privacy-first', consent: 'send' | 'local' = 'send'): OrchestratorDeps {
  const recordingFetch: typeof fetch = async (input, init) => {
    if (String(input).includes('/v1/chat/completions')) sent.push(String(init?.body ?? ''));
    return fetch(input, init);
  };
  const pseudo = new Pseudonymizer();
  const deps: OrchestratorDeps = {
    settings: () => ({ mode, preset: null, weights: null, thetaConsistency: 0.6, consentRequired: null, privacyAlpha: 0.05 }),
    local: device,
    nlp,
    network: { snapshot, refreshIfStale: async () => snapshot(), observeCloud: () => {} },
    remote: (tier) => new ProxyEngine({ baseUrl: server.url, tier, fetch: recordingFetch, isOnline: () => true }),
    pseudonymizer: () => pseudo,
    consent: async (req) => {
      asked.push(req.outboundText);
      return consent;
    },
    stats: RoutingStats.from(null),
    recordTrace: async () => {},
    maxNewTokens: 48,
    prices: {},
  };
  deps.stats.observeDevice({ prefillTps: 800, decodeTps: 90 });
  // The device usually answers greetings: the plan starts on the device.
  for (let i = 0; i < 30; i++) deps.stats.acceptance.record('greeting', true);
  return deps;
}

/** A turn whose `onWait` runs when the stage line says it waits for the device's model. */
function turn(text: string, onWait: (t: { skip: AbortController; stop: AbortController }) => void) {
  const skip = new AbortController();
  const stop = new AbortController();
  const ev = { stages: [] as string[], skippable: [] as boolean[], tokens: '' };
  const input: TurnInput = {
    conversationId: 'c1',
    history: [{ role: 'user', content: text }],
    signal: stop.signal,
    skipDevice: skip.signal,
    onSkippable: (s) => ev.skippable.push(s),
    onStage: (s) => {
      if (!s) return;
      ev.stages.push(s);
      if (s === STAGE_WORDING.waitingDevice) onWait({ skip, stop });
    },
    onEngine: () => {},
    onToken: (d) => (ev.tokens += d),
    onReplace: (t) => (ev.tokens = t),
  };
  return { input, ev };
}

describe('skipping the device while its model loads', () => {
  it('"Ask the cloud now" sends the turn to the cloud at once and says why', async () => {
    sent.length = 0;
    const device = loadingDevice();
    const { input, ev } = turn('hello', ({ skip }) => skip.abort());
    const r = await runTurn(makeDeps(device.port), input);
    expect(ev.skippable).toEqual([true, false]);
    expect(r.route).toBe('cloud');
    expect(r.text).toMatch(/^\[Demo cloud\]/);
    expect(ev.tokens).toBe(r.text);
    expect(r.reason).toBe('You asked the cloud instead of waiting for the on-device model to load');
    expect(r.privacy?.sent).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it('the skipped text leaves pseudonymized, after consent, exactly as for any cloud turn', async () => {
    sent.length = 0;
    asked.length = 0;
    const device = loadingDevice();
    const { input } = turn('hello, I am Alice Johnson, write to alice.johnson@example.com', ({ skip }) => skip.abort());
    const r = await runTurn(makeDeps(device.port), input);
    expect(r.route).toBe('cloud');
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toMatch(/alice\.johnson@example\.com/i);
    expect(r.privacy?.outboundText).toMatch(/EMAIL/);
    expect(JSON.parse(sent[0]).messages.at(-1).content).toBe(r.privacy?.outboundText);
    expect(asked).toHaveLength(1);
  });

  it('refused consent keeps the turn on the device: no button, nothing sent', async () => {
    sent.length = 0;
    const device = loadingDevice();
    const { input, ev } = turn('hello, I am Alice Johnson, write to alice.johnson@example.com', ({ skip }) => {
      skip.abort();
      device.load();
    });
    const r = await runTurn(makeDeps(device.port, 'privacy-first', 'local'), input);
    expect(ev.skippable).not.toContain(true);
    expect(r.route).toBe('local');
    expect(sent).toEqual([]);
  });

  it('when the cloud fails after a skip, the device finishes the turn once loaded, without offering the button again', async () => {
    const device = loadingDevice();
    let waits = 0;
    const { input, ev } = turn('hello', ({ skip }) => (++waits === 1 ? skip.abort() : device.load()));
    const deps = makeDeps(device.port);
    deps.remote = () => ({ info: { modelId: 'broken' }, chat: async () => Promise.reject(new Error('The cloud is down.')) });
    const r = await runTurn(deps, input);
    expect(waits).toBe(2);
    expect(ev.skippable).toEqual([true, false, false, false]);
    expect(r.route).toBe('local');
    expect(r.text.length).toBeGreaterThan(0);
    expect(r.reason).toMatch(/cloud failed/i);
  });

  it('a Stop during the wait sends nothing, even where the plan would escalate to the cloud', async () => {
    sent.length = 0;
    const device = loadingDevice();
    const { input, ev } = turn('hello', ({ stop }) => stop.abort());
    await expect(runTurn(makeDeps(device.port), input)).rejects.toThrow();
    expect(ev.skippable).toEqual([true, false]);
    expect(ev.stages.some((s) => /cloud/i.test(s))).toBe(false);
    expect(sent).toEqual([]);
  });

  it('a never-sendable message cannot skip: the button is never offered, a skip is ignored, the device answers', async () => {
    sent.length = 0;
    const device = loadingDevice();
    const { input, ev } = turn('hello, my card is 4111 1111 1111 1111', ({ skip }) => {
      skip.abort();
      device.load();
    });
    const r = await runTurn(makeDeps(device.port, 'performance-first'), input);
    expect(ev.stages).toContain(STAGE_WORDING.waitingDevice);
    expect(ev.skippable).not.toContain(true);
    expect(r.route).toBe('local');
    expect(r.privacy?.outboundText).toBeNull();
    expect(sent).toEqual([]);
  });
});
