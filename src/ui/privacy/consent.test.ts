import { describe, expect, it } from 'vitest';
import { ConsentManager, consentKey, type ConsentDecision, type ConsentStorage, type PendingConsent } from './consent';

function memoryStorage(initial: Record<string, unknown> = {}) {
  const data = new Map<string, unknown>(Object.entries(initial));
  const storage: ConsentStorage & { data: Map<string, unknown> } = {
    data,
    load: async (k) => data.get(k),
    save: async (k, v) => void data.set(k, v),
    remove: async (k) => void data.delete(k),
  };
  return storage;
}

function setup(storage: ConsentStorage = memoryStorage()) {
  const shown: (PendingConsent | null)[] = [];
  const m = new ConsentManager(storage, (p) => shown.push(p));
  return { m, shown, storage };
}

const req = (conversationId = 'c1', outboundText = 'Write to <PERSON_1>') => ({ conversationId, outboundText, types: ['PERSON', 'PERSON'] });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ConsentManager', () => {
  it('shows the question, resolves with the answer, and asks again next time without "don\'t ask again"', async () => {
    const { m, shown, storage } = setup();
    const p = m.requestConsent(req());
    await tick();
    expect(m.pending).toMatchObject({ conversationId: 'c1', outboundText: 'Write to <PERSON_1>', types: ['PERSON'] });
    m.answer(m.pending!.id, 'send', false);
    await expect(p).resolves.toBe('send');
    expect(m.pending).toBeNull();
    expect(shown.at(-1)).toBeNull();
    expect((storage as ReturnType<typeof memoryStorage>).data.size).toBe(0);

    const again = m.requestConsent(req());
    await tick();
    expect(m.pending).not.toBeNull();
    m.answer(m.pending!.id, 'local', false);
    await expect(again).resolves.toBe('local');
  });

  it('remembers "don\'t ask again" per conversation, storing only the decision', async () => {
    const storage = memoryStorage();
    const { m } = setup(storage);
    const p = m.requestConsent(req('c1', 'secret-ish <EMAIL_1> text'));
    await tick();
    m.answer(m.pending!.id, 'send', true);
    await expect(p).resolves.toBe('send');
    expect([...storage.data.entries()]).toEqual([[consentKey('c1'), 'send']]);
    // Same conversation: answered without asking. Another conversation: asked.
    await expect(m.requestConsent(req('c1'))).resolves.toBe('send');
    const other = m.requestConsent(req('c2'));
    await tick();
    expect(m.pending?.conversationId).toBe('c2');
    m.answer(m.pending!.id, 'local', true);
    await expect(other).resolves.toBe('local');
    expect(storage.data.get('consent:c2')).toBe('local');
  });

  it('reads the remembered decision from storage after a reload, and ignores junk', async () => {
    const storage = memoryStorage({ 'consent:c1': 'local', 'consent:c2': { outboundText: 'x' }, 'consent:c3': null });
    const { m } = setup(storage);
    await expect(m.requestConsent(req('c1'))).resolves.toBe('local');
    void m.requestConsent(req('c2'));
    await tick();
    expect(m.pending?.conversationId).toBe('c2');
    void m.requestConsent(req('c3'));
    await tick();
    expect(m.pending?.conversationId).toBe('c2'); // queued behind c2
  });

  it('queues questions; remembering answers the queued ones of the same conversation', async () => {
    const { m, shown } = setup();
    const a = m.requestConsent(req('c1', 'first'));
    const b = m.requestConsent(req('c2', 'second'));
    const c = m.requestConsent(req('c1', 'third'));
    await tick();
    expect(shown.filter(Boolean).map((p) => p!.outboundText)).toEqual(['first']);
    m.answer(m.pending!.id, 'send', true);
    await expect(a).resolves.toBe('send');
    await expect(c).resolves.toBe('send');
    expect(m.pending?.outboundText).toBe('second');
    m.answer(m.pending!.id, 'local', false);
    await expect(b).resolves.toBe('local');
    expect(m.pending).toBeNull();
  });

  it('withdraws a question when its signal aborts', async () => {
    const { m } = setup();
    const ac = new AbortController();
    const p = m.requestConsent({ ...req(), signal: ac.signal });
    await tick();
    const id = m.pending!.id;
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(m.pending).toBeNull();
    m.answer(id, 'send', true); // a late click does nothing
    await expect(m.rememberedDecision('c1')).resolves.toBeUndefined();
  });

  it('still works when storage fails, and forget() asks again', async () => {
    const broken: ConsentStorage = {
      load: async () => { throw new Error('no IndexedDB'); },
      save: async () => { throw new Error('no IndexedDB'); },
    };
    const { m } = setup(broken);
    const p = m.requestConsent(req());
    await tick();
    m.answer(m.pending!.id, 'send', true);
    await expect(p).resolves.toBe('send');
    await expect(m.requestConsent(req())).resolves.toBe('send'); // remembered in memory
    await m.forget('c1');
    const again = m.requestConsent(req());
    await tick();
    expect(m.pending).not.toBeNull();
    m.answer(m.pending!.id, 'local' as ConsentDecision, false);
    await expect(again).resolves.toBe('local');
  });
});
