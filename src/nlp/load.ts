// Loaders for the three model roles. Work in Node and in a module Web Worker.
import {
  AutoModelForCausalLM,
  AutoModelForSequenceClassification,
  AutoModelForTokenClassification,
  AutoTokenizer,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type ProgressCallback,
} from '@huggingface/transformers';

/** Where a model runs. 'cpu' is onnxruntime-node (Node only); 'wasm'/'webgpu' are onnxruntime-web. */
export type NlpDevice = 'wasm' | 'webgpu' | 'cpu';

export type NlpDtype = 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16' | 'int8' | 'uint8';

export interface LoadOptions {
  device?: NlpDevice;
  /** Weights variant (onnx/model{_quantized,_q4,…}.onnx); default fp32 (what the tiny models ship). */
  dtype?: NlpDtype;
  /** transformers.js progress events (initiate / download / progress / done / ready). */
  onProgress?: ProgressCallback;
}

export interface LoadedModel {
  id: string;
  device: NlpDevice;
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
}

/** 'cpu' in Node, 'wasm' elsewhere (browser, worker). */
export function defaultDevice(): NlpDevice {
  const g = globalThis as { process?: { versions?: { node?: string } } };
  return g.process?.versions?.node ? 'cpu' : 'wasm';
}

type ModelClass = { from_pretrained: typeof AutoModelForCausalLM.from_pretrained };

async function load(cls: ModelClass, id: string, opts: LoadOptions): Promise<LoadedModel> {
  const device = opts.device ?? defaultDevice();
  const progress_callback = opts.onProgress;
  const [tokenizer, model] = await Promise.all([
    AutoTokenizer.from_pretrained(id, { progress_callback }),
    // Pinned: the default dtype differs by device (q8 on wasm, fp32 elsewhere).
    cls.from_pretrained(id, { dtype: opts.dtype ?? 'fp32', device, progress_callback }),
  ]);
  return { id, device, tokenizer, model };
}

export function loadCausalLM(id: string, opts: LoadOptions = {}): Promise<LoadedModel> {
  return load(AutoModelForCausalLM, id, opts);
}

export function loadTokenClassifier(id: string, opts: LoadOptions = {}): Promise<LoadedModel> {
  return load(AutoModelForTokenClassification, id, opts);
}

export function loadCrossEncoder(id: string, opts: LoadOptions = {}): Promise<LoadedModel> {
  return load(AutoModelForSequenceClassification, id, opts);
}

/** Context window declared by the model config (n_positions / max_position_embeddings), else the tokenizer's. */
export function contextWindow(m: Pick<LoadedModel, 'tokenizer' | 'model'>, fallback = 512): number {
  const cfg = m.model.config as unknown as Record<string, unknown>;
  for (const k of ['n_positions', 'max_position_embeddings', 'n_ctx']) {
    const v = cfg[k];
    if (typeof v === 'number' && v > 0) return v;
  }
  const t = m.tokenizer.model_max_length;
  return Number.isFinite(t) && t > 0 ? t : fallback;
}
