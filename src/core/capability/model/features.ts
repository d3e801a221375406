// Feature extraction for the capability model. Pure and deterministic: the
// browser, the CLI and the tests turn the same turn into the same vector.
//
// A vector is sparse: named dense features (index into DENSE_FEATURES) plus
// hashed word n-grams of the query (bucket = fnv1a(gram) mod 2^hashBits).
import type { QueryKind } from '../../types';
import { classifyQuery, QUERY_KINDS } from '../classify';
import { selfConfidence, type TokenLogprobLike } from '../confidence';
import { checkArithmetic } from './arith';
import { fnv1a } from './hash';

export const QUERY_FEATURES = [
  'q.chars', 'q.words', 'q.lines', 'q.digits', 'q.numbers', 'q.operators', 'q.maxNumber', 'q.decimals', 'q.percent',
  'q.money', 'q.questions', 'q.sentences', 'q.choices', 'q.constraints', 'q.longWords', 'q.upper',
  ...QUERY_KINDS.map((k) => `kind.${k}`),
] as const;

export const ANSWER_FEATURES = [
  'a.missing', 'a.chars', 'a.lines', 'a.numbers', 'a.final', 'a.finalInQuery', 'a.finalFraction', 'a.finalNegative',
  'a.unfinished', 'a.hedges', 'a.arithRight', 'a.arithWrong', 'a.arithWrongShare', 'a.repeats', 'a.refusal',
  'a.rerank', 'a.rerankMissing', 'a.lpMean', 'a.lpMin', 'a.lpMissing',
] as const;

export const DENSE_FEATURES: readonly string[] = [...QUERY_FEATURES, ...ANSWER_FEATURES];
export const DENSE_INDEX: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(DENSE_FEATURES.map((n, i) => [n, i])),
);

/** Weights forced to a sign during training so P moves the expected way. */
export const SIGN_CONSTRAINTS: Readonly<Record<string, 1 | -1>> = Object.freeze({
  'a.arithRight': 1,
  'a.arithWrong': -1,
  'a.arithWrongShare': -1,
  'a.rerank': 1,
});

export interface TurnInput {
  query: string;
  /** The query's kind when known (else classified from the text). */
  kind?: QueryKind;
  /** The local answer; absent (or "") before generating or when it was not recorded. */
  answer?: string | null;
  /** The reranker's (question, answer) score, 0..1, when one ran. */
  rerank?: number | null;
  logprobs?: readonly TokenLogprobLike[] | null;
}

export interface SparseVector {
  /** Dense feature values, DENSE_FEATURES order. */
  dense: Float64Array;
  /** Hashed buckets (may repeat) and their values. */
  buckets: number[];
  values: number[];
}

const log1p = Math.log1p;
const WORD = /[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)?/g;
const HEDGES = /\b(?:maybe|might|perhaps|possibly|probably|i think|i believe|not sure|unsure|unclear|approximately|roughly|it depends|cannot be determined|i'm not certain|assum(?:e|ing))\b/gi;
const REFUSAL = /\b(?:i (?:can(?:no|')t|am unable to|'m unable to)|as an ai|i don't (?:know|have))\b/i;

function count(text: string, re: RegExp): number {
  return (text.match(re) ?? []).length;
}

function numbersIn(text: string): number[] {
  return (text.match(/-?\d[\d,]*(?:\.\d+)?/g) ?? []).map((s) => Number(s.replace(/,/g, ''))).filter(Number.isFinite);
}

/** The answer's final number: after "####", "answer is", or else the last number of the text. */
export function finalNumber(answer: string): number | null {
  const marked = /(?:####|answer is|answer:|=)\s*\$?\s*(-?\d[\d,]*(?:\.\d+)?)[^\d]*$/i.exec(answer);
  const s = marked?.[1] ?? (answer.match(/-?\d[\d,]*(?:\.\d+)?/g) ?? []).at(-1);
  if (s === undefined) return null;
  const v = Number(s.replace(/,/g, ''));
  return Number.isFinite(v) ? v : null;
}

function queryDense(d: Float64Array, q: string, kind: QueryKind): void {
  const set = (name: string, v: number) => {
    d[DENSE_INDEX[name]] = v;
  };
  const words = q.match(/\S+/g) ?? [];
  const nums = numbersIn(q);
  const cls = classifyQuery(q);
  set('q.chars', log1p(q.length) / 6);
  set('q.words', log1p(words.length) / 5);
  set('q.lines', log1p(q.split('\n').length - 1) / 2);
  set('q.digits', log1p(count(q, /\d/g)) / 3);
  set('q.numbers', log1p(nums.length) / 2);
  set('q.operators', log1p(count(q, /[-+*/×÷=^<>]/g)) / 2);
  set('q.maxNumber', nums.length ? log1p(Math.max(...nums.map(Math.abs))) / 8 : 0);
  set('q.decimals', count(q, /\d\.\d/g) > 0 ? 1 : 0);
  set('q.percent', /%|percent/i.test(q) ? 1 : 0);
  set('q.money', /\$|dollars?|cents?/i.test(q) ? 1 : 0);
  set('q.questions', Math.min(3, count(q, /\?/g)) / 3);
  set('q.sentences', log1p(count(q, /[.!?](?:\s|$)/g)) / 2);
  set('q.choices', /(?:^|\n)\s*[A-D][.)]\s/m.test(q) ? 1 : 0);
  set('q.constraints', Math.min(3, cls.features.constraintCount) / 3);
  set('q.longWords', words.length ? words.filter((w) => w.length >= 10).length / words.length : 0);
  set('q.upper', words.length ? words.filter((w) => /^[A-Z]/.test(w)).length / words.length : 0);
  set(`kind.${kind}`, 1);
}

function answerDense(d: Float64Array, t: TurnInput, q: string): void {
  const set = (name: string, v: number) => {
    d[DENSE_INDEX[name]] = v;
  };
  const a = (t.answer ?? '').trim();
  const rerank = typeof t.rerank === 'number' && Number.isFinite(t.rerank) ? Math.min(1, Math.max(0, t.rerank)) : null;
  set('a.rerank', rerank ?? 0);
  set('a.rerankMissing', rerank === null ? 1 : 0);
  const sc = selfConfidence(t.logprobs);
  set('a.lpMean', sc.n ? Math.max(-5, sc.mean) / 5 : 0);
  set('a.lpMin', sc.n ? Math.max(-20, sc.min) / 20 : 0);
  set('a.lpMissing', sc.n ? 0 : 1);
  if (!a) {
    set('a.missing', 1);
    return;
  }
  const fin = finalNumber(a);
  const qNums = new Set(numbersIn(q));
  const arith = checkArithmetic(a);
  const lines = a.split('\n').map((l) => l.trim()).filter(Boolean);
  set('a.chars', log1p(a.length) / 7);
  set('a.lines', log1p(lines.length) / 3);
  set('a.numbers', log1p(numbersIn(a).length) / 3);
  set('a.final', /####|answer is|answer:|\\boxed/i.test(a) ? 1 : 0);
  set('a.finalInQuery', fin !== null && qNums.has(fin) ? 1 : 0);
  set('a.finalFraction', fin !== null && !Number.isInteger(fin) ? 1 : 0);
  set('a.finalNegative', fin !== null && fin < 0 ? 1 : 0);
  set('a.unfinished', /[.!?)\]"'*`\d]$/.test(a) ? 0 : 1);
  set('a.hedges', log1p(count(a, HEDGES)) / 2);
  set('a.arithRight', log1p(arith.right) / 2);
  set('a.arithWrong', log1p(arith.wrong));
  set('a.arithWrongShare', arith.right + arith.wrong ? arith.wrong / (arith.right + arith.wrong) : 0);
  set('a.repeats', lines.length ? 1 - new Set(lines).size / lines.length : 0);
  set('a.refusal', REFUSAL.test(a) ? 1 : 0);
}

/** Word unigrams and bigrams of the query (lowercased, numbers folded to "0"). */
export function queryGrams(q: string): string[] {
  const toks = (q.toLowerCase().match(WORD) ?? []).map((w) => (/^\d/.test(w) ? '0' : w));
  const out: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    out.push(`w:${toks[i]}`);
    if (i + 1 < toks.length) out.push(`b:${toks[i]} ${toks[i + 1]}`);
  }
  return out;
}

/**
 * The feature vector of one turn. `withAnswer` false = the "before" stage
 * (answer features all zero).
 */
export function extractFeatures(t: TurnInput, hashBits: number, withAnswer: boolean): SparseVector {
  const dense = new Float64Array(DENSE_FEATURES.length);
  const q = t.query;
  const kind = t.kind ?? classifyQuery(q).kind;
  queryDense(dense, q, kind);
  if (withAnswer) answerDense(dense, t, q);
  const mask = (1 << hashBits) - 1;
  const grams = queryGrams(q);
  const buckets: number[] = [];
  const values: number[] = [];
  // Each gram counts once; the vector is scaled to unit length over the grams.
  const uniq = [...new Set(grams)];
  const scale = uniq.length ? 1 / Math.sqrt(uniq.length) : 0;
  for (const g of uniq) {
    buckets.push(fnv1a(g) & mask);
    values.push(scale);
  }
  return { dense, buckets, values };
}
