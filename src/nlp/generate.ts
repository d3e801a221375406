// Chat generation with a transformers.js causal LM: greedy decoding, streaming,
// abort, per-token log-probs/entropy and measured prefill/decode rates.
// Runs in Node and in a module Web Worker (no DOM, no Node-only APIs).
import {
  InterruptableStoppingCriteria,
  LogitsProcessor,
  Tensor,
  TextStreamer,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import type { ChatMessage } from '../core/types';
import { entropyFromTopLogprobs, type ChatUsage, type TokenLogprob } from '../core/engine/metrics';
import type { ChatResult } from '../core/engine/result';
import { contextWindow } from './load';
import { trimHistory } from '../core/engine/trim';

export interface CausalLM {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
}

export interface GenerateOptions {
  /** Default 128. */
  maxNewTokens?: number;
  signal?: AbortSignal;
  /** Called with each new piece of text as soon as it is stable. */
  onToken?: (delta: string) => void;
  /** Record per-token log-probs and entropy. Default true. */
  logprobs?: boolean;
  /** Override the context window (default: from the model config). */
  contextWindow?: number;
}

// History trimming is shared with the web-llm engine (src/core/engine/trim.ts).
export { trimHistory } from '../core/engine/trim';

// ---------------------------------------------------------------------------
// Log-prob recording
// ---------------------------------------------------------------------------

interface StepDistribution {
  /** Raw (processed) logits of batch row 0. */
  logits: Float32Array;
  logSumExp: number;
  entropy: number;
}

/** How many top tokens the entropy is taken over: web-llm's `top_logprobs` maximum, so both engines report the same measure. */
export const ENTROPY_TOP_K = 5;

/**
 * Reads (does not change) the logits of each step; the chosen token is
 * resolved later. Log-probs are log-softmax at temperature 1 of the logits
 * after the model's own processors — what web-llm reports at temperature 1 —
 * and the entropy is taken over the top 5 tokens, as web-llm's top_logprobs
 * give it (entropyFromTopLogprobs), not over the whole vocabulary.
 */
export class LogprobRecorder extends LogitsProcessor {
  pending: StepDistribution | null = null;

  override _call(_inputIds: bigint[][], logits: Tensor): Tensor {
    const vocab = logits.dims.at(-1) as number;
    const row = (logits.data as Float32Array).slice(0, vocab);
    let max = -Infinity;
    for (let i = 0; i < vocab; i++) if (row[i] > max) max = row[i];
    let sum = 0;
    for (let i = 0; i < vocab; i++) sum += Math.exp(row[i] - max);
    const lse = max + Math.log(sum);
    const top = topK(row, ENTROPY_TOP_K).map((i) => ({ logprob: row[i] - lse }));
    this.pending = { logits: row, logSumExp: lse, entropy: entropyFromTopLogprobs(top) ?? 0 };
    return logits;
  }

  /** Log-prob (≤ 0) and entropy of `tokenId` under the last recorded step. */
  take(tokenId: number): { logprob: number; entropy: number } | null {
    const p = this.pending;
    this.pending = null;
    if (!p || tokenId < 0 || tokenId >= p.logits.length) return null;
    return { logprob: Math.min(0, p.logits[tokenId] - p.logSumExp), entropy: p.entropy };
  }
}

/** Indices of the k largest values (k small: one pass with a sorted buffer). */
function topK(row: Float32Array, k: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < row.length; i++) {
    if (idx.length < k || row[i] > row[idx[idx.length - 1]]) {
      let j = Math.min(idx.length, k - 1);
      if (idx.length < k) idx.push(i);
      while (j > 0 && row[idx[j - 1]] < row[i]) {
        idx[j] = idx[j - 1];
        j -= 1;
      }
      idx[j] = i;
    }
  }
  return idx;
}

// ---------------------------------------------------------------------------
// generate
// ---------------------------------------------------------------------------

function renderPrompt(tokenizer: PreTrainedTokenizer, messages: ChatMessage[]): string {
  return tokenizer.apply_chat_template(messages as { role: string; content: string }[], {
    add_generation_prompt: true,
    tokenize: false,
  }) as string;
}

function countPromptTokens(tokenizer: PreTrainedTokenizer, messages: ChatMessage[]): number {
  return tokenizer.encode(renderPrompt(tokenizer, messages), { add_special_tokens: false }).length;
}

function eosIds(model: PreTrainedModel): Set<number> {
  const cfg = (model.generation_config ?? model.config) as unknown as { eos_token_id?: number | number[] | null };
  const e = cfg.eos_token_id ?? (model.config as unknown as { eos_token_id?: number | number[] }).eos_token_id;
  return new Set(e == null ? [] : Array.isArray(e) ? e : [e]);
}

const now = (): number => (globalThis.performance ? globalThis.performance.now() : Date.now());

export async function generate(lm: CausalLM, messages: ChatMessage[], opts: GenerateOptions = {}): Promise<ChatResult> {
  const { tokenizer, model } = lm;
  const maxNewTokens = opts.maxNewTokens ?? 128;
  const wantLogprobs = opts.logprobs ?? true;
  const ctx = opts.contextWindow ?? contextWindow(lm);
  const budget = Math.max(1, ctx - maxNewTokens);
  const t0 = now();

  const trimmed = trimHistory(messages, (m) => countPromptTokens(tokenizer, m), budget);
  let ids = tokenizer.encode(renderPrompt(tokenizer, trimmed), { add_special_tokens: false });
  // Still too long (one huge message): keep the most recent tokens.
  if (ids.length > budget) ids = ids.slice(ids.length - budget);
  const promptTokens = ids.length;

  const emptyUsage = (): ChatUsage => ({
    promptTokens, outputTokens: 0, prefillTps: null, decodeTps: null, timeToFirstTokenMs: null, totalMs: now() - t0,
  });
  if (opts.signal?.aborted) return { text: '', finishReason: 'abort', usage: emptyUsage(), logprobs: wantLogprobs ? [] : null };

  const stop = new InterruptableStoppingCriteria();
  const onAbort = (): void => stop.interrupt();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const eos = eosIds(model);
  const recorder = new LogprobRecorder();
  const generated: number[] = [];
  const logprobs: TokenLogprob[] = [];
  const stamps: number[] = [];
  let streamed = '';
  let genStart = 0;

  const streamer = new TextStreamer(tokenizer, {
    skip_prompt: true,
    skip_special_tokens: true,
    callback_function: (text: string) => {
      streamed += text;
      opts.onToken?.(text);
    },
    token_callback_function: (tokens: bigint[]) => {
      stamps.push(now());
      for (const t of tokens) {
        const id = Number(t);
        const lp = recorder.take(id);
        if (eos.has(id)) continue;
        generated.push(id);
        if (wantLogprobs && lp) {
          logprobs.push({ token: tokenizer.decode([id], { skip_special_tokens: false }), logprob: lp.logprob, entropy: lp.entropy });
        }
      }
    },
  });

  const input_ids = toInputIds(ids);
  try {
    genStart = now();
    await model.generate({
      input_ids,
      attention_mask: onesLike(input_ids),
      max_new_tokens: maxNewTokens,
      do_sample: false,
      streamer,
      stopping_criteria: [stop],
      logits_processor: [recorder],
    } as unknown as Parameters<PreTrainedModel['generate']>[0]);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }

  const end = now();
  const text = tokenizer.decode(generated, { skip_special_tokens: true });
  // The streamer holds back partial words until the end; make sure nothing is lost.
  if (streamed !== text && text.startsWith(streamed)) {
    const rest = text.slice(streamed.length);
    streamed = text;
    opts.onToken?.(rest);
  }
  const sawEos = stamps.length > generated.length;
  const finishReason: ChatResult['finishReason'] = opts.signal?.aborted ? 'abort' : sawEos ? 'stop' : 'length';
  const ttft = stamps.length > 0 ? stamps[0] - genStart : null;
  const decodeSpan = stamps.length > 1 ? stamps[stamps.length - 1] - stamps[0] : 0;
  const usage: ChatUsage = {
    promptTokens,
    outputTokens: generated.length,
    prefillTps: ttft && ttft > 0 ? promptTokens / (ttft / 1000) : null,
    decodeTps: decodeSpan > 0 ? (stamps.length - 1) / (decodeSpan / 1000) : null,
    timeToFirstTokenMs: ttft,
    totalMs: end - t0,
  };
  return { text, finishReason, usage, logprobs: wantLogprobs ? logprobs : null };
}

// Small tensor helpers.
function toInputIds(ids: number[]): Tensor {
  return new Tensor('int64', BigInt64Array.from(ids.map((x) => BigInt(x))), [1, ids.length]);
}

function onesLike(t: Tensor): Tensor {
  const n = t.dims.reduce((a, b) => a * b, 1);
  return new Tensor('int64', new BigInt64Array(n).fill(1n), t.dims.slice());
}
