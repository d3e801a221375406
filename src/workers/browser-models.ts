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

/**
 * Fetches the build's wasm with progress and gives ORT the bytes
 * (`wasmBinary`), so the runtime's download is counted in the loading bar
 * instead of happening unseen inside the first session. With
 * `env.useWasmCache = false` transformers.js leaves `wasmBinary` to us.
 */
export async function fetchRuntime(runtime: OrtBuild, onProgress: (loaded: number, total: number | null) => void): Promise<void> {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const url = new URL(BUILDS[runtime].wasm, base).href;
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`Could not download the ONNX Runtime (${res.status} ${res.statusText}).`);
  const length = Number(res.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  onProgress(0, total);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress(loaded, total);
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  const wasm = env.backends?.onnx?.wasm;
  if (wasm) wasm.wasmBinary = bytes;
  onProgress(loaded, loaded);
}
