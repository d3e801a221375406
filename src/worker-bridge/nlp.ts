// The NLP worker (NER for the privacy scan, the cross-encoder that checks local
// answers): its handlers' type, implemented by src/workers/nlp-handlers.ts and
// called by src/engines/nlp/client.ts. Every call carries the load arguments so
// a freshly restarted worker loads what it needs by itself.
import type { HandlerContext } from './protocol';
import type { Entity } from '../core/types';
import type { NlpDtype } from '../nlp/load';

export type NlpRole = 'ner' | 'reranker';

export interface NlpLoadArgs {
  nerModelId: string;
  rerankerModelId: string;
  /** Local model folder (URL path in the browser, a directory in Node), or null = model host only. */
  localModelPath: string | null;
  modelHost: string;
  device: 'wasm' | 'webgpu' | 'cpu';
  /** Weights variant; default fp32 (the tiny models). */
  dtype?: NlpDtype;
}

export interface NlpLoadRequest {
  load: NlpLoadArgs;
  roles: NlpRole[];
}
export interface NlpNerRequest {
  load: NlpLoadArgs;
  text: string;
}
export interface NlpConsistencyRequest {
  load: NlpLoadArgs;
  question: string;
  answer: string;
}

export type NlpLoadResult = Record<NlpRole, boolean>;

export interface NlpWorkerHandlers {
  load(req: NlpLoadRequest, ctx: HandlerContext): Promise<NlpLoadResult>;
  ner(req: NlpNerRequest, ctx: HandlerContext): Promise<Entity[]>;
  consistency(req: NlpConsistencyRequest, ctx: HandlerContext): Promise<number>;
  /** Test hook: an uncaught error a moment later, exactly like a real crash. */
  crash(): null;
}
