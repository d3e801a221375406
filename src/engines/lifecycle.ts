// The one crash → recover path of every on-device engine (web-llm, ONNX, the
// NLP client, and whatever engine comes next): a dead worker is told to the
// listeners once, in plain words; recover() starts a fresh worker and loads
// again what was loaded, one recovery at a time whoever asks; and
// superviseCrashes() is the policy that calls it after every crash.
import type { LoadProgress } from '../core/engine/metrics';

export interface Recoverable {
  /** Told once per crash, with a plain-words error; returns the unsubscribe. */
  onCrash(listener: (err: Error) => void): () => void;
  /** A fresh worker with the model loaded again. Safe to call at any time; concurrent calls share one recovery. */
  recover(onProgress?: (p: LoadProgress) => void): Promise<void>;
}

export interface RecoverySteps {
  /** Drops the current worker (dead or alive) so the next call starts a fresh one. */
  restart(): void;
  /** Loads again what was loaded before. */
  reload(onProgress: (p: LoadProgress) => void): Promise<void>;
}

/** Something that reports its worker's death (a WorkerBridge). */
export interface CrashSource {
  onCrash(listener: (err: Error) => void): () => void;
}

export class CrashRecovery implements Recoverable {
  private readonly listeners = new Set<(err: Error) => void>();
  private recovering: Promise<void> | null = null;

  constructor(private readonly steps: RecoverySteps) {}

  /**
   * A crash of `source` is this engine's crash: `forget` drops the engine's
   * "loaded" state first, then the listeners get `word(err)`.
   */
  watch(source: CrashSource, word: (err: Error) => Error, forget: () => void): () => void {
    return source.onCrash((err) => {
      forget();
      this.crashed(word(err));
    });
  }

  crashed(err: Error): void {
    for (const l of [...this.listeners]) l(err);
  }

  onCrash(listener: (err: Error) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The recovery under way, if any (calls made meanwhile can wait for it). */
  get pending(): Promise<void> | null {
    return this.recovering;
  }

  recover(onProgress: (p: LoadProgress) => void = () => {}): Promise<void> {
    this.recovering ??= (async () => {
      this.steps.restart();
      await this.steps.reload(onProgress);
    })().finally(() => {
      this.recovering = null;
    });
    return this.recovering;
  }
}

export interface Supervision {
  /** Load progress of each recovery. */
  progress?(p: LoadProgress): void;
  /** A crash happened and its recovery started (the manager shows it and makes callers wait for it). */
  recovering?(recovery: Promise<void>, crash: Error): void;
}

/** Recovers `target` after every crash. Returns the unsubscribe. */
export function superviseCrashes(target: Recoverable, supervision: Supervision = {}): () => void {
  return target.onCrash((crash) => {
    const recovery = target.recover((p) => supervision.progress?.(p));
    recovery.catch(() => {}); // a failed recovery is reported by whoever awaits it
    supervision.recovering?.(recovery, crash);
  });
}
