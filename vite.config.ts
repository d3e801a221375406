import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { readFileSync } from 'node:fs';

// Shown in the Storage panel; EDGEWISE_VERSION overrides it (the update e2e test
// builds a second copy with another version, which changes every hashed chunk).
const APP_VERSION = process.env.EDGEWISE_VERSION ?? (JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }).version;

// `npm run dev` (scripts/dev.mjs) starts the demo proxy and points Vite at it:
// the API, the tiny models and the runtime config come from there.
const API = process.env.EDGEWISE_API ?? 'http://127.0.0.1:8787';

// The app shell, its workers and ONNX Runtime's wasm are precached by the
// service worker; model weights are not (web-llm and transformers.js cache them).
export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(APP_VERSION) },
  plugins: [
    svelte(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      manifest: false,
      injectManifest: {
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,wasm,webmanifest}'],
        // Model files never (transformers.js keeps them in `transformers-cache`),
        // the runtime config is NetworkFirst (sw.ts), screenshots only serve the
        // install dialog (online).
        globIgnores: ['models/**', 'config*.json', 'icons/screenshot-*'],
        // ONNX Runtime's wasm is ~27 MB; without this Workbox silently skips it.
        maximumFileSizeToCacheInBytes: 40 * 1024 * 1024,
        rollupFormat: 'iife',
      },
    }),
  ],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(['/v1', '/healthz', '/models', '/config.json', '/__demo'].map((p) => [p, { target: API }])),
  },
  optimizeDeps: { exclude: ['@mlc-ai/web-llm', '@huggingface/transformers', 'onnxruntime-web'] },
});
