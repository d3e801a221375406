import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../types';
import { estimateTokens, fitToBudget, TEMPLATE_TOKENS_PER_MESSAGE } from './trim';

const u = (content: string): ChatMessage => ({ role: 'user', content });
const a = (content: string): ChatMessage => ({ role: 'assistant', content });

describe('estimateTokens', () => {
  it('counts ASCII at 3 characters a token and any other character as a token, plus the template per message', () => {
    expect(estimateTokens([u('abcdef')])).toBe(2 + TEMPLATE_TOKENS_PER_MESSAGE);
    expect(estimateTokens([u('日本語')])).toBe(3 + TEMPLATE_TOKENS_PER_MESSAGE);
    expect(estimateTokens([u('ab'), a('c')])).toBe(2 + 2 * TEMPLATE_TOKENS_PER_MESSAGE);
  });
});

describe('fitToBudget', () => {
  it('keeps a conversation that fits as it is', () => {
    const msgs = [u('hi'), a('hello'), u('how are you?')];
    expect(fitToBudget(msgs, 100)).toEqual(msgs);
  });

  it('drops the oldest turns first and keeps the last question', () => {
    const msgs = [u('x'.repeat(300)), a('y'.repeat(300)), u('z'.repeat(30))];
    expect(fitToBudget(msgs, 40)).toEqual([u('z'.repeat(30))]);
  });

  it('cuts the beginning of a single message that alone is too long, keeping its most recent text', () => {
    const long = `${'old '.repeat(500)}the actual question?`;
    const [only] = fitToBudget([u(long)], 50);
    expect(only.content.endsWith('the actual question?')).toBe(true);
    expect(estimateTokens([only])).toBeLessThanOrEqual(51);
  });
});
