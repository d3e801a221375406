// Before a model download: ask for persistent storage (engines never do it
// themselves) and make sure there is room, with a plain-words error if not.
import { checkSpace, type StorageEstimateLike } from '../core/engine/storage';
import { engineErrors } from '../core/engine/errors';

/** The part of `navigator.storage` we use (injectable for tests). */
export interface StorageLike {
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
  estimate?(): Promise<StorageEstimateLike>;
}

export function defaultStorage(): StorageLike | null {
  const nav = (globalThis as { navigator?: { storage?: StorageLike } }).navigator;
  return nav?.storage ?? null;
}

export async function guardStorage(opts: { storage: StorageLike | null; modelId: string; sizeMB: number; cached: boolean }): Promise<void> {
  const { storage } = opts;
  if (!storage) return;
  try {
    const already = storage.persisted ? await storage.persisted() : false;
    if (!already) await storage.persist?.();
  } catch {
    /* persistence is a request, not a requirement */
  }
  if (opts.cached || !storage.estimate) return;
  let est: StorageEstimateLike | null = null;
  try {
    est = await storage.estimate();
  } catch {
    est = null;
  }
  if (!est) return;
  const check = checkSpace(est, opts.sizeMB);
  if (!check.ok) throw engineErrors.quota({ model: opts.modelId, neededMB: opts.sizeMB, freeMB: check.freeMB }, check.message);
}
