// transformers.js is built against one exact onnxruntime-web (a -dev build):
// the app imports ORT's wasm files itself, so its own pin must be that same
// version, and npm must not install a second copy for transformers.js.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const json = (p: string) => JSON.parse(readFileSync(new URL(p, import.meta.url), 'utf8')) as Record<string, any>;
const app = json('../../package.json');
const transformers = json('../../node_modules/@huggingface/transformers/package.json');
const ort = json('../../node_modules/onnxruntime-web/package.json');
const lock = json('../../package-lock.json');

describe('onnxruntime-web pin', () => {
  const declared: string = transformers.dependencies['onnxruntime-web'];

  it('is exactly the version transformers.js declares', () => {
    expect(app.dependencies['@huggingface/transformers']).toBe(transformers.version);
    expect(app.dependencies['onnxruntime-web']).toBe(declared);
  });

  it('is forced on transformers.js too (overrides), so only one copy is installed', () => {
    expect(app.overrides?.['onnxruntime-web']).toBe('$onnxruntime-web');
    expect(ort.version).toBe(declared);
    const copies = Object.entries(lock.packages as Record<string, { version: string }>).filter(([k]) => k.endsWith('node_modules/onnxruntime-web'));
    expect(copies).toEqual([['node_modules/onnxruntime-web', expect.objectContaining({ version: declared })]]);
  });
});
