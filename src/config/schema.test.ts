import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError, parseConfig } from './schema';

const shipped = (name: string) => JSON.parse(readFileSync(new URL(`../../public/${name}`, import.meta.url), 'utf8'));

describe('runtime config validation', () => {
  it('accepts the shipped production and demo configs', () => {
    expect(parseConfig(shipped('config.json')).webllm.enabled).toBe(true);
    expect(parseConfig(shipped('config.demo.json')).onnx.modelId).toBe('tiny-lm');
  });

  it('names every wrong field, with its path', () => {
    const bad = shipped('config.json');
    bad.thresholds.consistency = 1.5;
    bad.onnx.device = 'gpu';
    delete bad.webllm.tiers.small[0].vramMB;
    try {
      parseConfig(bad);
      expect.unreachable('invalid config was accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as ConfigError).message;
      expect(msg).toContain('thresholds.consistency');
      expect(msg).toContain('onnx.device');
      expect(msg).toContain('webllm.tiers.small.0.vramMB');
    }
  });

  it('rejects a non-object and a wrong version', () => {
    expect(() => parseConfig('hello')).toThrow(ConfigError);
    expect(() => parseConfig({ ...shipped('config.json'), version: 2 })).toThrow(/version/);
  });

  it('requires localModelPath to be a path, not a URL (transformers.js silently fails on URLs)', () => {
    expect(() => parseConfig({ ...shipped('config.demo.json'), localModelPath: 'http://x/models/' })).toThrow(/localModelPath/);
  });
});
