// Real tiny-model engines for Node (tests, CLI): the same src/nlp code the
// browser workers run, without a worker in between.
import { fileURLToPath } from 'node:url';
import { configureLocalModels, loadCausalLM, loadCrossEncoder, loadTokenClassifier, type LoadedModel } from '../../nlp';
import { generate } from '../../nlp/generate';
import { runNer } from '../../nlp/ner';
import { scoreConsistency } from '../../nlp/rerank';
import type { ChatRequest, ChatResult, EngineInfo, LocalEngine } from '../../engines/types';
import type { NlpClient } from '../../engines/nlp/types';
import type { Entity } from '../../core/types';

export const MODELS_DIR = fileURLToPath(new URL('../../../models/', import.meta.url));

export function useTinyModels(): void {
  configureLocalModels({ localModelPath: MODELS_DIR, allowRemote: false });
}

export class NodeLocalEngine implements LocalEngine {
  readonly info: EngineInfo = { kind: 'onnx', modelId: 'tiny-lm', device: 'cpu', contextWindow: 256 };
  private lm: LoadedModel | null = null;
  calls = 0;

  async load(): Promise<void> {
    useTinyModels();
    this.lm ??= await loadCausalLM('tiny-lm');
  }

  async chat(req: ChatRequest): Promise<ChatResult> {
    if (!this.lm) await this.load();
    this.calls++;
    return generate(this.lm!, req.messages, { maxNewTokens: req.maxTokens ?? 64, contextWindow: 256, signal: req.signal, onToken: req.onToken, logprobs: req.logprobs ?? true });
  }

  async isCached(): Promise<boolean> {
    return true;
  }
  async deleteFromCache(): Promise<void> {}
  /** In-process: there is no worker to crash. */
  onCrash(): () => void {
    return () => {};
  }
  async recover(): Promise<void> {
    this.lm = null;
    await this.load();
  }
  dispose(): void {}
}

export class NodeNlpClient implements NlpClient {
  private ner_: LoadedModel | null = null;
  private rr: LoadedModel | null = null;

  async ready(): Promise<void> {
    useTinyModels();
    this.ner_ ??= await loadTokenClassifier('tiny-ner');
    this.rr ??= await loadCrossEncoder('tiny-reranker');
  }

  async ner(text: string): Promise<Entity[]> {
    await this.ready();
    return runNer(text, this.ner_!);
  }

  async consistency(question: string, answer: string): Promise<number> {
    await this.ready();
    return scoreConsistency(question, answer, this.rr!);
  }

  dispose(): void {}
}
