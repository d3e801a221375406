// The built-in engine against the spec-shaped fake LanguageModel (the same
// fake the e2e injects into the page): load with download progress, sessions
// per conversation, trimming before overflow, abort, errors, crash → recover.
import { describe, expect, it } from 'vitest';
import { ACTIVATION_NEEDED, BuiltinEngine } from './engine';
import { fakeLanguageModel, type FakeLanguageModelScript } from './testing/fake-language-model';
import type { LanguageModelStatic } from './prompt-api';
import type { ChatMessage } from '../../core/types';
import type { LoadProgress } from '../types';
import { EngineError } from '../../core/engine/errors';
import { consistencyRule } from '../../core/policy/accept';

function setup(script: FakeLanguageModelScript) {
  const { api, control } = fakeLanguageModel(script, false);
  const engine = new BuiltinEngine({ api: api as LanguageModelStatic, name: 'Gemini Nano (built into Chrome)' });
  return { engine, control };
}

async function loaded(script: Partial<FakeLanguageModelScript> = {}) {
  const s = setup({ availability: 'available', ...script });
  await s.engine.load(() => {});
  return s;
}

const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string): ChatMessage => ({ role: 'assistant', content });

describe('BuiltinEngine: loading', () => {
  it('asks availability() with the options it creates with, and forwards the download progress', async () => {
    const { engine, control } = setup({ availability: 'downloadable' });
    const seen: LoadProgress[] = [];
    await engine.load((p) => seen.push(p));
    expect(seen.map((p) => p.fraction)).toEqual([0, 0.5, 1]);
    expect(seen[1].text).toMatch(/downloading its built-in model… 50%/);
    expect(control.log.availability[0]).toMatchObject({ expectedInputs: control.log.creates[0].expectedInputs });
    expect(engine.info).toMatchObject({ kind: 'builtin', device: 'browser', modelId: 'Gemini Nano (built into Chrome)', contextWindow: 1024 });
    expect(await engine.isCached()).toBe(true);
  });

  it('a download waits for the user’s first click or key press (Chrome requires it), and says so', async () => {
    const { api, control } = fakeLanguageModel({ availability: 'downloadable' }, false);
    let activate!: () => void;
    const activated = new Promise<void>((r) => (activate = r));
    const engine = new BuiltinEngine({
      api: api as LanguageModelStatic, name: 'x', activation: { hasBeenActive: () => false, whenActive: () => activated },
    });
    const seen: string[] = [];
    let shown!: () => void;
    const asked = new Promise<void>((r) => (shown = r));
    const loading = engine.load((p) => {
      seen.push(p.text);
      shown();
    });
    await asked;
    expect(seen).toEqual([ACTIVATION_NEEDED]);
    expect(control.log.creates).toHaveLength(0);
    activate();
    await loading;
    expect(control.log.creates).toHaveLength(1);
    expect(seen.at(-1)).toMatch(/100%/);
  });

  it('an unavailable model fails to load in plain words, without creating anything', async () => {
    const { engine, control } = setup({ availability: 'unavailable' });
    const err = await engine.load(() => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).userMessage).toMatch(/the browser has no built-in model for this device/);
    expect(control.log.creates).toHaveLength(0);
  });

  it('NotSupportedError from create() becomes a plain-words error', async () => {
    const { engine } = setup({ availability: 'available', failCreate: 'NotSupportedError' });
    const err = (await engine.load(() => {}).catch((e: unknown) => e)) as EngineError;
    expect(err.code).toBe('model-not-found');
    expect(err.userMessage).toMatch(/cannot run it on this device or for this language/);
  });

  it('cannot be deleted: the model is the browser’s', async () => {
    const { engine } = await loaded();
    await expect(engine.deleteFromCache()).rejects.toThrow(/belongs to the browser/);
  });
});

describe('BuiltinEngine: chat', () => {
  it('streams the answer, with no log-probs, and the answer check still decides on consistency alone', async () => {
    const { engine } = await loaded({ answer: 'Hi there, nice to meet you.' });
    const deltas: string[] = [];
    const r = await engine.chat({ messages: [user('hello')], onToken: (d) => deltas.push(d), conversationId: 'c1' });
    expect(r.text).toBe('Hi there, nice to meet you.');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(r.text);
    expect(r).toMatchObject({ finishReason: 'stop', logprobs: null });
    expect(r.usage.promptTokens).toBeGreaterThan(0);
    const rule = consistencyRule(0.6);
    const check = (consistency: number) => rule({ tier: 'local', question: 'hello', answer: r.text, kind: 'greeting', consistency, logprobs: r.logprobs });
    expect(check(0.8)).toMatchObject({ accepted: true, self: null });
    expect(check(0.3)).toMatchObject({ accepted: false });
  });

  it('keeps one session per conversation: a follow-up sends only the new message', async () => {
    const { engine, control } = await loaded({ answer: 'Sure.' });
    await engine.chat({ messages: [user('first')], conversationId: 'c1' });
    await engine.chat({ messages: [user('first'), assistant('Sure.'), user('second')], conversationId: 'c1' });
    expect(control.log.creates).toHaveLength(2); // the base session + one for c1
    const [a, b] = control.log.prompts;
    expect(a.session).toBe(b.session);
    expect(b.input).toBe('second');
  });

  it('a conversation whose history changed gets a fresh session with that history', async () => {
    const { engine, control } = await loaded({ answer: 'Sure.' });
    await engine.chat({ messages: [user('first')], conversationId: 'c1' });
    // The answer shown was the cloud's, not the device's.
    await engine.chat({ messages: [user('first'), assistant('From the cloud.'), user('second')], conversationId: 'c1' });
    expect(control.log.creates).toHaveLength(3);
    expect(control.log.creates[2].initialPrompts).toEqual([user('first'), assistant('From the cloud.')]);
    expect(control.log.destroyed).toContain(control.log.prompts[0].session);
  });

  it('trims the oldest turns (keeping the system message) instead of overflowing the context window', async () => {
    const { engine, control } = await loaded({ contextWindow: 120, answer: 'Ok.' });
    const long = (n: number) => `${n} ${'word '.repeat(20)}`;
    const history: ChatMessage[] = [{ role: 'system', content: 'Be brief.' }];
    for (let i = 0; i < 6; i++) history.push(user(long(i)), assistant(long(i)));
    const r = await engine.chat({ messages: [...history, user('and now?')], conversationId: 'c1', maxTokens: 16 });
    expect(r.text).toBe('Ok.');
    const kept = control.log.creates[1].initialPrompts;
    expect(kept[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(kept.length).toBeLessThan(history.length);
    expect(kept[1].role).toBe('user');
    expect(kept.at(-1)).toEqual(assistant(long(5))); // the most recent turns stay
  });

  it('a session that would overflow on the next message is replaced by a trimmed one', async () => {
    const { engine, control } = await loaded({ contextWindow: 200, answer: 'word '.repeat(40).trim() });
    const msgs: ChatMessage[] = [];
    for (let i = 0; i < 4; i++) {
      msgs.push(user(`question ${i} ${'x'.repeat(40)}`));
      const r = await engine.chat({ messages: [...msgs], conversationId: 'c1', maxTokens: 64 });
      expect(r.finishReason).not.toBe('abort');
      msgs.push(assistant(r.text));
    }
    expect(control.log.creates.length).toBeGreaterThan(2); // a fresh session when the old one filled up
    const last = control.log.creates.at(-1)!.initialPrompts;
    expect(last.length).toBeLessThan(msgs.length - 1);
  });

  it('QuotaExceededError from the browser despite the measurement: trims harder and answers', async () => {
    const { engine, control } = await loaded({ answer: 'Fine.', failPrompt: 'QuotaExceededError' });
    const history = [user('a'), assistant('b'), user('c'), assistant('d')];
    const r = await engine.chat({ messages: [...history, user('e')], conversationId: 'c1' });
    expect(r.text).toBe('Fine.');
    expect(control.log.creates.at(-1)!.initialPrompts).toEqual([user('c'), assistant('d')]);
  });

  it('a message that alone does not fit fails in plain words', async () => {
    const { engine } = await loaded({ contextWindow: 40 });
    const err = (await engine.chat({ messages: [user('y'.repeat(400))], conversationId: 'c1' }).catch((e: unknown) => e)) as EngineError;
    expect(err.code).toBe('context-exceeded');
    expect(err.userMessage).toMatch(/too long/);
  });

  it('Stop aborts the stream: the text so far comes back, and the next turn starts a fresh session', async () => {
    const { engine, control } = await loaded({ answer: 'One two three four.', holdStream: true });
    const ac = new AbortController();
    const r = await engine.chat({ messages: [user('count')], conversationId: 'c1', signal: ac.signal, onToken: () => ac.abort() });
    expect(r).toMatchObject({ finishReason: 'abort', text: 'One ' });
    expect(control.log.aborted).toBe(1);
    control.script.holdStream = false;
    await engine.chat({ messages: [user('count'), assistant('One '), user('again')], conversationId: 'c1' });
    expect(control.log.creates.at(-1)!.initialPrompts).toEqual([user('count'), assistant('One ')]);
  });

  it('maxTokens cuts the answer (the API has no such option)', async () => {
    const { engine } = await loaded({ answer: 'a '.repeat(50) });
    const r = await engine.chat({ messages: [user('go')], maxTokens: 4 });
    expect(r.finishReason).toBe('length');
    expect(r.text.length).toBeLessThan(30);
  });

  it('the browser’s filter (NotReadableError) is said in plain words', async () => {
    const { engine } = await loaded({ failPrompt: 'NotReadableError' });
    const err = (await engine.chat({ messages: [user('x')], conversationId: 'c1' }).catch((e: unknown) => e)) as EngineError;
    expect(err.userMessage).toMatch(/withheld/);
  });

  it('new chat / delete: endConversation destroys that conversation’s session', async () => {
    const { engine, control } = await loaded();
    await engine.chat({ messages: [user('hi')], conversationId: 'c1' });
    const id = control.log.prompts[0].session;
    engine.endConversation('c1');
    expect(control.log.destroyed).toContain(id);
  });

  it('a chat without a conversation (the warm-up) leaves no session behind', async () => {
    const { engine, control } = await loaded();
    await engine.chat({ messages: [user('hello')], maxTokens: 4 });
    expect(control.log.destroyed).toContain(control.log.prompts[0].session);
  });

  it('works with the older names (inputUsage / inputQuota / measureInputUsage)', async () => {
    const { engine, control } = await loaded({ names: 'legacy', contextWindow: 120, answer: 'Ok.' });
    const history: ChatMessage[] = [];
    for (let i = 0; i < 6; i++) history.push(user(`${i} ${'word '.repeat(20)}`), assistant('fine'));
    await engine.chat({ messages: [...history, user('now')], conversationId: 'c1', maxTokens: 16 });
    expect(engine.info.contextWindow).toBe(120);
    expect(control.log.creates[1].initialPrompts.length).toBeLessThan(history.length);
  });
});

describe('BuiltinEngine: crash → recover', () => {
  it('sessions dropped by the browser are a crash, told once; recover() creates them again', async () => {
    const { engine, control } = await loaded({ answer: 'Back.' });
    const crashes: Error[] = [];
    engine.onCrash((e) => crashes.push(e));
    await engine.chat({ messages: [user('hi')], conversationId: 'c1' });
    control.destroyAll();
    const err = (await engine.chat({ messages: [user('hi'), assistant('Back.'), user('again')], conversationId: 'c1' }).catch((e: unknown) => e)) as EngineError;
    expect(err.code).toBe('worker-crashed');
    expect(crashes).toHaveLength(1);
    await engine.recover();
    const r = await engine.chat({ messages: [user('hi'), assistant('Back.'), user('again')], conversationId: 'c1' });
    expect(r.text).toBe('Back.');
    expect(control.log.creates.at(-1)!.initialPrompts).toEqual([user('hi'), assistant('Back.')]);
  });
});
