// Configure transformers.js for models served from our own origin (browser,
// module worker) or read from disk (Node tests / CLI). No DOM, no Node APIs.
import { env } from '@huggingface/transformers';

export interface LocalModelsOptions {
  /**
   * Where model folders live. Browser / worker: a URL *path* such as
   * `/models/` (not a full URL: a full URL makes the tokenizer silently fail
   * to load). Node: a filesystem directory.
   */
  localModelPath: string;
  /** Allow falling back to the Hugging Face Hub for ids not found locally. Default false. */
  allowRemote?: boolean;
  /** onnxruntime-web `.wasm` / `.mjs` URLs (bundled with Vite `?url`) so nothing is fetched from a CDN. */
  wasmPaths?: string | { wasm: string; mjs: string };
  /** Number of wasm threads; 1 avoids needing cross-origin isolation. */
  wasmThreads?: number;
}

export function configureLocalModels(opts: LocalModelsOptions): void {
  const p = opts.localModelPath;
  env.localModelPath = p.endsWith('/') ? p : `${p}/`;
  env.allowLocalModels = true;
  env.allowRemoteModels = opts.allowRemote ?? false;
  const wasm = env.backends?.onnx?.wasm;
  if (wasm) {
    if (opts.wasmPaths !== undefined) wasm.wasmPaths = opts.wasmPaths;
    if (opts.wasmThreads !== undefined) wasm.numThreads = opts.wasmThreads;
  }
}
