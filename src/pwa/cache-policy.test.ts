import { describe, expect, it } from 'vitest';
import { isEngineCache, outdatedPrecaches } from './cache-policy';

const scope = 'https://app.example/';
const current = `workbox-precache-v2-${scope}`;

describe('service worker cache cleanup', () => {
  it('deletes outdated precaches of this scope only', () => {
    const names = [current, `workbox-precache-v1-${scope}`, 'workbox-precache-v1-https://other.example/', 'edgewise-config'];
    expect(outdatedPrecaches(names, current, scope)).toEqual([`workbox-precache-v1-${scope}`]);
  });

  it('never deletes web-llm or transformers.js caches, even with a precache-like name', () => {
    const engine = ['webllm/model', 'webllm/config', 'webllm/wasm', 'transformers-cache', `webllm/x-precache-${scope}`];
    expect(outdatedPrecaches([current, ...engine], current, scope)).toEqual([]);
    for (const n of engine) expect(isEngineCache(n)).toBe(true);
  });

  it('keeps the current precache and the runtime config cache', () => {
    expect(outdatedPrecaches([current, 'edgewise-config'], current, scope)).toEqual([]);
    expect(isEngineCache('edgewise-config')).toBe(false);
    expect(isEngineCache('workbox-precache-v2-x')).toBe(false);
  });
});
