import { describe, expect, it } from 'vitest';
import { guardStorage } from './storage-guard';

const MB = 1024 * 1024;

describe('storage guard before a model download', () => {
  it('refuses a download that does not fit, in plain words, and never asks for persistence (that waits for a user action)', async () => {
    let asked = 0;
    const storage = { persisted: async () => false, persist: async () => (asked++, true), estimate: async () => ({ quota: 200 * MB, usage: 80 * MB }) };
    await expect(guardStorage({ storage, modelId: 'm', sizeMB: 290, cached: false })).rejects.toMatchObject({
      code: 'quota-exceeded',
      userMessage: expect.stringMatching(/^Not enough storage space to download the model \(needs ~290 MB, .*free\)\.$/),
    });
    expect(asked).toBe(0);
  });

  it('lets a cached model load whatever the free space, and a fitting download proceed', async () => {
    const full = { estimate: async () => ({ quota: 100 * MB, usage: 100 * MB }) };
    await expect(guardStorage({ storage: full, modelId: 'm', sizeMB: 290, cached: true })).resolves.toBeUndefined();
    const roomy = { estimate: async () => ({ quota: 10_000 * MB, usage: 0 }) };
    await expect(guardStorage({ storage: roomy, modelId: 'm', sizeMB: 290, cached: false })).resolves.toBeUndefined();
  });

  it('treats a missing or failing Storage API as "unknown", not as an error', async () => {
    await expect(guardStorage({ storage: null, modelId: 'm', sizeMB: 1, cached: false })).resolves.toBeUndefined();
    const broken = { persist: async () => { throw new Error('no'); }, estimate: async () => { throw new Error('no'); } };
    await expect(guardStorage({ storage: broken, modelId: 'm', sizeMB: 1, cached: false })).resolves.toBeUndefined();
  });
});
