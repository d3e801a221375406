// Service worker registration (workbox-window). Loaded lazily so it never
// delays the first paint; the update prompt UI builds on `onUpdate`.
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  void import('workbox-window').then(({ Workbox }) => {
    const wb = new Workbox('/sw.js');
    void wb.register().catch((err) => console.warn('Service worker registration failed', err));
  });
}
