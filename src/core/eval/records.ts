// The labeled-record format of the evaluation harness (one JSON object per
// line) and its validation. Pure string → data; errors name the line.
//
// {"query": str, "kind"?: str,
//  "local": {"answer": str, "correct": 0..1, "consistency"?: number, "latencyMs"?: number,
//            "logprobs"?: [number | {"logprob": number}]},
//  "cloud": {"answer": str, "correct": 0..1, "latencyMs"?: number, "costUsd"?: number}}
import type { QueryKind } from '../types';
import { QUERY_KINDS } from '../capability/classify';

export interface EvalRecord {
  /** 1-based line in the source file. */
  line: number;
  query: string;
  kind?: QueryKind;
  local: { answer: string; correct: number; consistency?: number; latencyMs?: number; logprobs?: { logprob: number }[] };
  cloud: { answer: string; correct: number; latencyMs?: number; costUsd?: number };
}

export class RecordError extends Error {
  override name = 'RecordError';
  /** line 0 = the file as a whole. */
  constructor(readonly line: number, readonly reason: string) {
    super(line ? `line ${line}: ${reason}` : reason);
  }
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => !!x && typeof x === 'object' && !Array.isArray(x);

function str(o: Obj, key: string, where: string, line: number): string {
  const v = o[key];
  if (typeof v !== 'string') throw new RecordError(line, `${where}${key} must be a string`);
  return v;
}

function optNum(o: Obj, key: string, where: string, line: number, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RecordError(line, `${where}${key} must be a number`);
  if (v < min || v > max) throw new RecordError(line, `${where}${key} must be in [${min}, ${max}], got ${v}`);
  return v;
}

function correct(o: Obj, where: string, line: number): number {
  const v = o.correct;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = optNum(o, 'correct', where, line, 0, 1);
  if (n === undefined) throw new RecordError(line, `${where}correct is required (0..1)`);
  return n;
}

function logprobs(o: Obj, line: number): { logprob: number }[] | undefined {
  const v = o.logprobs;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new RecordError(line, 'local.logprobs must be an array of numbers');
  return v.map((x, i) => {
    const lp = typeof x === 'number' ? x : isObj(x) ? x.logprob : undefined;
    if (typeof lp !== 'number' || !Number.isFinite(lp) || lp > 0) {
      throw new RecordError(line, `local.logprobs[${i}] must be a log-probability (a number ≤ 0)`);
    }
    return { logprob: lp };
  });
}

/** Validates one parsed record. */
export function toRecord(raw: unknown, line: number): EvalRecord {
  if (!isObj(raw)) throw new RecordError(line, 'expected a JSON object');
  const query = str(raw, 'query', '', line);
  let kind: QueryKind | undefined;
  if (raw.kind !== undefined && raw.kind !== null) {
    if (typeof raw.kind !== 'string' || !(QUERY_KINDS as readonly string[]).includes(raw.kind)) {
      throw new RecordError(line, `kind must be one of ${QUERY_KINDS.join(', ')}, got ${JSON.stringify(raw.kind)}`);
    }
    kind = raw.kind as QueryKind;
  }
  const l = raw.local;
  const c = raw.cloud;
  if (!isObj(l)) throw new RecordError(line, 'local must be an object');
  if (!isObj(c)) throw new RecordError(line, 'cloud must be an object');
  return {
    line,
    query,
    kind,
    local: {
      answer: str(l, 'answer', 'local.', line),
      correct: correct(l, 'local.', line),
      consistency: optNum(l, 'consistency', 'local.', line, -Infinity, Infinity),
      latencyMs: optNum(l, 'latencyMs', 'local.', line, 0, Infinity),
      logprobs: logprobs(l, line),
    },
    cloud: {
      answer: str(c, 'answer', 'cloud.', line),
      correct: correct(c, 'cloud.', line),
      latencyMs: optNum(c, 'latencyMs', 'cloud.', line, 0, Infinity),
      costUsd: optNum(c, 'costUsd', 'cloud.', line, 0, Infinity),
    },
  };
}

/** Parses JSONL; blank lines are skipped. Throws RecordError naming the first bad line. */
export function parseRecords(content: string): EvalRecord[] {
  const out: EvalRecord[] = [];
  content.split(/\r?\n/).forEach((text, i) => {
    if (!text.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new RecordError(i + 1, 'not valid JSON');
    }
    out.push(toRecord(raw, i + 1));
  });
  if (out.length === 0) throw new RecordError(0, 'no records');
  return out;
}
