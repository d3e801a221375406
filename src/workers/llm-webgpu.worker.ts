/// <reference lib="webworker" />
// The web-llm worker: web-llm's MLCEngine on WebGPU, behind the same typed
// bridge as the other workers (logic in webllm-handlers.ts, tested in Node).
// It first answers the adapter probe; web-llm itself is imported on first
// need, so a device without WebGPU never downloads it, and the page never
// loads web-llm at all (one copy, here).
import { expose } from '../worker-bridge/expose';
import type { WebLlmWorkerHandlers } from '../worker-bridge/webllm';
import { createWebLlmHandlers, webLlmRuntime } from './webllm-handlers';

declare const self: DedicatedWorkerGlobalScope;

expose<WebLlmWorkerHandlers>(
  createWebLlmHandlers({
    runtime: () => import('@mlc-ai/web-llm').then(webLlmRuntime),
    gpu: () => self.navigator.gpu,
    now: () => performance.now(),
  }),
  self,
);
