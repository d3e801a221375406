// Checks that transformers.js tokenizes the training corpus exactly as the
// Python training scripts did (they re-implement the tokenizers by hand).
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { AutoTokenizer, env } from '@huggingface/transformers';

const here = fileURLToPath(new URL('./', import.meta.url));
env.localModelPath = fileURLToPath(new URL('../', import.meta.url));
env.allowRemoteModels = false;

let failures = 0;
const tok = await AutoTokenizer.from_pretrained('tiny-lm');
const sample = JSON.parse(readFileSync(`${here}build/lm_token_check.json`, 'utf8'));
for (const { text, ids } of sample) {
  const got = tok.encode(text, { add_special_tokens: false });
  if (JSON.stringify(got) !== JSON.stringify(ids)) {
    if (failures++ < 5) console.error('tiny-lm mismatch:', JSON.stringify(text).slice(0, 80), got.slice(0, 12), ids.slice(0, 12));
  }
  const back = tok.decode(got, { skip_special_tokens: false });
  if (back !== text && failures++ < 5) console.error('tiny-lm round trip differs:', JSON.stringify(back).slice(0, 80));
}
console.log(`tiny-lm: ${sample.length} texts checked`);
for (const [id, file] of [['tiny-ner', 'ner'], ['tiny-reranker', 'reranker']]) {
  try {
    const t = await AutoTokenizer.from_pretrained(id);
    const s = JSON.parse(readFileSync(`${here}build/${file}_token_check.json`, 'utf8'));
    for (const { text, ids } of s) {
      const got = t.encode(text, { add_special_tokens: false });
      if (JSON.stringify(got) !== JSON.stringify(ids) && failures++ < 5) console.error(`${id} mismatch:`, text, got, ids);
    }
    const out = t('Hello Tobias, O\'Brien lives in Zürich!', { text_pair: 'Yes.' });
    console.log(`${id}: ok (${out.input_ids.dims[1]} tokens, type ids ${Array.from(out.token_type_ids.data).join('')})`);
  } catch (e) {
    failures++;
    console.error(`${id}:`, e);
  }
}
if (failures) {
  console.error(`${failures} tokenizer check failures`);
  process.exit(1);
}
