// The provider registry: one factory per upstream kind, so adding an upstream
// API is one file plus one line here, and nothing else switches on the kind.

import type { Config, TierName, UpstreamConfig } from '../config.ts';
import { createAnthropicProvider } from './anthropic.ts';
import { createOpenAIProvider } from './openai.ts';
import type { FetchLike, Provider, ReadCaps } from './types.ts';

type Factory<K extends UpstreamConfig['kind']> = (cfg: Extract<UpstreamConfig, { kind: K }>, fetchImpl: FetchLike, caps: ReadCaps) => Provider;

const FACTORIES: { [K in UpstreamConfig['kind']]: Factory<K> } = {
  openai: createOpenAIProvider,
  anthropic: createAnthropicProvider,
};

export class ProviderRegistry {
  readonly all: readonly Provider[];

  constructor(upstreams: readonly UpstreamConfig[], fetchImpl: FetchLike, caps: ReadCaps) {
    this.all = upstreams.map((u) => (FACTORIES[u.kind] as Factory<typeof u.kind>)(u as never, fetchImpl, caps));
  }

  static fromConfig(config: Config, fetchImpl: FetchLike): ProviderRegistry {
    return new ProviderRegistry(config.upstreams, fetchImpl, {
      eventChars: config.maxUpstreamEventBytes,
      responseBytes: config.maxUpstreamResponseBytes,
    });
  }

  byModel(model: string): Provider | undefined {
    return this.all.find((p) => p.model === model);
  }

  /** Providers of a tier, in configuration order. */
  ofTier(tier: TierName): Provider[] {
    return this.all.filter((p) => p.tier === tier);
  }

  configured(tier: TierName): boolean {
    return this.all.some((p) => p.tier === tier);
  }
}
