import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatBody, harness, post, type Harness } from './test-utils.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.close();
});

describe('defence in depth: never-sendable content is refused before forwarding', () => {
  it.each([
    ['string content', [{ role: 'user', content: 'My card is 4111 1111 1111 1111, is it valid?' }]],
    ['text parts', [{ role: 'user', content: [{ type: 'text', text: 'card ' }, { type: 'text', text: '4111111111111111' }] }]],
    ['an earlier message', [{ role: 'user', content: 'pay with 4111-1111-1111-1111' }, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'thanks' }]],
  ])('%s → 422 sensitive_content naming the type, not the value', async (_n, messages) => {
    for (const stream of [false, true]) {
      const res = await post(`${h.url}/v1/chat/completions`, chatBody({ messages, stream }));
      expect(res.status).toBe(422);
      const text = await res.text();
      const j = JSON.parse(text);
      expect(j.error).toMatchObject({ type: 'invalid_request_error', code: 'sensitive_content' });
      expect(j.error.message).toContain('CREDIT_CARD');
      expect(text.replace(/\D/g, '')).not.toContain('4111111111111111');
      expect(text).not.toMatch(/4111[ -]?1111/);
    }
    expect(h.cloud.requests.length).toBe(0);
    // The card's digit groups, not a bare "4111" (a random request id may hold that).
    expect(h.logs.join('\n')).not.toMatch(/4111[ -]?1111/);
  });

  it('ordinary content passes', async () => {
    const res = await post(`${h.url}/v1/chat/completions`, chatBody({ messages: [{ role: 'user', content: 'What is 4 + 4?' }] }));
    expect(res.status).toBe(200);
    await res.text();
  });
});
