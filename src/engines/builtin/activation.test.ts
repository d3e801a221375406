import { describe, expect, it } from 'vitest';
import { pageActivation } from './activation';

function page(active: boolean) {
  const target = new EventTarget();
  const ua = { hasBeenActive: active };
  const scope = Object.assign(target, { navigator: { userActivation: ua } }) as unknown as typeof globalThis;
  return { scope, ua, target };
}

describe('pageActivation', () => {
  it('resolves at the first activating event, not before', async () => {
    const { scope, ua, target } = page(false);
    const a = pageActivation(scope);
    expect(a.hasBeenActive()).toBe(false);
    let done = false;
    const waiting = a.whenActive().then(() => (done = true));
    target.dispatchEvent(new Event('scroll'));
    await Promise.resolve();
    expect(done).toBe(false);
    ua.hasBeenActive = true; // what the browser sets as it dispatches a key press
    target.dispatchEvent(new Event('keydown'));
    await waiting;
    expect(done).toBe(true);
  });

  it('stops waiting when aborted', async () => {
    const { scope } = page(false);
    const ac = new AbortController();
    const waiting = pageActivation(scope).whenActive(ac.signal);
    ac.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
  });

  it('without the API, counts as active', async () => {
    const a = pageActivation({ navigator: {} } as unknown as typeof globalThis);
    expect(a.hasBeenActive()).toBe(true);
    await a.whenActive();
  });
});
