// The three-tier ladder with a real proxy that has an edge tier (the demo's
// "[Demo edge]" upstream): device → edge → cloud, one tier at a time, with the
// check after each tier but the last.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/node';
import { ProxyEngine } from '../engines/proxy';
import { Pseudonymizer } from '../core/privacy';
import { runTurn, type OrchestratorDeps } from './orchestrator';
import { RoutingStats } from './stats';
import { NodeLocalEngine, NodeNlpClient } from './testing/node-engines';
import type { NetworkSnapshot } from '../net/types';

let server: RunningServer;
const local = new NodeLocalEngine();
const nlp = new NodeNlpClient();
const tiersAsked: string[] = [];

beforeAll(async () => {
  server = await startServer({
    port: 0,
    staticDir: null,
    log: () => {},
    env: { DEMO_UPSTREAM: '1', DEMO_EDGE: '1', DEMO_TTFT_MS: '5', DEMO_TOKENS_PER_SEC: '2000', RATE_LIMIT_PER_MIN: '0' },
  });
  await Promise.all([local.load(), nlp.ready()]);
});
afterAll(async () => server?.close());

const tier = { configured: true, healthy: true, ttftMsEwma: 300, tokensPerSecEwma: 80, inFlight: 0, errorRate: 0 };
const net: NetworkSnapshot = {
  online: true, proxyReachable: true, rttMs: 30, jitterMs: 2, lossRate: 0, lastSampleAt: 0,
  tiers: { cloud: tier, edge: { ...tier, ttftMsEwma: 100, tokensPerSecEwma: 60 } },
  observedCloud: { ttftMs: null, tokensPerSec: null },
};

function deps(): OrchestratorDeps {
  const stats = RoutingStats.from(null);
  stats.observeDevice({ prefillTps: 800, decodeTps: 90 });
  // The device usually handles maths here, so the ladder starts on the device.
  for (let i = 0; i < 30; i++) stats.acceptance.record('math', true);
  return {
    settings: () => ({ mode: 'privacy-first', preset: null, weights: null, thetaConsistency: 0.6, consentRequired: false, privacyAlpha: 0.05 }),
    local: { ready: async () => local, isReady: () => true, available: () => true },
    nlp,
    network: { snapshot: () => net, refreshIfStale: async () => net, observeCloud: () => {} },
    remote: (t) =>
      new ProxyEngine({
        baseUrl: server.url,
        tier: t,
        fallover: false,
        fetch: async (input, init) => {
          tiersAsked.push(JSON.parse(String(init?.body)).tier);
          return fetch(input, init);
        },
      }),
    pseudonymizer: () => new Pseudonymizer(),
    consent: async () => 'send',
    stats,
    recordTrace: async () => {},
    maxNewTokens: 48,
    prices: {},
  };
}

describe('device → edge → cloud', () => {
  it('escalates one tier at a time and checks each answer but the last', async () => {
    tiersAsked.length = 0;
    let tokens = '';
    const r = await runTurn(deps(), {
      conversationId: 'e1',
      history: [{ role: 'user', content: 'Prove that the square root of 2 is irrational, step by step.' }],
      signal: new AbortController().signal,
      onStage: () => {},
      onEngine: () => {},
      onToken: (d) => (tokens += d),
      onReplace: (t) => (tokens = t),
    });
    // The demo edge echoes the question, which the reranker rightly rejects too.
    expect(r.checks).toMatchObject([
      { tier: 'local', accepted: false },
      { tier: 'edge', accepted: false },
    ]);
    expect(tiersAsked).toEqual(['edge', 'cloud']);
    expect(r.route).toBe('cloud');
    expect(r.discarded?.map((d) => d.tier)).toEqual(['local', 'edge']);
    expect(r.text).toMatch(/^\[Demo cloud\]/);
    expect(r.reason).toMatch(/^Escalated to cloud: the edge answer did not pass the quality check/);
    expect(tokens).toBe(r.text);
  });
});
