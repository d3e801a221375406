// A cheap, pure pre-generation classifier: keyword/regex rules + length, over
// the seed's query kinds. Runs in microseconds; no model.
import type { QueryKind } from '../types';
import { estimateTokens } from '../latency/model';

export const QUERY_KINDS: readonly QueryKind[] = [
  'greeting', 'translation', 'knowledge', 'code', 'logic', 'math', 'analysis', 'creative',
];

/**
 * Difficulty of each kind for a small local model, from the seed's capability
 * chart (the share of the capability axis each kind needs).
 */
export const KIND_DIFFICULTY: Readonly<Record<QueryKind, number>> = Object.freeze({
  greeting: 0.1,
  translation: 0.2,
  knowledge: 0.35,
  code: 0.5,
  logic: 0.65,
  math: 0.75,
  analysis: 0.85,
  creative: 0.45,
});

export type ConstraintTag =
  | 'word-target' | 'step-by-step' | 'rigorous' | 'proof' | 'list' | 'format'
  | 'multi-part' | 'exactness' | 'sources' | 'restriction';

export interface QueryFeatures {
  /** Characters. */
  length: number;
  words: number;
  /** Estimated prompt tokens (text only, no template). */
  tokens: number;
  lines: number;
  hasCodeBlock: boolean;
  /** Explicit length request in words ("in 500 words", "a 300-word essay"). */
  wordTarget: number | null;
  constraints: ConstraintTag[];
  constraintCount: number;
}

export interface QueryClassification {
  kind: QueryKind;
  /** 0..1: how clearly the rules pointed at this kind. */
  confidence: number;
  /** 0..1: kind difficulty + constraints + length. */
  difficulty: number;
  features: QueryFeatures;
  /** Rule scores per kind (for explanations and debugging). */
  scores: Record<QueryKind, number>;
}

type Rule = [QueryKind, RegExp, number];

/** On equal scores the more specific kind wins; knowledge is the fallback. */
const TIE_ORDER: readonly QueryKind[] = [
  'greeting', 'translation', 'code', 'math', 'logic', 'analysis', 'creative', 'knowledge',
];

const LANGS =
  '(?:english|french|spanish|german|italian|portuguese|dutch|russian|chinese|mandarin|japanese|korean|arabic|hindi|turkish|polish|swedish|norwegian|danish|finnish|greek|hebrew|vietnamese|thai|indonesian|ukrainian|czech|latin)';

const RULES: Rule[] = [
  // greeting
  ['greeting', /^\s*(?:hi+|hello+|hey+|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening|night)|bonjour|hola|hallo|ciao|salut|thanks|thank you|thx|cheers|bye|goodbye|see you)\b/i, 3],
  ['greeting', /\bhow are you\b|\bwhat'?s up\b|\bnice to meet you\b/i, 2.5],
  // translation
  ['translation', /\btranslat(?:e|ion|ing)\b/i, 4],
  ['translation', new RegExp(`\\b(?:into|to|in) ${LANGS}\\b`, 'i'), 1.5],
  ['translation', /\bhow (?:do|would) (?:you|i) say\b/i, 3],
  ['translation', new RegExp(`\\bwhat(?:'s| is| does)\\b.*\\b(?:in|mean in) ${LANGS}\\b`, 'i'), 1.5],
  // code
  ['code', /```|\b(?:def|function|const|let|var|import|return|class|public|static|void)\b.*[({;=]/, 4],
  ['code', /\b(?:code|coding|program|script|function|method|class|variable|compile[rs]?|debug|bug|stack ?trace|exception|refactor|unit tests?|regex|regular expression|api|endpoint|sql|query|json|yaml|html|css|dockerfile|git)\b/i, 2],
  ['code', /\b(?:python|javascript|typescript|java|kotlin|swift|rust|golang|c\+\+|c#|ruby|php|bash|shell|node\.?js|react|svelte|pandas|numpy)\b/i, 2.5],
  ['code', /\b(?:implement|write|fix|optimi[sz]e)\b.*\b(?:function|class|script|program|algorithm|code|method)\b/i, 2],
  ['code', /=>|\w+\(\)|;\s*$|\{\s*$|<\/?\w+>/m, 1],
  // math
  ['math', /\b(?:prove|proof|theorem|lemma|corollary|integral|integrate|derivative|differentiate|equation|solve for|polynomial|matrix|matrices|eigen\w*|probability|expected value|prime numbers?|logarithm|factorial|limit of|series|converge\w*|modulo|gcd|lcm)\b/i, 3],
  ['math', /\b(?:calculate|compute|how much is|what is \d+|sum of|product of|square root|percent(?:age)? of)\b/i, 2],
  ['math', /\d\s*[-+*/^×÷=]\s*\(?\d|\\(?:frac|int|sum|sqrt)|\b[a-z]\s*\^\s*\d|√|∫|∑/i, 2],
  ['math', /\b(?:irrational|infinitely many|for all (?:integers|n|x|real)|there exist)\b/i, 2],
  // logic
  ['logic', /\b(?:puzzle|riddle|logic(?:al)?|deduce|deduction|syllogism|paradox|knights? and knaves?|who is lying|truth-?teller|liar)\b/i, 3],
  ['logic', /\bif\b.+\bthen\b|\btrue or false\b|\bwhich of (?:these|the following)\b|\bimplies\b|\bcontradiction\b/i, 1.5],
  ['logic', /\b(?:reason(?:ing)?|step[- ]by[- ]step)\b/i, 0.5],
  ['logic', /\b(?:all|no|some) \w+ are \w+.*\b(?:all|no|some|are)\b.*\?|\bmust (?:be|have) (?:true|false)\b/i, 2.5],
  // analysis
  ['analysis', /\b(?:analy[sz]e|analysis|compare|comparison|contrast|evaluate|assess|critique|pros and cons|trade-?offs?|implications?|strengths and weaknesses|swot|in-depth|in depth|root cause|strategy|recommend(?:ation)?s?|forecast|review (?:of|this))\b/i, 3],
  ['analysis', /\b(?:summari[sz]e|summary|report|impact of|why did|what caused|break down)\b/i, 1.5],
  // creative
  ['creative', /\b(?:poem|poetry|haiku|limerick|sonnet|story|short story|tale|fable|lyrics|song|novel|screenplay|script for a|fiction|joke|slogan|tagline|toast|rap|verse)\b/i, 3],
  ['creative', /\b(?:write|compose|imagine|invent|make up|come up with)\b/i, 1],
  ['creative', /\b(?:creative|funny|whimsical|rhyming|in the style of)\b/i, 1.5],
  // knowledge
  ['knowledge', /^\s*(?:what|who|when|where|which|why|how|is|are|does|do|can|explain|define|tell me|describe)\b/i, 1],
  ['knowledge', /\b(?:what is|what are|who is|who was|when did|where is|meaning of|definition of|explain|capital of|history of|difference between)\b/i, 1],
];

const CONSTRAINTS: [ConstraintTag, RegExp][] = [
  ['step-by-step', /\bstep[- ]by[- ]step\b|\bshow (?:your|all) (?:work|steps)\b|\bexplain each step\b/i],
  ['rigorous', /\brigorous(?:ly)?\b|\bformal(?:ly)?\b|\bairtight\b|\bwith full (?:detail|justification)\b/i],
  ['proof', /\bprove\b|\bproof\b|\bdemonstrate that\b|\bshow that\b/i],
  ['format', /\b(?:as|in) (?:a )?(?:table|json|yaml|csv|markdown|bullet(?:ed)? (?:points|list)|numbered list)\b|\bformat(?:ted)? as\b/i],
  ['exactness', /\bexactly\b|\bat least \d+|\bat most \d+|\bno more than\b|\bno fewer than\b|\bprecisely\b/i],
  ['sources', /\bcite\b|\bcitations?\b|\breferences?\b|\bsources?\b/i],
  ['restriction', /\bwithout (?:using|mentioning)\b|\bdo not use\b|\bdon'?t use\b|\bavoid (?:using|the word)\b|\bmust (?:not|include|use|be)\b|\bonly use\b/i],
];

const WORD_TARGET = /\b(\d{2,5})[- ]?(?:words?|word-long)\b|\b(?:in|of|about|around|at least|under|within) (\d{2,5}) words\b/i;

export function extractFeatures(text: string): QueryFeatures {
  const t = text ?? '';
  const trimmed = t.trim();
  const words = trimmed ? trimmed.split(/\s+/).length : 0;
  const lines = trimmed ? trimmed.split(/\r?\n/).length : 0;
  const constraints: ConstraintTag[] = [];
  for (const [tag, re] of CONSTRAINTS) if (re.test(t)) constraints.push(tag);
  let wordTarget: number | null = null;
  const wm = WORD_TARGET.exec(t);
  if (wm) {
    wordTarget = Number(wm[1] ?? wm[2]);
    constraints.push('word-target');
  }
  const listItems = t.split(/\r?\n/).filter((l) => /^\s*(?:[-*•]|\d+[.)])\s+/.test(l)).length;
  if (listItems >= 2) constraints.push('list');
  const questions = (t.match(/\?/g) ?? []).length;
  if (questions >= 3 || /\b(?:also|additionally|and then|secondly|furthermore)\b/i.test(t) && questions >= 2) {
    constraints.push('multi-part');
  }
  return {
    length: t.length,
    words,
    tokens: estimateTokens(t),
    lines,
    hasCodeBlock: t.includes('```'),
    wordTarget,
    constraints,
    constraintCount: constraints.length,
  };
}

/** Length contribution to difficulty: 0 for short prompts, up to 0.2 for very long ones. */
function lengthDifficulty(tokens: number): number {
  return Math.min(0.2, Math.max(0, tokens - 60) / 2000);
}

export function classifyQuery(text: string): QueryClassification {
  const t = text ?? '';
  const features = extractFeatures(t);
  const scores = Object.fromEntries(QUERY_KINDS.map((k) => [k, 0])) as Record<QueryKind, number>;
  for (const [kind, re, w] of RULES) if (re.test(t)) scores[kind] += w;

  // Length shaping: greetings are short; long prompts are rarely greetings.
  if (features.words > 8) scores.greeting *= 0.2;
  else if (features.words <= 3 && scores.greeting > 0) scores.greeting += 1;
  // A proof request is math even when it mentions "logic" or "reasoning".
  if (features.constraints.includes('proof')) scores.math += 1;
  // A word target with a writing verb is a composition task.
  if (features.wordTarget && /\b(?:write|compose|draft)\b/i.test(t) && scores.analysis < 2) scores.creative += 1.5;

  let kind: QueryKind = 'knowledge';
  let top = 0;
  let second = 0;
  for (const k of TIE_ORDER) {
    const s = scores[k];
    if (s > top) {
      second = top;
      top = s;
      kind = k;
    } else if (s > second) {
      second = s;
    }
  }
  // No rule fired: a generic question/statement → knowledge, low confidence.
  const confidence = top === 0 ? 0.3 : clamp01((top - second + 1) / (top + 1));
  const difficulty = clamp01(
    KIND_DIFFICULTY[kind] + 0.1 * features.constraintCount + lengthDifficulty(features.tokens),
  );
  return { kind, confidence: round3(confidence), difficulty: round3(difficulty), features, scores };
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
