/// <reference lib="webworker" />
// Dedicated module worker for web-llm on WebGPU.
//
// 1. Answers the Edgewise adapter probe ({ kind: 'edgewise:probe' } with a
//    MessagePort; see src/engines/webllm/probe.ts) from INSIDE the worker,
//    where web-llm will later request its own adapter/device.
// 2. Hosts web-llm's WebWorkerMLCEngineHandler for every other message.
//    web-llm is imported lazily on the first such message, so a probe on a
//    device without WebGPU never downloads the web-llm runtime.
import type { AdapterFacts } from '../core/engine/select';
import { isProbeRequest, PROBE_RESULT_KIND, type ProbeResult } from '../engines/webllm/probe';

type Handler = { onmessage(event: MessageEvent): void };

declare const self: DedicatedWorkerGlobalScope;

async function probe(): Promise<ProbeResult> {
  try {
    const gpu = (self.navigator as WorkerNavigator & { gpu?: GPU }).gpu;
    if (!gpu) return { kind: PROBE_RESULT_KIND, facts: null };
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { kind: PROBE_RESULT_KIND, facts: null };
    const legacy = adapter as GPUAdapter & { isFallbackAdapter?: boolean };
    const info = (adapter.info ?? {}) as Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean };
    const facts: AdapterFacts = {
      available: true,
      isFallbackAdapter: Boolean(info.isFallbackAdapter ?? legacy.isFallbackAdapter ?? false),
      shaderF16: adapter.features.has('shader-f16'),
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
      maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
    };
    return { kind: PROBE_RESULT_KIND, facts };
  } catch (e) {
    return { kind: PROBE_RESULT_KIND, facts: null, error: String(e) };
  }
}

let handler: Promise<Handler> | null = null;

function getHandler(): Promise<Handler> {
  handler ??= import('@mlc-ai/web-llm').then((m) => new m.WebWorkerMLCEngineHandler() as Handler);
  return handler;
}

self.onmessage = (event: MessageEvent) => {
  const data: unknown = event.data;
  if (isProbeRequest(data)) {
    const port = event.ports[0];
    void probe().then((r) => (port ? port.postMessage(r) : self.postMessage(r)));
    return;
  }
  // All web-llm messages go through the same promise, so their order is kept.
  getHandler().then(
    (h) => {
      try {
        h.onmessage(event);
      } catch (e) {
        // Unknown message kinds etc.: report on the request if it has one.
        replyThrow(data, String(e));
      }
    },
    (e: unknown) => replyThrow(data, `WorkerCrashedError: could not load the web-llm runtime: ${String(e)}`),
  );
};

/** Rejects the page's pending web-llm call (same shape web-llm's handler uses). */
function replyThrow(data: unknown, content: string): void {
  const msg = data as { uuid?: unknown; kind?: unknown } | null;
  // Fire-and-forget kinds have no pending promise on the page to reject.
  if (msg && (msg.kind === 'setAppConfig' || msg.kind === 'setLogLevel' || msg.kind === 'customRequest')) return;
  if (typeof msg?.uuid === 'string' && msg.uuid) self.postMessage({ kind: 'throw', uuid: msg.uuid, content });
}
