// Storage check before a model download. PURE: the caller passes what
// `navigator.storage.estimate()` returned (web-llm never checks quota itself).
import { formatMB } from './errors';

export interface StorageEstimateLike {
  quota?: number;
  usage?: number;
}

export interface SpaceCheck {
  ok: boolean;
  /** Free bytes / 2^20 under the origin's quota; null when the browser does not say. */
  freeMB: number | null;
  /** Plain words for the banner when !ok; a short note otherwise. */
  message: string;
}

/**
 * Extra room wanted beyond the model's size: the Cache API writes a response
 * before it is committed, and the app itself stores conversations and traces.
 */
export const SPACE_MARGIN = 1.1;
export const SPACE_HEADROOM_MB = 20;

const MiB = 1024 * 1024;

/** Is there room for `neededMB` more? Unknown quota → ok (the download will tell). */
export function checkSpace(estimate: StorageEstimateLike, neededMB: number): SpaceCheck {
  const { quota, usage } = estimate;
  if (typeof quota !== 'number' || !Number.isFinite(quota) || quota <= 0) {
    return { ok: true, freeMB: null, message: 'Storage quota unknown; trying the download.' };
  }
  const used = typeof usage === 'number' && Number.isFinite(usage) && usage > 0 ? usage : 0;
  const freeMB = Math.max(0, (quota - used) / MiB);
  const wantMB = neededMB * SPACE_MARGIN + SPACE_HEADROOM_MB;
  if (freeMB >= wantMB) {
    return { ok: true, freeMB, message: `${formatMB(freeMB)} free, model needs ~${formatMB(neededMB)}.` };
  }
  return {
    ok: false,
    freeMB,
    message: `Not enough storage space to download the model (needs ~${formatMB(neededMB)}, ${formatMB(freeMB)} free).`,
  };
}
