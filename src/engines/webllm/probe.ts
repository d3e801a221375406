// The WebGPU adapter probe, asked of the web-llm worker before web-llm
// itself is loaded there (so a device without WebGPU never downloads it).
//
// Protocol (kept apart from web-llm's own messages, which own
// `worker.onmessage` once WebWorkerMLCEngine is constructed):
//   page → worker:  postMessage({ kind: 'edgewise:probe' }, [port])
//   worker → port:  { kind: 'edgewise:probe-result', facts: AdapterFacts | null, error?: string }
// The reply travels over the transferred MessagePort, never over the
// worker's main channel, so it can be sent at any time without confusing
// WebWorkerMLCEngine (which throws on unknown message kinds).
import type { AdapterFacts } from '../../core/engine/select';

export const PROBE_KIND = 'edgewise:probe';
export const PROBE_RESULT_KIND = 'edgewise:probe-result';

export interface ProbeRequest {
  kind: typeof PROBE_KIND;
}

export interface ProbeResult {
  kind: typeof PROBE_RESULT_KIND;
  facts: AdapterFacts | null;
  /** Why facts is null, when requestAdapter threw. */
  error?: string;
}

export function isProbeRequest(data: unknown): data is ProbeRequest {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === PROBE_KIND;
}

/** The web-llm worker, bundled lazily by Vite as its own chunk. */
export function createWebLlmWorker(): Worker {
  return new Worker(new URL('../../workers/llm-webgpu.worker.ts', import.meta.url), {
    type: 'module',
    name: 'llm-webgpu',
  });
}

/**
 * Asks the worker for its adapter facts. Resolves null when there is no
 * adapter, when the probe fails, or after `timeoutMs` (a hung
 * requestAdapter on a broken driver must not block start-up).
 */
export function probeAdapter(worker: Worker, timeoutMs = 8000): Promise<AdapterFacts | null> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    let done = false;
    const finish = (facts: AdapterFacts | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      worker.removeEventListener('error', onError);
      channel.port1.close();
      resolve(facts);
    };
    const onError = () => finish(null);
    const timer = setTimeout(() => finish(null), timeoutMs);
    channel.port1.onmessage = (ev: MessageEvent<ProbeResult>) => {
      const r = ev.data;
      finish(r && r.kind === PROBE_RESULT_KIND ? r.facts : null);
    };
    worker.addEventListener('error', onError);
    const req: ProbeRequest = { kind: PROBE_KIND };
    worker.postMessage(req, [channel.port2]);
  });
}
