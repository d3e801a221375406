import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { ProviderRegistry } from '../providers/registry.ts';
import { chooseRoute, isRefusal, type Choice } from './choose.ts';

const fetchNever = async () => {
  throw new Error('no network in this test');
};
const registry = (env: Record<string, string>) => ProviderRegistry.fromConfig(loadConfig(env), fetchNever);
const ALL = registry({
  CLOUD_BASE_URL: 'http://c/v1', CLOUD_MODEL: 'gpt', ANTHROPIC_API_KEY: 'k', ANTHROPIC_MODEL: 'claude',
  EDGE_BASE_URL: 'http://e/v1', EDGE_MODEL: 'llama',
});
const ids = (c: Choice) => c.plan.map((p) => p.id);

describe('chooseRoute (pure)', () => {
  it('auto → cloud, both cloud upstreams in order, then the edge (fall-over on by default)', () => {
    const c = chooseRoute({ model: 'auto' }, ALL) as Choice;
    expect(c.tier).toBe('cloud');
    expect(ids(c)).toEqual(['cloud/openai', 'cloud/anthropic', 'edge/openai']);
    expect(ids(chooseRoute({ model: 'auto', fallover: false }, ALL) as Choice)).toEqual(['cloud/openai', 'cloud/anthropic']);
  });

  it('a named model goes first; edge never escalates to the cloud unless asked', () => {
    expect(ids(chooseRoute({ model: 'claude' }, ALL) as Choice)).toEqual(['cloud/anthropic', 'cloud/openai', 'edge/openai']);
    expect(ids(chooseRoute({ model: 'llama' }, ALL) as Choice)).toEqual(['edge/openai']);
    expect(ids(chooseRoute({ model: 'auto', tier: 'edge', fallover: true }, ALL) as Choice)).toEqual(['edge/openai', 'cloud/openai', 'cloud/anthropic']);
  });

  it('refusals: unknown model, model of the other tier, tier not configured', () => {
    expect(chooseRoute({ model: 'gpt-9' }, ALL)).toMatchObject({ status: 400, code: 'model_not_found', param: 'model' });
    expect(chooseRoute({ model: 'llama', tier: 'cloud' }, ALL)).toMatchObject({ status: 400, code: 'model_tier_mismatch', param: 'tier' });
    const edgeOnly = registry({ EDGE_BASE_URL: 'http://e/v1', EDGE_MODEL: 'llama' });
    expect((chooseRoute({ model: 'auto' }, edgeOnly) as Choice).tier).toBe('edge');
    const r = chooseRoute({ model: 'auto', tier: 'cloud' }, edgeOnly);
    expect(isRefusal(r) && r.code).toBe('tier_not_configured');
    expect(chooseRoute({ model: 'auto' }, registry({}))).toMatchObject({ status: 503, code: 'tier_not_configured' });
  });
});
