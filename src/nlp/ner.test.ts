import { describe, expect, it } from 'vitest';
import { mergeSpans, splitWords, type WordLabel } from './ner';

describe('splitWords', () => {
  it('splits like BertPreTokenizer and keeps UTF-16 offsets', () => {
    const text = 'Hi 😀 O\'Brien, meet José in Zürich!';
    const words = splitWords(text);
    for (const w of words) expect(text.slice(w.start, w.end)).toBe(w.text);
    expect(words.map((w) => w.text)).toEqual(['Hi', '😀', 'O', "'", 'Brien', ',', 'meet', 'José', 'in', 'Zürich', '!']);
  });
});

describe('mergeSpans', () => {
  const text = 'Ask Mary Jane Smith at Acme Corp in New York.';
  const words = splitWords(text);
  const lab = (labels: string[]): WordLabel[] => words.map((word, i) => ({ word, label: labels[i] ?? 'O', prob: 0.9 }));

  it('merges B-/I- runs into typed spans with exact offsets', () => {
    // Ask Mary Jane Smith at Acme Corp in New York .
    const ents = mergeSpans(text, lab(['O', 'B-PER', 'I-PER', 'I-PER', 'O', 'B-ORG', 'I-ORG', 'O', 'B-LOC', 'I-LOC', 'O']));
    expect(ents.map((e) => [e.type, e.text, text.slice(e.start, e.end)])).toEqual([
      ['PERSON', 'Mary Jane Smith', 'Mary Jane Smith'],
      ['ORGANIZATION', 'Acme Corp', 'Acme Corp'],
      ['LOCATION', 'New York', 'New York'],
    ]);
    expect(ents.every((e) => e.source === 'ner' && Math.abs(e.score - 0.9) < 1e-6)).toBe(true);
  });

  it('starts a new span on B- and on a type change, and tolerates a leading I-', () => {
    const ents = mergeSpans(text, lab(['O', 'B-PER', 'B-PER', 'I-LOC', 'O', 'I-ORG']));
    expect(ents.map((e) => [e.type, e.text])).toEqual([
      ['PERSON', 'Mary'], ['PERSON', 'Jane'], ['LOCATION', 'Smith'], ['ORGANIZATION', 'Acme'],
    ]);
  });
});
