// Persistent storage is requested on a user action only — installing the app
// or "Keep models on this device" — never at page load: Firefox shows its
// permission prompt at once, and browsers grant it more readily after a gesture.
export interface PersistLike {
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
}

function defaultStorage(): PersistLike | null {
  return (globalThis as { navigator?: { storage?: PersistLike } }).navigator?.storage ?? null;
}

/** true when storage is (now) persistent, false when refused, null when the browser has no such API. */
export async function requestPersistence(storage: PersistLike | null = defaultStorage()): Promise<boolean | null> {
  if (!storage?.persist) return null;
  try {
    if (storage.persisted && (await storage.persisted())) return true;
    return await storage.persist();
  } catch {
    return false;
  }
}
