// Pure helpers for the web-llm engine: load progress (bytes, percent, ETA)
// from web-llm's InitProgressReport, usage mapping, entropy from top log-probs.
// core/ imports nothing from engines/: these mirror engines/types.ts
// structurally (LoadProgress, ChatUsage, TokenLogprob), so they are assignable.
export interface LoadProgress {
  fraction: number | null;
  loadedBytes: number;
  totalBytes: number | null;
  etaSeconds: number | null;
  text: string;
  /**
   * 'download': files are arriving; 'init': everything is on the device and
   * the model is being set up in memory (where a phone's system may kill the
   * tab). The manager records it so the next start can tell the two apart.
   */
  stage?: 'download' | 'init';
}
export interface ChatUsage {
  promptTokens: number;
  outputTokens: number;
  prefillTps: number | null;
  decodeTps: number | null;
  timeToFirstTokenMs: number | null;
  totalMs: number;
}
export interface TokenLogprob {
  token: string;
  logprob: number;
  entropy?: number;
}

const MiB = 1024 * 1024;

/** web-llm's `InitProgressReport` (progress 0..1, seconds elapsed, text). */
export interface InitReport {
  progress: number;
  timeElapsed: number;
  text: string;
}

export type LoadPhase = 'download' | 'gpu-load' | 'other' | 'done';

/** Which stage web-llm is in, from its progress text (tvmjs wording, 0.2.86). */
export function phaseOf(text: string): LoadPhase {
  if (/^Fetching param cache|^Start to fetch params/i.test(text)) return 'download';
  if (/^Loading model from cache/i.test(text)) return 'gpu-load';
  if (/^Finish loading/i.test(text)) return 'done';
  return 'other';
}

/** "Fetching param cache[3/24]: 120MB fetched. 41% completed…" → 120 MiB in bytes. */
export function bytesFromText(text: string): number | null {
  const m = /(\d+(?:\.\d+)?)\s*MB (?:fetched|loaded)/i.exec(text);
  return m ? Number(m[1]) * MiB : null;
}

const PHASE_LABEL: Record<LoadPhase, string> = {
  download: 'Downloading model',
  'gpu-load': 'Loading model into GPU memory',
  other: 'Preparing model',
  done: 'Model ready',
};

/**
 * Turns the stream of web-llm reports into LoadProgress with bytes and an
 * ETA from the observed rate (smoothed). Bytes come from web-llm's text when
 * it gives them, else from `sizeMB × progress`. The rate baseline restarts
 * when the phase changes (download → loading into GPU memory).
 */
export class ProgressTracker {
  private phase: LoadPhase | null = null;
  private lastT = 0;
  private lastBytes = 0;
  private rate: number | null = null; // bytes per second, EWMA
  private stage: 'download' | 'init' = 'download';

  constructor(
    private readonly sizeMB: number,
    private readonly now: () => number = () => Date.now(),
    private readonly label = '',
  ) {}

  update(r: InitReport): LoadProgress {
    const phase = phaseOf(r.text);
    if (phase === 'gpu-load' || phase === 'done') this.stage = 'init';
    const fraction = Number.isFinite(r.progress) ? Math.min(1, Math.max(0, r.progress)) : null;
    const totalBytes = this.sizeMB > 0 ? Math.round(this.sizeMB * MiB) : null;
    let loadedBytes = bytesFromText(r.text) ?? (fraction !== null && totalBytes !== null ? fraction * totalBytes : 0);
    if (totalBytes !== null) loadedBytes = Math.min(loadedBytes, totalBytes);
    const t = this.now();

    if (phase !== this.phase) {
      this.phase = phase;
      this.rate = null;
      this.lastT = t;
      this.lastBytes = loadedBytes;
    } else if (t > this.lastT && loadedBytes >= this.lastBytes) {
      const inst = ((loadedBytes - this.lastBytes) / (t - this.lastT)) * 1000;
      this.rate = this.rate === null ? inst : 0.3 * inst + 0.7 * this.rate;
      this.lastT = t;
      this.lastBytes = loadedBytes;
    }

    let etaSeconds: number | null = null;
    if (phase === 'done' || fraction === 1) etaSeconds = 0;
    else if (this.rate !== null && this.rate > 0 && totalBytes !== null) {
      etaSeconds = Math.max(0, (totalBytes - loadedBytes) / this.rate);
    }

    const pct = fraction !== null ? ` ${Math.floor(fraction * 100)}%` : '';
    const name = this.label ? ` ${this.label}` : '';
    const text = phase === 'other' ? r.text : `${PHASE_LABEL[phase]}${name}…${phase === 'done' ? '' : pct}`;
    return {
      fraction: phase === 'done' ? 1 : fraction,
      loadedBytes: Math.round(loadedBytes),
      totalBytes,
      etaSeconds: etaSeconds === null ? null : Math.round(etaSeconds),
      text,
      stage: this.stage,
    };
  }
}

/** The subset of web-llm's CompletionUsage we read. */
export interface WebLlmUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  extra?: {
    prefill_tokens_per_s?: number;
    decode_tokens_per_s?: number;
    time_to_first_token_s?: number;
    e2e_latency_s?: number;
  };
}

function finitePositive(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : null;
}

/**
 * ChatUsage from web-llm's usage chunk, falling back to what the page
 * measured (first-token and total wall time, counted tokens) when absent.
 */
export function mapUsage(
  usage: WebLlmUsage | null | undefined,
  measured: { ttftMs: number | null; totalMs: number; outputTokens: number; promptTokens?: number },
): ChatUsage {
  const x = usage?.extra ?? {};
  const ttft = finitePositive(x.time_to_first_token_s);
  const e2e = finitePositive(x.e2e_latency_s);
  return {
    promptTokens: usage?.prompt_tokens ?? measured.promptTokens ?? 0,
    outputTokens: usage?.completion_tokens ?? measured.outputTokens,
    prefillTps: finitePositive(x.prefill_tokens_per_s),
    decodeTps: finitePositive(x.decode_tokens_per_s),
    timeToFirstTokenMs: ttft !== null ? ttft * 1000 : measured.ttftMs,
    totalMs: e2e !== null ? e2e * 1000 : measured.totalMs,
  };
}

/**
 * Entropy (nats) of the next-token distribution from its top-k log-probs.
 * Only the top k are known: the remaining mass r = 1 − Σp is counted as one
 * outcome, so this is a lower bound of the true entropy (exact when r = 0).
 */
export function entropyFromTopLogprobs(top: ReadonlyArray<{ logprob: number }>): number | undefined {
  if (top.length === 0) return undefined;
  let h = 0;
  let mass = 0;
  for (const { logprob } of top) {
    if (!Number.isFinite(logprob)) continue;
    const p = Math.exp(logprob);
    mass += p;
    h -= p * logprob;
  }
  const r = 1 - mass;
  if (r > 1e-9) h -= r * Math.log(r);
  return Math.max(0, h);
}

/** web-llm's ChatCompletionTokenLogprob subset. */
export interface WebLlmTokenLogprob {
  token: string;
  logprob: number;
  top_logprobs?: ReadonlyArray<{ token: string; logprob: number }>;
}

export function mapLogprob(lp: WebLlmTokenLogprob): TokenLogprob {
  const out: TokenLogprob = { token: lp.token, logprob: lp.logprob };
  const h = lp.top_logprobs && lp.top_logprobs.length > 0 ? entropyFromTopLogprobs(lp.top_logprobs) : undefined;
  if (h !== undefined) out.entropy = h;
  return out;
}
