// Owns the on-device engine's lifecycle: probe → select → load (web-llm, else
// ONNX) → ready, with the fallback chain and its reason visible, crash recovery
// and Retry. UI state subscribes to `onStatus`.
import type { AppConfig } from '../../config/schema';
import type { EngineKind, LoadProgress, LocalEngine } from '../types';
import type { AdapterFacts, DeviceHints, EnginePlan } from '../../core/engine/select';

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

export interface RecoverableEngine extends LocalEngine {
  onCrash?(listener: (err: Error) => void): () => void;
  recover?(onProgress: (p: LoadProgress) => void): Promise<void>;
  crashForTest?(): void;
}

export interface ManagerDeps {
  config: AppConfig;
  probe: () => Promise<AdapterFacts | null>;
  hints: () => DeviceHints;
  select: (facts: AdapterFacts | null, hints: DeviceHints, config: AppConfig) => EnginePlan;
  /** The ONNX plan after web-llm failed, with the reason in plain words. */
  fallback: (facts: AdapterFacts | null, config: AppConfig, failure: string) => EnginePlan;
  createWebLlm: (plan: EnginePlan) => RecoverableEngine;
  createOnnx: (device: 'webgpu' | 'wasm') => RecoverableEngine;
}

const WARM_UP_PROMPT =
  'Please tell me, in a few short sentences, what the weather is usually like in spring, and what people like to do outside when the days get longer and warmer.';

export class LocalEngineManager {
  private status: LocalStatus = { phase: 'starting', chain: [] };
  private listeners = new Set<(s: LocalStatus) => void>();
  private engine: RecoverableEngine | null = null;
  private starting: Promise<RecoverableEngine> | null = null;

  constructor(private readonly deps: ManagerDeps) {}

  onStatus(listener: (s: LocalStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.status);
    return () => this.listeners.delete(listener);
  }

  get current(): LocalStatus {
    return this.status;
  }

  /** The loaded engine; starts (or restarts after an error) loading when needed. */
  ready(): Promise<LocalEngine> {
    if (this.status.phase === 'ready' && this.engine) return Promise.resolve(this.engine);
    if (!this.starting) {
      this.starting = this.start().finally(() => (this.starting = null));
    }
    return this.starting;
  }

  retry(): Promise<LocalEngine> {
    return this.ready();
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
    engine.dispose();
    this.engine = null;
    this.set({ phase: 'error', progress: undefined, notice: undefined, error: `${modelId} was deleted from this device. Retry downloads it again.` });
    return true;
  }

  /** Test hook: crash the running engine's worker for real. */
  crashForTest(): void {
    this.engine?.crashForTest?.();
  }

  private set(patch: Partial<LocalStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const l of this.listeners) l(this.status);
  }

  private async start(): Promise<RecoverableEngine> {
    this.engine?.dispose();
    this.engine = null;
    this.set({ phase: 'probing', chain: [], notice: undefined, error: undefined, progress: undefined });
    let facts: AdapterFacts | null = null;
    try {
      facts = await this.deps.probe();
    } catch {
      facts = null;
    }
    let plan = this.deps.select(facts, this.deps.hints(), this.deps.config);
    const chain: string[] = [];
    let notice = plan.engine === 'onnx' && this.deps.config.webllm.enabled ? plan.reason : undefined;

    if (plan.engine === 'webllm') {
      const engine = this.deps.createWebLlm(plan);
      try {
        await this.loadEngine(engine, chain, notice);
        return engine;
      } catch (err) {
        engine.dispose();
        const why = (err as { userMessage?: string }).userMessage ?? (err as Error).message;
        const code = (err as { code?: string }).code ?? 'error';
        chain.push(`web-llm ${engine.info.modelId}: ${why}`);
        plan = this.deps.fallback(facts, this.deps.config, code);
        notice = `${why} Falling back to the ONNX engine: ${plan.reason}.`;
      }
    }

    const onnx = this.deps.createOnnx(plan.onnxDevice);
    try {
      await this.loadEngine(onnx, chain, notice);
      return onnx;
    } catch (err) {
      onnx.dispose();
      const why = (err as { userMessage?: string }).userMessage ?? (err as Error).message;
      chain.push(`ONNX ${onnx.info.modelId}: ${why}`);
      this.set({ phase: 'error', error: why, chain, progress: undefined });
      throw err;
    }
  }

  private async loadEngine(engine: RecoverableEngine, chain: string[], notice: string | undefined): Promise<void> {
    const { kind, modelId, device } = engine.info;
    this.set({ phase: 'loading', engine: kind, modelId, device, notice, chain: [...chain], progress: undefined });
    await engine.load((progress) => this.set({ progress }));
    const measured = await this.warmUp(engine);
    chain.push(`${kind} ${modelId} on ${device}`);
    this.engine = engine;
    engine.onCrash?.(() => void this.recoverFromCrash(engine));
    this.set({ phase: 'ready', chain: [...chain], progress: undefined, measured });
  }

  /**
   * A few tokens right after loading: compiles shaders / warms caches and gives
   * the router this device's real token rates before the first turn.
   */
  private async warmUp(engine: RecoverableEngine): Promise<LocalStatus['measured']> {
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

  private async recoverFromCrash(engine: RecoverableEngine): Promise<void> {
    if (this.engine !== engine || !engine.recover) return;
    this.set({ phase: 'loading', notice: 'The on-device model stopped unexpectedly — restarting it.' });
    const recovering = engine
      .recover((progress) => this.set({ progress }))
      .then(() => {
        this.set({ phase: 'ready', progress: undefined, notice: 'The on-device model was restarted after a crash.' });
        return engine;
      })
      .catch((err) => {
        const why = (err as { userMessage?: string }).userMessage ?? (err as Error).message;
        this.set({ phase: 'error', error: `The on-device model crashed and could not restart: ${why}` });
        throw err;
      });
    this.starting = recovering.finally(() => (this.starting = null));
    await recovering.catch(() => {});
  }
}
