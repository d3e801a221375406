// The real tiny NER model through the whole privacy path (patterns + NER +
// refinement → assess → the text that would leave the device), in Node.
// The examples are the ones users hit before the refinement existed.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { configureLocalModels, loadTokenClassifier, runNer, type LoadedModel } from './index';
import { Pseudonymizer, assessPrivacy, buildCloudText, mergeEntities, scanPatterns } from '../core/privacy';
import { COMMON_KNOWLEDGE } from '../core/privacy/fixtures/common-knowledge';

const MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));
let ner: LoadedModel;

beforeAll(async () => {
  configureLocalModels({ localModelPath: MODELS_DIR, allowRemote: false });
  ner = await loadTokenClassifier('tiny-ner', { device: 'cpu' });
});

async function outbound(text: string): Promise<string | null> {
  const entities = mergeEntities(scanPatterns(text), await runNer(text, ner as never));
  const a = assessPrivacy(entities, { mode: 'balanced' });
  return buildCloudText(text, entities, a, new Pseudonymizer());
}

describe('tiny NER + refinement, end to end', () => {
  it('keeps a Korean RRN on the device instead of masking the word "RRN"', async () => {
    expect(await outbound('His RRN is 960121-1234567')).toBeNull();
  });

  it('masks the whole name, never half of it', async () => {
    const out = await outbound('Please ask John Smith about the report');
    expect(out).not.toBeNull();
    expect(out).not.toMatch(/John|Smith/);
  });

  it('still masks a private person', async () => {
    const out = (await outbound('My name is Tobias Lindqvist and I live in Krakow.'))!;
    expect(out).not.toMatch(/Tobias|Lindqvist/);
  });

  it.each(COMMON_KNOWLEDGE)('common knowledge goes out unchanged: %s', async (q) => {
    expect(await outbound(q)).toBe(q);
  });
});
