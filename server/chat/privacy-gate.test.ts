import { describe, expect, it } from 'vitest';
import { firstNeverSendable } from '../app.ts';
import type { ChatParams } from '../providers/types.ts';
import { OVERLAP, WINDOW, forwardedStrings, privacyGate } from './privacy-gate.ts';

const noYield = () => Promise.resolve();
const CARD = '4111 1111 1111 1111';

describe('forwardedStrings', () => {
  it('every client string of the forwarded request, not our own ids and enums', () => {
    const p: ChatParams = {
      model: 'gpt-x', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }], stream: true,
      maxTokens: 10, maxTokensField: 'max_tokens', stop: ['END', 'STOP'], temperature: 0.5,
    };
    expect(forwardedStrings(p)).toEqual(['be brief', 'hi', 'END', 'STOP']);
  });

  it('a field added later is checked by default', () => {
    expect(forwardedStrings({ model: 'm', messages: [], someNewField: { nested: ['secret?'] } })).toEqual(['secret?']);
  });
});

describe('privacyGate over the real scan', () => {
  it('clean text passes; a hit names the types only', async () => {
    expect(await privacyGate(['What is 4 + 4?'], firstNeverSendable, noYield)).toEqual({ ok: true });
    expect(await privacyGate([`pay with ${CARD}`], firstNeverSendable, noYield)).toEqual({ ok: false, types: ['CREDIT_CARD'] });
  });

  it('values split across strings are seen whole (joined with nothing and with a space)', async () => {
    expect(await privacyGate(['card 4111 1111 1111 ', '1111'], firstNeverSendable, noYield)).toMatchObject({ ok: false });
    expect(await privacyGate(['card 4111 1111 1111', '1111'], firstNeverSendable, noYield)).toMatchObject({ ok: false });
    expect(await privacyGate(['card 4111 1111', '1111 1111'], firstNeverSendable, noYield)).toMatchObject({ ok: false });
  });

  it('a value on a window boundary is found (windows overlap)', async () => {
    for (const at of [WINDOW - OVERLAP - 5, WINDOW - 10, WINDOW - 1, 2 * (WINDOW - OVERLAP) - 8]) {
      const text = `${'lorem ipsum '.repeat(Math.ceil(at / 12)).slice(0, at)} card ${CARD} ok ${'dolor sit '.repeat(3000)}`;
      expect(await privacyGate([text], firstNeverSendable, noYield), String(at)).toMatchObject({ ok: false, types: ['CREDIT_CARD'] });
    }
  });

  it('windows of bounded size, a yield between them, a stop at the first hit', async () => {
    const sizes: number[] = [];
    let yields = 0;
    const text = 'lorem ipsum dolor '.repeat(10_000); // 180 KB, clean
    const v = await privacyGate([text], (t) => (sizes.push(t.length), []), async () => {
      yields++;
    });
    expect(v).toEqual({ ok: true });
    expect(Math.max(...sizes)).toBeLessThanOrEqual(WINDOW);
    expect(sizes.length).toBe(Math.ceil((text.length - OVERLAP) / (WINDOW - OVERLAP)));
    expect(yields).toBe(sizes.length - 1);
    let calls = 0;
    const hit = await privacyGate([text], () => (calls++, [{ type: 'SECRET' }]), noYield);
    expect(hit).toEqual({ ok: false, types: ['SECRET'] });
    expect(calls).toBe(1);
  });

  it('a scan that throws fails closed', async () => {
    const v = await privacyGate(['x'], () => {
      throw new RangeError('Maximum call stack size exceeded');
    }, noYield);
    expect(v).toEqual({ ok: false, error: true });
  });
});
