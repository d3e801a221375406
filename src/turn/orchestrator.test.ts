// The turn orchestrator with real parts: the tiny LM, NER and reranker in Node,
// the real proxy with its demo upstream, the real ProxyEngine over HTTP. Every
// request that leaves "the device" is recorded at the fetch boundary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/node';
import { ProxyEngine } from '../engines/proxy';
import { Pseudonymizer } from '../core/privacy';
import { runTurn, type OrchestratorDeps, type RoutingSettings, type TurnTrace } from './orchestrator';
import { RoutingStats } from './stats';
import { NodeLocalEngine, NodeNlpClient } from './testing/node-engines';
import type { NetworkSnapshot } from '../net/types';
import type { ChatMessage } from '../core/types';
import type { PrivacyRecord, TurnInput } from './types';

let server: RunningServer;
const local = new NodeLocalEngine();
const nlp = new NodeNlpClient();
const sent: { url: string; body: string }[] = [];

beforeAll(async () => {
  server = await startServer({
    port: 0,
    staticDir: null,
    log: () => {},
    env: { DEMO_UPSTREAM: '1', DEMO_TTFT_MS: '5', DEMO_TOKENS_PER_SEC: '2000', RATE_LIMIT_PER_MIN: '0' },
  });
  await Promise.all([local.load(), nlp.ready()]);
});
afterAll(async () => {
  await server?.close();
});

function snapshot(over: Partial<NetworkSnapshot> = {}): NetworkSnapshot {
  const tier = { configured: true, healthy: true, ttftMsEwma: 300, tokensPerSecEwma: 80, inFlight: 0, errorRate: 0 };
  return {
    online: true, proxyReachable: true, rttMs: 40, jitterMs: 5, lossRate: 0, lastSampleAt: 0,
    tiers: { cloud: tier, edge: { ...tier, configured: false } },
    observedCloud: { ttftMs: null, tokensPerSec: null },
    ...over,
  };
}

function makeDeps(over: { settings?: Partial<RoutingSettings>; net?: NetworkSnapshot; consent?: 'send' | 'local'; stats?: RoutingStats; ports?: Pick<OrchestratorDeps, 'capability' | 'acceptRule'> } = {}) {
  const traces: TurnTrace[] = [];
  const consentAsked: string[] = [];
  const pseudos = new Map<string, Pseudonymizer>();
  const recordingFetch: typeof fetch = async (input, init) => {
    sent.push({ url: String(input), body: String(init?.body ?? '') });
    return fetch(input, init);
  };
  const deps: OrchestratorDeps = {
    settings: () => ({ mode: 'balanced', preset: null, weights: null, thetaConsistency: 0.6, consentRequired: null, privacyAlpha: 0.05, ...over.settings }),
    local: { ready: async () => local, isReady: () => true, available: () => true },
    nlp,
    network: { snapshot: () => over.net ?? snapshot(), refreshIfStale: async () => over.net ?? snapshot(), observeCloud: () => {} },
    remote: (tier) => new ProxyEngine({ baseUrl: server.url, tier, fetch: recordingFetch, isOnline: () => (over.net ?? snapshot()).online }),
    pseudonymizer: (id) => pseudos.get(id) ?? (pseudos.set(id, new Pseudonymizer()), pseudos.get(id)!),
    consent: async (req) => {
      consentAsked.push(req.outboundText);
      return over.consent ?? 'local';
    },
    stats: over.stats ?? RoutingStats.from({ prefillTps: null, decodeTps: null }),
    recordTrace: async (t) => void traces.push(t),
    maxNewTokens: 48,
    prices: {},
    ...over.ports,
  };
  // The device's real rates, as the app measures them after loading.
  deps.stats.observeDevice({ prefillTps: 800, decodeTps: 90 });
  return { deps, traces, consentAsked };
}

function turn(history: ChatMessage[], signal = new AbortController().signal) {
  const events = { stages: [] as string[], tokens: '', replaced: [] as string[], discarded: 0, statuses: [] as string[] };
  const input: TurnInput = {
    conversationId: 'c1',
    history,
    signal,
    onStage: (s) => s && events.stages.push(s),
    onEngine: () => {},
    onToken: (d) => (events.tokens += d),
    onReplace: (t) => {
      events.replaced.push(t);
      events.tokens = t;
    },
    onStatus: (s) => events.statuses.push(s),
    onDraftDiscarded: () => events.discarded++,
  };
  return { input, events };
}

const user = (content: string): ChatMessage => ({ role: 'user', content });
const chatRequests = () => sent.filter((s) => s.url.includes('/v1/chat/completions'));

describe('turn orchestrator (real tiny models, real proxy)', () => {
  it('answers a greeting on the device after a passing check, and sends nothing', async () => {
    sent.length = 0;
    const { deps, traces } = makeDeps();
    const { input, events } = turn([user('hello')]);
    const r = await runTurn(deps, input);
    expect(r.route).toBe('local');
    expect(r.text).toMatch(/hello|hi|help/i);
    expect(events.tokens).toBe(r.text);
    expect(r.checks?.[0]).toMatchObject({ tier: 'local', accepted: true });
    expect(r.reason).toMatch(/^Answered on device: it passed the quality check/);
    expect(r.details?.join(' ')).toMatch(/consistency [01]\.\d\d \(accepted at 0\.60 or more\)/);
    expect(events.statuses).toContain('checking');
    expect(chatRequests()).toEqual([]);
    expect(traces[0]).toMatchObject({ finalTier: 'local', kind: 'greeting' });
    expect(deps.stats.acceptance.counts('greeting').accepted).toBe(1);
  });

  it('sends a rigorous proof to the cloud and says why', async () => {
    sent.length = 0;
    const { deps } = makeDeps();
    const { input, events } = turn([user('Give a rigorous proof that there are infinitely many primes.')]);
    const r = await runTurn(deps, input);
    expect(r.route).toBe('cloud');
    expect(r.text).toMatch(/^\[Demo cloud\]/);
    expect(r.text).toMatch(/prime/i);
    expect(r.modelId).toBe('edgewise-demo'); // named by the proxy, not guessed
    expect(r.reason).toMatch(/cloud/i);
    expect(events.tokens).toBe(r.text);
    expect(chatRequests()).toHaveLength(1);
  });

  it('escalates when the on-device answer fails the check, keeping the draft', async () => {
    sent.length = 0;
    // Performance-first never skips the local attempt for kinds it has seen succeed; force the
    // local-first path with stats saying the device usually handles this kind.
    const stats = RoutingStats.from(null);
    for (let i = 0; i < 30; i++) stats.acceptance.record('math', true);
    const { deps } = makeDeps({ stats });
    const { input, events } = turn([user('Prove that the square root of 2 is irrational, step by step.')]);
    const r = await runTurn(deps, input);
    expect(r.checks?.[0]).toMatchObject({ tier: 'local', accepted: false });
    expect(r.route).toBe('cloud');
    expect(r.discarded?.[0]?.tier).toBe('local');
    expect(events.discarded).toBe(1);
    expect(r.reason).toMatch(/^Escalated to cloud/);
    expect(deps.stats.acceptance.counts('math').rejected).toBe(1);
  });

  it('keeps a card number on the device in performance-first mode, with no request at all', async () => {
    sent.length = 0;
    const { deps } = makeDeps({ settings: { mode: 'performance-first' } });
    const { input } = turn([user('Is my card 4111 1111 1111 1111 still valid? Write a long detailed analysis.')]);
    const r = await runTurn(deps, input);
    expect(r.route).toBe('local');
    expect(r.privacy?.action).toBe('local-only');
    expect(r.privacy?.outboundText).toBeNull();
    expect(r.reason).toMatch(/card number/i);
    expect(r.reaskSuggested).toBe(false); // the cloud is not an option for this message
    expect(sent).toEqual([]);
  });

  it('sends a named person and an e-mail only as placeholders and restores them in the answer', async () => {
    sent.length = 0;
    const { deps } = makeDeps({ settings: { mode: 'performance-first' } });
    const q = 'Write a detailed analysis of why Alice Johnson at alice.johnson@example.com deserves a promotion.';
    const { input, events } = turn([user(q)]);
    const r = await runTurn(deps, input);
    expect(r.route).toBe('cloud');
    const body = chatRequests().map((s) => s.body).join('\n');
    expect(body).toContain('<EMAIL_1>');
    expect(body).not.toContain('alice.johnson@example.com');
    expect(body).not.toContain('Johnson');
    expect(r.text).toContain('alice.johnson@example.com');
    expect(events.tokens).toBe(r.text);
    expect(r.text).not.toMatch(/<(PERSON|EMAIL)_\d+>/);
  });

  it('pseudonymizes the history too, consistently across turns', async () => {
    sent.length = 0;
    const { deps } = makeDeps({ settings: { mode: 'performance-first' } });
    const history: ChatMessage[] = [
      user('My email is bob.stone@example.org'),
      { role: 'assistant', content: 'Noted, bob.stone@example.org.' },
      user('Give a rigorous proof that there are infinitely many primes and send it to bob.stone@example.org'),
    ];
    const r = await runTurn(deps, turn(history).input);
    expect(r.route).toBe('cloud');
    const body = chatRequests()[0].body;
    expect(body).not.toContain('bob.stone@example.org');
    expect(body.match(/<EMAIL_1>/g)?.length).toBeGreaterThanOrEqual(3);
  });

  it('answers offline on the device, marked best effort, and never tries the proxy', async () => {
    sent.length = 0;
    const { deps } = makeDeps({ net: snapshot({ online: false, proxyReachable: false }) });
    const r = await runTurn(deps, turn([user('Give a rigorous proof that there are infinitely many primes.')]).input);
    expect(r.route).toBe('local');
    expect(r.bestEffort).toBe(true);
    expect(r.reason).toMatch(/^Offline: on-device answer/);
    expect(r.reaskSuggested).toBe(true);
    expect(sent).toEqual([]);
  });

  it('hedges in performance-first mode: the cloud starts at once and the loser is cancelled', async () => {
    sent.length = 0;
    const { deps, traces } = makeDeps({ settings: { mode: 'performance-first' } });
    // A knowledge question the device gets right about two times in three.
    for (let i = 0; i < 6; i++) deps.stats.acceptance.record('knowledge', i % 3 !== 0);
    const { input, events } = turn([user('What is the capital of France?')]);
    const r = await runTurn(deps, input);
    expect(traces[0].hedge).toBe(true);
    expect(chatRequests()).toHaveLength(1); // started in parallel, before the check
    // The device answered first and passed the check: its answer wins, the cloud's is dropped.
    expect(r.checks?.[0]).toMatchObject({ tier: 'local', accepted: true });
    expect(r.route).toBe('local');
    expect(r.text).toMatch(/Paris/);
    expect(events.tokens).toBe(r.text);
    expect(events.tokens).not.toContain('[Demo cloud]');
  });

  it('re-asks in the cloud on request, but never over privacy', async () => {
    sent.length = 0;
    const { deps } = makeDeps();
    const { input } = turn([user('What is the capital of France?')]);
    const r = await runTurn(deps, { ...input, force: 'cloud' });
    expect(r.route).toBe('cloud');
    expect(r.reason).toMatch(/re-asked in the cloud at your request/i);
    expect(chatRequests()).toHaveLength(1);
    sent.length = 0;
    const card = turn([user('Is 4111 1111 1111 1111 a valid card?')]).input;
    await expect(runTurn(deps, { ...card, force: 'cloud' })).rejects.toThrow(/stays on this device/);
    expect(sent).toEqual([]);
  });

  it('falls back to the device when the cloud breaks mid-stream, and loses nothing', async () => {
    sent.length = 0;
    await fetch(`${server.url}/__demo/__control`, { method: 'POST', body: JSON.stringify({ failAfterChars: 20 }), headers: { 'content-type': 'application/json' } });
    try {
      const { deps } = makeDeps();
      const { input } = turn([user('Give a rigorous proof that there are infinitely many primes.')]);
      const r = await runTurn(deps, input);
      expect(r.route).toBe('local');
      expect(r.bestEffort).toBe(true);
      expect(r.reason).toMatch(/failed mid-answer: finished on device/);
      expect(r.discarded?.[0]).toMatchObject({ tier: 'cloud' });
      expect(r.discarded?.[0].text.length).toBeGreaterThan(0);
      expect(r.text.length).toBeGreaterThan(0);
    } finally {
      await fetch(`${server.url}/__demo/__control`, { method: 'POST', body: JSON.stringify({ reset: true }), headers: { 'content-type': 'application/json' } });
    }
  });

  it('when the cloud breaks after the device draft was rejected, the draft comes back as the answer, marked', async () => {
    sent.length = 0;
    await fetch(`${server.url}/__demo/__control`, { method: 'POST', body: JSON.stringify({ failAfterChars: 20 }), headers: { 'content-type': 'application/json' } });
    try {
      const stats = RoutingStats.from(null);
      for (let i = 0; i < 30; i++) stats.acceptance.record('math', true); // so the device goes first
      const { deps } = makeDeps({ stats });
      const { input, events } = turn([user('Prove that the square root of 2 is irrational, step by step.')]);
      const r = await runTurn(deps, input);
      expect(r.checks?.[0]).toMatchObject({ tier: 'local', accepted: false });
      expect(r.route).toBe('local');
      expect(r.bestEffort).toBe(true);
      expect(r.reason).toMatch(/failed mid-answer: finished on device/);
      expect(r.discarded?.map((d) => d.tier)).toEqual(['cloud']);
      expect(events.tokens).toBe(r.text);
    } finally {
      await fetch(`${server.url}/__demo/__control`, { method: 'POST', body: JSON.stringify({ reset: true }), headers: { 'content-type': 'application/json' } });
    }
  });

  it('in privacy-first mode asks before sending a named person, and keeps it local when refused', async () => {
    sent.length = 0;
    const { deps, consentAsked } = makeDeps({ settings: { mode: 'privacy-first' }, consent: 'local' });
    const r = await runTurn(deps, turn([user('Write a rigorous proof for my friend Alice Johnson that there are infinitely many primes.')]).input);
    expect(consentAsked.length).toBe(1);
    expect(consentAsked[0]).not.toContain('Alice Johnson');
    expect(r.route).toBe('local');
    expect(chatRequests()).toEqual([]);
  });
  it('emits one frozen privacy record; the result carries a copy saying what was sent, with the whole masked conversation', async () => {
    sent.length = 0;
    const { deps } = makeDeps({ settings: { mode: 'performance-first' } });
    const emitted: PrivacyRecord[] = [];
    const history: ChatMessage[] = [
      user('My email is bob.stone@example.org'),
      { role: 'assistant', content: 'Noted.' },
      user('Write a detailed analysis of why Alice Johnson at alice.johnson@example.com deserves a promotion.'),
    ];
    const { input } = turn(history);
    const r = await runTurn(deps, { ...input, onPrivacy: (p) => emitted.push(p) });
    expect(r.route).toBe('cloud');
    expect(emitted).toHaveLength(1);
    expect(Object.isFrozen(emitted[0])).toBe(true);
    expect(emitted[0].sent).toBe(false);
    expect(r.privacy).toEqual({ ...emitted[0], sent: true });
    const body = JSON.parse(chatRequests()[0].body) as { messages: ChatMessage[] };
    expect(r.privacy?.outboundMessages).toEqual(body.messages); // exactly what left, every message
    expect(body.messages[0].content).toBe('My email is <EMAIL_1>');
  });

  it('a capability model plugs into the plan: its low P(good) sends even a greeting to the cloud, in its own words', async () => {
    sent.length = 0;
    const seen: string[] = [];
    const { deps } = makeDeps({ ports: { capability: (q) => (seen.push(q.classification.kind), { pLocal: 0.01, reason: 'This device answers these badly' }) } });
    const r = await runTurn(deps, turn([user('hello')]).input);
    expect(seen).toEqual(['greeting']);
    expect(r.route).toBe('cloud');
    expect(r.reason).toMatch(/^Answered in the cloud: this device answers these badly/);
    expect(chatRequests()).toHaveLength(1);
  });

  it('an accept rule plugs into the ladder: a rule that rejects the device escalates a greeting', async () => {
    sent.length = 0;
    const judged: { tier: string; consistency: number }[] = [];
    const { deps } = makeDeps({
      ports: { acceptRule: (theta) => (e) => (judged.push({ tier: e.tier, consistency: e.consistency }), { tier: e.tier, consistency: e.consistency, accepted: false, pGood: 0.1, verdict: 'low-consistency', self: null }) },
    });
    expect(deps.acceptRule).toBeDefined();
    const r = await runTurn(deps, turn([user('hello')]).input);
    expect(judged.map((j) => j.tier)).toEqual(['local']);
    expect(judged[0].consistency).toBeGreaterThanOrEqual(0.6); // today's rule would have kept it
    expect(r.checks?.[0]).toMatchObject({ tier: 'local', accepted: false, pGood: 0.1 });
    expect(r.route).toBe('cloud');
    expect(deps.stats.acceptance.counts('greeting').rejected).toBe(1);
  });
});
