import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

// The app shell, its workers and ONNX Runtime's wasm are precached by the
// service worker; model weights are not (web-llm and transformers.js cache them).
export default defineConfig({
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
        globIgnores: ['models/**', 'config*.json'],
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
  server: { port: 5173 },
  optimizeDeps: { exclude: ['@mlc-ai/web-llm', '@huggingface/transformers', 'onnxruntime-web'] },
});
