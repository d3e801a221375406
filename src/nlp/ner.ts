// Named-entity recognition with a BERT-style token classifier (transformers.js).
// transformers.js returns no character offsets, so we split the text into
// words ourselves (mirroring BertPreTokenizer), tokenize word by word, label
// each word by its first sub-token and merge B-/I- runs into spans with
// UTF-16 offsets into the original text. Works in Node and in a Web Worker.
import { Tensor, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import type { Entity, EntityType } from '../core/types';
import { refineNer } from '../core/privacy/ner-refine';

export interface TokenClassifier {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
}

export interface Word {
  text: string;
  /** UTF-16 offsets into the original text. */
  start: number;
  end: number;
}

const LABEL_MAP: Record<string, EntityType> = {
  PER: 'PERSON',
  PERSON: 'PERSON',
  LOC: 'LOCATION',
  LOCATION: 'LOCATION',
  GPE: 'LOCATION',
  ORG: 'ORGANIZATION',
  ORGANIZATION: 'ORGANIZATION',
};

// Same classes as BertPreTokenizer (punctuation = \p{P} + ASCII symbols), plus
// the CJK ideographs BertNormalizer isolates.
const PUNCT = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const CJK = '\\u4E00-\\u9FFF\\u3400-\\u4DBF\\u{20000}-\\u{2A6DF}\\u{2A700}-\\u{2CEAF}\\uF900-\\uFAFF\\u{2F800}-\\u{2FA1F}';
const WORD_RE = new RegExp(`[${CJK}]|[${PUNCT}]|[^\\s${PUNCT}${CJK}]+`, 'gu');

/** Split text into BERT pre-tokens with their UTF-16 offsets. */
export function splitWords(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const start = m.index ?? 0;
    out.push({ text: m[0], start, end: start + m[0].length });
  }
  return out;
}

export interface WordLabel {
  word: Word;
  label: string;
  prob: number;
}

function softmaxRow(data: Float32Array, offset: number, n: number): Float32Array {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, data[offset + i]);
  const out = new Float32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += out[i] = Math.exp(data[offset + i] - max);
  for (let i = 0; i < n; i++) out[i] /= sum;
  return out;
}

function maxLength(clf: TokenClassifier): number {
  const cfg = clf.model.config as unknown as { max_position_embeddings?: number };
  const t = clf.tokenizer.model_max_length;
  return Math.min(cfg.max_position_embeddings ?? 512, Number.isFinite(t) && t > 0 ? t : 512);
}

function specialId(tok: PreTrainedTokenizer, token: string): number {
  const id = tok.convert_tokens_to_ids(token);
  if (typeof id !== 'number' || id < 0) throw new Error(`tokenizer has no ${token} token`);
  return id;
}

function takesTokenTypes(model: PreTrainedModel): boolean {
  const names = (model as unknown as { sessions?: { model?: { inputNames?: string[] } } }).sessions?.model?.inputNames;
  if (names) return names.includes('token_type_ids');
  return (model.config as unknown as { model_type?: string }).model_type !== 'distilbert';
}

/** Label every word (first-sub-token rule). Texts are processed sentence by sentence. */
export async function labelWords(text: string, clf: TokenClassifier): Promise<WordLabel[]> {
  const { tokenizer, model } = clf;
  const words = splitWords(text);
  const pieces = words.map((w) => tokenizer.encode(w.text, { add_special_tokens: false }));
  const cls = specialId(tokenizer, (tokenizer.config?.cls_token as string | undefined) ?? '[CLS]');
  const sep = specialId(tokenizer, tokenizer.sep_token ?? '[SEP]');
  const room = maxLength(clf) - 2;
  const id2label = (model.config as unknown as { id2label: Record<string, string> }).id2label;

  // One chunk per sentence (NER models are trained on sentences; the tiny one
  // only on 1-2 of them), and sentences longer than the model are cut.
  const chunks: number[][] = [];
  let cur: number[] = [];
  let used = 0;
  words.forEach((w, i) => {
    const n = Math.min(pieces[i].length, room);
    if (n === 0) return;
    if (used + n > room && cur.length > 0) {
      chunks.push(cur);
      cur = [];
      used = 0;
    }
    cur.push(i);
    used += n;
    if (/^[.!?]$/.test(w.text) && !/^[.!?]$/.test(words[i + 1]?.text ?? '')) {
      chunks.push(cur);
      cur = [];
      used = 0;
    }
  });
  if (cur.length > 0) chunks.push(cur);

  const out: WordLabel[] = [];
  for (const chunk of chunks) {
    const ids: number[] = [cls];
    const firstPos: number[] = [];
    for (const i of chunk) {
      firstPos.push(ids.length);
      ids.push(...pieces[i].slice(0, room));
    }
    ids.push(sep);
    const dims = [1, ids.length];
    const input_ids = new Tensor('int64', BigInt64Array.from(ids.map(BigInt)), dims);
    const attention_mask = new Tensor('int64', new BigInt64Array(ids.length).fill(1n), dims);
    const inputs: Record<string, Tensor> = { input_ids, attention_mask };
    // DistilBERT (the multilingual production NER) takes no token_type_ids.
    if (takesTokenTypes(model)) inputs.token_type_ids = new Tensor('int64', new BigInt64Array(ids.length), dims);
    const { logits } = (await model(inputs)) as { logits: Tensor };
    const nLabels = logits.dims.at(-1) as number;
    const data = logits.data as Float32Array;
    chunk.forEach((wi, k) => {
      const probs = softmaxRow(data, firstPos[k] * nLabels, nLabels);
      let best = 0;
      for (let j = 1; j < nLabels; j++) if (probs[j] > probs[best]) best = j;
      out.push({ word: words[wi], label: id2label[String(best)] ?? 'O', prob: probs[best] });
    });
  }
  return out;
}

/** Merge B-/I- runs of word labels into entity spans. */
export function mergeSpans(text: string, labels: readonly WordLabel[]): Entity[] {
  const entities: Entity[] = [];
  let run: { type: string; start: number; end: number; probs: number[] } | null = null;
  const flush = (): void => {
    if (!run) return;
    const type = LABEL_MAP[run.type];
    if (type) {
      const score = run.probs.reduce((a, b) => a + b, 0) / run.probs.length;
      const span = text.slice(run.start, run.end);
      // A span of punctuation alone (the tiny model tags a lone ’) names nobody.
      if (/[\p{L}\p{N}]/u.test(span)) entities.push({ type, start: run.start, end: run.end, score, source: 'ner', text: span });
    }
    run = null;
  };
  for (const { word, label, prob } of labels) {
    const m = /^([BIES])-(.+)$/.exec(label);
    if (!m) {
      flush();
      continue;
    }
    const [, tag, type] = m;
    if ((tag === 'I' || tag === 'E') && run && run.type === type) {
      run.end = word.end;
      run.probs.push(prob);
    } else {
      flush();
      run = { type, start: word.start, end: word.end, probs: [prob] };
    }
    if (tag === 'E' || tag === 'S') flush();
  }
  flush();
  return entities;
}

/**
 * PERSON / LOCATION / ORGANIZATION entities with UTF-16 offsets; score = mean
 * label probability. Refined (core/privacy/ner-refine): keywords dropped,
 * names extended to the whole name, public entities left alone.
 */
export async function runNer(text: string, clf: TokenClassifier): Promise<Entity[]> {
  if (text.trim() === '') return [];
  return refineNer(text, mergeSpans(text, await labelWords(text, clf)));
}
