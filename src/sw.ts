/// <reference lib="webworker" />
// Service worker: precaches the app shell (including worker chunks and ONNX
// Runtime's wasm/mjs), serves app routes offline, and keeps config.json fresh
// when online. It never caches model files (web-llm and transformers.js keep
// their own caches) and never deletes them (see pwa/cache-policy.ts).
import { cacheNames } from 'workbox-core';
import { createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { outdatedPrecaches } from './pwa/cache-policy';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<import('workbox-precaching').PrecacheEntry | string> };

const CONFIG_CACHE = 'edgewise-config';
const CONFIG_URL = '/config.json';

precacheAndRoute(self.__WB_MANIFEST);

// App routes only: API calls, model files and anything with a file extension
// are never answered with the shell.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [/^\/v1(\/|$)/, /^\/models\//, /^\/healthz/, /^\/__demo\//, /\.[a-z0-9]+$/i],
  }),
);

// The deployer's runtime config: fresh when online, the last copy when offline.
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname === CONFIG_URL,
  new NetworkFirst({ cacheName: CONFIG_CACHE, networkTimeoutSeconds: 3 }),
);

// No other routes: /v1/* and model hosts go straight to the network, so the
// service worker never stores what web-llm and transformers.js already store.

self.addEventListener('install', (event) => {
  // The first visit fetched config.json before this worker controlled the page;
  // store a copy now so the very next start works offline.
  event.waitUntil(
    caches
      .open(CONFIG_CACHE)
      .then((c) => c.add(new Request(CONFIG_URL, { cache: 'no-cache' })))
      .catch(() => {}),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // Old Workbox precaches only; never `webllm/*` or `transformers-cache`.
      const stale = outdatedPrecaches(await caches.keys(), cacheNames.precache, self.registration.scope);
      await Promise.all(stale.map((n) => caches.delete(n)));
      // Control the first visit's page at once (updates wait for SKIP_WAITING).
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') void self.skipWaiting();
});
