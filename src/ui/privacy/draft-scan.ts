// The composer's privacy scan: pattern recognizers on every keystroke (fast,
// synchronous), NER debounced through the NLP worker, both merged and assessed
// for the current mode. Pure TypeScript (timers only); the reactive wrapper is
// DraftPrivacy in privacy.svelte.ts. Never logs or stores the text.
import type { Entity, Mode } from '../../core/types';
import { assessPrivacy, type AssessOptions, type PrivacyAssessment } from '../../core/privacy/assess';
import { mergeEntities, scanPatterns } from '../../core/privacy/scan';

export type NerFn = (text: string, signal: AbortSignal) => Promise<Entity[]>;

/** 'off': no NER configured; 'pending': NER results for this text are on their way; 'error': NER failed, patterns only. */
export type NerStatus = 'off' | 'pending' | 'done' | 'error';

export interface DraftScanResult {
  text: string;
  /** Pattern + NER entities, non-overlapping, offsets into `text`. */
  entities: Entity[];
  assessment: PrivacyAssessment;
  nerStatus: NerStatus;
}

export interface DraftScanOptions {
  mode: Mode;
  alpha?: number;
  sensitivity?: AssessOptions['sensitivity'];
  ner?: NerFn | null;
  /** Pause after the last keystroke before NER runs (default 300 ms). */
  debounceMs?: number;
  /** After a NER failure, patterns only for this long (default 30 s) — a missing model is not re-fetched per keystroke. */
  errorCooldownMs?: number;
  onResult?: (r: DraftScanResult) => void;
  now?: () => number;
}

interface NerResult {
  text: string;
  entities: Entity[];
}

const WORDISH = /[\p{L}\p{N}_]/u;

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/** The occurrence of `value` as a whole word nearest to `near`, or -1. */
function nearestWord(text: string, value: string, near: number): number {
  let best = -1;
  for (let i = text.indexOf(value); i >= 0; i = text.indexOf(value, i + 1)) {
    const before = i > 0 ? text[i - 1] : '';
    const after = text[i + value.length] ?? '';
    if ((before && WORDISH.test(before)) || (after && WORDISH.test(after))) continue;
    if (best < 0 || Math.abs(i - near) < Math.abs(best - near)) best = i;
  }
  return best;
}

/**
 * NER entities computed for an earlier version of the text, carried over to
 * the current one until NER runs again: unchanged where they sit before or
 * after the edited region (shifted by the length change), else the nearest
 * whole-word occurrence of the same value; dropped when the value is gone.
 */
export function carryOver(prev: NerResult, text: string): Entity[] {
  if (prev.text === text) return prev.entities;
  const p = commonPrefix(prev.text, text);
  const q = commonSuffix(prev.text, text, Math.min(prev.text.length, text.length) - p);
  const delta = text.length - prev.text.length;
  const out: Entity[] = [];
  for (const e of prev.entities) {
    // Same value with the same neighbours (so "Bob" → "Bobby" is not kept).
    const same = (s: number) =>
      text.slice(s, s + e.text.length) === e.text && text[s - 1] === prev.text[e.start - 1] && text[s + e.text.length] === prev.text[e.end];
    let start = -1;
    if (e.end <= p && same(e.start)) start = e.start;
    else if (e.start >= prev.text.length - q && same(e.start + delta)) start = e.start + delta;
    else if (e.text.length >= 2) start = nearestWord(text, e.text, e.start + delta);
    if (start < 0) continue;
    out.push(start === e.start ? e : { ...e, start, end: start + e.text.length });
  }
  return out;
}

export class DraftScanner {
  private opts: DraftScanOptions;
  private text = '';
  private ner: NerResult | null = null;
  private nerStatus: NerStatus;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private wanted: string | null = null;
  private seq = 0;
  private acceptedSeq = 0;
  private cooldownUntil = 0;
  private readonly abort = new AbortController();
  private last: DraftScanResult;

  constructor(opts: DraftScanOptions) {
    this.opts = opts;
    this.nerStatus = opts.ner ? 'done' : 'off';
    this.last = this.compose();
  }

  get result(): DraftScanResult {
    return this.last;
  }

  get mode(): Mode {
    return this.opts.mode;
  }

  set mode(mode: Mode) {
    if (mode === this.opts.mode) return;
    this.opts = { ...this.opts, mode };
    this.emit();
  }

  get alpha(): number | undefined {
    return this.opts.alpha;
  }

  /** The live α from Settings, so the preview assesses exactly like the turn will. */
  set alpha(alpha: number | undefined) {
    if (alpha === this.opts.alpha) return;
    this.opts = { ...this.opts, alpha };
    this.emit();
  }

  /** New draft text: patterns now, NER after the pause. */
  update(text: string): DraftScanResult {
    if (text === this.text && this.timer === null) return this.last;
    this.text = text;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.nerEnabled() && text.trim() !== '' && this.ner?.text !== text) {
      this.nerStatus = 'pending';
      this.timer = setTimeout(() => {
        this.timer = null;
        this.request(this.text);
      }, this.opts.debounceMs ?? 300);
    } else if (this.nerStatus === 'pending') {
      this.nerStatus = 'done';
    }
    return this.emit();
  }

  /**
   * The result with NER for exactly the current text (at send time): skips
   * the pause. Never rejects: on NER failure the result has nerStatus 'error'.
   */
  async scanNow(): Promise<DraftScanResult> {
    const text = this.text;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (!this.opts.ner || text.trim() === '' || this.ner?.text === text) return this.emit();
    await this.run(text, ++this.seq);
    return this.text === text ? this.last : this.compose(text);
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
  }

  private nerEnabled(): boolean {
    return !!this.opts.ner && (this.opts.now ?? Date.now)() >= this.cooldownUntil;
  }

  /** Single flight: while a NER call runs, only the latest wanted text waits. */
  private request(text: string): void {
    if (this.running) {
      this.wanted = text;
      return;
    }
    this.running = this.run(text, ++this.seq).finally(() => {
      this.running = null;
      const next = this.wanted;
      this.wanted = null;
      if (next !== null && next === this.text && this.ner?.text !== next) this.request(next);
    });
  }

  private async run(text: string, seq: number): Promise<void> {
    const ner = this.opts.ner;
    if (!ner || this.abort.signal.aborted) return;
    try {
      const entities = await ner(text, this.abort.signal);
      if (seq < this.acceptedSeq) return; // a newer result is already in
      this.acceptedSeq = seq;
      this.ner = { text, entities };
      if (text === this.text) this.nerStatus = 'done';
    } catch (err) {
      if ((err as { name?: string } | null)?.name === 'AbortError') return;
      this.cooldownUntil = (this.opts.now ?? Date.now)() + (this.opts.errorCooldownMs ?? 30_000);
      this.nerStatus = 'error';
    }
    if (!this.abort.signal.aborted) this.emit();
  }

  private compose(text = this.text): DraftScanResult {
    const patterns = scanPatterns(text);
    const ner = this.ner ? carryOver(this.ner, text) : [];
    const entities = mergeEntities(patterns, ner);
    const assessment = assessPrivacy(entities, { mode: this.opts.mode, alpha: this.opts.alpha, sensitivity: this.opts.sensitivity });
    return { text, entities, assessment, nerStatus: this.nerStatus };
  }

  private emit(): DraftScanResult {
    this.last = this.compose();
    this.opts.onResult?.(this.last);
    return this.last;
  }
}
