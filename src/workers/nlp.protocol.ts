// Messages between the NLP client (src/engines/nlp/client.ts) and its worker
// (src/workers/nlp.worker.ts), over bridge.ts. Every call carries the load
// arguments so a freshly restarted worker loads what it needs by itself.
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
export type NlpNerResult = Entity[];
export type NlpConsistencyResult = number;
