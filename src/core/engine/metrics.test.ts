import { describe, expect, it } from 'vitest';
import { bytesFromText, entropyFromTopLogprobs, mapLogprob, mapUsage, phaseOf, ProgressTracker } from './metrics';

const MiB = 1024 * 1024;

describe('ProgressTracker', () => {
  it('reports bytes from web-llm text, percent and an ETA from the rate', () => {
    let t = 0;
    const tr = new ProgressTracker(290, () => t, 'Qwen');
    const a = tr.update({ progress: 0, timeElapsed: 0, text: 'Start to fetch params' });
    expect(a).toMatchObject({ fraction: 0, loadedBytes: 0, totalBytes: 290 * MiB, etaSeconds: null });
    t = 10_000;
    const b = tr.update({ progress: 0.2, timeElapsed: 10, text: 'Fetching param cache[5/24]: 58MB fetched. 20% completed, 10 secs elapsed.' });
    expect(b.loadedBytes).toBe(58 * MiB);
    expect(b.fraction).toBeCloseTo(0.2);
    // 5.8 MB/s, 232 MB left → 40 s
    expect(b.etaSeconds).toBe(40);
    expect(b.text).toBe('Downloading model Qwen… 20%');
  });

  it('uses sizeMB × progress when web-llm gives no bytes, and restarts the rate per phase', () => {
    let t = 0;
    const tr = new ProgressTracker(100, () => t);
    tr.update({ progress: 0.5, timeElapsed: 0, text: 'Loading model from cache[1/10]: 50MB loaded.' });
    t = 1000;
    const p = tr.update({ progress: 0.6, timeElapsed: 1, text: 'Loading GPU shader modules[3/40]: 60% completed' });
    expect(p.loadedBytes).toBe(60 * MiB);
    expect(p.etaSeconds).toBeNull(); // new phase: no rate yet
    t = 2000;
    const q = tr.update({ progress: 0.8, timeElapsed: 2, text: 'Loading GPU shader modules[30/40]: 80% completed' });
    expect(q.etaSeconds).toBe(1); // 20 MB/s, 20 MB left
  });

  it('finishes at 1 with ETA 0', () => {
    const tr = new ProgressTracker(100, () => 0);
    expect(tr.update({ progress: 1, timeElapsed: 3, text: 'Finish loading on WebGPU - google' })).toMatchObject({ fraction: 1, etaSeconds: 0 });
  });

  it('parses phases and bytes', () => {
    expect(phaseOf('Fetching param cache[1/2]: 1MB fetched.')).toBe('download');
    expect(phaseOf('Loading model from cache[1/2]: 1MB loaded.')).toBe('gpu-load');
    expect(bytesFromText('…: 120MB fetched. 41% completed')).toBe(120 * MiB);
    expect(bytesFromText('no bytes here')).toBeNull();
  });
});

describe('mapUsage', () => {
  it('prefers web-llm usage.extra', () => {
    const u = mapUsage(
      { prompt_tokens: 12, completion_tokens: 30, extra: { prefill_tokens_per_s: 400, decode_tokens_per_s: 25, time_to_first_token_s: 0.2, e2e_latency_s: 1.5 } },
      { ttftMs: 999, totalMs: 9999, outputTokens: 1 },
    );
    expect(u).toEqual({ promptTokens: 12, outputTokens: 30, prefillTps: 400, decodeTps: 25, timeToFirstTokenMs: 200, totalMs: 1500 });
  });
  it('falls back to measured values', () => {
    expect(mapUsage(null, { ttftMs: 50, totalMs: 700, outputTokens: 9 })).toEqual({
      promptTokens: 0, outputTokens: 9, prefillTps: null, decodeTps: null, timeToFirstTokenMs: 50, totalMs: 700,
    });
  });
});

describe('entropy from top log-probs', () => {
  it('is exact when the top-k hold all the mass', () => {
    const h = entropyFromTopLogprobs([{ logprob: Math.log(0.5) }, { logprob: Math.log(0.5) }]);
    expect(h).toBeCloseTo(Math.log(2), 10);
  });
  it('counts the remaining mass as one outcome (a lower bound)', () => {
    const h = entropyFromTopLogprobs([{ logprob: Math.log(0.5) }]) ?? 0;
    expect(h).toBeCloseTo(Math.log(2), 10);
  });
  it('is 0 for a certain token and undefined without data', () => {
    expect(entropyFromTopLogprobs([{ logprob: 0 }])).toBe(0);
    expect(entropyFromTopLogprobs([])).toBeUndefined();
  });
  it('maps web-llm token log-probs', () => {
    expect(mapLogprob({ token: 'hi', logprob: -0.1, top_logprobs: [] })).toEqual({ token: 'hi', logprob: -0.1 });
    const lp = mapLogprob({ token: 'a', logprob: Math.log(0.9), top_logprobs: [{ token: 'a', logprob: Math.log(0.9) }, { token: 'b', logprob: Math.log(0.1) }] });
    expect(lp.entropy).toBeGreaterThan(0.3);
  });
});
