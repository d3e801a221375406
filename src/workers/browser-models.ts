// transformers.js set-up shared by the model workers: ONNX Runtime's wasm is
// bundled with the app (no CDN at run time), and models come either from our
// own origin (`/models/`, the demo) or only from the configured model host.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { env } from '@huggingface/transformers';
import { configureLocalModels } from '../nlp/env';

export function configureBrowserModels(args: { localModelPath: string | null; modelHost: string }): void {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  configureLocalModels({
    localModelPath: args.localModelPath ?? '/models/',
    allowRemote: args.localModelPath === null,
    wasmPaths: { wasm: new URL(ortWasmUrl, base).href, mjs: new URL(ortMjsUrl, base).href },
  });
  // ORT's wasm is precached by our service worker; transformers.js's own wasm
  // cache would import the factory from a blob: URL, which our CSP forbids.
  env.useWasmCache = false;
  if (args.localModelPath === null) {
    // Production: the model host only (no probing of /models/ first).
    env.allowLocalModels = false;
    env.remoteHost = args.modelHost.endsWith('/') ? args.modelHost : `${args.modelHost}/`;
  }
}
