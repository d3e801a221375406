// A spec-shaped fake of the Prompt API's `LanguageModel` for tests: headless
// Chromium and Node have no built-in model. The same function runs in Node
// unit tests and in the page (Playwright's addInitScript serializes it), so it
// is self-contained: no imports, no outer variables.
//
// It follows the spec's behaviour where tests depend on it: availability()
// → create({ monitor }) with `downloadprogress` (loaded as a fraction 0..1),
// promptStreaming() streaming delta chunks and honouring the AbortSignal,
// QuotaExceededError when a prompt does not fit the context window (no
// eviction), NotSupportedError from create() when unavailable, NotAllowedError
// from create() when a download is needed and the page has no user activation
// yet (Chrome's rule), destroy().
// "Tokens" are ceil(chars / 4) plus 4 per message.

export interface FakeLanguageModelScript {
  availability: 'unavailable' | 'downloadable' | 'downloading' | 'available';
  /** What every prompt answers (streamed word by word). */
  answer?: string;
  /** Context window, in fake tokens. */
  contextWindow?: number;
  /** 'legacy': inputUsage / inputQuota / measureInputUsage / quotaoverflow (older Chrome). */
  names?: 'current' | 'legacy';
  /** The download waits for control.releaseDownload() after reporting 50%. */
  holdDownload?: boolean;
  /** After the first chunk, the stream waits until it is aborted. */
  holdStream?: boolean;
  /**
   * The page has no user activation until its first click or key press (what a
   * real visit looks like; Chromium driven by Playwright reports one already).
   */
  simulateActivation?: boolean;
  /** DOMException names the next create() / prompt throws (once each). */
  failCreate?: string;
  failPrompt?: string;
}

export interface FakeLog {
  availability: unknown[];
  creates: { initialPrompts: { role: string; content: string }[]; expectedInputs?: unknown }[];
  prompts: { session: number; input: unknown }[];
  destroyed: number[];
  aborted: number;
  progress: number[];
}

export interface FakeControl {
  log: FakeLog;
  script: FakeLanguageModelScript;
  releaseDownload(): void;
  /** Destroys every live session, as the browser does when it unloads the model. */
  destroyAll(): void;
}

export function fakeLanguageModel(script: FakeLanguageModelScript, install = true): { api: unknown; control: FakeControl } {
  const s: FakeLanguageModelScript = { answer: 'Hello! How can I help you today?', contextWindow: 1024, names: 'current', ...script };
  const log: FakeLog = { availability: [], creates: [], prompts: [], destroyed: [], aborted: 0, progress: [] };
  let release: () => void = () => {};
  const released = new Promise<void>((r) => (release = r));
  const live = new Set<{ destroy(): void }>();
  let nextId = 1;

  const err = (name: string, message: string) => new DOMException(message, name);
  const textOf = (input: unknown): { role: string; content: string }[] =>
    typeof input === 'string' ? [{ role: 'user', content: input }] : (input as { role: string; content: string }[]);
  const tokens = (input: unknown): number => textOf(input).reduce((n, m) => n + 4 + Math.ceil(m.content.length / 4), 0);
  const legacy = s.names === 'legacy';

  class Session extends EventTarget {
    readonly id = nextId++;
    usage: number;
    destroyed = false;
    constructor(readonly window: number, initial: number) {
      super();
      this.usage = initial;
      live.add(this);
    }
    measure(input: unknown): Promise<number> {
      if (this.destroyed) return Promise.reject(err('InvalidStateError', 'The session was destroyed.'));
      return Promise.resolve(tokens(input));
    }
    promptStreaming(input: unknown, options: { signal?: AbortSignal } = {}): ReadableStream<string> {
      log.prompts.push({ session: this.id, input });
      const signal = options.signal;
      const words = (s.answer ?? '').split(/(?<= )/);
      let i = 0;
      let started = false;
      const abortError = () => (signal?.reason instanceof DOMException ? signal.reason : err('AbortError', 'The operation was aborted.'));
      return new ReadableStream<string>({
        pull: async (c) => {
          if (signal?.aborted) {
            log.aborted++;
            c.error(abortError());
            return;
          }
          if (!started) {
            started = true;
            if (this.destroyed) return c.error(err('InvalidStateError', 'The session was destroyed.'));
            if (s.failPrompt) {
              const name = s.failPrompt;
              s.failPrompt = undefined;
              return c.error(err(name, `Fake ${name}`));
            }
            const need = tokens(input);
            if (this.usage + need > this.window) {
              return c.error(err('QuotaExceededError', `The input is too large: ${this.usage + need} > ${this.window}.`));
            }
            this.usage += need;
          }
          if (i === 1 && s.holdStream && signal) {
            await new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));
            log.aborted++;
            c.error(abortError());
            return;
          }
          await Promise.resolve();
          if (i < words.length) {
            c.enqueue(words[i++]);
            return;
          }
          this.usage += tokens(s.answer ?? '');
          if (this.usage > this.window) {
            this.usage = this.window;
            this.dispatchEvent(new Event(legacy ? 'quotaoverflow' : 'contextoverflow'));
          }
          c.close();
        },
      });
    }
    async prompt(input: unknown, options: { signal?: AbortSignal } = {}): Promise<string> {
      const reader = this.promptStreaming(input, options).getReader();
      let out = '';
      for (;;) {
        const r = await reader.read();
        if (r.done) return out;
        out += r.value;
      }
    }
    async clone(): Promise<Session> {
      const c = new (legacy ? LegacySession : CurrentSession)(this.window, this.usage);
      return c;
    }
    destroy(): void {
      if (this.destroyed) return;
      this.destroyed = true;
      live.delete(this);
      log.destroyed.push(this.id);
    }
  }
  class CurrentSession extends Session {
    get contextUsage() {
      return this.usage;
    }
    get contextWindow() {
      return this.window;
    }
    measureContextUsage(input: unknown) {
      return this.measure(input);
    }
  }
  class LegacySession extends Session {
    get inputUsage() {
      return this.usage;
    }
    get inputQuota() {
      return this.window;
    }
    measureInputUsage(input: unknown) {
      return this.measure(input);
    }
  }

  const api = {
    async availability(options?: unknown) {
      log.availability.push(options ?? null);
      return s.availability;
    },
    async create(options: { signal?: AbortSignal; monitor?: (m: EventTarget) => void; initialPrompts?: { role: string; content: string }[]; expectedInputs?: unknown } = {}) {
      if (options.signal?.aborted) throw err('AbortError', 'The operation was aborted.');
      if (s.availability === 'unavailable') throw err('NotSupportedError', 'The model is not available on this device.');
      // Chrome: a download needs sticky user activation (where the page has the API).
      const activation = (globalThis as { navigator?: { userActivation?: { hasBeenActive: boolean } } }).navigator?.userActivation;
      if (s.availability === 'downloadable' && activation && !activation.hasBeenActive) {
        throw err('NotAllowedError', 'Requires a user gesture when availability is "downloadable".');
      }
      if (s.failCreate) {
        const name = s.failCreate;
        s.failCreate = undefined;
        throw err(name, `Fake ${name}`);
      }
      const initialPrompts = (options.initialPrompts ?? []).map((m) => ({ role: m.role, content: m.content }));
      log.creates.push({ initialPrompts, expectedInputs: options.expectedInputs });
      const monitor = new EventTarget();
      options.monitor?.(monitor);
      const progress = (loaded: number) => {
        log.progress.push(loaded);
        const e = new Event('downloadprogress');
        Object.defineProperties(e, { loaded: { value: loaded }, total: { value: 1 } });
        monitor.dispatchEvent(e);
      };
      if (s.availability !== 'available') {
        progress(0);
        progress(0.5);
        if (s.holdDownload) await released;
        progress(1);
        s.availability = 'available';
      }
      const initial = initialPrompts.length ? tokens(initialPrompts) : 0;
      const window = s.contextWindow ?? 1024;
      if (initial > window) throw err('QuotaExceededError', `The initial prompts are too large: ${initial} > ${window}.`);
      return new (legacy ? LegacySession : CurrentSession)(window, initial);
    },
  };
  const control: FakeControl = {
    log,
    script: s,
    releaseDownload: () => release(),
    destroyAll: () => {
      for (const x of [...live]) x.destroy();
    },
  };
  const g0 = globalThis as { navigator?: object; addEventListener?: (t: string, l: () => void, c: boolean) => void };
  if (s.simulateActivation && g0.navigator && g0.addEventListener) {
    let active = false;
    const ua = { get hasBeenActive() { return active; }, get isActive() { return active; } };
    Object.defineProperty(g0.navigator, 'userActivation', { get: () => ua, configurable: true });
    for (const t of ['pointerdown', 'mousedown', 'keydown', 'touchend']) g0.addEventListener(t, () => (active = true), true);
  }
  if (install) {
    const g = globalThis as Record<string, unknown>;
    g.LanguageModel = api;
    g.__fakeLanguageModel = control;
  }
  return { api, control };
}
