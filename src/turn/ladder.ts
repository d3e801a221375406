// Stage 3 of a turn: the ladder. Runs the plan's tiers one at a time; after
// each tier but the last the answer is checked and a rejected draft is kept
// for the user while the next tier answers. When a tier fails, one pure rule
// (core/policy/failure.ts) says what happens next.
import type { Tier } from '../core/types';
import { onTierFailure, type Plan, type TierCheck } from '../core/policy';
import { STAGE_WORDING, TIER_WORDING } from '../core/wording';
import { checkAnswer, type CheckContext } from './check';
import { startHedge, type Hedge } from './hedge';
import { DeviceSkipped, remoteTag, runTier, TierFailure, type TierContext, type TierRun } from './tiers';
import type { DiscardedDraft, EngineTag } from './types';

export interface LadderEvents {
  onStage: (stage: string) => void;
  onEngine: (tag: EngineTag) => void;
  onToken: (delta: string) => void;
  onReplace: (text: string) => void;
  onDraftDiscarded?: (draft: DiscardedDraft) => void;
  /** true while the turn waits for the device's model and the user may skip it ("Ask the cloud now"). */
  onSkippable?: (skippable: boolean) => void;
}

export interface LadderContext {
  tiers: Omit<TierContext, 'onEngine' | 'onSend'>;
  check: Omit<CheckContext, 'onStage' | 'signal'>;
  events: LadderEvents;
  signal: AbortSignal;
  /** The user's "skip the device" request and where plan() lets it go (tiersWithoutDevice); absent or [] = no skipping. */
  skip?: { signal: AbortSignal; tiers: Tier[] };
}

export interface LadderOutcome {
  /** The run whose answer is shown. */
  final: TierRun;
  runs: TierRun[];
  checks: TierCheck[];
  discarded: DiscardedDraft[];
  /** A remote tier that failed (the device's answer is shown instead). */
  failedTier: Tier | null;
  /** Whether any text left the device (a hedged request counts even when cancelled). */
  sent: boolean;
  /** The user skipped the device while its model loaded. */
  skippedDevice?: boolean;
}

type State = Omit<LadderOutcome, 'final'>;

interface Climb {
  ctx: LadderContext;
  tc: TierContext;
  st: State;
}

function stageLine(tier: Tier, i: number): string {
  const w = TIER_WORDING[tier].working;
  return i === 0 ? w : `Escalating: ${w[0].toLowerCase()}${w.slice(1)}`;
}

async function check(c: Climb, run: TierRun): Promise<TierCheck | null> {
  const result = await checkAnswer({ ...c.ctx.check, onStage: c.ctx.events.onStage, signal: c.ctx.signal }, run);
  if (result) c.st.checks.push(result);
  return result;
}

function keepPartial(st: State, f: TierFailure): void {
  if (f.partialText) st.discarded.push({ tier: f.tier, text: f.partialText, consistency: null });
}

/** The error the user sees: the engine's own (with what it had shown), not a wrapper. */
function userError(f: TierFailure): Error {
  return f.cause instanceof Error ? Object.assign(f.cause, { partialText: f.partialText }) : f;
}

/** A tier failed: the failure policy decides; returns the answer to show, or 'next-tier'. */
async function recover(c: Climb, tier: Tier, isLast: boolean, err: unknown): Promise<TierRun | 'next-tier'> {
  const { st, ctx } = c;
  // A Stop is not a failure: nothing may go on to another tier (or leave the device).
  if (ctx.signal.aborted) throw err;
  const ev = ctx.events;
  const failure = err instanceof TierFailure ? err : new TierFailure(tier, '', err);
  const draft = st.runs.find((r) => r.tier === 'local');
  const action = onTierFailure({ tier, isLast, hasDeviceDraft: !!draft, deviceAvailable: ctx.tiers.local.available() });
  if (action === 'next-tier') return 'next-tier';
  if (action === 'fail') throw userError(failure);
  st.failedTier = tier;
  if (action === 'show-draft' && draft) {
    st.discarded = st.discarded.filter((d) => d.tier !== 'local');
    keepPartial(st, failure);
    ev.onEngine(draft.tag);
    ev.onReplace(draft.text);
    return draft;
  }
  // 'fall-back-to-device': the device finishes the turn, nothing is lost.
  keepPartial(st, failure);
  ev.onReplace('');
  ev.onStage(`The ${TIER_WORDING[tier].name} failed — answering on device…`);
  let run: TierRun;
  try {
    run = await runTier(c.tc, 'local', ev.onToken, ctx.signal);
  } catch (e) {
    throw userError(e instanceof TierFailure ? e : new TierFailure('local', '', e));
  }
  st.runs.push(run);
  await check(c, run);
  return run;
}

async function attempt(c: Climb, tier: Tier, i: number, hedge: Hedge | null): Promise<TierRun> {
  const ev = c.ctx.events;
  if (hedge && (i > 0 || c.st.skippedDevice) && tier === hedge.tier) {
    // The hedged request is already running: show what it has, then stream the rest.
    const remote = tier as 'cloud' | 'edge';
    ev.onEngine(remoteTag(remote, c.tc.remote(remote).info.modelId));
    return hedge.join(ev.onReplace, ev.onToken);
  }
  return runTier(c.tc, tier, ev.onToken, c.ctx.signal);
}

export async function runLadder(ctx: LadderContext, plan: Pick<Plan, 'tiers' | 'hedge'>): Promise<LadderOutcome> {
  const st: State = { runs: [], checks: [], discarded: [], failedTier: null, sent: false, skippedDevice: false };
  const skipTo = ctx.skip?.tiers.length ? ctx.skip.tiers : null;
  const tc: TierContext = {
    ...ctx.tiers, onEngine: ctx.events.onEngine, onSend: () => (st.sent = true),
    skipDevice: skipTo ? ctx.skip!.signal : undefined,
    onDeviceWait: (waiting) => {
      // Back to "Answering on device…" only when the model loaded (not on a Stop or a skip).
      if (waiting) ctx.events.onStage(STAGE_WORDING.waitingDevice);
      else if (!ctx.signal.aborted && !tc.skipDevice?.aborted) ctx.events.onStage(TIER_WORDING.local.working);
      // No button once skipped (the device may still be waited for if the remote tier fails).
      if (skipTo) ctx.events.onSkippable?.(waiting && !!tc.skipDevice);
    },
  };
  const c: Climb = { ctx, tc, st };
  let tiers = plan.tiers;
  const hedge = startHedge(tc, plan, ctx.signal);
  try {
    for (let i = 0; i < tiers.length; i++) {
      const tier = tiers[i];
      const isLast = i === tiers.length - 1;
      ctx.events.onStage(stageLine(tier, i));
      let run: TierRun;
      try {
        run = await attempt(c, tier, i, hedge);
      } catch (err) {
        if (err instanceof DeviceSkipped && skipTo && !ctx.signal.aborted) {
          // Only once: the device may still finish the turn if the remote tier fails.
          st.skippedDevice = true;
          tc.skipDevice = undefined;
          tiers = skipTo;
          i = -1;
          continue;
        }
        const next = await recover(c, tier, isLast, err);
        if (next === 'next-tier') continue;
        return { ...st, final: next };
      }
      st.runs.push(run);
      if (ctx.signal.aborted || run.result.finishReason === 'abort') return { ...st, final: run };
      const verdict = !isLast || tier === 'local' ? await check(c, run) : null;
      if (isLast || !verdict || verdict.accepted) return { ...st, final: run };
      // Rejected: keep the draft for the user to expand, move up one tier.
      const draft: DiscardedDraft = { tier, text: run.text, consistency: verdict.consistency };
      st.discarded.push(draft);
      ctx.events.onDraftDiscarded?.({ ...draft });
      ctx.events.onReplace('');
    }
  } finally {
    hedge?.cancel();
  }
  throw new Error('No tier produced an answer.');
}
