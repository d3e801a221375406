// The manager with the browser's built-in model first: the REAL BuiltinEngine
// on the spec-shaped fake LanguageModel, scripted fakes for web-llm / ONNX.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { LocalEngineManager, RESTARTED_NOTICE, RESTARTING_NOTICE, type ManagerDeps } from '../local/manager';
import { parseConfig } from '../../config/schema';
import { fallbackAfterWebLlmFailure } from '../../core/engine/select';
import { selectPlan } from '../../core/engine/device-plan';
import { CrashRecovery } from '../lifecycle';
import type { ChatResult, LoadProgress, LocalEngine } from '../types';
import { BuiltinEngine } from './engine';
import { fakeLanguageModel, type FakeLanguageModelScript } from './testing/fake-language-model';
import { findLanguageModel, type LanguageModelStatic } from './prompt-api';
import { builtinOptions } from './options';

const config = parseConfig(JSON.parse(readFileSync(new URL('../../../public/config.json', import.meta.url), 'utf8')));
const NAME = 'Gemini Nano (built into Chrome)';

class OtherEngine implements LocalEngine {
  private readonly life = new CrashRecovery({ restart: () => {}, reload: async () => {} });
  constructor(readonly info: LocalEngine['info']) {}
  async load() {}
  async chat(): Promise<ChatResult> {
    return { text: 'hi', finishReason: 'stop', usage: { promptTokens: 1, outputTokens: 1, prefillTps: 1, decodeTps: 1, timeToFirstTokenMs: 1, totalMs: 1 }, logprobs: null };
  }
  async isCached() { return false; }
  async deleteFromCache() {}
  dispose() {}
  onCrash(l: (e: Error) => void) { return this.life.onCrash(l); }
  recover(p?: (p: LoadProgress) => void) { return this.life.recover(p); }
}

function setup(script: FakeLanguageModelScript | 'absent', allowed = { on: true }) {
  const fake = script === 'absent' ? null : fakeLanguageModel(script, false);
  const api = fake ? findLanguageModel({ LanguageModel: fake.api }) : null;
  let t = 0;
  const d: ManagerDeps = {
    config,
    probe: async () => null, // no WebGPU: ONNX on WASM is the fallback
    device: () => ({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36', deviceMemoryGB: 8, builtinAvailable: false }),
    select: selectPlan,
    fallback: fallbackAfterWebLlmFailure,
    createWebLlm: () => { throw new Error('not here'); },
    createOnnx: ({ device }) => new OtherEngine({ kind: 'onnx', modelId: config.onnx.modelId, device, contextWindow: 4096 }),
    builtin: {
      name: NAME,
      allowed: () => allowed.on,
      probe: async () => (api ? api.availability(builtinOptions()) : 'absent'),
      // A clock that moves 10 ms per reading: rates without depending on this machine's speed.
      create: () => new BuiltinEngine({ api: api as LanguageModelStatic, name: NAME, now: () => (t += 10) }),
    },
  };
  return { m: new LocalEngineManager(d), control: fake?.control ?? null, allowed };
}

describe('manager: the browser’s built-in model first', () => {
  it('uses it when available, and measures its rates at warm-up like the other engines', async () => {
    const { m, control } = setup({ availability: 'available' });
    const engine = await m.ready();
    expect(engine.info).toMatchObject({ kind: 'builtin', modelId: NAME, device: 'browser' });
    expect(m.current).toMatchObject({ phase: 'ready', engine: 'builtin', notice: undefined });
    expect(m.current.measured?.prefillTps).toBeGreaterThan(0);
    expect(m.current.measured?.decodeTps).toBeGreaterThan(0);
    expect(control!.log.prompts).toHaveLength(2); // the two warm-up runs
    expect(control!.log.destroyed).toEqual(expect.arrayContaining(control!.log.prompts.map((p) => p.session)));
  });

  it('downloadable: the download progress reaches the status, then ready', async () => {
    const { m } = setup({ availability: 'downloadable' });
    const fractions: (number | null)[] = [];
    m.onStatus((s) => s.progress && fractions.push(s.progress.fraction));
    await m.ready();
    expect(fractions.slice(0, 3)).toEqual([0, 0.5, 1]);
    expect(m.current.engine).toBe('builtin');
  });

  it('unavailable: falls back to ONNX and says why, in plain words', async () => {
    const { m } = setup({ availability: 'unavailable' });
    const engine = await m.ready();
    expect(engine.info.kind).toBe('onnx');
    expect(m.current.notice).toBe('Gemini Nano (built into Chrome) is not available on this device. WebGPU unavailable — running on CPU, slower');
    expect(m.current.chain[0]).toMatch(/^built-in: .*not available/);
  });

  it('a browser without the API adds nothing to the notice', async () => {
    const { m } = setup('absent');
    await m.ready();
    expect(m.current.notice).toBe('WebGPU unavailable — running on CPU, slower');
  });

  it('turned off in Settings: not used; turned on again: chosen again', async () => {
    const { m, control, allowed } = setup({ availability: 'available' }, { on: false });
    expect((await m.ready()).info.kind).toBe('onnx');
    expect(m.current.notice).toMatch(/^Gemini Nano \(built into Chrome\) is turned off in Settings\./);
    expect(control!.log.creates).toHaveLength(0);
    allowed.on = true;
    expect((await m.reselect()).info.kind).toBe('builtin');
  });

  it('a failed start falls back with the browser’s reason', async () => {
    const { m } = setup({ availability: 'available', failCreate: 'NotAllowedError' });
    expect((await m.ready()).info.kind).toBe('onnx');
    expect(m.current.notice).toMatch(/^Gemini Nano \(built into Chrome\) could not start \(The browser does not allow its built-in model here/);
  });

  it('sessions dropped by the browser: recovered, ready again', async () => {
    const { m, control } = setup({ availability: 'available' });
    const engine = await m.ready();
    const notices: (string | undefined)[] = [];
    m.onStatus((s) => notices.push(s.notice));
    control!.destroyAll();
    await expect(engine.chat({ messages: [{ role: 'user', content: 'hi' }], conversationId: 'c' })).rejects.toMatchObject({ code: 'worker-crashed' });
    expect(notices).toContain(RESTARTING_NOTICE);
    expect(await m.ready()).toBe(engine);
    expect(m.current).toMatchObject({ phase: 'ready', engine: 'builtin', notice: RESTARTED_NOTICE });
    expect((await engine.chat({ messages: [{ role: 'user', content: 'hi' }], conversationId: 'c' })).text).toMatch(/Hello/);
  });

  it('endConversation reaches the engine', async () => {
    const { m, control } = setup({ availability: 'available' });
    const engine = await m.ready();
    await engine.chat({ messages: [{ role: 'user', content: 'hi' }], conversationId: 'c' });
    const session = control!.log.prompts.at(-1)!.session;
    m.endConversation('c');
    expect(control!.log.destroyed).toContain(session);
  });
});
