// Owns the on-device engine's lifecycle: probe → select → load (the browser's
// built-in model when it has one and the user allows it, else web-llm, else
// ONNX) → ready, with the fallback chain and its reason visible, Retry, and
// crash recovery — the same for every engine kind: a crash while loading
// restarts the worker and loads once more; a crash once ready is recovered by
// superviseCrashes (fresh worker, model loaded again); a web-llm engine that
// cannot come back falls back to ONNX like a failed first load. UI state
// subscribes to `onStatus`.
import type { AppConfig } from '../../config/schema';
import type { EngineKind, LoadProgress, LocalEngine } from '../types';
import type { AdapterFacts, EnginePlan, OnnxChoice } from '../../core/engine/select';
import type { InterruptedLoad, SelectionInput } from '../../core/engine/device-plan';
import { EngineError } from '../../core/engine/errors';
import { superviseCrashes } from '../lifecycle';
import { builtinFailed, chooseBuiltin, type BuiltinProbe } from '../../core/engine/builtin';

export type LocalPhase = 'starting' | 'probing' | 'loading' | 'ready' | 'error';

export interface LocalStatus {
  phase: LocalPhase;
  engine?: EngineKind;
  modelId?: string;
  device?: string;
  progress?: LoadProgress;
  /** Why we are not on the preferred engine, in plain words. */
  notice?: string;
  /** What went wrong, in plain words (phase 'error'). */
  error?: string;
  /** The chain tried so far, e.g. ["web-llm Qwen… failed: network", "ONNX tiny-lm on wasm"]. */
  chain: string[];
  /** Token rates measured by a short warm-up generation right after loading. */
  measured?: { prefillTps: number | null; decodeTps: number | null };
}

/**
 * Where the manager notes the load in progress (localStorage in the browser):
 * it survives the tab being killed, so the next start can see that a load
 * never finished and at which stage.
 */
export interface LoadMarkerStore {
  /**
   * The marker a dead tab left, removed as it is read; null when there is none
   * or when it belongs to a tab that is still alive (another tab loading).
   */
  take(): Promise<InterruptedLoad | null> | InterruptedLoad | null;
  write(marker: InterruptedLoad | null): void;
}

export interface ManagerDeps {
  config: AppConfig;
  probe: () => Promise<AdapterFacts | null>;
  /** Everything selection needs besides the adapter and the marker. */
  device: () => Omit<SelectionInput, 'adapter' | 'interrupted'>;
  select: (input: SelectionInput, config: AppConfig) => EnginePlan;
  /** The ONNX plan after web-llm failed, with the reason in plain words. */
  fallback: (facts: AdapterFacts | null, config: AppConfig, failure: string) => EnginePlan;
  createWebLlm: (plan: EnginePlan) => LocalEngine;
  createOnnx: (choice: OnnxChoice) => LocalEngine;
  /** Default: none (nothing survives a kill; every start is a fresh one). */
  marker?: LoadMarkerStore;
  /** The browser's built-in model (Prompt API), tried first when present. */
  builtin?: BuiltinDeps;
}

export interface BuiltinDeps {
  /** What the UI calls it. */
  name: string;
  /** 'absent' without the API, else LanguageModel.availability()'s answer. */
  probe: () => Promise<BuiltinProbe>;
  /** The user's setting "Use the browser's built-in model when it has one". */
  allowed: () => boolean;
  create: () => LocalEngine;
}

/** Errors after which ONNX on WASM would fail the same way as on WebGPU. */
const NOT_A_GPU_PROBLEM = new Set(['network', 'quota-exceeded', 'model-not-found', 'aborted']);

const WARM_UP_PROMPT =
  'Please tell me, in a few short sentences, what the weather is usually like in spring, and what people like to do outside when the days get longer and warmer.';

export const RESTARTING_NOTICE = 'The on-device model stopped unexpectedly — restarting it.';
export const RESTARTED_NOTICE = 'The on-device model was restarted after a crash.';

function reason(err: unknown): string {
  return (err as { userMessage?: string }).userMessage ?? (err instanceof Error ? err.message : String(err));
}

function codeOf(err: unknown): string | undefined {
  return (err as { code?: string } | null)?.code;
}

export class LocalEngineManager {
  private status: LocalStatus = { phase: 'starting', chain: [] };
  private listeners = new Set<(s: LocalStatus) => void>();
  /** The engine that answers (phase ready, or recovering from a crash). */
  private engine: LocalEngine | null = null;
  /** The engine being loaded or answering: what crashForTest() crashes. */
  private active: LocalEngine | null = null;
  private starting: Promise<LocalEngine> | null = null;
  private unsupervise: (() => void) | null = null;
  private facts: AdapterFacts | null = null;
  /** Set when this start runs no on-device model (the reason); cleared by retry(). */
  private remoteOnly: string | null = null;
  /** Why the built-in model is not the one answering, put in front of the other engines' notices. */
  private lead: string | null = null;

  constructor(private readonly deps: ManagerDeps) {}

  onStatus(listener: (s: LocalStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.status);
    return () => this.listeners.delete(listener);
  }

  get current(): LocalStatus {
    return this.status;
  }

  /** The loaded engine; starts (or restarts after an error) loading when needed, waits for a recovery. */
  ready(): Promise<LocalEngine> {
    if (this.status.phase === 'ready' && this.engine && !this.starting) return Promise.resolve(this.engine);
    if (this.remoteOnly !== null && !this.starting) {
      return Promise.reject(new EngineError('unknown', this.remoteOnly, { retryable: true }));
    }
    this.starting ??= this.track(this.start());
    return this.starting;
  }

  /** Tries the on-device model again, also after a start that skipped it. */
  retry(): Promise<LocalEngine> {
    this.remoteOnly = null;
    return this.ready();
  }

  /** Chooses the engine again (a setting that changes the choice was changed). */
  async reselect(): Promise<LocalEngine> {
    await this.starting?.catch(() => {});
    this.starting = this.track(this.start());
    return this.starting;
  }

  /** Frees what the answering engine keeps for a conversation (new chat, deleted). */
  endConversation(conversationId: string): void {
    this.engine?.endConversation?.(conversationId);
  }

  /**
   * Storage panel: deletes the loaded model's files from its engine's cache
   * (web-llm: every candidate's weights, library and config) and unloads it.
   * The status becomes 'error' (the model is not on the device: turns do not
   * plan on it) until Retry / ready() downloads it again. False when `modelId`
   * is not the loaded model (or a load is in progress) — nothing is deleted then.
   */
  async deleteLoadedModel(modelId: string): Promise<boolean> {
    const engine = this.engine;
    if (!engine || this.starting || engine.info.modelId !== modelId) return false;
    await engine.deleteFromCache();
    this.release();
    this.set({ phase: 'error', progress: undefined, notice: undefined, error: `${modelId} was deleted from this device. Retry downloads it again.` });
    return true;
  }

  /**
   * Test hook, honoured only in the demo config: crashes the worker of the engine
   * being loaded or answering, for real. False when it did nothing.
   */
  crashForTest(): boolean {
    if (!this.deps.config.demo || !this.active?.crashForTest) return false;
    this.active.crashForTest();
    return true;
  }

  private set(patch: Partial<LocalStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const l of this.listeners) l(this.status);
  }

  /** `starting` until `run` settles (and only while it is the current one). */
  private track(run: Promise<LocalEngine>): Promise<LocalEngine> {
    const tracked: Promise<LocalEngine> = run.finally(() => {
      if (this.starting === tracked) this.starting = null;
    });
    return tracked;
  }

  /** Stops supervising and disposes the current engine. */
  private release(): void {
    this.unsupervise?.();
    this.unsupervise = null;
    this.engine?.dispose();
    this.engine = null;
    this.active = null;
  }

  private async start(): Promise<LocalEngine> {
    this.release();
    this.set({ phase: 'probing', chain: [], notice: undefined, error: undefined, progress: undefined });
    const chain: string[] = [];
    const builtin = await this.startBuiltin(chain);
    return builtin ?? this.startOthers(chain);
  }

  /** With `lead` in front: the built-in model's reason comes first. */
  private noticeWith(notice: string | undefined): string | undefined {
    if (!this.lead) return notice;
    return notice ? `${this.lead}. ${notice}` : `${this.lead}.`;
  }

  /** The built-in model when chosen and it loads; null (and `lead` says why) otherwise. */
  private async startBuiltin(chain: string[]): Promise<LocalEngine | null> {
    this.lead = null;
    const b = this.deps.builtin;
    if (!b) return null;
    const probe = await b.probe().catch((): BuiltinProbe => 'error');
    const choice = chooseBuiltin(probe, b.allowed(), b.name);
    this.lead = choice.reason;
    if (!choice.use) {
      if (choice.reason) chain.push(`built-in: ${choice.reason}`);
      return null;
    }
    this.lead = null;
    const engine = b.create();
    try {
      await this.bringUp(engine, chain, undefined);
      return engine;
    } catch (err) {
      engine.dispose();
      this.active = null;
      const why = reason(err);
      chain.push(`built-in ${engine.info.modelId}: ${why}`);
      this.lead = builtinFailed(b.name, why);
      return null;
    }
  }

  /** web-llm, else ONNX (selection by the adapter), after the built-in model. */
  private async startOthers(chain: string[]): Promise<LocalEngine> {
    if (this.status.phase !== 'probing') this.set({ phase: 'probing', progress: undefined });
    try {
      this.facts = await this.deps.probe();
    } catch {
      this.facts = null;
    }
    // A marker left behind means the last start never finished its load. It is
    // used once: if the lighter choice gets killed too, it leaves its own.
    const interrupted = await this.takeMarker();
    const plan = this.deps.select({ adapter: this.facts, ...this.deps.device(), interrupted }, this.deps.config);
    const skipped = interrupted?.stage === 'init';
    if (plan.engine === 'none') {
      this.remoteOnly = plan.reason;
      this.set({ phase: 'error', error: plan.reason, notice: undefined, chain, progress: undefined });
      throw new EngineError('unknown', plan.reason, { retryable: true });
    }
    if (plan.engine === 'onnx') {
      return this.startOnnx(plan, chain, this.noticeWith(this.deps.config.webllm.enabled || skipped || this.lead ? plan.reason : undefined));
    }
    const engine = this.deps.createWebLlm(plan);
    try {
      await this.bringUp(engine, chain, this.noticeWith(skipped ? plan.reason : undefined));
      return engine;
    } catch (err) {
      engine.dispose();
      return this.fallBackToOnnx(engine, err, chain);
    }
  }

  private fallBackToOnnx(webllm: LocalEngine, err: unknown, chain: string[]): Promise<LocalEngine> {
    const why = reason(err);
    chain.push(`web-llm ${webllm.info.modelId}: ${why}`);
    const plan = this.deps.fallback(this.facts, this.deps.config, codeOf(err) ?? 'error');
    return this.startOnnx(plan, chain, this.noticeWith(`${why} Falling back to the ONNX engine: ${plan.reason}.`));
  }

  /** ONNX on each rung in turn: WebGPU, then once more on WASM (unless the failure was not the GPU's). */
  private async startOnnx(plan: EnginePlan, chain: string[], notice: string | undefined): Promise<LocalEngine> {
    const rungs = plan.onnx;
    if (rungs.length === 0) throw new EngineError('unknown', plan.reason); // selection never does this; be loud if it does
    for (let i = 0; ; i++) {
      const onnx = this.deps.createOnnx(rungs[i]);
      try {
        await this.bringUp(onnx, chain, notice);
        return onnx;
      } catch (err) {
        onnx.dispose();
        this.active = null;
        const why = reason(err);
        chain.push(`ONNX ${onnx.info.modelId} on ${rungs[i].device}: ${why}`);
        const next = rungs[i + 1];
        if (next && !NOT_A_GPU_PROBLEM.has(codeOf(err) ?? '')) {
          notice = `${why} Trying the ONNX model again on the CPU (slower).`;
          continue;
        }
        this.set({ phase: 'error', error: why, chain, progress: undefined });
        throw err;
      }
    }
  }

  private async takeMarker(): Promise<InterruptedLoad | null> {
    try {
      return (await this.deps.marker?.take()) ?? null;
    } catch {
      return null;
    }
  }

  private writeMarker(m: InterruptedLoad | null): void {
    try {
      this.deps.marker?.write(m);
    } catch {
      /* private mode / storage full: the next start is a fresh one */
    }
  }

  /**
   * Loads `engine`, measures the device, and supervises it from then on. A
   * crash while loading or measuring restarts its worker and loads once more,
   * through the same recover() as later crashes; a second failure is a load failure.
   */
  private async bringUp(engine: LocalEngine, chain: string[], notice: string | undefined): Promise<void> {
    const { kind, modelId, device } = engine.info;
    this.active = engine;
    this.set({ phase: 'loading', engine: kind, modelId, device, notice, chain: [...chain], progress: undefined });
    // The marker names the model being loaded and whether its files are all
    // here ('init'); a start that finds it again knows this load was killed.
    let stage: 'download' | 'init' = 'download';
    let marked = '';
    const mark = () => {
      if (kind !== 'webllm' && kind !== 'onnx') return;
      const info = engine.info; // a smaller web-llm model may have taken over
      const key = `${info.modelId}|${stage}`;
      if (key === marked) return;
      marked = key;
      this.writeMarker({ engine: kind, modelId: info.modelId, device: info.device === 'webgpu' ? 'webgpu' : 'wasm', stage });
    };
    mark();
    const onProgress = (progress: LoadProgress) => {
      if (progress.stage) stage = progress.stage;
      mark();
      this.set({ progress });
    };
    try {
      await this.loadAndMeasure(engine, onProgress, notice, chain);
    } finally {
      this.writeMarker(null); // finished or failed: either way, not killed
    }
  }

  private async loadAndMeasure(engine: LocalEngine, onProgress: (p: LoadProgress) => void, notice: string | undefined, chain: string[]): Promise<void> {
    let restarted = false;
    const restart = async () => {
      this.set({ notice: RESTARTING_NOTICE, progress: undefined });
      await engine.recover(onProgress);
      restarted = true;
    };
    try {
      await engine.load(onProgress);
    } catch (err) {
      if (codeOf(err) !== 'worker-crashed') throw err;
      await restart();
    }
    let crashed = false;
    const unwatch = engine.onCrash(() => (crashed = true));
    const measured = await this.warmUp(engine);
    unwatch();
    if (crashed) await restart(); // no rates then: the router keeps its defaults
    if (restarted) notice = notice ? `${/[.!?]$/.test(notice) ? notice : `${notice}.`} ${RESTARTED_NOTICE}` : RESTARTED_NOTICE;
    // The engine's info may have changed while loading (a smaller web-llm model).
    chain.push(`${engine.info.kind} ${engine.info.modelId} on ${engine.info.device}`);
    this.engine = engine;
    this.unsupervise = superviseCrashes(engine, {
      progress: (progress) => this.set({ progress }),
      recovering: (recovery) => this.recovering(engine, recovery),
    });
    this.set({ phase: 'ready', modelId: engine.info.modelId, notice, chain: [...chain], progress: undefined, measured });
  }

  /** A crash of the answering engine: callers wait for its recovery, and the status says so. */
  private recovering(engine: LocalEngine, recovery: Promise<void>): void {
    if (this.engine !== engine) return;
    this.starting = this.track(
      recovery.then(
        () => {
          this.set({ phase: 'ready', progress: undefined, notice: RESTARTED_NOTICE });
          return engine;
        },
        (err: unknown) => this.recoveryFailed(engine, err),
      ),
    );
    this.starting.catch(() => {}); // the status shows a failure; callers of ready() get it too
    this.set({ phase: 'loading', notice: RESTARTING_NOTICE, progress: undefined, error: undefined });
  }

  private recoveryFailed(engine: LocalEngine, err: unknown): Promise<LocalEngine> {
    this.release();
    if (engine.info.kind === 'webllm') return this.fallBackToOnnx(engine, err, [...this.status.chain]);
    if (engine.info.kind === 'builtin' && this.deps.builtin) {
      this.lead = builtinFailed(this.deps.builtin.name, `it crashed and could not restart: ${reason(err)}`);
      return this.startOthers([...this.status.chain]);
    }
    this.set({ phase: 'error', error: `The on-device model crashed and could not restart: ${reason(err)}`, progress: undefined });
    return Promise.reject(err);
  }

  /**
   * A few tokens right after loading: compiles shaders / warms caches and gives
   * the router this device's real token rates before the first turn.
   */
  private async warmUp(engine: LocalEngine): Promise<LocalStatus['measured']> {
    this.set({ progress: { fraction: null, loadedBytes: 0, totalBytes: null, etaSeconds: null, text: 'Measuring this device’s speed…' } });
    try {
      // The first run pays for compilation and allocation; the second one is measured,
      // with a prompt long enough for the prefill rate to mean something.
      await engine.chat({ messages: [{ role: 'user', content: 'hello' }], maxTokens: 4, logprobs: false });
      const r = await engine.chat({ messages: [{ role: 'user', content: WARM_UP_PROMPT }], maxTokens: 16, logprobs: false });
      return { prefillTps: r.usage.prefillTps, decodeTps: r.usage.decodeTps };
    } catch {
      return undefined; // the router falls back to its defaults
    }
  }
}
