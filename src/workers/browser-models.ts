// transformers.js set-up shared by the model workers: ONNX Runtime's wasm is
// bundled with the app (no CDN at run time), and models come either from our
// own origin (`/models/`, the demo) or only from the configured model host.
//
// Two ONNX Runtime builds ship (both precached): the asyncify build is the only
// one with the WebGPU provider; the plain build is smaller and is the one that
// does not crash with out-of-memory on Safari < 26 (transformers.js #1242 /
// #1250). A worker fetches only the build it is told to use, and ORT reads the
// paths once, at its first session — so a switch of build needs a fresh worker.
import asyncifyWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import asyncifyMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import plainWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import plainMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import { env } from '@huggingface/transformers';
import { configureLocalModels } from '../nlp/env';
import type { OrtBuild } from '../core/engine/select';

const BUILDS: Record<OrtBuild, { wasm: string; mjs: string }> = {
  asyncify: { wasm: asyncifyWasmUrl, mjs: asyncifyMjsUrl },
  plain: { wasm: plainWasmUrl, mjs: plainMjsUrl },
};

export function configureBrowserModels(args: { localModelPath: string | null; modelHost: string; runtime: OrtBuild }): void {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const build = BUILDS[args.runtime];
  configureLocalModels({
    localModelPath: args.localModelPath ?? '/models/',
    allowRemote: args.localModelPath === null,
    wasmPaths: { wasm: new URL(build.wasm, base).href, mjs: new URL(build.mjs, base).href },
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
