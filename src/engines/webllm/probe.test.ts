// The adapter probe, asked inside the web-llm worker over the bridge.
import { describe, expect, it } from 'vitest';
import { WorkerBridge } from '../../worker-bridge/client';
import { InProcessWorker } from '../../worker-bridge/in-process-worker';
import type { WebLlmWorkerHandlers } from '../../worker-bridge/webllm';
import { createWebLlmHandlers, type WebLlmWorkerDeps } from '../../workers/webllm-handlers';
import { probeAdapter } from './worker';

function bridgeWith(gpu: WebLlmWorkerDeps['gpu']) {
  let runtimeLoads = 0;
  const bridge = new WorkerBridge<WebLlmWorkerHandlers>(
    () =>
      new InProcessWorker(
        createWebLlmHandlers({
          runtime: async () => {
            runtimeLoads++;
            throw new Error('web-llm must not load for a probe');
          },
          gpu,
          now: () => 0,
        }),
      ),
  );
  return { bridge, runtimeLoads: () => runtimeLoads };
}

const swiftshader = {
  features: { has: (f: string) => f === 'timestamp-query' },
  limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30, maxComputeWorkgroupStorageSize: 32768, maxStorageBuffersPerShaderStage: 10 },
  info: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true },
};

describe('adapter probe in the web-llm worker', () => {
  it('reports the adapter as selection needs it, without loading web-llm', async () => {
    const { bridge, runtimeLoads } = bridgeWith(() => ({ requestAdapter: async () => swiftshader }));
    expect(await probeAdapter(bridge)).toEqual({
      available: true, isFallbackAdapter: true, shaderF16: false, maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30,
      maxComputeWorkgroupStorageSize: 32768, maxStorageBuffersPerShaderStage: 10, vendor: 'google', architecture: 'swiftshader',
    });
    expect(runtimeLoads()).toBe(0);
  });

  it('null without WebGPU, when requestAdapter throws, and when it never answers', async () => {
    expect(await probeAdapter(bridgeWith(() => undefined).bridge)).toBeNull();
    expect(await probeAdapter(bridgeWith(() => ({ requestAdapter: async () => null })).bridge)).toBeNull();
    expect(await probeAdapter(bridgeWith(() => ({ requestAdapter: async () => Promise.reject(new Error('driver')) })).bridge)).toBeNull();
    expect(await probeAdapter(bridgeWith(() => ({ requestAdapter: () => new Promise(() => {}) })).bridge, 5)).toBeNull();
  });
});
