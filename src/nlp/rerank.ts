// (question, answer) consistency score with a cross-encoder: AutoTokenizer with
// `text_pair` + AutoModelForSequenceClassification, sigmoid of the single
// logit. (The text-classification pipeline softmaxes one logit into 1.0, so it
// is not used.) Works in Node and in a Web Worker.
import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from '@huggingface/transformers';

export interface CrossEncoder {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
}

/** Default acceptance threshold for the tiny reranker (sigmoid score). */
export const CONSISTENCY_THRESHOLD = 0.6;

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function maxLength(enc: CrossEncoder): number {
  const cfg = enc.model.config as unknown as { max_position_embeddings?: number };
  const t = enc.tokenizer.model_max_length;
  return Math.min(cfg.max_position_embeddings ?? 512, Number.isFinite(t) && t > 0 ? t : 512);
}

function countTokens(tok: PreTrainedTokenizer, text: string): number {
  return tok.encode(text, { add_special_tokens: false }).length;
}

/** Longest prefix of `text` (cut at whitespace when possible) with at most `maxTokens` tokens. */
export function truncateToTokens(tok: PreTrainedTokenizer, text: string, maxTokens: number): string {
  if (maxTokens <= 0) return '';
  if (countTokens(tok, text) <= maxTokens) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (countTokens(tok, text.slice(0, mid)) <= maxTokens) lo = mid;
    else hi = mid - 1;
  }
  const cut = text.slice(0, lo);
  const ws = cut.search(/\s\S*$/);
  return ws > 0 && ws > lo * 0.6 ? cut.slice(0, ws) : cut;
}

/**
 * Token budgets for the pair `[CLS] q [SEP] a [SEP]`: the question keeps at
 * least a third of the room (its start), the answer gets the rest (its start).
 */
export function splitBudget(questionTokens: number, answerTokens: number, room: number): [number, number] {
  const q = Math.min(questionTokens, Math.max(Math.floor(room / 3), room - answerTokens));
  return [q, Math.min(answerTokens, room - q)];
}

/** Consistency of `answer` as a reply to `question`, in [0, 1]. */
export async function scoreConsistency(question: string, answer: string, enc: CrossEncoder): Promise<number> {
  const { tokenizer, model } = enc;
  const room = maxLength(enc) - 3;
  const [qb, ab] = splitBudget(countTokens(tokenizer, question), countTokens(tokenizer, answer), room);
  const q = truncateToTokens(tokenizer, question, qb);
  const a = truncateToTokens(tokenizer, answer, ab);
  const inputs = tokenizer(q, { text_pair: a, truncation: true, max_length: room + 3 });
  const { logits } = (await model(inputs)) as { logits: Tensor };
  return sigmoid((logits.data as Float32Array)[0]);
}
