// An engine whose code is loaded on first use (a dynamic import), so it costs
// nothing on the first page load. It forwards the whole lifecycle, crashes
// included, to the engine once it exists.
import { toEngineError } from './errors';
import type { ChatRequest, ChatResult, EngineInfo, LoadProgress, LocalEngine } from './types';

export class LazyEngine implements LocalEngine {
  private inner: LocalEngine | null = null;
  private making: Promise<LocalEngine> | null = null;
  private readonly crashListeners = new Set<(err: Error) => void>();
  private disposed = false;

  /**
   * @param placeholder what `info` says until the engine exists
   * @param make imports and builds the engine
   * @param discard frees what `make` would have adopted, when disposed before it ran
   */
  constructor(
    private readonly placeholder: EngineInfo,
    private readonly make: () => Promise<LocalEngine>,
    private readonly discard: () => void = () => {},
  ) {}

  get info(): EngineInfo {
    return this.inner?.info ?? this.placeholder;
  }

  private get(): Promise<LocalEngine> {
    this.making ??= this.make().then(
      (engine) => {
        if (this.disposed) engine.dispose();
        this.inner = engine;
        engine.onCrash((err) => {
          for (const l of [...this.crashListeners]) l(err);
        });
        return engine;
      },
      (err: unknown) => {
        this.making = null; // e.g. offline: the chunk may load next time
        throw toEngineError(err, { model: this.placeholder.modelId });
      },
    );
    return this.making;
  }

  async load(onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    await (await this.get()).load(onProgress, signal);
  }

  async chat(req: ChatRequest): Promise<ChatResult> {
    return (await this.get()).chat(req);
  }

  async isCached(): Promise<boolean> {
    return (await this.get()).isCached();
  }

  async deleteFromCache(): Promise<void> {
    await (await this.get()).deleteFromCache();
  }

  onCrash(listener: (err: Error) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  async recover(onProgress?: (p: LoadProgress) => void): Promise<void> {
    await (await this.get()).recover(onProgress);
  }

  endConversation(conversationId: string): void {
    this.inner?.endConversation?.(conversationId);
  }

  crashForTest(): void {
    this.inner?.crashForTest?.();
  }

  dispose(): void {
    this.disposed = true;
    if (this.inner) this.inner.dispose();
    else this.discard();
  }
}
