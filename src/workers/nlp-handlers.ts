// The NLP worker's logic, free of worker globals so Node tests can drive it
// with the tiny models: lazy, load-once NER and reranker behind three bridge
// methods (load / ner / consistency). Entity values never leave this module
// except in the result of `ner` (no logging, no error text containing them).
import type { NlpLoadArgs, NlpRole, NlpWorkerHandlers } from '../worker-bridge/nlp';
import type { Entity } from '../core/types';
import type { LoadedModel, LoadOptions } from '../nlp/load';
import { crashSoon } from './crash';

export interface NlpModelLoaders {
  /** Points transformers.js at the model sources; called before the first load for new args. */
  configure(args: NlpLoadArgs): void;
  loadTokenClassifier(id: string, opts: LoadOptions): Promise<LoadedModel>;
  loadCrossEncoder(id: string, opts: LoadOptions): Promise<LoadedModel>;
  runNer(text: string, model: LoadedModel): Promise<Entity[]>;
  scoreConsistency(question: string, answer: string, model: LoadedModel): Promise<number>;
}

interface Slot {
  key: string;
  promise: Promise<LoadedModel>;
}

function abortError(): DOMException {
  return new DOMException('The operation was aborted.', 'AbortError');
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError();
}

/** Plain words naming the model but never the input text. */
function loadFailure(role: NlpRole, id: string, err: unknown): Error {
  const what = role === 'ner' ? 'privacy (NER) model' : 'answer-checking model';
  const detail = err instanceof Error ? err.message : String(err);
  const e = new Error(`Could not load the ${what} (${id}): ${detail}`);
  e.name = 'NlpLoadError';
  return e;
}

export interface NlpHandlerState {
  /** Model loads started so far, per role (for tests: "loads once"). */
  loads: Record<NlpRole, number>;
}

/** Handlers served by the worker; `state` is exposed for tests. */
export function createNlpHandlers(deps: NlpModelLoaders) {
  const slots: Partial<Record<NlpRole, Slot>> = {};
  const state: NlpHandlerState = { loads: { ner: 0, reranker: 0 } };
  let configuredKey = '';

  function ensure(role: NlpRole, args: NlpLoadArgs): Promise<LoadedModel> {
    const id = role === 'ner' ? args.nerModelId : args.rerankerModelId;
    const key = JSON.stringify([id, args.localModelPath, args.modelHost, args.device, args.dtype]);
    const slot = slots[role];
    if (slot && slot.key === key) return slot.promise;
    const envKey = JSON.stringify([args.localModelPath, args.modelHost]);
    if (envKey !== configuredKey) {
      deps.configure(args);
      configuredKey = envKey;
    }
    state.loads[role]++;
    const opts: LoadOptions = { device: args.device, dtype: args.dtype };
    const promise = (role === 'ner' ? deps.loadTokenClassifier(id, opts) : deps.loadCrossEncoder(id, opts)).catch((err: unknown) => {
      // Forget the failed attempt so the next call tries again.
      if (slots[role]?.promise === promise) delete slots[role];
      throw loadFailure(role, id, err);
    });
    slots[role] = { key, promise };
    return promise;
  }

  const handlers: NlpWorkerHandlers = {
    async load(req, ctx) {
      await Promise.all(req.roles.map((r) => ensure(r, req.load)));
      throwIfAborted(ctx.signal);
      return { ner: !!slots.ner, reranker: !!slots.reranker };
    },

    async ner(req, ctx) {
      const model = await ensure('ner', req.load);
      throwIfAborted(ctx.signal);
      if (req.text.trim() === '') return [];
      const entities = await deps.runNer(req.text, model);
      throwIfAborted(ctx.signal);
      return entities;
    },

    async consistency(req, ctx) {
      const model = await ensure('reranker', req.load);
      throwIfAborted(ctx.signal);
      const score = await deps.scoreConsistency(req.question, req.answer, model);
      throwIfAborted(ctx.signal);
      return score;
    },

    crash: crashSoon,
  };

  return { handlers, state };
}
