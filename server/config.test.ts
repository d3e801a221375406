import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('config', () => {
  it('defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8787, maxBodyBytes: 262144, proxyTokens: [], upstreams: [], demoUpstream: false });
  });

  it('a full configuration', () => {
    const c = loadConfig({
      PORT: '9000', CLOUD_BASE_URL: 'https://api.openai.com/v1/', CLOUD_API_KEY: 'sk-x', CLOUD_MODEL: 'gpt-4o-mini',
      ANTHROPIC_API_KEY: 'sk-ant', ANTHROPIC_MODEL: 'claude-3-5-haiku-latest', EDGE_BASE_URL: 'http://192.168.1.20:11434/v1', EDGE_MODEL: 'llama3.2:3b',
      PROXY_TOKENS: 'aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb', ALLOWED_ORIGINS: 'https://a.example.com,http://localhost:5173',
      REDIS_URL: 'redis://localhost:6379', MAX_TOKENS_CAP: '1024', RATE_LIMIT_PER_MIN: '10', DAILY_TOKEN_BUDGET: '100000',
    });
    expect(c.port).toBe(9000);
    expect(c.upstreams.map((u) => `${u.tier}/${u.kind}/${u.model}`)).toEqual(['cloud/openai/gpt-4o-mini', 'cloud/anthropic/claude-3-5-haiku-latest', 'edge/openai/llama3.2:3b']);
    expect(c.upstreams[0].baseUrl).toBe('https://api.openai.com/v1');
    expect(c.upstreams[1].baseUrl).toBe('https://api.anthropic.com');
    expect(c.proxyTokens).toEqual(['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb']);
    expect(c.allowedOrigins).toEqual(['https://a.example.com', 'http://localhost:5173']);
  });

  it('demo mode points the cloud tier at the in-process demo upstream', () => {
    const c = loadConfig({ DEMO_UPSTREAM: '1' });
    expect(c.upstreams).toMatchObject([{ tier: 'cloud', kind: 'openai', model: 'edgewise-demo' }]);
    expect(loadConfig({ DEMO_UPSTREAM: '1', DEMO_EDGE: '1' }).upstreams.map((u) => u.tier)).toEqual(['cloud', 'edge']);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be an integer/],
    [{ PORT: '70000' }, /PORT must be between/],
    [{ CLOUD_BASE_URL: 'not a url', CLOUD_MODEL: 'm' }, /CLOUD_BASE_URL must be an absolute http\(s\) URL/],
    [{ CLOUD_BASE_URL: 'ftp://x/v1', CLOUD_MODEL: 'm' }, /must use http or https/],
    [{ CLOUD_BASE_URL: 'https://user:pw@x/v1', CLOUD_MODEL: 'm' }, /must not contain credentials/],
    [{ CLOUD_BASE_URL: 'https://x/v1' }, /CLOUD_MODEL is required/],
    [{ ANTHROPIC_API_KEY: 'k' }, /ANTHROPIC_MODEL is required/],
    [{ EDGE_MODEL: 'm' }, /EDGE_BASE_URL is required/],
    [{ PROXY_TOKENS: 'short' }, /at least 16 characters/],
    [{ ALLOWED_ORIGINS: 'https://a.example.com/path' }, /exact origins/],
    [{ ALLOWED_ORIGINS: '*' }, /exact origins/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must start with redis:\/\//],
    [{ MAX_BODY_BYTES: '-1' }, /MAX_BODY_BYTES must be between/],
    [{ DEMO_UPSTREAM: 'maybe' }, /DEMO_UPSTREAM must be 1\/0/],
    [{ CLOUD_BASE_URL: 'https://x/v1', CLOUD_MODEL: 'same', EDGE_BASE_URL: 'http://y/v1', EDGE_MODEL: 'same' }, /configured for two upstreams/],
    [{ CLOUD_BASE_URL: 'https://x/v1', CLOUD_MODEL: 'auto' }, /reserved/],
  ])('invalid %j → clear error', (env, re) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(re);
  });

  it('reports every problem at once, never echoing secrets', () => {
    try {
      loadConfig({ PORT: 'x', CLOUD_BASE_URL: 'https://x/v1', CLOUD_API_KEY: 'sk-SECRET', PROXY_TOKENS: 'short-SECRET' });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).problems.length).toBeGreaterThanOrEqual(3);
      expect((e as Error).message).not.toContain('SECRET');
    }
  });
});

describe('edge-runtime safety', () => {
  it('no Node-only import is reachable from app.ts / edge.ts', () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    const resolve = (f: string) => [f, `${f}.ts`, path.join(f, 'index.ts')].find((x) => existsSync(x) && statSync(x).isFile()) ?? f;
    const visit = (file: string) => {
      file = resolve(file);
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'";]*?from\s+['"]([^'"]+)['"]/gm)) {
        const spec = m[1];
        if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
        else if (spec.startsWith('node:') || ['ioredis', '@hono/node-server', 'fs', 'path', 'http', 'crypto'].includes(spec.split('/')[0])) {
          bad.push(`${path.relative(process.cwd(), file)} imports ${spec}`);
        }
      }
    };
    visit(path.resolve('server/edge.ts'));
    expect(seen.has(path.resolve('server/app.ts'))).toBe(true);
    expect(seen.has(path.resolve('src/core/privacy/index.ts'))).toBe(true);
    expect(bad).toEqual([]);
  });
});

describe('.env.example', () => {
  it('documents every variable the config reads, and its active lines load', () => {
    const example = readFileSync(path.resolve('.env.example'), 'utf8');
    const src = ['server/config.ts', 'server/demo-upstream.ts'].map((f) => readFileSync(path.resolve(f), 'utf8')).join('\n');
    const used = new Set([...src.matchAll(/(?:str|int|bool|url|modelName)\('([A-Z_]+)'/g), ...src.matchAll(/env\.([A-Z_]{4,})/g)].map((m) => m[1]));
    const missing = [...used].filter((v) => !new RegExp(`^#? ?${v}=`, 'm').test(example));
    expect(missing).toEqual([]);
    const env: Record<string, string> = {};
    for (const line of example.split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line);
      if (m) env[m[1]] = m[2];
    }
    expect(() => loadConfig(env)).not.toThrow();
  });
});
