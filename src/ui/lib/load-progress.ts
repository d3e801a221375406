// The one loading bar: what the engine reports, mapped onto phases that never
// go backwards and never show 100 % before the model can answer. Downloads
// fill the first part of the bar (bytes and an ETA where known; for ONNX the
// runtime's wasm is one of the downloads); preparing the model (compiling it
// and its runtime) and measuring this device's speed fill the rest. Pure.
import type { LoadProgress } from '../../core/engine/metrics';

export interface LoadView {
  /** 0–99 while loading; never less than the last shown value. */
  pct: number;
  /** The named phase: "Downloading the model", "Preparing the model", … */
  phase: string;
  /** Bytes, percentage, time left — or the engine's own text. */
  detail: string;
}

/** Where each phase ends on the bar. */
const DOWNLOAD_END = 80;
/** Preparing starts where the downloads end: its length is not known, so it does not move the bar. */
const PREPARE_AT = DOWNLOAD_END;
const MEASURE_AT = 95;
const MAX_BEFORE_READY = 99;

export function formatMB(n: number): string {
  if (n < 1024 ** 2) return `${Math.max(1, Math.round(n / 1024))} KB`;
  return `${(n / 1024 ** 2).toFixed(1)} MB`;
}

function eta(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '';
  if (s < 5) return 'a few seconds left';
  if (s < 60) return `about ${Math.round(s)} s left`;
  return `about ${Math.round(s / 60)} min left`;
}

/** The bar for one progress report, given the value shown last (0 at the start). */
export function loadView(p: LoadProgress | undefined, lastPct: number, engine?: string): LoadView {
  const keep = (pct: number) => Math.min(MAX_BEFORE_READY, Math.max(lastPct, Math.round(pct)));
  if (!p) return { pct: keep(lastPct), phase: lastPct > 0 ? 'Preparing the model' : 'Starting', detail: '' };
  if (/measuring/i.test(p.text)) return { pct: keep(MEASURE_AT), phase: 'Measuring this device’s speed', detail: 'one short test answer' };
  // The browser's own model: no bytes of ours, only the browser's words (waiting for a click, its download).
  if (engine === 'builtin') {
    const pct = p.fraction === null ? lastPct : p.fraction * DOWNLOAD_END;
    return { pct: keep(pct), phase: 'Getting the browser’s built-in model ready', detail: p.text };
  }
  // A file whose size is not known yet can be in flight while the known bytes are all in.
  const sizeUnknownFile = /^Downloading /.test(p.text) && p.fraction === 1;
  const downloading = (p.fraction !== null && p.fraction < 1) || sizeUnknownFile;
  if (downloading && p.totalBytes) {
    const bytes = sizeUnknownFile ? `${formatMB(p.loadedBytes)} so far` : `${formatMB(p.loadedBytes)} of ${formatMB(p.totalBytes)}`;
    const parts = [bytes, sizeUnknownFile ? '' : eta(p.etaSeconds)].filter(Boolean);
    return { pct: keep(Math.min(p.fraction!, 0.99) * DOWNLOAD_END), phase: 'Downloading the model', detail: parts.join(' · ') };
  }
  if (downloading) return { pct: keep(p.fraction! * DOWNLOAD_END), phase: 'Downloading the model', detail: p.text };
  // Every byte known so far is in (for ONNX the runtime's wasm too: the worker
  // fetches it first and counts it). A file whose size is not known yet may
  // still be in flight, or the model is being compiled: the engine cannot
  // tell us which, so the phase names both and the bar waits.
  const compiling = engine === 'onnx' ? 'compiling the model and its runtime for this device' : 'compiling for this device';
  const detail = p.loadedBytes > 0 ? `${formatMB(p.loadedBytes)} downloaded so far · ${compiling}` : compiling;
  return { pct: keep(PREPARE_AT), phase: 'Downloading and preparing the model', detail };
}
