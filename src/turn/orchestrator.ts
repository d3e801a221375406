// One turn, start to finish: privacy scan → plan → execute (answer, check,
// escalate one tier at a time) → record. Emits stage events for the UI. The
// decisions are pure functions in src/core; this module only does.
import type { ChatMessage, Entity, Mode, Tier } from '../core/types';
import { assessPrivacy, buildCloudText, findNeverSendable, mergeEntities, scanPatterns, type Pseudonymizer } from '../core/privacy';
import { plan as makePlan, explainOutcome, type Plan, type PlanInput, type TierCheck, type Prices, type Weights, type PresetName } from '../core/policy';
import { classifyQuery, combineConfidence, selfConfidence } from '../core/capability';
import type { ChatResult, LocalEngine } from '../engines/types';
import type { NlpClient } from '../engines/nlp/types';
import type { NetworkSnapshot } from '../net/types';
import { clearForOutbound, type OutboundMessages } from './outbound';
import { planNetworkFrom } from '../net/plan-input';
import type { RoutingStats } from './stats';
import type { DiscardedDraft, EngineTag, PrivacyRecord, TurnInput, TurnResult } from './types';

export interface RoutingSettings {
  mode: Mode;
  preset: PresetName | null;
  weights: Partial<Weights> | null;
  thetaConsistency: number;
  /** Ask before sending pseudonymized text to the cloud (default: privacy-first only). */
  consentRequired: boolean | null;
  privacyAlpha: number;
  /** Perturb ages and amounts with Laplace noise of this ε instead of replacing them (null = replace). */
  noiseEpsilon?: number | null;
  /** The user's cloud price overrides (USD per million tokens). */
  cloudPrices?: { cloudUsdPerMTokIn: number; cloudUsdPerMTokOut: number } | null;
}

export interface RemoteChatRequest {
  messages: OutboundMessages;
  maxTokens?: number;
  signal?: AbortSignal;
  onToken?: (delta: string) => void;
}

export interface RemoteEngine {
  readonly info: { modelId: string };
  chat(req: RemoteChatRequest): Promise<ChatResult>;
}

export interface TurnTrace {
  id: string;
  at: number;
  conversationId: string;
  kind: string;
  mode: Mode;
  strategy: Plan['strategy'];
  tiers: Tier[];
  hedge: boolean;
  finalTier: Tier;
  privacy: { action: string; sensitivity: number; types: string[] };
  checks: TierCheck[];
  thetaConsistency: number;
  predicted: { localMs: number; cloudMs: number; edgeMs: number | null; totalMs: number; pAccept: number; outputTokens: number };
  actual: { totalMs: number; tiers: { tier: Tier; ms: number; ttftMs: number | null; outputTokens: number; decodeTps: number | null }[] };
  failedTier: Tier | null;
  reason: string;
}

export interface OrchestratorDeps {
  settings: () => RoutingSettings;
  local: { ready(): Promise<LocalEngine>; isReady(): boolean; available(): boolean };
  nlp: NlpClient | null;
  network: {
    snapshot(): NetworkSnapshot;
    refreshIfStale(maxAgeMs: number): Promise<NetworkSnapshot>;
    observeCloud(o: { ttftMs: number | null; tokensPerSec: number | null }): void;
  } | null;
  remote: (tier: 'cloud' | 'edge') => RemoteEngine;
  pseudonymizer: (conversationId: string) => Pseudonymizer;
  consent: (req: { conversationId: string; outboundText: string; types: string[] }) => Promise<'send' | 'local'>;
  stats: RoutingStats;
  recordTrace: (t: TurnTrace) => Promise<void>;
  maxNewTokens: number;
  prices: Partial<Prices>;
  now?: () => number;
  newId?: () => string;
}

const TIER_STAGE: Record<Tier, string> = {
  local: 'Answering on device…',
  edge: 'Asking the edge server…',
  cloud: 'Asking the cloud…',
};

class TierFailure extends Error {
  constructor(readonly tier: Tier, readonly partialText: string, override readonly cause: unknown) {
    super((cause as { userMessage?: string; message?: string })?.userMessage ?? (cause as Error)?.message ?? String(cause));
  }
}

interface TierRun {
  tier: Tier;
  tag: EngineTag;
  text: string;
  result: ChatResult;
  ms: number;
}

/** Runs one turn. Throws only when nothing could answer (with a plain-words message). */
export async function runTurn(deps: OrchestratorDeps, input: TurnInput): Promise<TurnResult> {
  const now = deps.now ?? (() => performance.now());
  const t0 = now();
  const settings = deps.settings();
  const question = input.history[input.history.length - 1]?.content ?? '';

  // --- 1. privacy ----------------------------------------------------------
  input.onStage('Checking privacy…');
  const patternEntities = scanPatterns(question);
  let nerEntities: Entity[] = [];
  if (deps.nlp) {
    try {
      nerEntities = await deps.nlp.ner(question, input.signal);
    } catch {
      nerEntities = []; // patterns still protect the structured types
    }
  }
  const entities = mergeEntities(patternEntities, nerEntities);
  const assessment = assessPrivacy(entities, { mode: settings.mode, alpha: settings.privacyAlpha });
  const pseudo = deps.pseudonymizer(input.conversationId);
  const cloudText = buildCloudText(question, entities, assessment, pseudo);
  const privacy: PrivacyRecord = {
    entities: entities.map((e) => ({ type: e.type, source: e.source, score: e.score })),
    action: cloudText === null ? 'local-only' : assessment.action,
    sensitivity: assessment.sensitivity,
    outboundText: cloudText,
    sent: false,
    reasons: assessment.reasons,
  };
  input.onPrivacy?.(privacy);

  // Everything that may leave the device, built once: the history is
  // pseudonymized too (every earlier message's detected entities, plus the
  // values already mapped), and checked again for never-sendable values.
  const outbound =
    cloudText === null
      ? null
      : buildOutbound(input.history, assessment.action === 'pseudonymize' ? (assessment.toReplace ?? entities) : [], pseudo);
  if (outbound) privacy.outboundText = outbound[outbound.length - 1].content;
  else if (cloudText !== null) Object.assign(privacy, { outboundText: null, action: 'local-only' });

  // --- 2. plan ---------------------------------------------------------------
  let net = deps.network?.snapshot() ?? null;
  if (deps.network && net?.online && outbound) net = await deps.network.refreshIfStale(10_000).catch(() => net);
  const classification = classifyQuery(question);
  const planInput = (hasConsent: boolean): PlanInput => ({
    query: { text: question, classification },
    privacy: {
      action: outbound ? assessment.action : 'local-only',
      sensitivity: assessment.sensitivity,
      reasons: assessment.reasons,
      entities,
      replaced: assessment.toReplace,
      neverSendable: assessment.neverSendable,
      hasConsent,
      consentRequired: settings.consentRequired ?? undefined,
    },
    network: networkFor(net),
    device: { localAvailable: deps.local.available(), loaded: deps.local.isReady(), ...deps.stats.device() },
    settings: {
      mode: settings.mode,
      preset: settings.preset,
      weights: settings.weights,
      thetaConsistency: settings.thetaConsistency,
      prices: { ...deps.prices, ...(settings.cloudPrices ?? {}) },
      consentRequired: settings.consentRequired ?? undefined,
    },
    stats: { acceptance: deps.stats.acceptance, outputLengths: deps.stats.outputLengths },
    promptTokens: undefined,
    maxTokens: deps.maxNewTokens,
  });
  let plan = makePlan(planInput(false));
  if (plan.needsConsent && outbound) {
    input.onStage('Waiting for your consent…');
    const types = [...new Set((assessment.toReplace ?? []).map((e) => e.type))];
    const answer = await deps.consent({ conversationId: input.conversationId, outboundText: cloudText!, types });
    if (answer === 'send') plan = makePlan(planInput(true));
  }
  if (input.force === 'cloud') {
    // The user asked for the cloud (e.g. re-asking an offline answer): honoured
    // only where privacy and connectivity allow it — never over a hard constraint.
    if (!outbound) throw new Error('This message cannot be sent to the cloud: it contains data that stays on this device.');
    if (!plan.allowed.cloud) throw new Error(plan.reasons[0] ?? 'The cloud cannot be reached right now.');
    plan = { ...plan, strategy: 'cloud-direct', tiers: ['cloud'], route: 'cloud', hedge: false, bestEffort: false, reasons: ['Re-asked in the cloud at your request', ...plan.reasons] };
  }
  if (plan.strategy === 'unavailable' || plan.tiers.length === 0) {
    throw new Error(plan.reasons[0] ?? 'Nothing can answer right now: the on-device model is unavailable and the cloud cannot be reached.');
  }

  // --- 3. execute ------------------------------------------------------------
  const checks: TierCheck[] = [];
  const discarded: DiscardedDraft[] = [];
  const runs: TierRun[] = [];
  let failedTier: Tier | null = null;
  let final: TierRun | null = null;
  const tiers = plan.tiers;

  const runTier = async (tier: Tier, sink: (delta: string) => void, signal: AbortSignal): Promise<TierRun> => {
    const start = now();
    if (tier === 'local') {
      const engine = await deps.local.ready();
      const tag: EngineTag = { route: 'local', engine: engine.info.kind, modelId: engine.info.modelId, device: engine.info.device };
      input.onEngine(tag);
      const result = await engine.chat({ messages: input.history, maxTokens: deps.maxNewTokens, logprobs: true, signal, onToken: sink });
      return { tier, tag, text: result.text, result, ms: now() - start };
    }
    if (!outbound) throw new TierFailure(tier, '', new Error('Privacy keeps this message on the device.'));
    const remote = deps.remote(tier);
    const tag: EngineTag = { route: tier, engine: 'proxy', modelId: remote.info.modelId, device: tier };
    if (signal === input.signal) input.onEngine(tag);
    const restorer = pseudo.createRestorer();
    let shown = '';
    const emit = (s: string) => {
      if (s) {
        shown += s;
        sink(s);
      }
    };
    try {
      privacy.sent = true;
      const result = await remote.chat({ messages: outbound, maxTokens: deps.maxNewTokens, signal, onToken: (d) => emit(restorer.push(d)) });
      emit(restorer.flush());
      deps.network?.observeCloud({ ttftMs: result.usage.timeToFirstTokenMs, tokensPerSec: result.usage.decodeTps });
      // The proxy says which upstream model answered (X-Edgewise-Model).
      const model = (result as { model?: string | null }).model;
      if (model) tag.modelId = model;
      return { tier, tag, text: shown, result: { ...result, text: shown }, ms: now() - start };
    } catch (err) {
      if (signal.aborted) return { tier, tag, text: shown, result: abortedResult(shown), ms: now() - start };
      emit(restorer.flush());
      throw new TierFailure(tier, shown, err);
    }
  };

  const check = async (tier: Tier, run: TierRun): Promise<TierCheck | null> => {
    if (!deps.nlp || !run.text.trim()) return null;
    input.onStatus?.('checking');
    input.onStage('Checking the answer…');
    try {
      const consistency = await deps.nlp.consistency(question, run.text, input.signal);
      const self = tier === 'local' ? selfConfidence(run.result.logprobs) : null;
      const decision = combineConfidence(consistency, self, { thetaConsistency: plan.thetaConsistency });
      const c: TierCheck = { tier, consistency, self: decision.self, accepted: decision.accept, verdict: decision.verdict };
      checks.push(c);
      return c;
    } catch {
      return null; // an unavailable checker never blocks an answer
    } finally {
      input.onStatus?.('streaming');
    }
  };

  // Hedging: the cloud starts at once, silently buffered; the loser is cancelled.
  let hedge: { ctl: AbortController; promise: Promise<TierRun>; buffer: string[]; live: ((d: string) => void) | null } | null = null;
  if (plan.hedge && tiers.length > 1 && tiers[0] === 'local') {
    const hedgeTier = tiers[tiers.length - 1];
    const ctl = new AbortController();
    const h = { ctl, buffer: [] as string[], live: null as ((d: string) => void) | null, promise: null as unknown as Promise<TierRun> };
    input.signal.addEventListener('abort', () => ctl.abort(), { once: true });
    h.promise = runTier(hedgeTier, (d) => (h.live ? h.live(d) : h.buffer.push(d)), ctl.signal);
    h.promise.catch(() => {});
    hedge = h;
  }

  for (let i = 0; i < tiers.length; i++) {
    const tier = tiers[i];
    const isLast = i === tiers.length - 1;
    input.onStage(i === 0 ? TIER_STAGE[tier] : `Escalating: ${TIER_STAGE[tier].toLowerCase()}`);
    let run: TierRun;
    try {
      if (hedge && i > 0 && tier === tiers[tiers.length - 1]) {
        // The hedged request is already running: show what it has, then stream the rest.
        input.onReplace(hedge.buffer.join(''));
        hedge.live = input.onToken;
        const remote = deps.remote(tier as 'cloud' | 'edge');
        input.onEngine({ route: tier, engine: 'proxy', modelId: remote.info.modelId, device: tier });
        run = await hedge.promise;
        hedge = null;
      } else {
        run = await runTier(tier, input.onToken, input.signal);
      }
    } catch (err) {
      const failure = err instanceof TierFailure ? err : new TierFailure(tier, '', err);
      const localRun = runs.find((r) => r.tier === 'local');
      if (tier !== 'local' && localRun) {
        // A remote tier failed after the device's draft was rejected: the draft is
        // still the best answer we have — show it again, marked, and keep the
        // partial remote text.
        failedTier = tier;
        const i = discarded.findIndex((d) => d.tier === 'local');
        if (i >= 0) discarded.splice(i, 1);
        if (failure.partialText) discarded.push({ tier, text: failure.partialText, consistency: null });
        input.onEngine(localRun.tag);
        input.onReplace(localRun.text);
        final = localRun;
        break;
      }
      if (tier !== 'local' && deps.local.available()) {
        // A remote tier failed (maybe mid-stream): the device finishes the turn, nothing is lost.
        failedTier = tier;
        if (failure.partialText) discarded.push({ tier, text: failure.partialText, consistency: null });
        input.onReplace('');
        input.onStage(`The ${tier} failed — answering on device…`);
        run = await runTier('local', input.onToken, input.signal);
        runs.push(run);
        final = run;
        await check('local', run);
        break;
      }
      if (tier === 'local' && !isLast) {
        // The device could not answer: go straight to the next tier.
        failedTier = null;
        continue;
      }
      throw failure.cause instanceof Error ? Object.assign(failure.cause, { partialText: failure.partialText }) : failure;
    }
    runs.push(run);
    if (input.signal.aborted || run.result.finishReason === 'abort') {
      final = run;
      break;
    }
    const shouldCheck = !isLast || tier === 'local';
    const c = shouldCheck ? await check(tier, run) : null;
    if (isLast || !c || c.accepted) {
      final = run;
      break;
    }
    // Rejected: keep the draft for the user to expand, move up one tier.
    discarded.push({ tier, text: run.text, consistency: c.consistency });
    input.onDraftDiscarded?.({ tier, text: run.text, consistency: c.consistency });
    input.onReplace('');
  }
  if (hedge) hedge.ctl.abort();
  if (!final) throw new Error('No tier produced an answer.');

  // --- 4. record --------------------------------------------------------------
  const kind = plan.kind;
  const localCheck = checks.find((c) => c.tier === 'local');
  if (localCheck) deps.stats.acceptance.record(kind, localCheck.accepted);
  for (const r of runs) {
    if (r.tier === 'local') deps.stats.observeDevice(r.result.usage);
    if (r.result.finishReason !== 'abort') deps.stats.outputLengths.record(kind, r.result.usage.outputTokens);
  }
  const offline = net ? !net.online : false;
  const totalMs = now() - t0;
  const reason = explainOutcome({ plan, finalTier: final.tier, checks, failedTier, offline, actualMs: final.ms });
  const finalCheck = [...checks].reverse().find((c) => c.tier === final!.tier);
  // Unchecked counts as unsure: offline the checker may not even be loaded.
  const reaskSuggested = !!outbound && final.tier === 'local' && (plan.bestEffort || offline || !!failedTier) && !finalCheck?.accepted;
  const trace: TurnTrace = {
    id: deps.newId?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`,
    at: Date.now(),
    conversationId: input.conversationId,
    kind,
    mode: plan.mode,
    strategy: plan.strategy,
    tiers: plan.tiers,
    hedge: plan.hedge,
    finalTier: final.tier,
    privacy: { action: privacy.action, sensitivity: privacy.sensitivity, types: [...new Set(entities.map((e) => e.type))] },
    checks,
    thetaConsistency: plan.thetaConsistency,
    predicted: {
      localMs: plan.expected.localMs,
      cloudMs: plan.expected.cloudMs,
      edgeMs: plan.expected.edgeMs,
      totalMs: plan.expected.totalMs,
      pAccept: plan.expected.pAccept,
      outputTokens: plan.expected.outputTokens,
    },
    actual: {
      totalMs,
      tiers: runs.map((r) => ({ tier: r.tier, ms: r.ms, ttftMs: r.result.usage.timeToFirstTokenMs, outputTokens: r.result.usage.outputTokens, decodeTps: r.result.usage.decodeTps })),
    },
    failedTier,
    reason,
  };
  await deps.recordTrace(trace).catch(() => {});

  return {
    ...final.tag,
    text: final.text,
    finishReason: final.result.finishReason,
    usage: {
      promptTokens: final.result.usage.promptTokens,
      outputTokens: final.result.usage.outputTokens,
      decodeTps: final.result.usage.decodeTps,
      timeToFirstTokenMs: final.result.usage.timeToFirstTokenMs,
    },
    reason,
    checks,
    bestEffort: plan.bestEffort || !!failedTier,
    reaskSuggested,
    discarded,
    privacy,
  };
}

function abortedResult(text: string): ChatResult {
  return { text, finishReason: 'abort', usage: { promptTokens: 0, outputTokens: 0, prefillTps: null, decodeTps: null, timeToFirstTokenMs: null, totalMs: 0 }, logprobs: null };
}

/**
 * The messages that may leave the device: every earlier message with its
 * pattern-detected entities pseudonymized (values mapped earlier stay mapped),
 * the last one exactly as the privacy step decided. Fails closed: a message
 * that still carries a never-sendable value makes the whole turn local.
 */
export function buildOutbound(history: readonly ChatMessage[], lastReplace: readonly Entity[], pseudo: Pseudonymizer): OutboundMessages | null {
  const entities = history.map((m, i) => (i === history.length - 1 ? lastReplace : scanPatterns(m.content)));
  const messages = pseudo.pseudonymizeMessages(history, entities);
  if (messages.some((m) => findNeverSendable(m.content).length > 0)) return null;
  return clearForOutbound(messages);
}

function networkFor(net: NetworkSnapshot | null): PlanInput['network'] {
  if (!net) return { online: typeof navigator === 'undefined' ? true : navigator.onLine, cloudConfigured: false };
  return planNetworkFrom(net);
}
