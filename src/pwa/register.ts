// Service worker registration (workbox-window), loaded lazily so it never
// delays the first paint. Reports "offline ready" (first install) and "update
// available" (a new version is waiting); applyUpdate() saves the composer's
// draft, activates the waiting worker and reloads once it controls the page.
import { saveDraftBeforeReload } from './draft';

export interface PwaEvents {
  /** The first service worker finished installing: the app shell works offline. */
  onOfflineReady?: () => void;
  /** A new version is installed and waiting for the user's go-ahead. */
  onUpdateAvailable?: () => void;
  /** Registration failed (e.g. not a secure context); the app still works online. */
  onError?: (err: unknown) => void;
}

export interface PwaController {
  /** Activate the waiting version and reload; the composer draft survives. */
  applyUpdate(): void;
  /** Ask the browser to look for a new sw.js now. */
  checkForUpdate(): Promise<void>;
  dispose(): void;
}

/** How often an open tab looks for a new version (it also looks when shown again). */
const UPDATE_INTERVAL_MS = 60 * 60 * 1000;

export function registerServiceWorker(events: PwaEvents = {}): PwaController | null {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator) || import.meta.env.DEV) return null;
  const sw = navigator.serviceWorker;
  let wb: import('workbox-window').Workbox | null = null;
  let reloading = false;
  let disposed = false;

  const onControllerChange = () => {
    // Only after the user asked for the update (the first install also claims the page).
    if (reloading) location.reload();
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible') void wb?.update().catch(() => {});
  };
  const timer = setInterval(() => void wb?.update().catch(() => {}), UPDATE_INTERVAL_MS);
  sw.addEventListener('controllerchange', onControllerChange);
  document.addEventListener('visibilitychange', onVisible);

  void import('workbox-window').then(({ Workbox }) => {
    if (disposed) return;
    wb = new Workbox('/sw.js', { scope: '/' });
    wb.addEventListener('installed', (e) => {
      if (!e.isUpdate) events.onOfflineReady?.();
    });
    wb.addEventListener('waiting', () => events.onUpdateAvailable?.());
    wb.register().catch((err) => {
      console.warn('Service worker registration failed', err);
      events.onError?.(err);
    });
  });

  return {
    applyUpdate() {
      saveDraftBeforeReload();
      reloading = true;
      if (wb) wb.messageSkipWaiting();
      else location.reload();
    },
    async checkForUpdate() {
      await wb?.update();
    },
    dispose() {
      disposed = true;
      clearInterval(timer);
      sw.removeEventListener('controllerchange', onControllerChange);
      document.removeEventListener('visibilitychange', onVisible);
    },
  };
}
