// Checking an answer: the reranker scores (question, answer), the accept rule
// decides. An unavailable checker never blocks an answer (no check = shown).
import type { QueryKind } from '../core/types';
import type { AcceptRule, TierCheck } from '../core/policy';
import type { NlpClient } from '../engines/nlp/types';
import type { TierRun } from './tiers';

export interface CheckContext {
  nlp: Pick<NlpClient, 'consistency'> | null;
  question: string;
  kind: QueryKind;
  rule: AcceptRule;
  signal: AbortSignal;
  onStage: (s: string) => void;
  onStatus?: (s: 'streaming' | 'checking') => void;
}

/** The check of one tier's answer, or null when it cannot be checked. */
export async function checkAnswer(ctx: CheckContext, run: TierRun): Promise<TierCheck | null> {
  if (!ctx.nlp || !run.text.trim()) return null;
  ctx.onStatus?.('checking');
  ctx.onStage('Checking the answer…');
  try {
    const consistency = await ctx.nlp.consistency(ctx.question, run.text, ctx.signal);
    return ctx.rule({ tier: run.tier, question: ctx.question, answer: run.text, kind: ctx.kind, consistency, logprobs: run.result.logprobs });
  } catch {
    return null;
  } finally {
    ctx.onStatus?.('streaming');
  }
}
