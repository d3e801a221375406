// "Offline-ready" means a model finished a complete load on this device (the
// engine reached 'ready', so every file it needs is in its cache). Recorded in
// the settings store as `offline-ready:<modelId>` and cleared when the model is
// deleted. The storage panel also checks that the files are still cached.
import type { LocalEngineManager, LocalStatus } from '../engines/local/manager';
import { loadSetting, saveSetting } from '../store/settings';

export interface OfflineReadyRecord {
  modelId: string;
  engine: string;
  device: string;
  /** When the complete load finished (ms since epoch). */
  at: number;
}

export interface FlagStore {
  load(key: string): Promise<OfflineReadyRecord | null | undefined>;
  save(key: string, value: OfflineReadyRecord | null): Promise<void>;
}

const settingsStore: FlagStore = { load: (k) => loadSetting<OfflineReadyRecord | null>(k), save: (k, v) => saveSetting(k, v) };

export const offlineReadyKey = (modelId: string) => `offline-ready:${modelId}`;

/** The record to store for this status, or null when it is not a completed load. */
export function readyRecord(s: LocalStatus, now: number): OfflineReadyRecord | null {
  if (s.phase !== 'ready' || !s.modelId || !s.engine) return null;
  return { modelId: s.modelId, engine: s.engine, device: s.device ?? '', at: now };
}

/** Records every completed load; returns an unsubscribe function. */
export function trackOfflineReady(
  manager: Pick<LocalEngineManager, 'onStatus'>,
  store: FlagStore = settingsStore,
  now: () => number = Date.now,
): () => void {
  let last = '';
  return manager.onStatus((s) => {
    const rec = readyRecord(s, now());
    if (!rec) {
      last = ''; // a later complete load (e.g. after a delete) is recorded again
      return;
    }
    if (rec.modelId === last) return;
    last = rec.modelId;
    void store.save(offlineReadyKey(rec.modelId), rec).catch(() => {});
  });
}

export async function offlineReady(modelId: string, store: FlagStore = settingsStore): Promise<OfflineReadyRecord | null> {
  return (await store.load(offlineReadyKey(modelId)).catch(() => null)) ?? null;
}

export async function clearOfflineReady(modelId: string, store: FlagStore = settingsStore): Promise<void> {
  await store.save(offlineReadyKey(modelId), null);
}
