// The turn's stages one by one, with the real privacy layer and the real
// policy (no models needed: patterns only, or a NER port that records calls).
import { describe, expect, it } from 'vitest';
import { Pseudonymizer } from '../core/privacy';
import { consistencyRule, plan, type Plan } from '../core/policy';
import type { ChatMessage, Entity } from '../core/types';
import type { ChatResult } from '../engines/types';
import { decidePrivacy } from './privacy';
import { currentNetwork, decidePlan, NETWORK_MAX_AGE_MS, planInputFor, type PlanRequest } from './plan';
import { applyLearned, recordTurn } from './record';
import type { LadderOutcome } from './ladder';
import type { TierRun } from './tiers';
import { RoutingStats } from './stats';
import type { RoutingSettings } from './deps';
import type { NetworkSnapshot } from '../net/types';

const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string): ChatMessage => ({ role: 'assistant', content });
const ONLINE: NetworkSnapshot = {
  online: true, proxyReachable: true, rttMs: 40, jitterMs: 0, lossRate: 0, lastSampleAt: 0, observedCloud: { ttftMs: null, tokensPerSec: null },
  tiers: {
    cloud: { configured: true, healthy: true, ttftMsEwma: 300, tokensPerSecEwma: 80, inFlight: 0, errorRate: 0 },
    edge: { configured: false, healthy: false, ttftMsEwma: null, tokensPerSecEwma: null, inFlight: 0, errorRate: 0 },
  },
};
const SETTINGS: RoutingSettings = { mode: 'balanced', preset: null, weights: null, thetaConsistency: 0.6, consentRequired: null, privacyAlpha: 0.05 };

/** A NER port that finds one name, and counts how often it is asked. */
function nerFinding(name: string) {
  const asked: string[] = [];
  return {
    asked,
    nlp: {
      ner: async (text: string): Promise<Entity[]> => {
        asked.push(text);
        const start = text.indexOf(name);
        return start < 0 ? [] : [{ type: 'PERSON', start, end: start + name.length, score: 0.95, source: 'ner', text: name }];
      },
    },
  };
}

describe('privacy stage', () => {
  it('masks the whole conversation once, with one pseudonymizer pass, and freezes the decision', async () => {
    const pseudo = new Pseudonymizer();
    let singleCalls = 0;
    let batchCalls = 0;
    const single = pseudo.pseudonymize.bind(pseudo);
    const batch = pseudo.pseudonymizeMessages.bind(pseudo);
    pseudo.pseudonymize = (...a) => (singleCalls++, single(...a));
    pseudo.pseudonymizeMessages = (...a) => (batchCalls++, batch(...a));
    const ner = nerFinding('Alice Johnson');
    const messages = [
      user('My e-mail is bob.stone@example.org'),
      assistant('Noted, bob.stone@example.org.'),
      user('Write a detailed analysis of why Alice Johnson deserves a promotion; copy bob.stone@example.org'),
    ];
    const d = await decidePrivacy({ nlp: ner.nlp, pseudonymizer: pseudo }, { messages, mode: 'performance-first', alpha: 0.05 });

    expect(ner.asked).toEqual([messages[2].content]); // NER on the new message only
    expect(singleCalls).toBe(0);
    expect(batchCalls).toBe(1);
    expect(d.action).toBe('pseudonymize');
    expect(d.outbound?.map((m) => m.content)).toEqual([
      'My e-mail is <EMAIL_1>',
      'Noted, <EMAIL_1>.',
      'Write a detailed analysis of why <PERSON_1> deserves a promotion; copy <EMAIL_1>',
    ]);
    expect(d.record.outboundText).toBe(d.outbound?.[2].content);
    expect(d.record.outboundMessages?.map((m) => m.content)).toEqual(d.outbound?.map((m) => m.content));
    expect(JSON.stringify(d.record)).not.toMatch(/Alice|bob\.stone/);
    expect(d.consentTypes).toEqual(expect.arrayContaining(['PERSON']));
    for (const x of [d, d.record, d.record.entities, d.record.reasons, d.entities, d.assessment]) expect(Object.isFrozen(x)).toBe(true);
    expect(() => {
      (d.record as { sent: boolean }).sent = true;
    }).toThrow(TypeError);
  });

  it('masks never-sendable values of earlier messages as placeholders; the new message decides the action', async () => {
    const messages = [user('My card is 4111 1111 1111 1111'), assistant('I cannot help with card numbers.'), user('What is the capital of France?')];
    const d = await decidePrivacy({ nlp: null, pseudonymizer: new Pseudonymizer() }, { messages, mode: 'balanced', alpha: 0.05 });
    expect(d.action).toBe('allow');
    expect(d.outbound?.[0].content).toBe('My card is <CREDIT_CARD_1>');
    expect(JSON.stringify(d.outbound)).not.toMatch(/4111/);
  });

  it('fails closed when a never-sendable value survives masking, and the plan names it', async () => {
    const broken = new Pseudonymizer();
    broken.pseudonymizeMessages = (ms) => ms.map((m) => ({ ...m })); // masks nothing
    const messages = [user('My card is 4111 1111 1111 1111'), assistant('Noted.'), user('What is the capital of France?')];
    const d = await decidePrivacy({ nlp: null, pseudonymizer: broken }, { messages, mode: 'balanced', alpha: 0.05 });
    expect(d.assessment.action).toBe('allow'); // the new message alone is harmless…
    expect(d.action).toBe('local-only'); // …but what would leave is not
    expect(d.outbound).toBeNull();
    expect(d.record.outboundText).toBeNull();
    expect(d.record.outboundMessages).toBeNull();
    expect(d.neverSendableElsewhere.map((e) => e.type)).toEqual(['CREDIT_CARD']);
    const p = plan(planInputFor(request(d, { network: ONLINE }), false));
    expect(p.tiers).toEqual(['local']);
    expect(p.reasons[0]).toBe('Kept on device: contains a card number');
  });

  it('a local-only message builds nothing to send (and never asks the pseudonymizer)', async () => {
    const pseudo = new Pseudonymizer();
    pseudo.pseudonymizeMessages = () => {
      throw new Error('must not be called');
    };
    const d = await decidePrivacy({ nlp: null, pseudonymizer: pseudo }, { messages: [user('my SSN is 536-22-1234, is that valid?')], mode: 'balanced', alpha: 0.05 });
    expect(d.action).toBe('local-only');
    expect(d.outbound).toBeNull();
  });

  it('a failing NER leaves the patterns in charge', async () => {
    const nlp = { ner: async () => Promise.reject(new Error('model missing')) };
    const d = await decidePrivacy({ nlp, pseudonymizer: new Pseudonymizer() }, { messages: [user('mail me at sam@example.org')], mode: 'performance-first', alpha: 0.05 });
    expect(d.entities.map((e) => e.type)).toEqual(['EMAIL']);
    expect(d.outbound?.[0].content).toBe('mail me at <EMAIL_1>');
  });

  it("a step's own wording is not the user's: only names the user wrote are replaced", async () => {
    const names = ['Analysis', 'Anna Rossi', 'anna rossi', 'Bo Li', '王小明'];
    const nlp = {
      ner: async (text: string): Promise<Entity[]> => names.flatMap((n) => {
        const start = text.indexOf(n);
        return start < 0 ? [] : [{ type: 'PERSON' as const, start, end: start + n.length, score: 0.9, source: 'ner' as const, text: n }];
      }),
    };
    const decide = (step: string, userText?: string[]) => decidePrivacy({ nlp, pseudonymizer: new Pseudonymizer() }, {
      messages: [user(step)], mode: 'performance-first', alpha: 0.05, userText,
    });
    // The user's "analysis" is not the heading "Analysis"; an earlier step's output ("Bo Li") is a model's words.
    const request = 'Write an analysis of the hiring plan for my manager Anna Rossi.';
    const step = `Write the "Analysis" section of this report. The report: ${request}\n\nResults of the earlier steps:\n\nBo Li leads hiring.`;
    expect((await decide(step, [request])).outbound?.[0].content).toBe(
      'Write the "Analysis" section of this report. The report: Write an analysis of the hiring plan for my manager <PERSON_1>.\n\nResults of the earlier steps:\n\nBo Li leads hiring.',
    );
    // A user who writes without capitals: their names match in any case.
    const lower = 'write a report for my manager anna rossi';
    expect((await decide(`Write the "Background" section. The report: ${lower}`, [lower])).outbound?.[0].content).toBe('Write the "Background" section. The report: write a report for my manager <PERSON_1>');
    // A script without spaces: the name is found inside the user's run of characters.
    const zh = '给我的朋友王小明写一份报告';
    expect((await decide(`Write the "Background" section. The report: ${zh}`, [zh])).outbound?.[0].content).toBe('Write the "Background" section. The report: 给我的朋友<PERSON_1>写一份报告');
    // Without userText (a plain turn) every name the NER finds counts.
    expect((await decide(step)).outbound?.[0].content).toMatch(/^Write the "<PERSON_\d>" section/);
    // A card number is found by its pattern wherever it is.
    expect((await decide('Summarize: card 4111 1111 1111 1111', ['nothing here'])).outbound).toBeNull();
  });
});

function request(privacy: PlanRequest['privacy'], over: Partial<PlanRequest> = {}): PlanRequest {
  return {
    question: 'What is the capital of France?',
    privacy,
    network: null,
    device: { localAvailable: true, prefillTps: 800, decodeTps: 90 },
    settings: SETTINGS,
    stats: new RoutingStats(),
    prices: {},
    maxTokens: 64,
    ...over,
  };
}

describe('plan stage', () => {
  it('asks for consent only when the plan says so, and plans again with the answer', async () => {
    const d = await decidePrivacy({ nlp: nerFinding('Alice Johnson').nlp, pseudonymizer: new Pseudonymizer() }, {
      messages: [user('Write a rigorous proof for my friend Alice Johnson that there are infinitely many primes.')], mode: 'privacy-first', alpha: 0.05,
    });
    const asked: string[] = [];
    const online = ONLINE;
    const r = request(d, { question: 'Write a rigorous proof for my friend Alice Johnson that there are infinitely many primes.', network: online, settings: { ...SETTINGS, mode: 'privacy-first' } });
    const stages: string[] = [];
    const yes = await decidePlan(async (q) => (asked.push(q.outboundText), 'send'), r, { conversationId: 'c', onStage: (s) => stages.push(s) });
    expect(asked).toEqual([d.record.outboundText]);
    expect(asked[0]).toContain('<PERSON_1>');
    expect(stages).toEqual(['Waiting for your consent…']);
    expect(yes.allowed.cloud).toBe(true);
    const no = await decidePlan(async () => 'local', r, { conversationId: 'c', onStage: () => {} });
    expect(no.tiers).toEqual(['local']);
    expect(no.needsConsent).toBe(true);
    // Nothing to ask when the action is allow.
    const plain = await decidePrivacy({ nlp: null, pseudonymizer: new Pseudonymizer() }, { messages: [user('hello')], mode: 'privacy-first', alpha: 0.05 });
    let calls = 0;
    await decidePlan(async () => (calls++, 'send'), request(plain, { network: online }), { conversationId: 'c', onStage: () => {} });
    expect(calls).toBe(0);
  });

  it('refreshes a stale snapshot, re-probes at once after a lost probe, and never probes for a local-only turn or offline', async () => {
    const asked: number[] = [];
    const port = (snap: NetworkSnapshot) => ({
      snapshot: () => snap,
      refreshIfStale: async (maxAgeMs: number) => (asked.push(maxAgeMs), { ...snap, proxyReachable: true }),
      observeCloud: () => {},
    });
    await currentNetwork(port(ONLINE), true);
    const lost = await currentNetwork(port({ ...ONLINE, proxyReachable: false }), true);
    expect(asked).toEqual([NETWORK_MAX_AGE_MS, 0]);
    expect(lost?.proxyReachable).toBe(true);
    await currentNetwork(port({ ...ONLINE, proxyReachable: false }), false);
    await currentNetwork(port({ ...ONLINE, online: false, proxyReachable: false }), true);
    expect(asked).toHaveLength(2);
    expect(await currentNetwork(null, true)).toBeNull();
  });

  it('maps the turn onto plan() input: final privacy action, consent setting, live prices, capability and force', async () => {
    const d = await decidePrivacy({ nlp: null, pseudonymizer: new Pseudonymizer() }, { messages: [user('hello')], mode: 'balanced', alpha: 0.05 });
    const i = planInputFor(request(d, {
      settings: { ...SETTINGS, consentRequired: true, cloudPrices: { cloudUsdPerMTokIn: 3, cloudUsdPerMTokOut: 9 } },
      prices: { cloudUsdPerMTokIn: 1, edgeUsdPerMTokIn: 0.1 },
      force: 'cloud',
      capability: { pLocal: 0.3 },
    }), true);
    expect(i.privacy).toMatchObject({ action: 'allow', hasConsent: true, consentRequired: true });
    expect(i.settings?.prices).toEqual({ cloudUsdPerMTokIn: 3, cloudUsdPerMTokOut: 9, edgeUsdPerMTokIn: 0.1 });
    expect(i.force).toBe('cloud');
    expect(i.capability).toEqual({ pLocal: 0.3 });
    expect(i.network.cloudConfigured).toBe(false); // no monitor: nothing known about the cloud
  });
});

function chat(text: string, over: Partial<ChatResult> = {}): ChatResult {
  return { text, finishReason: 'stop', usage: { promptTokens: 9, outputTokens: 12, prefillTps: 700, decodeTps: 80, timeToFirstTokenMs: 30, totalMs: 200 }, logprobs: null, ...over };
}

function run(tier: 'local' | 'cloud', text: string, over: Partial<ChatResult> = {}): TierRun {
  return { tier, tag: { route: tier, engine: tier === 'local' ? 'onnx' : 'proxy', modelId: 'm', device: 'cpu' }, text, result: chat(text, over), ms: 250 };
}

describe('record stage (pure)', () => {
  async function setup(question: string) {
    const d = await decidePrivacy({ nlp: nerFinding('Alice Johnson').nlp, pseudonymizer: new Pseudonymizer() }, { messages: [user(question)], mode: 'performance-first', alpha: 0.05 });
    const p: Plan = plan(planInputFor(request(d, { question, network: ONLINE }), false));
    return { d, p };
  }

  it('an escalated turn: the trace holds types and timings only, the result the cloud answer, the device learns it failed', async () => {
    const q = 'Write a detailed analysis of why Alice Johnson deserves a promotion.';
    const { d, p } = await setup(q);
    const local = run('local', 'Alice Johnson is nice.');
    const cloud = run('cloud', 'Alice Johnson has led three projects.');
    const reject = consistencyRule(0.6)({ tier: 'local', question: q, answer: local.text, kind: p.kind, consistency: 0.2, logprobs: null });
    const outcome: LadderOutcome = {
      final: cloud, runs: [local, cloud], checks: [reject], discarded: [{ tier: 'local', text: local.text, consistency: 0.2 }], failedTier: null, sent: true,
    };
    const { trace, result, learned } = recordTurn({ id: 't1', at: 5, conversationId: 'c', plan: p, privacy: d, outcome, offline: false, totalMs: 900 });
    expect(JSON.stringify(trace)).not.toMatch(/Alice|promotion|projects/);
    expect(trace).toMatchObject({ id: 't1', finalTier: 'cloud', kind: p.kind, privacy: { action: 'pseudonymize', types: ['PERSON'] }, actual: { totalMs: 900 } });
    expect(trace.actual.tiers.map((t) => t.tier)).toEqual(['local', 'cloud']);
    expect(result).toMatchObject({ route: 'cloud', text: cloud.text, reaskSuggested: false, bestEffort: false });
    expect(result.reason).toMatch(/^Escalated to cloud: the on-device answer did not pass the quality check/);
    expect(result.privacy?.sent).toBe(true);
    expect(d.record.sent).toBe(false); // the emitted record is never changed
    expect(learned).toEqual({ kind: p.kind, deviceAccepted: false, deviceUsage: [local.result.usage], outputTokens: [12, 12] });

    const stats = new RoutingStats();
    applyLearned(stats, learned);
    expect(stats.acceptance.counts(p.kind)).toEqual({ accepted: 0, rejected: 1 });
    expect(stats.device()).toEqual({ prefillTps: 700, decodeTps: 80 });
  });

  it('a stopped run teaches no output length; an unchecked best-effort device answer suggests re-asking', async () => {
    const { d, p } = await setup('What is the capital of France?');
    const stopped = run('local', 'Par', { finishReason: 'abort' });
    const r = recordTurn({ id: 't', at: 0, conversationId: 'c', plan: p, privacy: d, offline: true, totalMs: 1,
      outcome: { final: stopped, runs: [stopped], checks: [], discarded: [], failedTier: null, sent: false } });
    expect(r.learned.outputTokens).toEqual([]);
    expect(r.learned.deviceAccepted).toBeNull();
    expect(r.result.finishReason).toBe('abort');
    expect(r.result.reaskSuggested).toBe(true);
    expect(r.result.privacy?.sent).toBe(false);
  });
});
