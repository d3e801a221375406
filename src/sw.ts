/// <reference lib="webworker" />
// Service worker: precaches the app shell (including ONNX Runtime's wasm),
// serves app routes offline, and keeps config.json fresh when online.
// It never touches web-llm's `webllm/*` caches or transformers.js's cache.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<import('workbox-precaching').PrecacheEntry | string> };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// App routes only: API calls and model files are never answered with the shell.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [/^\/v1\//, /^\/models\//, /^\/healthz/, /\.[a-z0-9]+$/i],
  }),
);

// The deployer's runtime config: fresh when online, the last copy when offline.
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname === '/config.json',
  new NetworkFirst({ cacheName: 'edgewise-config', networkTimeoutSeconds: 3 }),
);

self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});
