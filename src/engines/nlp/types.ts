import type { Entity } from '../../core/types';

/** The NLP worker's client: NER (privacy scan) and the ConsRoute reranker. */
export interface NlpClient {
  /** Loads both models (idempotent); rejects with a plain-words error. */
  ready(): Promise<void>;
  /** Entities found by the NER model, with UTF-16 offsets into `text`, source 'ner'. */
  ner(text: string, signal?: AbortSignal): Promise<Entity[]>;
  /** Consistency of (question, answer) in [0, 1] from the cross-encoder. */
  consistency(question: string, answer: string, signal?: AbortSignal): Promise<number>;
  dispose(): void;
}
