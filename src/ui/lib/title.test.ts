import { describe, expect, it } from 'vitest';
import { scanPatterns } from '../../core/privacy';
import { maskedTitle, TITLE_MAX } from './title';

describe('maskedTitle', () => {
  it('replaces every detected value with what it is', () => {
    const text = 'Is my card 4111 1111 1111 1111 still valid? Mail me at alice@example.com';
    const title = maskedTitle(text, scanPatterns(text));
    expect(title).not.toContain('4111');
    expect(title).not.toContain('alice@example.com');
    expect(title).toContain('[card number]');
  });

  it('masks names found by the NER model', () => {
    const text = 'Write to Kofi Abernathy';
    const title = maskedTitle(text, [{ type: 'PERSON', start: 9, end: 23, score: 0.9, source: 'ner', text: 'Kofi Abernathy' }]);
    expect(title).toBe('Write to [name]');
  });

  it('never cuts a mask in half and stays short', () => {
    const text = `${'x'.repeat(55)} alice@example.com and more`;
    const title = maskedTitle(text, scanPatterns(text));
    expect(title.length).toBeLessThanOrEqual(TITLE_MAX);
    expect(title).not.toMatch(/\[[^\]]*$/);
    expect(title).not.toContain('alice');
  });

  it('keeps a plain question as it is, on one line', () => {
    expect(maskedTitle('What is  the\ncapital of France?', [])).toBe('What is the capital of France?');
  });
});
