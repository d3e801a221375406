import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../core/types';
import { Tensor } from '@huggingface/transformers';
import { LogprobRecorder, trimHistory } from './generate';
import { mapLogprob } from '../core/engine/metrics';

// One "token" per character of content plus 2 per message: easy to reason about.
const count = (msgs: ChatMessage[]): number => msgs.reduce((n, m) => n + m.content.length + 2, 0);
const u = (c: string): ChatMessage => ({ role: 'user', content: c });
const a = (c: string): ChatMessage => ({ role: 'assistant', content: c });
const s = (c: string): ChatMessage => ({ role: 'system', content: c });

describe('trimHistory', () => {
  it('keeps everything when it fits', () => {
    const msgs = [s('sys'), u('q1'), a('a1'), u('q2')];
    expect(trimHistory(msgs, count, 1000)).toEqual(msgs);
  });

  it('drops the oldest turns first and keeps system + last message', () => {
    const msgs = [s('sys'), u('q1xxxxxxxx'), a('a1xxxxxxxx'), u('q2'), a('a2'), u('q3')];
    const out = trimHistory(msgs, count, count([s('sys'), u('q2'), a('a2'), u('q3')]));
    expect(out).toEqual([s('sys'), u('q2'), a('a2'), u('q3')]);
  });

  it('never leaves an orphan assistant reply at the start', () => {
    const msgs = [u('q1'), a('a1 long long long'), u('q2')];
    const out = trimHistory(msgs, count, count([a('a1 long long long'), u('q2')]));
    expect(out).toEqual([u('q2')]);
  });

  it('returns the minimal history when nothing else can go', () => {
    const msgs = [s('system prompt'), u('q1'), a('a1'), u('a very long final question')];
    expect(trimHistory(msgs, count, 3)).toEqual([s('system prompt'), u('a very long final question')]);
  });

  it('does not mutate its input and handles empty input', () => {
    const msgs = [u('q1'), a('a1'), u('q2')];
    const copy = structuredClone(msgs);
    trimHistory(msgs, count, 1);
    expect(msgs).toEqual(copy);
    expect(trimHistory([], count, 1)).toEqual([]);
  });
});

describe('LogprobRecorder: scored like web-llm', () => {
  it('log-probs at temperature 1 and entropy over the top 5, exactly what web-llm’s top_logprobs give', () => {
    const logits = [0.5, 3, -1, 2, 2.5, 0, 4, 1, -2, 3.5];
    const rec = new LogprobRecorder();
    rec._call([[0n]], new Tensor('float32', Float32Array.from(logits), [1, logits.length]));
    const got = rec.take(6)!;
    const lse = Math.log(logits.reduce((s, x) => s + Math.exp(x), 0));
    expect(got.logprob).toBeCloseTo(4 - lse, 5);
    // What web-llm (temperature 1, top_logprobs 5) would stream for the same step.
    const top5 = [...logits].sort((x, y) => y - x).slice(0, 5).map((x) => ({ token: '', logprob: x - lse }));
    const webllm = mapLogprob({ token: 't', logprob: 4 - lse, top_logprobs: top5 });
    expect(got.entropy).toBeCloseTo(webllm.entropy!, 5);
    expect(rec.take(6)).toBeNull(); // one step, one token
  });
});
