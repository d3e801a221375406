// The on-device turn: wait for the local engine, stream its answer.
// (The full orchestrator — privacy scan, plan, verify, escalate — builds on this.)
import type { LocalEngine } from '../engines/types';
import type { TurnInput, TurnResult } from './types';

export interface LocalTurnDeps {
  /** Resolves with a loaded engine, or rejects with a plain-words error. */
  ready: () => Promise<LocalEngine>;
  maxNewTokens: number;
}

export async function runLocalTurn(deps: LocalTurnDeps, input: TurnInput): Promise<TurnResult> {
  input.onStage('Waiting for the on-device model…');
  const engine = await deps.ready();
  const tag = { route: 'local' as const, engine: engine.info.kind, modelId: engine.info.modelId, device: engine.info.device };
  input.onEngine(tag);
  input.onStage('Answering on device…');
  const result = await engine.chat({
    messages: input.history,
    maxTokens: deps.maxNewTokens,
    logprobs: true,
    signal: input.signal,
    onToken: input.onToken,
  });
  return {
    ...tag,
    text: result.text,
    finishReason: result.finishReason,
    usage: {
      promptTokens: result.usage.promptTokens,
      outputTokens: result.usage.outputTokens,
      decodeTps: result.usage.decodeTps,
      timeToFirstTokenMs: result.usage.timeToFirstTokenMs,
    },
  };
}
