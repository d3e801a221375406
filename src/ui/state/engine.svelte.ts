import type { LocalEngineManager, LocalStatus } from '../../engines/local/manager';
import { loadView, type LoadView } from '../lib/load-progress';

/** Reactive view of the on-device engine's status. */
export class EngineState {
  status = $state<LocalStatus>({ phase: 'starting', chain: [] });
  /** The loading bar (null when not loading); it only moves forward during one load. */
  load = $state<LoadView | null>(null);

  constructor(readonly manager: LocalEngineManager) {
    manager.onStatus((s) => {
      this.status = s;
      this.load = s.phase === 'loading' ? loadView(s.progress, this.load?.pct ?? 0, s.engine) : null;
    });
  }

  retry(): void {
    void this.manager.retry().catch(() => {});
  }
}
