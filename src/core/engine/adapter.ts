// A WebGPU adapter → AdapterFacts, for selection. Structural (no DOM types), so
// the same code reads the adapter in the web-llm worker and on the main thread.
import type { AdapterFacts } from './select';

export interface AdapterLike {
  features: { has(feature: string): boolean };
  limits: {
    maxBufferSize: number;
    maxStorageBufferBindingSize: number;
    maxComputeWorkgroupStorageSize?: number;
    maxStorageBuffersPerShaderStage?: number;
  };
  info?: { vendor?: string; architecture?: string; isFallbackAdapter?: boolean };
  /** Older Chromium: on the adapter instead of its info. */
  isFallbackAdapter?: boolean;
}

export function factsFromAdapter(adapter: AdapterLike): AdapterFacts {
  const info = adapter.info ?? {};
  const facts: AdapterFacts = {
    available: true,
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false),
    shaderF16: adapter.features.has('shader-f16'),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
  };
  const { maxComputeWorkgroupStorageSize, maxStorageBuffersPerShaderStage } = adapter.limits;
  if (maxComputeWorkgroupStorageSize !== undefined) facts.maxComputeWorkgroupStorageSize = maxComputeWorkgroupStorageSize;
  if (maxStorageBuffersPerShaderStage !== undefined) facts.maxStorageBuffersPerShaderStage = maxStorageBuffersPerShaderStage;
  return facts;
}
