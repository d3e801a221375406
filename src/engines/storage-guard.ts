// Before a model download: make sure there is room, with a plain-words error
// if not. Persistence is NOT requested here: browsers advise asking on a user
// action (Firefox prompts at once), so it is asked on install and on "Keep
// models on this device" (src/pwa/persist.ts).
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
